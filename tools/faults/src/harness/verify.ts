import type { Ledger, SentEvent } from './ledger.js';
import type { Row } from './rig.js';

/** What the service writes as `state` for a removed entity (event-normalizer's `removedStateValue`). */
const REMOVED = '<removed>';

/** The comparison of what HA fired with what InfluxDB holds. Empty problem lists mean exactly-once. */
export interface DeliveryReport {
  readonly sent: number;
  readonly delivered: number;
  /** Events fired while the service was not subscribed, and the runs (disconnections) they form. */
  readonly undelivered: number;
  readonly windows: number;
  readonly rows: number;
  readonly liveRows: number;
  readonly resyncRows: number;
  /** Final states of entities that changed while disconnected: required, and allowed-but-superseded. */
  readonly resyncRequired: number;
  readonly resyncOptional: number;
  /** Removals of entities the service had never seen: nothing it could write. */
  readonly unobservable: number;
  /** Delivered events absent from InfluxDB. */
  readonly missingLive: readonly SentEvent[];
  /** Final states after a disconnection that no resync wrote. */
  readonly missingResync: readonly SentEvent[];
  /** Rows with the wrong state or the wrong `resync` mark. */
  readonly wrong: readonly { readonly row: Row; readonly why: string }[];
  /** Rows nothing HA sent explains. */
  readonly unexpected: readonly Row[];
  /** (entity_id, time) pairs stored more than once (in different series). */
  readonly duplicates: readonly string[];
}

const key = (entityId: string, timeNs: string) => `${entityId} ${timeNs}`;

/**
 * Checks exactly-once delivery: every delivered event is one live row with its state; after each disconnection,
 * every entity that changed meanwhile has its final state as a `resync` row (unless the live stream delivered a
 * newer state before the next disconnection, which makes the resync skip it, correctly); and nothing else is stored.
 */
export function compareDelivery(ledger: Ledger, rows: readonly Row[]): DeliveryReport {
  const events = ledger.events;
  const rowsByKey = new Map<string, Row[]>();
  const rowsByEntity = new Map<string, Row[]>();
  for (const row of rows) {
    push(rowsByKey, key(row.entity_id, row.time), row);
    push(rowsByEntity, row.entity_id, row);
  }
  const used = new Set<Row>();
  const missingLive: SentEvent[] = [];
  const missingResync: SentEvent[] = [];
  const wrong: { row: Row; why: string }[] = [];

  for (const event of events) {
    if (!event.delivered) continue;
    const row = rowsByKey.get(key(event.entityId, event.timeNs))?.[0];
    if (!row) {
      missingLive.push(event);
      continue;
    }
    used.add(row);
    const state = event.state ?? REMOVED;
    if (row.state !== state || row.resync)
      wrong.push({ row, why: `live event: state ${state}, resync false` });
  }

  const windowOf = windows(events);
  const windowStarts = [...new Set(windowOf.filter((w) => w >= 0))].map((w) => windowOf.indexOf(w));
  const nextWindowStart = (seq: number) => windowStarts.find((start) => start > seq) ?? Infinity;
  const byEntity = new Map<string, SentEvent[]>();
  for (const event of events) push(byEntity, event.entityId, event);

  let resyncRequired = 0;
  let resyncOptional = 0;
  let unobservable = 0;
  for (const [entityId, list] of byEntity) {
    list.forEach((u, position) => {
      const window = windowOf[u.seq] ?? -1;
      const next = list[position + 1];
      if (window < 0 || (next !== undefined && windowOf[next.seq] === window)) return;
      // u: the entity's last change in this disconnection. A delivered change before the next one supersedes it.
      const optional = next !== undefined && next.delivered && next.seq < nextWindowStart(u.seq);
      if (optional) resyncOptional++;
      else resyncRequired++;
      let row: Row | undefined;
      if (u.state !== null) {
        row = rowsByKey.get(key(entityId, u.lastUpdatedNs ?? ''))?.[0];
        if (row && (row.state !== u.state || !row.resync))
          wrong.push({ row, why: `resync of ${u.state}, resync true` });
      } else {
        const first = list.findIndex((e) => windowOf[e.seq] === window);
        const before = list[first - 1];
        const known = before ? before.state !== null : ledger.initialEntities.has(entityId);
        if (!known) {
          unobservable++;
          if (optional) resyncOptional--;
          else resyncRequired--;
          return;
        }
        // A removal's resync point carries the service's reconnect time: after the removal, before the next change.
        row = (rowsByEntity.get(entityId) ?? []).find(
          (r) =>
            r.resync &&
            r.state === REMOVED &&
            !used.has(r) &&
            BigInt(r.time) >= BigInt(u.timeNs) &&
            (next === undefined || BigInt(r.time) < BigInt(next.timeNs)),
        );
      }
      if (row) used.add(row);
      else if (!optional) missingResync.push(u);
    });
  }

  return {
    sent: events.length,
    delivered: events.filter((e) => e.delivered).length,
    undelivered: events.filter((e) => !e.delivered).length,
    windows: windowStarts.length,
    rows: rows.length,
    liveRows: rows.filter((r) => !r.resync).length,
    resyncRows: rows.filter((r) => r.resync).length,
    resyncRequired,
    resyncOptional,
    unobservable,
    missingLive,
    missingResync,
    wrong,
    unexpected: rows.filter((r) => !used.has(r)),
    duplicates: [...rowsByKey].filter(([, list]) => list.length > 1).map(([k]) => k),
  };
}

/** The problems of a report, one line each (the first few of each kind); empty when delivery was exact. */
export function deliveryProblems(report: DeliveryReport): string[] {
  const few = <T>(list: readonly T[], show: (item: T) => string) => list.slice(0, 5).map(show).join('; ');
  const problems: string[] = [];
  if (report.missingLive.length > 0)
    problems.push(
      `${report.missingLive.length} delivered events not in InfluxDB: ${few(report.missingLive, describe)}`,
    );
  if (report.missingResync.length > 0)
    problems.push(
      `${report.missingResync.length} final states after a disconnection not resynced: ${few(report.missingResync, describe)}`,
    );
  if (report.wrong.length > 0)
    problems.push(
      `${report.wrong.length} rows differ: ${few(report.wrong, (w) => `${w.row.entity_id}@${w.row.time} ${w.row.state} resync=${w.row.resync} (expected ${w.why})`)}`,
    );
  if (report.unexpected.length > 0)
    problems.push(
      `${report.unexpected.length} rows HA never sent: ${few(report.unexpected, (r) => `${r.entity_id}@${r.time} ${r.state} resync=${r.resync}`)}`,
    );
  if (report.duplicates.length > 0)
    problems.push(
      `${report.duplicates.length} (entity_id, time) stored twice: ${few(report.duplicates, String)}`,
    );
  return problems;
}

function describe(event: SentEvent): string {
  return `#${event.seq} ${event.entityId}@${event.timeNs} ${event.state ?? REMOVED}`;
}

/** Window index of each event: maximal runs of undelivered events, numbered from 0; -1 for delivered ones. */
function windows(events: readonly SentEvent[]): number[] {
  const out: number[] = [];
  let window = -1;
  let inWindow = false;
  for (const event of events) {
    if (event.delivered) {
      inWindow = false;
      out.push(-1);
      continue;
    }
    if (!inWindow) window++;
    inWindow = true;
    out.push(window);
  }
  return out;
}

function push<K, V>(map: Map<K, V[]>, k: K, value: V): void {
  const list = map.get(k);
  if (list) list.push(value);
  else map.set(k, [value]);
}
