import type { HaClient } from '@homeiq/ha-client';

/**
 * Reading back what Home Assistant's recorder kept: `history/history_during_period`, as docs/ha-history.md
 * describes it (HA core `homeassistant/components/history/websocket_api.py`), one request at a time.
 */

/** One recorded state of an entity: a row of HA's `states` table as history answers it. */
export interface RecordedState {
  /** null: the row that records the entity's removal. */
  readonly state: string | null;
  /** The attributes the recorder keeps (it drops `attribution`, `supported_features` and others it never stores). */
  readonly attributes: Readonly<Record<string, unknown>>;
  /** Epoch µs of `last_updated`: the live event's `time_fired` to the microsecond (see {@link historyMicros}). */
  readonly lastUpdatedUs: number;
  /** Epoch µs of `last_changed`; the same as `lastUpdatedUs` unless only attributes changed. */
  readonly lastChangedUs: number;
}

/** What one read asks for: these entities' rows with `startUs < last_updated < endUs`. */
export interface HistoryRead {
  readonly entityIds: readonly string[];
  readonly startUs: number;
  readonly endUs: number;
}

/** Limits that keep each answer small and HA responsive (docs/ha-history.md#respecting-ha). */
export interface HistoryReadLimits {
  /** Entities per request. @default 16 */
  readonly entitiesPerRequest?: number;
  /** The longest time window one request covers, µs. @default one hour */
  readonly windowUs?: number;
}

/** How a read went beyond its rows: rows that were not a recorded state are skipped and counted here. */
export interface HistoryReadResult {
  readonly states: ReadonlyMap<string, readonly RecordedState[]>;
  readonly requests: number;
  readonly invalidRows: number;
}

const HOUR_US = 3_600_000_000;

/**
 * The entities' recorded states in the window, per entity in `last_updated` order: one request in flight, the
 * entities in chunks and the window in slices, so that no answer approaches the client's payload bound or HA's
 * outgoing queue. Every change is read with its attributes (`significant_changes_only: false` keeps
 * attribute-only changes) and without the synthetic start-time row. Rejects as `sendCommand` does (an HA error
 * such as `unknown_command` when HA runs without the recorder, a timeout, a lost connection).
 */
export async function readRecordedStates(
  ha: Pick<HaClient, 'sendCommand'>,
  read: HistoryRead,
  limits: HistoryReadLimits = {},
): Promise<HistoryReadResult> {
  const perRequest = limits.entitiesPerRequest ?? 16;
  const windowUs = limits.windowUs ?? HOUR_US;
  const states = new Map<string, RecordedState[]>();
  let requests = 0;
  let invalidRows = 0;
  for (let first = 0; first < read.entityIds.length; first += perRequest) {
    const entityIds = read.entityIds.slice(first, first + perRequest);
    for (let sliceStart = read.startUs; sliceStart < read.endUs; sliceStart += windowUs) {
      const sliceEnd = Math.min(read.endUs, sliceStart + windowUs);
      requests++;
      const answer = await ha.sendCommand('history/history_during_period', {
        start_time: isoFromMicros(sliceStart),
        end_time: isoFromMicros(sliceEnd),
        entity_ids: entityIds,
        include_start_time_state: false,
        significant_changes_only: false,
        minimal_response: false,
        no_attributes: false,
      });
      if (typeof answer !== 'object' || answer === null) continue;
      for (const [entityId, rows] of Object.entries(answer as Record<string, unknown>)) {
        if (!entityIds.includes(entityId) || !Array.isArray(rows)) continue;
        let list = states.get(entityId);
        if (list === undefined) states.set(entityId, (list = []));
        for (const row of rows) {
          const state = recordedState(row);
          // Adjacent slices share their bound: a row exactly on it may come in both answers.
          if (state === undefined) invalidRows++;
          else if (list.length === 0 || state.lastUpdatedUs > (list.at(-1) as RecordedState).lastUpdatedUs)
            list.push(state);
        }
      }
    }
  }
  return { states, requests, invalidRows };
}

/** A compressed history row `{s, a, lu, lc?}` as a recorded state; undefined when it is not one. */
function recordedState(row: unknown): RecordedState | undefined {
  if (typeof row !== 'object' || row === null) return undefined;
  const { s, a, lu, lc } = row as Record<string, unknown>;
  if (typeof lu !== 'number' || !Number.isFinite(lu)) return undefined;
  if (s !== null && typeof s !== 'string') return undefined;
  if (lc !== undefined && (typeof lc !== 'number' || !Number.isFinite(lc))) return undefined;
  const attributes =
    typeof a === 'object' && a !== null && !Array.isArray(a) ? (a as Record<string, unknown>) : {};
  const lastUpdatedUs = historyMicros(lu);
  return {
    state: s,
    attributes,
    lastUpdatedUs,
    lastChangedUs: lc === undefined ? lastUpdatedUs : historyMicros(lc),
  };
}

/**
 * The microsecond of a history timestamp. `lu` is the float HA took from `time.time()` and stored unrounded; the
 * state's `last_updated` and the live event's `time_fired` are that float rounded the way CPython's
 * `datetime.fromtimestamp` rounds: the fraction's microseconds, half to even (docs/ha-history.md#timestamps).
 * `Math.round(lu * 1e6)` gets about one value in eight wrong, and a point would then miss its live twin by 1 µs.
 */
export function historyMicros(seconds: number): number {
  const whole = Math.floor(seconds);
  const scaled = (seconds - whole) * 1e6;
  let micros = Math.round(scaled);
  if (micros - scaled === 0.5 && micros % 2 !== 0) micros -= 1;
  return whole * 1e6 + micros;
}

/** Epoch µs as HA writes times (`datetime.isoformat()` in UTC): `…T10:00:05.123456+00:00`, no fraction at .0. */
export function isoFromMicros(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const fraction = micros - ms * 1000 + (ms % 1000) * 1000;
  const base = new Date(ms - (ms % 1000)).toISOString().slice(0, 19);
  return fraction === 0 ? `${base}+00:00` : `${base}.${String(fraction).padStart(6, '0')}+00:00`;
}

/** Epoch µs of an ISO time as HA writes it (`+00:00` or `Z`, up to six fraction digits); NaN when unreadable. */
export function microsFromIso(iso: string): number {
  const match = /^(.{19})(?:\.(\d{1,6}))?(Z|[+-]\d\d:\d\d)$/.exec(iso);
  if (match === null) return Number.NaN;
  const [, base, fraction = '', zone] = match;
  const ms = Date.parse(`${base}${zone === 'Z' ? 'Z' : zone}`);
  return ms * 1000 + Number(fraction.padEnd(6, '0'));
}
