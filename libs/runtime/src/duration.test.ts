import fc from 'fast-check';
import {
  MAX_DURATION_MS,
  MAX_TIMER_DELAY_MS,
  clampDelayMs,
  describeDurationRange,
  isDurationMs,
} from './duration.js';

/** Any number a computation can produce, the edges included. */
const anyNumber = fc.oneof(
  fc.double(),
  fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 2 ** 31, 2 ** 31 - 1, 2 ** 53, Number.MAX_VALUE),
  fc.integer(),
);

describe('clampDelayMs', () => {
  it('returns a finite delay in [0, min(maxMs, 2^31 − 1)] for any delay and any cap', () => {
    fc.assert(
      fc.property(anyNumber, anyNumber, (delay, max) => {
        const clamped = clampDelayMs(delay, max);
        expect(Number.isFinite(clamped)).toBe(true);
        expect(clamped).toBeGreaterThanOrEqual(0);
        expect(clamped).toBeLessThanOrEqual(MAX_TIMER_DELAY_MS);
        if (max >= 0) expect(clamped).toBeLessThanOrEqual(max);
      }),
    );
  });

  it('keeps a delay already within the cap, and waits the cap for one past it or NaN', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_DURATION_MS }), (delay) => {
        expect(clampDelayMs(delay, MAX_DURATION_MS)).toBe(delay);
      }),
    );
    expect(clampDelayMs(365 * 86_400_000, 300_000)).toBe(300_000);
    expect(clampDelayMs(Infinity, 300_000)).toBe(300_000);
    expect(clampDelayMs(Number.NaN, 300_000)).toBe(300_000);
    expect(clampDelayMs(-5, 300_000)).toBe(0);
    expect(clampDelayMs(2_147_484_000)).toBe(MAX_TIMER_DELAY_MS);
  });
});

describe('isDurationMs', () => {
  const range = { min: 1, max: MAX_DURATION_MS };

  it('accepts exactly the whole numbers in the range', () => {
    fc.assert(
      fc.property(anyNumber, (value) => {
        const inRange = Number.isInteger(value) && value >= 1 && value <= MAX_DURATION_MS;
        expect(isDurationMs(value, range)).toBe(inRange);
      }),
    );
  });

  it('refuses what is not a number', () => {
    for (const value of ['1000', null, undefined, {}, [1000], 1000n, true]) {
      expect(isDurationMs(value, range)).toBe(false);
    }
  });

  it('describes the range for a message', () => {
    expect(describeDurationRange(range)).toBe('an integer from 1 to 86400000 (ms)');
  });
});

it('one day fits a Node timer with room for a second one', () => {
  expect(2 * MAX_DURATION_MS).toBeLessThan(MAX_TIMER_DELAY_MS);
  expect(MAX_TIMER_DELAY_MS).toBe(2 ** 31 - 1);
});
