import { MAX_DURATION_MS } from '@homeiq/runtime';
import fc from 'fast-check';
import { parseRetryAfter, retryDelayMs, type RetryDelaySettings } from './backoff.js';

const NOW = Date.UTC(2026, 11, 4);
const HOUR = 3_600_000;

/** Any attempt count a long outage can reach, and the values a bug could pass. */
const attempts = fc.oneof(
  fc.integer({ min: 0, max: 2_000 }),
  fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  fc.constantFrom(1e6, Number.MAX_SAFE_INTEGER, Infinity, Number.NaN, -1),
);

/** Valid settings: what `resolveSinkOptions` lets through. */
const settings = fc
  .record({
    initialDelayMs: fc.integer({ min: 0, max: MAX_DURATION_MS }),
    maxDelayMs: fc.integer({ min: 0, max: MAX_DURATION_MS }),
    retryAfterMaxMs: fc.integer({ min: 0, max: MAX_DURATION_MS }),
    jitterRatio: fc.double({ min: 0, max: 1, noNaN: true }),
    draw: fc.double(),
  })
  .map(({ draw, initialDelayMs, maxDelayMs, ...rest }): RetryDelaySettings => ({
    ...rest,
    initialDelayMs,
    maxDelayMs: Math.max(initialDelayMs, maxDelayMs),
    random: () => draw,
  }));

/** Any number a `Retry-After` can turn into, the broken ones included. */
const hints = fc.oneof(
  fc.constant(undefined),
  fc.double(),
  fc.constantFrom(Infinity, -Infinity, Number.NaN, 1e23, 365 * 24 * HOUR),
);

describe('retryDelayMs', () => {
  it('for any attempt count: finite, >= 0, <= maxDelayMs, and <= max(maxDelayMs, retryAfterMaxMs) with a Retry-After', () => {
    fc.assert(
      fc.property(settings, attempts, hints, (o, attempt, hint) => {
        const delay = retryDelayMs(o, attempt, hint);
        expect(Number.isFinite(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(
          hint === undefined ? o.maxDelayMs : Math.max(o.maxDelayMs, o.retryAfterMaxMs),
        );
      }),
      {
        examples: [
          // A 0 initial delay times 2 ** 1024 is NaN: the old formula's 1 ms retry loop.
          [
            { initialDelayMs: 0, maxDelayMs: 30_000, retryAfterMaxMs: HOUR, jitterRatio: 0, random: () => 0 },
            1e6,
            undefined,
          ],
        ],
      },
    );
  });

  it('a Retry-After of a year waits retryAfterMaxMs, not a year and not 24.8 days', () => {
    const o = {
      initialDelayMs: 1000,
      maxDelayMs: 30_000,
      retryAfterMaxMs: HOUR,
      jitterRatio: 0,
      random: () => 0,
    };
    expect(retryDelayMs(o, 0, 365 * 24 * HOUR)).toBe(HOUR);
    expect(retryDelayMs(o, 0, 2_000)).toBe(2_000);
  });
});

describe('parseRetryAfter', () => {
  /** Header values: RFC 9110 delay-seconds of any length, HTTP dates of any year, and anything a proxy sends. */
  const headers = fc.oneof(
    fc.stringMatching(/^[0-9]{1,400}$/),
    fc.bigInt({ min: 0n, max: 10n ** 30n }).map(String),
    fc
      .date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true })
      .map((d) => d.toUTCString()),
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    fc.constantFrom(
      '-5',
      '1e400',
      'Infinity',
      'NaN',
      '',
      ' ',
      '3.5',
      '0x10',
      'Fri, 31 Dec 9999 23:59:59 GMT',
    ),
    fc.string(),
  );

  it('for any header value: undefined, or a finite delay in [0, maxMs]', () => {
    fc.assert(
      fc.property(headers, fc.integer({ min: 0, max: MAX_DURATION_MS }), (header, maxMs) => {
        const ms = parseRetryAfter(header, NOW, maxMs);
        if (ms === undefined) return;
        expect(Number.isFinite(ms)).toBe(true);
        expect(ms).toBeGreaterThanOrEqual(0);
        expect(ms).toBeLessThanOrEqual(maxMs);
      }),
      {
        examples: [
          ['99999999999999999999', HOUR],
          ['Fri, 31 Dec 2999 23:59:59 GMT', HOUR],
        ],
      },
    );
  });

  it('reads seconds and dates; a date in the past waits 0; far ones wait the maximum', () => {
    expect(parseRetryAfter('7', NOW, HOUR)).toBe(7_000);
    expect(parseRetryAfter(new Date(NOW + 90_000).toUTCString(), NOW, HOUR)).toBe(90_000);
    expect(parseRetryAfter(new Date(NOW - 90_000).toUTCString(), NOW, HOUR)).toBe(0);
    expect(parseRetryAfter('31536000', NOW, HOUR)).toBe(HOUR);
    expect(parseRetryAfter('Fri, 31 Dec 2999 23:59:59 GMT', NOW, HOUR)).toBe(HOUR);
    expect(parseRetryAfter('soon', NOW, HOUR)).toBeUndefined();
    expect(parseRetryAfter(undefined, NOW, HOUR)).toBeUndefined();
  });
});
