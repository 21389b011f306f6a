import type { Ledger, SentEvent } from './ledger.js';
import type { ReportLine } from './report.js';
import type { Row } from './rig.js';

/** What the service writes as `state` for a removed entity (event-normalizer's `removedStateValue`). */
const REMOVED = '<removed>';

/**
 * The comparison of every change HA fired with what InfluxDB holds. Every change is exactly one of: stored (a
 * row explains it), missing, or unobservable, so `sent = stored + missing + unobservable`. Empty problem lists
 * (see {@link deliveryProblems}) mean exactly-once.
 */
export interface DeliveryReport {
  readonly sent: number;
  readonly delivered: number;
  /** Changes fired while the service was not subscribed, and the runs (gaps) they form. */
  readonly undelivered: number;
  readonly windows: number;
  readonly rows: number;
  /** Rows by mark: neither `resync` nor `backfill`, `backfill=true`, `resync=true`. */
  readonly liveRows: number;
  readonly backfillRows: number;
  readonly resyncRows: number;
  /** Changes a row stands for (the wrong and rewritten ones included). */
  readonly stored: number;
  /**
   * Undelivered changes stored as a `resync` point: the entity's final state where the service could not read
   * the recorder (gap-backfill.ts `BackfillFallback`), one per entity and gap.
   */
  readonly fallbacks: readonly SentEvent[];
  /** Delivered changes absent from InfluxDB. */
  readonly missingLive: readonly SentEvent[];
  /** Undelivered changes no backfill (and no fallback) wrote; `why` says what came around them. */
  readonly missingBackfill: readonly SentEvent[];
  /** Undelivered changes before a fallback's final state in the same gap: the recorder had them. */
  readonly lostToFallback: readonly SentEvent[];
  /** `missingLive + missingBackfill + lostToFallback`. */
  readonly missing: number;
  /** Hints for the missing backfills, by event. */
  readonly why: ReadonlyMap<SentEvent, string>;
  /**
   * Changes of an entity that appeared and disappeared within one gap: the service's memory never knew it and
   * HA's answer no longer lists it (state-memory.ts `resync`), so no gap fill can ask the recorder for it.
   */
  readonly unobservable: readonly SentEvent[];
  /**
   * Delivered changes whose row carries `backfill` (or `resync`): a restart filled again from an older state
   * memory than what reached InfluxDB (state-snapshot.ts saves it one interval behind), or recovered a live point
   * the crash lost. The state is right; only the mark and the context fields differ from a live row.
   */
  readonly rewritten: readonly SentEvent[];
  /** Rows with the wrong state or mark. */
  readonly wrong: readonly { readonly row: Row; readonly why: string }[];
  /** Rows nothing HA fired explains. */
  readonly unexpected: readonly Row[];
  /** (entity_id, time) pairs stored more than once (in different series). */
  readonly duplicates: readonly string[];
}

const key = (entityId: string, timeNs: string) => `${entityId} ${timeNs}`;

/**
 * Checks exactly-once delivery under the gap-fill contract (gap-resync.ts, gap-backfill.ts): a delivered change
 * is one live row; an undelivered one is one `backfill` row at its time with its state; where the service fell
 * back, the entity's final state of the gap is one `resync` row at its `last_updated` (a removal: `<removed>`
 * after the removal, before the entity's next change), and the entity's earlier changes of that gap are lost to
 * the fallback. Nothing else is stored.
 */
export function compareDelivery(ledger: Ledger, rows: readonly Row[]): DeliveryReport {
  const events = ledger.events;
  const rowsByKey = new Map<string, Row[]>();
  const rowsByEntity = new Map<string, Row[]>();
  for (const row of rows) {
    push(rowsByKey, key(row.entity_id, row.time), row);
    push(rowsByEntity, row.entity_id, row);
  }
  const byEntity = new Map<string, SentEvent[]>();
  const position = new Map<SentEvent, number>();
  for (const event of events) {
    position.set(event, byEntity.get(event.entityId)?.length ?? 0);
    push(byEntity, event.entityId, event);
  }
  /** The entity's change `offset` places from `event` (-1: the one before it). */
  const sibling = (event: SentEvent, offset: number): SentEvent | undefined =>
    byEntity.get(event.entityId)?.[(position.get(event) ?? 0) + offset];
  const windowOf = windows(events);
  const used = new Set<Row>();
  const take = (entityId: string, timeNs: string | null): Row | undefined => {
    const row = timeNs === null ? undefined : rowsByKey.get(key(entityId, timeNs))?.find((r) => !used.has(r));
    if (row) used.add(row);
    return row;
  };

  const missingLive: SentEvent[] = [];
  const rewritten: SentEvent[] = [];
  const fallbacks = new Set<SentEvent>();
  const absent: SentEvent[] = [];
  const wrong: { row: Row; why: string }[] = [];
  for (const event of events) {
    const state = event.state ?? REMOVED;
    if (event.delivered) {
      const row = take(event.entityId, event.timeNs);
      if (!row) missingLive.push(event);
      else if (row.state !== state) wrong.push({ row, why: `live change to ${state}` });
      else if (row.backfill || row.resync) rewritten.push(event);
      continue;
    }
    const row = take(event.entityId, event.timeNs) ?? fallbackRow(event);
    if (!row) absent.push(event);
    else if (row.state !== state) wrong.push({ row, why: `change to ${state}, backfill true` });
    else if (row.resync && !row.backfill) fallbacks.add(event);
    else if (!row.backfill || row.resync) wrong.push({ row, why: `change to ${state}, backfill true` });
  }

  /** A resync row for a change not at its `last_updated` (a removal: stamped when HA answered without it). */
  function fallbackRow(event: SentEvent): Row | undefined {
    if (event.state !== null)
      return event.lastUpdatedNs === event.timeNs ? undefined : take(event.entityId, event.lastUpdatedNs);
    const next = sibling(event, 1);
    const row = (rowsByEntity.get(event.entityId) ?? []).find(
      (r) =>
        r.resync &&
        !r.backfill &&
        r.state === REMOVED &&
        !used.has(r) &&
        BigInt(r.time) >= BigInt(event.timeNs) &&
        (next === undefined || BigInt(r.time) < BigInt(next.timeNs)),
    );
    if (row) used.add(row);
    return row;
  }

  const unobservable: SentEvent[] = [];
  const lostToFallback: SentEvent[] = [];
  const missingBackfill: SentEvent[] = [];
  const why = new Map<SentEvent, string>();
  const windowEnd = new Map<number, number>();
  windowOf.forEach((w, seq) => windowEnd.set(w, seq));
  for (const event of absent) {
    const window = windowOf[event.seq] ?? -1;
    const inGap = (byEntity.get(event.entityId) ?? []).filter((e) => windowOf[e.seq] === window);
    const before = inGap[0] && sibling(inGap[0], -1);
    const existed = before ? before.state !== null : ledger.initialEntities.has(event.entityId);
    if (!existed && inGap.at(-1)?.state === null) unobservable.push(event);
    else if (inGap.some((e) => e.seq > event.seq && fallbacks.has(e))) lostToFallback.push(event);
    else {
      missingBackfill.push(event);
      // What came around it tells the likely cause: an entity the memory did not know starts at the gap's
      // start as the service saw it (gap-backfill.ts `change`); one whose first change after the gap came live
      // before the get_states answer looks unchanged to state-memory.ts `resync`.
      const after = sibling(inGap.at(-1) ?? event, 1);
      const end = windowEnd.get(window) ?? event.seq;
      const hints = [
        existed ? '' : 'new in the gap',
        after?.delivered === true
          ? `its first change after the gap, #${after.seq}, came live (gap end + ${after.seq - end})`
          : '',
      ].filter((h) => h !== '');
      if (hints.length > 0) why.set(event, hints.join('; '));
    }
  }

  const stored = events.length - missingLive.length - absent.length;
  return {
    sent: events.length,
    delivered: events.filter((e) => e.delivered).length,
    undelivered: events.filter((e) => !e.delivered).length,
    windows: new Set(windowOf.filter((w) => w >= 0)).size,
    rows: rows.length,
    liveRows: rows.filter((r) => !r.resync && !r.backfill).length,
    backfillRows: rows.filter((r) => r.backfill).length,
    resyncRows: rows.filter((r) => r.resync).length,
    stored,
    fallbacks: events.filter((e) => fallbacks.has(e)),
    missingLive,
    missingBackfill,
    lostToFallback,
    missing: missingLive.length + missingBackfill.length + lostToFallback.length,
    why,
    unobservable,
    rewritten,
    wrong,
    unexpected: rows.filter((r) => !used.has(r)),
    duplicates: [...rowsByKey].filter(([, list]) => list.length > 1).map(([k]) => k),
  };
}

/**
 * The problems of a report, one line each (the first few of each kind); empty when every change is stored once.
 * Fallbacks and unobservable changes are not problems of delivery: scenarios assert on them where they can.
 */
export function deliveryProblems(report: DeliveryReport): string[] {
  const few = <T>(list: readonly T[], show: (item: T) => string) => list.slice(0, 5).map(show).join('; ');
  const hinted = (event: SentEvent) => {
    const hint = report.why.get(event);
    return hint === undefined ? describe(event) : `${describe(event)} (${hint})`;
  };
  const showRow = (r: Row) => `${r.entity_id}@${r.time} ${r.state} resync=${r.resync} backfill=${r.backfill}`;
  const problems: string[] = [];
  const add = <T>(list: readonly T[], what: string, show: (item: T) => string) => {
    if (list.length > 0) problems.push(`${list.length} ${what}: ${few(list, show)}`);
  };
  add(report.missingLive, 'delivered changes not in InfluxDB', describe);
  add(report.missingBackfill, 'changes while not subscribed never backfilled', hinted);
  add(report.lostToFallback, 'changes while not subscribed lost to a fallback', describe);
  add(report.rewritten, 'delivered changes stored with a gap mark', describe);
  add(report.wrong, 'rows differ', (w) => `${showRow(w.row)} (expected ${w.why})`);
  add(report.unexpected, 'rows HA never fired', showRow);
  add(report.duplicates, '(entity_id, time) stored twice', String);
  return problems;
}

/** The whole run's figures, in the words of issue 15: changes fired, in InfluxDB, missing, duplicated. */
export function deliveryLines(report: DeliveryReport): ReportLine[] {
  const lines: ReportLine[] = [
    [
      'changes HA fired',
      `${report.sent} (${report.undelivered} while the service was not subscribed, in ${report.windows} gap${report.windows === 1 ? '' : 's'})`,
    ],
    [
      'changes in InfluxDB',
      `${report.stored} (${report.rows} rows: ${report.liveRows} live, ${report.backfillRows} backfill, ${report.resyncRows} resync)`,
    ],
    [
      'missing',
      report.missing === 0
        ? 0
        : `${report.missing} (${report.missingLive.length} live, ${report.missingBackfill.length} never backfilled, ${report.lostToFallback.length} lost to a fallback)`,
    ],
    ['duplicated', report.duplicates.length],
    ['fallbacks (final state only)', report.fallbacks.length],
    ['unobservable (born and gone in a gap)', report.unobservable.length],
  ];
  if (report.rewritten.length > 0)
    lines.push(['rewritten by backfill after a crash', report.rewritten.length]);
  if (report.wrong.length + report.unexpected.length > 0)
    lines.push(['wrong / unexpected rows', `${report.wrong.length} / ${report.unexpected.length}`]);
  return lines;
}

function describe(event: SentEvent): string {
  return `#${event.seq} ${event.entityId}@${event.timeNs} ${event.state ?? REMOVED}${event.delivered ? '' : ' (undelivered)'}`;
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
