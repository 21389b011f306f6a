import type { RandomFn } from '../util/random.js';

/**
 * Event time in integer microseconds. HA stamps each change with `utcnow()`, which never repeats in
 * practice, so ties within a millisecond get +1 µs. A share of changes that open a new second are put on
 * the whole second, so that streams also carry timestamps that Python prints without `.ffffff`.
 */
export interface EventClock {
  nextMicros(): number;
  /** The last time handed out (for `last_reported` bumps that are not events). */
  readonly lastMicros: number;
}

export function createEventClock(now: () => number, random: RandomFn, wholeSecondRatio: number): EventClock {
  let last = 0;
  return {
    nextMicros() {
      let micros = Math.max(last + 1, Math.floor(now() * 1000));
      if (wholeSecondRatio > 0) {
        const second = Math.floor(micros / 1e6) * 1e6;
        if (second > last && random() < wholeSecondRatio) micros = second;
      }
      last = micros;
      return micros;
    },
    get lastMicros() {
      return last;
    },
  };
}
