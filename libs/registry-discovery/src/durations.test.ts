import { MAX_DURATION_MS, backoffDelayMs } from '@homeiq/runtime';
import { outOfRangeDurationsMs, thrownBy } from '@homeiq/testing';
import fc from 'fast-check';
import { createDataApiRegistryStore } from './data-api/data-api-store.js';
import { createRegistryDiscovery } from './discovery/discovery.js';
import { FakeConnection } from './testing-internal/fake-connection.js';
import { smallHome } from './testing-internal/fixtures.js';

const outOfRange = (min: number) => outOfRangeDurationsMs(min, MAX_DURATION_MS);

const expected = (name: string, min: number, value: number) => ({
  code: 'ERR_INVALID_OPTION',
  message: `Expected \`${name}\` to be an integer from ${min} to 86400000 (ms), got \`${String(value)}\` (number)`,
});

describe('duration options: whole milliseconds from their minimum to one day', () => {
  it.each([
    ['debounceMs', 0],
    ['maxDebounceMs', 0],
    ['commandTimeoutMs', 1],
    ['retryInitialDelayMs', 1],
    ['retryMaxDelayMs', 1],
  ] as const)('discovery %s: any value outside [%d, 86400000] throws at construction', (key, min) => {
    const connection = new FakeConnection(smallHome());
    fc.assert(
      fc.property(outOfRange(min), (value) => {
        // maxDebounceMs >= debounceMs (500 by default) is checked after the range: keep the pair consistent.
        const pair = key === 'debounceMs' ? { maxDebounceMs: MAX_DURATION_MS } : {};
        const created = () => createRegistryDiscovery({ connection, ...pair, [key]: value });
        expect(thrownBy(created)).toMatchObject(expected(key, min, value));
      }),
    );
  });

  it.each([
    ['requestTimeoutMs', 1],
    ['retryInitialDelayMs', 0],
    ['retryMaxDelayMs', 1],
  ] as const)('data-api store %s: any value outside [%d, 86400000] throws at construction', (key, min) => {
    fc.assert(
      fc.property(outOfRange(min), (value) => {
        const created = () =>
          createDataApiRegistryStore({
            url: 'http://data-api:8006',
            fetch: () => Promise.reject(new Error()),
            [key]: value,
          });
        expect(thrownBy(created)).toMatchObject(expected(key, min, value));
      }),
    );
  });
});

describe("backoffDelayMs with this lib's retry settings (jitter ratio 0.5)", () => {
  const attempts = fc.oneof(
    fc.integer({ min: -10, max: 5_000 }),
    fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    fc.constantFrom(1e6, Number.MAX_SAFE_INTEGER, Infinity, Number.NaN),
  );

  it('for any attempt count, base, cap and random draw: finite, >= 0 and <= the cap', () => {
    fc.assert(
      fc.property(
        attempts,
        fc.integer({ min: 0, max: MAX_DURATION_MS }),
        fc.integer({ min: 1, max: MAX_DURATION_MS }),
        fc.double(),
        (attempt, baseMs, maxMs, unit) => {
          const settings = { initialDelayMs: baseMs, maxDelayMs: maxMs, jitterRatio: 0.5 };
          const delay = backoffDelayMs(attempt, settings, unit);
          expect(Number.isFinite(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(maxMs);
        },
      ),
      // A data-api down for 1,025 flushes with retryInitialDelayMs 0: 0 × 2 ** 1024 is NaN.
      { examples: [[1_025, 0, 60_000, 0.5]] },
    );
  });
});
