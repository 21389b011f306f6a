import fc from 'fast-check';
import { backoffDelayMs } from './backoff.js';

const settings = { initialDelayMs: 1_000, maxDelayMs: 300_000, jitterRatio: 0 };

describe('backoffDelayMs', () => {
  it('doubles from the initial delay up to the cap', () => {
    const delays = Array.from({ length: 12 }, (_, i) => backoffDelayMs(i + 1, settings, 0));
    expect(delays).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000, 300_000,
    ]);
    expect(backoffDelayMs(10_000, settings, 0)).toBe(300_000);
  });

  it('jitter stays within [delay × (1 − ratio), delay] and never exceeds the cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (attempt, ratio, random) => {
          const nominal = backoffDelayMs(attempt, settings, 0);
          const jittered = backoffDelayMs(attempt, { ...settings, jitterRatio: ratio }, random);
          expect(jittered).toBeLessThanOrEqual(Math.min(nominal, settings.maxDelayMs));
          expect(jittered).toBeGreaterThanOrEqual(Math.floor(nominal * (1 - ratio)));
        },
      ),
    );
  });

  it('clamps a misbehaving random source', () => {
    expect(backoffDelayMs(1, { ...settings, jitterRatio: 0.5 }, Number.NaN)).toBe(1_000);
    expect(backoffDelayMs(1, { ...settings, jitterRatio: 0.5 }, 7)).toBe(500);
    expect(backoffDelayMs(1, { ...settings, jitterRatio: 0.5 }, -1)).toBe(1_000);
  });
});

describe('backoffDelayMs stays a delay a timer can hold', () => {
  /** Any attempt count a long-running client can reach, and the values a bug could pass. */
  const attempts = fc.oneof(
    fc.integer({ min: -10, max: 2_000 }),
    fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    fc.constantFrom(1e6, Number.MAX_SAFE_INTEGER, Infinity, -Infinity, Number.NaN),
  );
  const anySettings = fc.record({
    initialDelayMs: fc.integer({ min: 1, max: 86_400_000 }),
    maxDelayMs: fc.integer({ min: 1, max: 86_400_000 }),
    jitterRatio: fc.double({ min: 0, max: 1, noNaN: true }),
  });

  it('for any attempt count, settings and random draw: finite, >= 0 and <= maxDelayMs', () => {
    fc.assert(
      fc.property(attempts, anySettings, fc.double(), (attempt, settings, random) => {
        const delay = backoffDelayMs(attempt, settings, random);
        expect(Number.isFinite(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(settings.maxDelayMs);
      }),
      { examples: [[Number.NaN, settings, 0]] },
    );
  });

  it('an attempt count that is not a number waits the cap, never 0', () => {
    expect(backoffDelayMs(Number.NaN, settings, 0)).toBe(300_000);
  });
});
