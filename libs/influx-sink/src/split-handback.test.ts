import { ManualClock } from '@homeiq/runtime/testing';
import fc from 'fast-check';
import { createInfluxSink } from './index.js';
import type { TransportRequest } from './transport.js';
import { quietLogger } from './testing-internal/pipeline.js';
import { writeUntilSettled } from './testing-internal/write-until-settled.js';

/**
 * A batch being split around a refused line when InfluxDB goes away half way: the whole batch is handed back and
 * lent again, and the lines its first halves already wrote (or dropped) are neither sent nor counted again.
 * InfluxDB would store a re-sent line once (same series and time), but `pointsWritten` must say what happened.
 */

it('every line written or rejected exactly once in the counts, whatever request the outage starts at (generated)', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 2, max: 48 }).chain((n) =>
        fc.record({
          n: fc.constant(n),
          bad: fc.uniqueArray(fc.nat({ max: n - 1 }), { minLength: 1, maxLength: 3 }),
          downAt: fc.integer({ min: 1, max: 12 }),
          downFor: fc.integer({ min: 1, max: 6 }),
        }),
      ),
      async ({ n, bad, downAt, downFor }) => {
        const lines = Array.from({ length: n }, (_, i) =>
          bad.includes(i) ? `bad ${i}` : `m v=${i}i ${i + 1}`,
        );
        const clock = new ManualClock();
        const sent = new Map<string, number>();
        let request = 0;
        const sink = createInfluxSink({
          url: 'http://influx:8086',
          token: 't',
          org: 'o',
          bucket: 'b',
          clock,
          random: () => 0,
          logger: quietLogger,
          retryInitialDelayMs: 10,
          retryMaxDelayMs: 100,
          circuitFailureThreshold: 1,
          circuitCooldownMs: 100,
          circuitMaxCooldownMs: 100,
          transport: {
            post(r: TransportRequest) {
              request++;
              if (request >= downAt && request < downAt + downFor)
                return Promise.reject(new Error('ECONNREFUSED'));
              const body = r.body.split('\n');
              if (body.some((l) => l.startsWith('bad'))) {
                return Promise.resolve({
                  status: 400,
                  body: '{"message":"unable to parse"}',
                  retryAfter: undefined,
                });
              }
              for (const l of body) sent.set(l, (sent.get(l) ?? 0) + 1);
              return Promise.resolve({ status: 204, body: '', retryAfter: undefined });
            },
            close: () => undefined,
          },
        });
        const { settled } = await writeUntilSettled(sink, clock, lines, 50);
        expect(settled).toBe(true);
        const good = lines.filter((l) => !l.startsWith('bad'));
        expect([...sent.keys()].sort()).toEqual([...good].sort());
        expect([...sent.values()].every((k) => k === 1)).toBe(true);
        expect(sink.stats()).toMatchObject({ pointsWritten: good.length, rejectedLines: bad.length });
        await sink.close({ timeoutMs: 0 });
      },
    ),
    { numRuns: 60 },
  );
});
