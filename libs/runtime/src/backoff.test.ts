import fc from 'fast-check';
import { backoffDelayMs } from './backoff.js';

const settings = { initialDelayMs: 1000, maxDelayMs: 60_000, jitterRatio: 0.5 };

describe('backoffDelayMs', () => {
  it('doubles from the initial delay up to the cap, without jitter', () => {
    const delays = [1, 2, 3, 4, 7, 8].map((n) => backoffDelayMs(n, { ...settings, jitterRatio: 0 }, 0.9));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 60_000, 60_000]);
  });

  it('jitter only shortens, by at most its ratio', () => {
    expect(backoffDelayMs(2, settings, 0)).toBe(2000);
    expect(backoffDelayMs(2, settings, 1)).toBe(1000);
    expect(backoffDelayMs(2, settings, 0.5)).toBe(1500);
  });

  it('is a finite delay in [0, maxDelayMs] for any attempt, draw and settings', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer(), fc.double()),
        fc.double(),
        fc.nat(86_400_000),
        fc.nat(86_400_000),
        fc.double(),
        (attempt, random, initialDelayMs, maxDelayMs, jitterRatio) => {
          const delay = backoffDelayMs(attempt, { initialDelayMs, maxDelayMs, jitterRatio }, random);
          expect(Number.isFinite(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(maxDelayMs);
        },
      ),
    );
  });

  it('waits the cap, not 1 ms, when the delay cannot be computed', () => {
    expect(backoffDelayMs(Number.NaN, settings, 0)).toBe(60_000);
    expect(backoffDelayMs(1025, { ...settings, initialDelayMs: 0 }, 0)).toBe(0);
    expect(backoffDelayMs(Infinity, { ...settings, jitterRatio: 0 }, 0)).toBe(60_000);
  });
});
