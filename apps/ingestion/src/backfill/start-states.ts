import type { HaClient } from '@homeiq/ha-client';
import { historyMicros, isoFromMicros } from '../pipeline/recorder-history.js';

/**
 * The state each entity had at `atUs`, from HA's start-time row (`include_start_time_state: true`,
 * docs/ha-history.md#modes): the last row before the time, stamped with the time itself. It tells the state and
 * its attributes, not when the state began, so the state object returned says it began at `atUs`: the first
 * imported point's `duration_in_state_seconds` counts from the start of the window (a lower bound).
 * Entities without an older row are left out (their first imported point has no previous state).
 */
export async function readStatesAt(
  ha: Pick<HaClient, 'sendCommand'>,
  entityIds: readonly string[],
  atUs: number,
): Promise<Map<string, Record<string, unknown>>> {
  const at = isoFromMicros(atUs);
  const answer = await ha.sendCommand('history/history_during_period', {
    start_time: at,
    // One microsecond: the answer holds the start-time rows and at most a change or two.
    end_time: isoFromMicros(atUs + 1),
    entity_ids: entityIds,
    include_start_time_state: true,
    significant_changes_only: false,
    minimal_response: false,
    no_attributes: false,
  });
  const states = new Map<string, Record<string, unknown>>();
  if (typeof answer !== 'object' || answer === null) return states;
  for (const [entityId, rows] of Object.entries(answer as Record<string, unknown>)) {
    const first: unknown = Array.isArray(rows) ? rows[0] : undefined;
    if (!entityIds.includes(entityId) || typeof first !== 'object' || first === null) continue;
    const { s, a, lu } = first as Record<string, unknown>;
    // Only the synthetic row is stamped at the start itself; a later row is a change the import reads anyway.
    if (typeof s !== 'string' || typeof lu !== 'number' || historyMicros(lu) > atUs) continue;
    const attributes = typeof a === 'object' && a !== null && !Array.isArray(a) ? a : {};
    states.set(entityId, {
      entity_id: entityId,
      state: s,
      attributes,
      last_changed: at,
      last_updated: at,
      context: null,
    });
  }
  return states;
}
