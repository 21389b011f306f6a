import { pyFloat } from '../../util/py-json.js';
import { wireJson, wireString } from '../../util/wire-text.js';
import type { Recorder } from './recorder.js';
import { firstAfter, type Row } from './rows.js';

/** HA core `components/recorder/history/const.py`: attribute-only changes of these count as significant. */
const SIGNIFICANT_DOMAINS = new Set([
  'climate',
  'device_tracker',
  'humidifier',
  'thermostat',
  'water_heater',
]);
/** …and these keep full rows under `minimal_response`. */
const NEED_ATTRIBUTE_DOMAINS = new Set([
  'climate',
  'humidifier',
  'input_datetime',
  'thermostat',
  'water_heater',
]);

/** One `get_significant_states` call, times in epoch µs. */
export interface PeriodQuery {
  readonly startMicros: number;
  readonly endMicros: number | null;
  readonly entityIds: readonly string[];
  readonly includeStartTimeState: boolean;
  readonly significantChangesOnly: boolean;
  readonly minimalResponse: boolean;
  readonly noAttributes: boolean;
}

/** A history answer: `{entity_id: [compressed rows]}` as wire JSON, and the newest row's `lu` (0 if none). */
export interface HistoryAnswer {
  readonly json: string;
  readonly lastLu: number;
}

const domainOf = (entityId: string): string => entityId.slice(0, entityId.indexOf('.'));

/**
 * HA core `recorder/history/modern.py` `get_significant_states(…, compressed_state_format=True)`:
 * per requested entity (in request order, those without rows left out), the rows with
 * `start < last_updated_ts < end`, ascending; with `include_start_time_state`, first the last row before
 * `start` stamped at `start` (only when the recorder has rows older than `start`). The window compares HA's
 * stored floats, so a row "at" a microsecond may fall either side of a bound given at that microsecond.
 */
export function significantStates(recorder: Recorder, query: PeriodQuery): HistoryAnswer {
  if (query.entityIds.length === 0) throw new Error('entity_ids must be provided'); // HA raises ValueError
  const start = query.startMicros / 1e6;
  const end = query.endMicros === null || query.endMicros === 0 ? null : query.endMicros / 1e6;
  const oldest = recorder.oldestTs();
  const includeStart = query.includeStartTimeState && oldest !== null && oldest < start;
  const parts: string[] = [];
  let lastLu = 0;
  for (const entityId of new Set(query.entityIds)) {
    const rows = recorder.rows(entityId);
    if (rows === undefined) continue;
    const domain = domainOf(entityId);
    const from = firstAfter(rows, start);
    const to = end === null ? rows.length : firstAfter(rows, end, true);
    const selected: { row: Row; lu: number; startRow: boolean }[] = [];
    const before = rows[firstAfter(rows, start, true) - 1];
    if (includeStart && before !== undefined) selected.push({ row: before, lu: start, startRow: true });
    const significant = query.significantChangesOnly && !SIGNIFICANT_DOMAINS.has(domain);
    for (let i = from; i < to; i++) {
      const row = rows[i] as Row;
      if (!significant || row.lcMicros === row.luMicros) selected.push({ row, lu: row.lu, startRow: false });
    }
    if (selected.length === 0) continue;
    lastLu = Math.max(lastLu, selected[selected.length - 1]?.lu ?? 0);
    const attributes = (row: Row): string => recorder.attributes.json(domain, row.attributesJson);
    // `last_changed_ts` is selected only without significant_changes_only; start rows carry none.
    const lc = (item: { row: Row; startRow: boolean }): string =>
      query.significantChangesOnly || item.startRow || item.row.lcMicros === item.row.luMicros
        ? ''
        : ',"lc":' + pyFloat(item.row.lcMicros / 1e6);
    const out: string[] = [];
    if (query.minimalResponse && !NEED_ATTRIBUTE_DOMAINS.has(domain)) {
      // First row full (without `a` under no_attributes), then `{s, lu}` where the state string changes.
      const [first, ...rest] = selected as [(typeof selected)[0], ...typeof selected];
      const a = query.noAttributes ? '' : ',"a":' + attributes(first.row);
      out.push('{"s":' + stateJson(first.row) + a + ',"lu":' + pyFloat(first.lu) + lc(first) + '}');
      let previous = first.row.state;
      for (const item of rest) {
        if (item.row.state === previous) continue;
        previous = item.row.state;
        out.push('{"s":' + stateJson(item.row) + ',"lu":' + pyFloat(item.lu) + '}');
      }
    } else {
      // HA passes no_attributes=False here and reads an attributes column the query left out: `"a": {}`.
      for (const item of selected)
        out.push(
          '{"s":' +
            stateJson(item.row) +
            ',"a":' +
            (query.noAttributes ? '{}' : attributes(item.row)) +
            ',"lu":' +
            pyFloat(item.lu) +
            lc(item) +
            '}',
        );
    }
    parts.push(wireJson(entityId) + ':[' + out.join(',') + ']');
  }
  return { json: '{' + parts.join(',') + '}', lastLu };
}

/** A removal row's state is NULL in the database and comes out as `null`. */
function stateJson(row: Row): string {
  return row.state === null ? 'null' : wireString(row.state);
}

/** A `history/stream` event with history: `{states, start_time, end_time}` (floats). */
export const streamEvent = (
  id: number,
  statesJson: string,
  startMicros: number,
  endSeconds: number,
): string =>
  '{"id":' +
  String(id) +
  ',"type":"event","event":{"states":' +
  statesJson +
  ',"start_time":' +
  pyFloat(startMicros / 1e6) +
  ',"end_time":' +
  pyFloat(endSeconds) +
  '}}';
