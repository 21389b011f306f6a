import { recordedSeconds } from './history-time.js';

/** One row of HA's `states` table, as far as history reads it. */
export interface Row {
  /** null: the entity was removed (HA core `recorder/core.py` stores `state = None` then). */
  readonly state: string | null;
  /** The state's attribute JSON as it was written (wire text); what is recorded is computed when read. */
  readonly attributesJson: string;
  /** `last_updated_ts`: the float HA stored (see history-time.ts). */
  readonly lu: number;
  readonly luMicros: number;
  /** Equal to `luMicros` when the state changed (HA then stores `last_changed_ts = None`). */
  readonly lcMicros: number;
}

/** A row for a state with these times (epoch µs). */
export function rowOf(state: string | null, attributesJson: string, updated: number, changed: number): Row {
  return { state, attributesJson, lu: recordedSeconds(updated), luMicros: updated, lcMicros: changed };
}

/** Index of the first row with `lu > seconds` (`>=` with `inclusive`): rows are in `lu` order. */
export function firstAfter(rows: readonly Row[], seconds: number, inclusive = false): number {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const lu = (rows[mid] as Row).lu;
    if (lu > seconds || (inclusive && lu === seconds)) high = mid;
    else low = mid + 1;
  }
  return low;
}
