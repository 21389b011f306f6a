import { MAX_DURATION_MS } from '@homeiq/runtime';
import { ManualClock } from '@homeiq/runtime/testing';
import { outOfRangeDurationsMs, thrownBy } from '@homeiq/testing';
import fc from 'fast-check';
import {
  createHttpTransport,
  createInfluxSink,
  type InfluxSinkOptions,
  type InfluxTransport,
} from './index.js';
import type { TransportResponse } from './transport.js';

const quiet = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
const base: InfluxSinkOptions = { url: 'http://influx:8086', token: 't', bucket: 'b', logger: quiet };

/** Each duration option and its smallest accepted value (with the others at their defaults). */
const DURATIONS = [
  ['requestTimeoutMs', 1],
  ['retryInitialDelayMs', 0],
  ['retryMaxDelayMs', 1000],
  ['retryAfterMaxMs', 0],
  ['circuitCooldownMs', 1],
  ['circuitMaxCooldownMs', 5000],
] as const;

const outOfRange = (min: number) => outOfRangeDurationsMs(min, MAX_DURATION_MS);

describe('duration options: whole milliseconds from their minimum to one day', () => {
  it.each(DURATIONS)('%s: any value outside [%d, 86400000] throws at construction, naming it', (key, min) => {
    fc.assert(
      fc.property(outOfRange(min), (value) => {
        expect(thrownBy(() => createInfluxSink({ ...base, [key]: value }))).toMatchObject({
          code: 'ERR_INVALID_OPTION',
          message: `Expected \`${key}\` to be an integer from ${min} to 86400000 (ms), got \`${String(value)}\` (number)`,
        });
      }),
    );
  });

  it('createHttpTransport: requestTimeoutMs outside [1, 86400000] throws, naming it', () => {
    fc.assert(
      fc.property(outOfRange(1), (requestTimeoutMs) => {
        expect(() => createHttpTransport('http://influx:8086', { requestTimeoutMs })).toThrow(
          'Expected `requestTimeoutMs` to be an integer from 1 to 86400000 (ms)',
        );
      }),
    );
  });
});

describe('a Retry-After far in the future', () => {
  /** Seconds or HTTP dates from two hours to the end of the JavaScript calendar. */
  const farHints = fc.oneof(
    fc.constantFrom('31536000', '99999999999999999999', '2147484', 'Fri, 31 Dec 9999 23:59:59 GMT'),
    fc.bigInt({ min: 7200n, max: 10n ** 25n }).map(String),
    fc
      .integer({ min: 7_200_000, max: 8.64e15 - 1_700_000_000_000 })
      .map((ahead) => new Date(1_700_000_000_000 + ahead).toUTCString()),
  );

  it('opens the circuit for retryAfterMaxMs (one hour), then one probe writes the batch', async () => {
    await fc.assert(
      fc.asyncProperty(farHints, async (retryAfter) => {
        const clock = new ManualClock();
        let answer: TransportResponse = { status: 503, body: '', retryAfter };
        const posted: number[] = [];
        const transport: InfluxTransport = {
          post: () => {
            posted.push(clock.now());
            return Promise.resolve(answer);
          },
          close: () => undefined,
        };
        const sink = createInfluxSink({ ...base, transport, clock, random: () => 0 });
        await expect(sink.write(['m v=1 1'])).rejects.toMatchObject({ retryAfterMs: 3_600_000 });
        expect(sink.stats().circuit).toBe('open');
        answer = { status: 204, body: '', retryAfter: undefined };
        // Small steps first: an open period that overflowed a timer would re-arm every millisecond.
        await clock.advance(1_000);
        await clock.advance(3_600_000 - 1_001);
        await expect(sink.write(['m v=1 1'])).rejects.toMatchObject({ code: 'ERR_CIRCUIT_OPEN' });
        expect(posted).toHaveLength(1);
        await clock.advance(1);
        await expect(sink.write(['m v=1 1'])).resolves.toEqual({ written: 1, rejected: 0 });
        expect(posted).toHaveLength(2);
        expect(clock.pendingTimers).toBeLessThanOrEqual(1);
        await sink.close();
      }),
      { numRuns: 30 },
    );
  });
});

describe('close({ timeoutMs })', () => {
  it('outside [0, 86400000] is refused before anything changes; a correct close() follows', async () => {
    const transport: InfluxTransport = {
      post: () => Promise.resolve({ status: 204, body: '', retryAfter: undefined }),
      close: () => undefined,
    };
    await fc.assert(
      fc.asyncProperty(outOfRange(0), async (timeoutMs) => {
        const sink = createInfluxSink({ ...base, transport });
        await expect(sink.close({ timeoutMs })).rejects.toMatchObject({
          code: 'ERR_INVALID_OPTION',
          message: `Expected \`timeoutMs\` to be an integer from 0 to 86400000 (ms), got \`${String(timeoutMs)}\` (number)`,
        });
        await expect(sink.write(['m v=1 1'])).resolves.toEqual({ written: 1, rejected: 0 });
        await sink.close({ timeoutMs: 0 });
      }),
      { examples: [[2_147_484_000]] },
    );
  });
});
