/**
 * Short or long form. `npm test` runs the short form of every scenario (seconds each, so the whole suite stays
 * within a few minutes on a small shared machine); `npm run test:faults` sets `HOMEIQ_FAULTS=long` and runs the
 * issue's durations (minutes). Every scenario reads its figures through {@link pick}, so both forms run the same
 * code and differ only in numbers.
 */

/** Whether this run is the long form. */
export const LONG = process.env['HOMEIQ_FAULTS'] === 'long';

/** `short` in `npm test`, `long` under `npm run test:faults`. */
export function pick<T>(short: T, long: T): T {
  return LONG ? long : short;
}

/** Jest's per-test timeout for a scenario that runs for about `expectedMs`, with room for setup and checks. */
export function scenarioTimeoutMs(expectedMs: number): number {
  return expectedMs * 2 + 60_000;
}
