import type { HaEventEnvelope } from '@homeiq/event-normalizer';
import { isoFromMicros, type RecordedState } from '../pipeline/recorder-history.js';

/**
 * Recorded rows as the `state_changed` events they were: shared by the gap backfill
 * (pipeline/gap-backfill.ts) and the on-demand import (import-history.ts), so that both write the same points.
 */

/** The events of one entity's rows, and the state the last of them left (the next row's `old_state`). */
export interface ChainedEvents {
  readonly events: HaEventEnvelope[];
  readonly lastState: unknown;
}

/**
 * One entity's recorded rows (in `last_updated` order) as `state_changed` events, each `old_state` the state
 * before it — `previous` for the first — so that previous state and duration in state are right. A row `written`
 * already (live, or before a durable watermark) makes no event but still passes its state on to the next.
 */
export function chainRecordedStates(
  entityId: string,
  rows: readonly RecordedState[],
  previous: unknown,
  written: (row: RecordedState) => boolean = () => false,
): ChainedEvents {
  const events: HaEventEnvelope[] = [];
  let before = previous;
  for (const row of rows) {
    const next = recordedStateObject(entityId, row);
    if (written(row)) {
      before = next;
      continue;
    }
    // The recorder keeps no context: the point carries none (docs/ha-history.md#what-a-row-holds).
    events.push({
      eventType: 'state_changed',
      data: { entity_id: entityId, old_state: before, new_state: next },
      origin: 'LOCAL',
      timeFired: isoFromMicros(row.lastUpdatedUs),
    });
    before = next;
  }
  return { events, lastState: before };
}

/** A recorded state as HA's state object (`new_state`/`old_state`); null for a removal row. */
export function recordedStateObject(entityId: string, row: RecordedState): Record<string, unknown> | null {
  if (row.state === null) return null;
  return {
    entity_id: entityId,
    state: row.state,
    attributes: row.attributes,
    last_changed: isoFromMicros(row.lastChangedUs),
    last_updated: isoFromMicros(row.lastUpdatedUs),
    context: null,
  };
}
