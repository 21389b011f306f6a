import { MAX_DURATION_MS } from '@homeiq/runtime';
import { outOfRangeDurationsMs, thrownBy } from '@homeiq/testing';
import fc from 'fast-check';
import { createHaClient } from './create-client.js';
import { HaInvalidArgumentError } from './errors.js';
import type { HaClientOptions } from './options.js';

const base: HaClientOptions = { url: 'http://ha.local:8123', accessToken: 'token' };

describe('options are validated at construction', () => {
  it.each<[Partial<Record<keyof HaClientOptions, unknown>>, string]>([
    [{ maxRetries: -2 }, 'Expected `maxRetries` to be an integer >= -1, got `-2` (number)'],
    [{ maxRetries: 1.5 }, 'Expected `maxRetries` to be an integer >= -1, got `1.5` (number)'],
    [
      { connectTimeoutMs: 0 },
      'Expected `connectTimeoutMs` to be an integer from 1 to 86400000 (ms), got `0` (number)',
    ],
    [
      { heartbeatIntervalMs: '30' },
      'Expected `heartbeatIntervalMs` to be an integer from 0 to 86400000 (ms), got `"30"` (string)',
    ],
    [
      { retryMaxDelayMs: 2_147_484_000 },
      'Expected `retryMaxDelayMs` to be an integer from 1 to 86400000 (ms), got `2147484000` (number)',
    ],
    [{ retryJitterRatio: 2 }, 'Expected `retryJitterRatio` to be a number from 0 to 1, got `2` (number)'],
    [
      { circuitFailureThreshold: 0 },
      'Expected `circuitFailureThreshold` to be an integer >= 1, got `0` (number)',
    ],
    [
      { retryInitialDelayMs: 5_000, retryMaxDelayMs: 1_000 },
      'Expected `retryMaxDelayMs` to be >= `retryInitialDelayMs` (5000), got `1000`',
    ],
    [{ url: 42 }, 'Expected `url` to be a string, got `42` (number)'],
    [{ url: 'gopher://x' }, 'Expected `url` to use http, https, ws or wss, got `gopher:`'],
    [{ accessToken: '' }, 'Expected `accessToken` to be a non-empty string, got an empty string'],
    [{ accessToken: undefined }, 'Expected `accessToken` to be a non-empty string, got undefined'],
    [{ onGap: 'yes' }, 'Expected `onGap` to be a function, got `"yes"` (string)'],
    [{ maxPayloadBytes: 10 }, 'Expected `maxPayloadBytes` to be an integer >= 1024, got `10` (number)'],
  ])('%j', (override, message) => {
    let thrown: unknown;
    try {
      createHaClient({ ...base, ...override } as HaClientOptions);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HaInvalidArgumentError);
    expect(thrown).toMatchObject({ code: 'ERR_INVALID_OPTION', message });
  });

  it('creates an idle client with defaults and opens nothing until start()', () => {
    const client = createHaClient(base);
    expect(client.state).toBe('idle');
    expect(client.stats()).toMatchObject({
      isRunning: false,
      connectionAttempts: 0,
      circuitBreaker: { state: 'closed' },
    });
  });
});

/** Every duration option and its smallest accepted value. */
const DURATIONS = [
  ['connectTimeoutMs', 1],
  ['authTimeoutMs', 1],
  ['commandTimeoutMs', 1],
  ['retryInitialDelayMs', 1],
  ['retryMaxDelayMs', 1],
  ['stableConnectionMs', 0],
  ['circuitCooldownMs', 0],
  ['heartbeatIntervalMs', 0],
  ['pongTimeoutMs', 1],
  ['resubscribeInitialDelayMs', 1],
  ['resubscribeMaxDelayMs', 1],
] as const;

const outOfRange = (min: number) => outOfRangeDurationsMs(min, MAX_DURATION_MS);

describe('duration options are bounded: whole milliseconds from their minimum to one day', () => {
  it.each(DURATIONS)('%s: any value outside [%d, 86400000] throws at construction, naming it', (key, min) => {
    fc.assert(
      fc.property(outOfRange(min), (value) => {
        expect(thrownBy(() => createHaClient({ ...base, [key]: value }))).toMatchObject({
          code: 'ERR_INVALID_OPTION',
          message: `Expected \`${key}\` to be an integer from ${min} to 86400000 (ms), got \`${String(value)}\` (number)`,
        });
      }),
    );
  });

  it.each(DURATIONS)('%s: any whole number in [%d, 86400000] is accepted', (key, min) => {
    fc.assert(
      fc.property(fc.integer({ min, max: MAX_DURATION_MS }), (value) => {
        // The initial delay may not exceed the cap: give each of a pair the same value.
        const pair = key.startsWith('resubscribe')
          ? { resubscribeInitialDelayMs: value, resubscribeMaxDelayMs: value }
          : key.startsWith('retry')
            ? { retryInitialDelayMs: value, retryMaxDelayMs: value }
            : {};
        expect(() => createHaClient({ ...base, ...pair, [key]: value })).not.toThrow();
      }),
      { numRuns: 30 },
    );
  });
});
