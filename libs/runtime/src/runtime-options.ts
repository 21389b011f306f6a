import type { Clock, Random } from './clock.js';
import type { Logger } from './logger.js';

/**
 * The side effects a lib takes from its options, under the same names in every lib: each lib's options extend
 * this (or the part of it the lib uses), so that tests drive time with `ManualClock`, pin jitter, and a service
 * routes the lib's few log lines into its own logger.
 */
export interface RuntimeOptions {
  /** Time and timers. @default systemClock */
  readonly clock?: Clock;
  /** The jitter source, a draw in [0, 1). @default systemRandom (Math.random) */
  readonly random?: Random;
  /**
   * Where the lib logs what none of its hooks reports. @default createConsoleLogger('<the lib>'): warnings and
   * errors to the console
   */
  readonly logger?: Logger;
}
