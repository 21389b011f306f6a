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
