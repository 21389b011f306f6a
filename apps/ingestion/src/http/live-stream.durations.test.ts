import { MAX_DURATION_MS } from '@homeiq/runtime';
import fc from 'fast-check';
import { createLiveStream, LiveStreamOptionError } from './live-stream.js';

describe('createLiveStream flushIntervalMs', () => {
  it('outside [1, 86400000] throws at construction, naming the option, and arms no timer', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constantFrom(0, -1, 2_147_484_000, 2 ** 31, Infinity, -Infinity, Number.NaN, 0.5),
          fc.integer({ min: MAX_DURATION_MS + 1, max: Number.MAX_SAFE_INTEGER }),
          fc.double({ min: 1, max: MAX_DURATION_MS, noNaN: true }).filter((d) => !Number.isInteger(d)),
        ),
        (flushIntervalMs) => {
          const armed: number[] = [];
          let thrown: unknown;
          try {
            createLiveStream({
              flushIntervalMs,
              setInterval: (_fn, ms) => armed.push(ms),
              clearInterval: () => undefined,
            });
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBeInstanceOf(LiveStreamOptionError);
          expect(thrown).toMatchObject({
            code: 'ERR_INVALID_OPTION',
            message: `Expected \`flushIntervalMs\` to be an integer from 1 to 86400000 (ms), got \`${String(flushIntervalMs)}\` (number)`,
          });
          expect(armed).toEqual([]);
        },
      ),
      { examples: [[2_147_484_000]] },
    );
  });

  it('within it, is the interval the timer gets', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_DURATION_MS }), (flushIntervalMs) => {
        const armed: number[] = [];
        const hub = createLiveStream({
          flushIntervalMs,
          setInterval: (_fn, ms) => armed.push(ms),
          clearInterval: () => undefined,
        });
        hub.close();
        expect(armed).toEqual([flushIntervalMs]);
      }),
    );
  });
});
