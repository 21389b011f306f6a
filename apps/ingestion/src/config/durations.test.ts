import { createBackpressureQueue } from '@homeiq/backpressure-queue';
import { createHaClient } from '@homeiq/ha-client';
import { createInfluxSink } from '@homeiq/influx-sink';
import { MAX_DURATION_MS } from '@homeiq/runtime';
import fc from 'fast-check';
import { loadConfig, type IngestionConfig } from './load-config.js';

const minimal = {
  HOME_ASSISTANT_URL: 'http://ha.local:8123',
  HOME_ASSISTANT_TOKEN: 'secret-token',
  INFLUXDB_URL: 'http://influx:8086',
  INFLUXDB_TOKEN: 't',
};

/** Every duration variable: its range in seconds, and where its milliseconds land in the configuration. */
const DURATIONS = [
  ['WEBSOCKET_MAX_RETRY_DELAY', 1, 86_400, (c: IngestionConfig) => c.homeAssistant.retryMaxDelayMs],
  ['HA_HEARTBEAT_INTERVAL', 1, 3600, (c: IngestionConfig) => c.homeAssistant.heartbeatIntervalMs],
  ['HA_PONG_TIMEOUT', 1, 3600, (c: IngestionConfig) => c.homeAssistant.pongTimeoutMs],
  ['INFLUXDB_TIMEOUT', 0.1, 3600, (c: IngestionConfig) => c.influx?.timeoutMs],
  ['BATCH_TIMEOUT', 0.001, 3600, (c: IngestionConfig) => c.queue.batchTimeoutMs],
  ['SHUTDOWN_TIMEOUT', 0.001, 3600, (c: IngestionConfig) => c.shutdownTimeoutMs],
] as const;

/** Text that is not a number of seconds in [min, max]: too large for a timer, not finite, negative, zero, odd. */
const outOfRange = (min: number, max: number) =>
  fc.oneof(
    fc.constantFrom('2147484', '1e400', 'Infinity', '-Infinity', 'NaN', '-5', '-0.5', '0', '0.000', '0x10'),
    fc.constantFrom('1e3', '5s', '1,5', '.5', '5.', '9'.repeat(400), '2147483.648', '31536000', ' -1 '),
    fc.integer({ min: Math.floor(max) + 1, max: Number.MAX_SAFE_INTEGER }).map(String),
    fc
      .double({ min: max, max: 1e300, noNaN: true, noDefaultInfinity: true })
      .map((d) => d.toFixed(3))
      .filter((text) => Number(text) > max),
    fc
      .double({ min: 0, max: min, noNaN: true })
      .map((d) => d.toFixed(6))
      .filter((text) => Number(text) < min),
    fc.string({ minLength: 1 }).filter((text) => text.trim() !== '' && !/^\s*\d+(\.\d+)?\s*$/.test(text)),
  );

describe('duration variables are bounded where they enter', () => {
  it.each(DURATIONS)(
    '%s: text outside [%d, %d] seconds is one problem naming the variable and the range',
    (name, min, max) => {
      fc.assert(
        fc.property(outOfRange(min, max), (text) => {
          const result = loadConfig({ ...minimal, [name]: text });
          expect(result.ok).toBe(false);
          if (result.ok) return;
          expect(result.problems).toEqual([
            expect.stringMatching(
              new RegExp(`^${name} must be a number of seconds from ${min} to ${max}\\b`),
            ),
          ]);
          expect(result.problems[0]).toContain(`got ${JSON.stringify(text)}`);
        }),
        { examples: [['2147484'], ['1e400'], ['-5'], ['0']] },
      );
    },
  );

  it.each(DURATIONS)(
    '%s: any number of seconds in [%d, %d] is accepted, in milliseconds',
    (name, min, max, ms) => {
      fc.assert(
        fc.property(fc.integer({ min: Math.round(min * 1000), max: max * 1000 }), (millis) => {
          const result = loadConfig({ ...minimal, [name]: String(millis / 1000) });
          if (!result.ok) throw new Error(result.problems.join('\n'));
          expect(ms(result.config)).toBe(millis);
        }),
      );
    },
  );

  it('whatever the configuration accepts fits a timer and is accepted by every lib it configures', async () => {
    type Name = (typeof DURATIONS)[number][0];
    const inRange = (min: number, max: number) =>
      fc.integer({ min: Math.round(min * 1000), max: max * 1000 }).map((ms) => String(ms / 1000));
    const env = fc.record(
      Object.fromEntries(
        DURATIONS.map(([name, min, max]) => [name, fc.oneof(inRange(min, max), outOfRange(min, max))]),
      ) as Record<Name, fc.Arbitrary<string>>,
    );
    const pick = (index: 1 | 2) =>
      Object.fromEntries(DURATIONS.map((d) => [d[0], String(d[index])])) as Record<Name, string>;
    await fc.assert(
      fc.asyncProperty(env, async (durations) => {
        const result = loadConfig({ ...minimal, ...durations });
        if (!result.ok) {
          for (const problem of result.problems) {
            expect(
              DURATIONS.some(([name]) => problem.startsWith(`${name} must be a number of seconds`)),
            ).toBe(true);
          }
          return;
        }
        for (const [, , , ms] of DURATIONS) expect(ms(result.config)).toBeLessThanOrEqual(MAX_DURATION_MS);
        const { homeAssistant: ha, influx, queue: q, shutdownTimeoutMs } = result.config;
        const client = createHaClient({
          url: ha.url,
          accessToken: ha.token,
          retryMaxDelayMs: ha.retryMaxDelayMs,
          heartbeatIntervalMs: ha.heartbeatIntervalMs,
          pongTimeoutMs: ha.pongTimeoutMs,
        });
        await client.close();
        const queue = createBackpressureQueue({ batchTimeoutMs: q.batchTimeoutMs });
        const sink = createInfluxSink({
          url: influx?.url ?? '',
          token: 't',
          bucket: 'b',
          requestTimeoutMs: influx?.timeoutMs ?? 0,
          source: queue,
        });
        await sink.close({ timeoutMs: shutdownTimeoutMs });
      }),
      {
        numRuns: 50,
        examples: [[pick(1)], [pick(2)], [{ ...pick(2), WEBSOCKET_MAX_RETRY_DELAY: '2147484' }]],
      },
    );
  });
});
