/**
 * From a state string to a number, the way HA's influxdb integration does it: `float(state)` first, then
 * `homeassistant.helpers.state.state_as_number` for the binary-like states.
 */
import { pythonFloat } from './python-float.js';

export const STATE_UNAVAILABLE = 'unavailable';
export const STATE_UNKNOWN = 'unknown';

/**
 * `state_as_number`: `on, locked, above_horizon, open, home` → 1; `off, unlocked, unknown, below_horizon,
 * closed, not_home` → 0. (HA's integration never reaches `unknown` here because it skips such states.)
 */
const HA_STATE_NUMBERS: ReadonlyMap<string, number> = new Map([
  ['on', 1],
  ['locked', 1],
  ['above_horizon', 1],
  ['open', 1],
  ['home', 1],
  ['off', 0],
  ['unlocked', 0],
  ['unknown', 0],
  ['below_horizon', 0],
  ['closed', 0],
  ['not_home', 0],
]);

/** HA's `state_as_number` mapping alone; `undefined` for states it does not map. */
export function haStateAsNumber(state: string): number | undefined {
  return HA_STATE_NUMBERS.get(state);
}

/**
 * The normalized `value`: a finite Python float of the state, else HA's 1/0 mapping, else `null`.
 * `unknown` and `unavailable` are "no value" (not 0), unlike `state_as_number`.
 */
export function stateValue(state: string): number | null {
  const number = pythonFloat(state);
  if (number !== undefined) return Number.isFinite(number) ? number : null;
  if (state === STATE_UNKNOWN) return null;
  return HA_STATE_NUMBERS.get(state) ?? null;
}
