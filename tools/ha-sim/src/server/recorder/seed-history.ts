import type { StateMachine } from '../../model/state-machine.js';
import { createSeededRandom } from '../../util/random.js';
import { checkInteger, checkNumber } from '../../util/validate.js';
import { rowOf, type Row } from './rows.js';

/** Options of {@link HaSimRecorder.seedHistory}. */
export interface SeedHistoryOptions {
  /** How far back the history goes. @default 10 */
  readonly days?: number;
  /** Mean time between two changes of one entity (exponential gaps). @default 300000 */
  readonly meanIntervalMs?: number;
  /** Seed of the changes (independent of the home's own random stream). @default 1 */
  readonly seed?: number;
  /** @default every entity with a state */
  readonly entityIds?: readonly string[];
}

/**
 * Past rows for each entity, from `days` ago up to `endOf(entityId)` (exclusive): the entity's kind walks
 * from a fresh initial reading, as in the live stream, but nothing is fired and no state changes. Unchanged
 * readings write no row (HA fires no `state_changed` for them); attribute-only ones keep `last_changed`.
 */
export function seedRows(
  machine: StateMachine,
  options: SeedHistoryOptions,
  nowMicros: number,
  endOf: (entityId: string) => number,
): Map<string, Row[]> {
  const days = checkNumber('days', options.days ?? 10, 0);
  const meanMicros = checkInteger('meanIntervalMs', options.meanIntervalMs ?? 300_000, 1) * 1000;
  const random = createSeededRandom(checkInteger('seed', options.seed ?? 1, 0));
  const ids = options.entityIds ?? [...machine.records.keys()];
  const start = nowMicros - Math.floor(days * 86_400e6);
  const out = new Map<string, Row[]>();
  const gap = (): number => Math.max(1, Math.floor(-Math.log(1 - random()) * meanMicros));
  for (const entityId of ids) {
    const record = machine.records.get(entityId);
    if (record === undefined) continue;
    const end = endOf(entityId);
    const rows: Row[] = [];
    let time = start + gap();
    let reading = record.def.kind.initial(random, time);
    let source: object | null = null;
    let json = '';
    let lastChanged = time;
    let previous: Row | undefined;
    while (time < end) {
      if (reading.attributes !== source) {
        source = reading.attributes;
        json = record.candidateAttributesJson(reading, 'ok', null);
      }
      if (previous === undefined || previous.state !== reading.state || previous.attributesJson !== json) {
        if (previous === undefined || previous.state !== reading.state) lastChanged = time;
        previous = rowOf(reading.state, json, time, lastChanged);
        rows.push(previous);
      }
      reading = record.def.kind.next(random, reading, time);
      time += gap();
    }
    out.set(entityId, rows);
  }
  return out;
}
