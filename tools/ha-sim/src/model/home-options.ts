import { createSeededRandom, type RandomFn } from '../util/random.js';
import { checkFunction, checkInteger, checkNumber } from '../util/validate.js';

/** Options of {@link createHomeModel}. */
export interface HomeModelOptions {
  /** Entities with a state (get_states length). A few disabled registry-only entities come on top. @default 200 */
  readonly entities?: number;
  /** Devices, the Sun's service device included. @default max(1, round(entities / 4)) */
  readonly devices?: number;
  /** Seed of every random choice: same seed, same home, same ids, same event stream. @default 1 */
  readonly seed?: number;
  /** Clock for event times, in epoch milliseconds (may be fractional). @default Date.now */
  readonly now?: () => number;
  /** Random source in [0, 1); overrides `seed`. @default a seeded sfc32 generator */
  readonly random?: () => number;
  /** Share of changes opening a new second that land on the whole second (timestamps without `.ffffff`). @default 0.05 */
  readonly wholeSecondRatio?: number;
  /** Share of random changes that make an entity `unavailable`. @default 0.004 */
  readonly unavailableRatio?: number;
  /** Share of random sensor changes that make it `unknown`. @default 0.002 */
  readonly unknownRatio?: number;
  /** Share of random changes that remove an entity's state or re-add a removed one (a reload). @default 0.001 */
  readonly churnRatio?: number;
  /** Share of changes whose context carries a user id. @default 0.05 */
  readonly userContextRatio?: number;
  /** Share of changes whose context carries a parent id (automations, scripts). @default 0.05 */
  readonly parentContextRatio?: number;
}

export interface ResolvedHomeOptions {
  readonly entities: number;
  readonly devices: number;
  readonly seed: number;
  readonly now: () => number;
  readonly random: RandomFn;
  readonly wholeSecondRatio: number;
  readonly unavailableRatio: number;
  readonly unknownRatio: number;
  readonly churnRatio: number;
  readonly userContextRatio: number;
  readonly parentContextRatio: number;
}

/** Applies defaults and validates, in one place. */
export function resolveHomeOptions(options: HomeModelOptions): ResolvedHomeOptions {
  const entities = checkInteger('entities', options.entities ?? 200, 0);
  const seed = checkInteger('seed', options.seed ?? 1, 0);
  const ratios = {
    wholeSecondRatio: checkNumber('wholeSecondRatio', options.wholeSecondRatio ?? 0.05, 0, 1),
    unavailableRatio: checkNumber('unavailableRatio', options.unavailableRatio ?? 0.004, 0, 1),
    unknownRatio: checkNumber('unknownRatio', options.unknownRatio ?? 0.002, 0, 1),
    churnRatio: checkNumber('churnRatio', options.churnRatio ?? 0.001, 0, 1),
    userContextRatio: checkNumber('userContextRatio', options.userContextRatio ?? 0.05, 0, 1),
    parentContextRatio: checkNumber('parentContextRatio', options.parentContextRatio ?? 0.05, 0, 1),
  };
  if (ratios.unavailableRatio + ratios.unknownRatio + ratios.churnRatio > 1) {
    throw new TypeError('Expected `unavailableRatio + unknownRatio + churnRatio` to be at most 1');
  }
  return {
    entities,
    devices: checkInteger('devices', options.devices ?? Math.max(1, Math.round(entities / 4)), 0),
    seed,
    now: checkFunction('now', options.now ?? Date.now),
    random: checkFunction('random', options.random ?? createSeededRandom(seed)),
    ...ratios,
  };
}
