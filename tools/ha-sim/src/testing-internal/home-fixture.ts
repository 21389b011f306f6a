import { createHomeModel, type HaEvent, type HaStateChangedData, type HomeModelOptions } from '../index.js';

const START = Date.UTC(2025, 0, 15, 10, 0, 0);

/** A home on a manual clock (every reading advances it by 1.25 ms), recording the events it fires. */
export function recordedHome(options: HomeModelOptions = {}) {
  let now = START;
  const model = createHomeModel({ entities: 120, seed: 4, now: () => (now += 1.25), ...options });
  const events: HaEvent[] = [];
  model.onEvent((event) => events.push(event));
  return { model, events };
}

export const stateChanges = (events: readonly HaEvent[]) =>
  events.filter((event): event is HaEvent<HaStateChangedData> => event.event_type === 'state_changed');
