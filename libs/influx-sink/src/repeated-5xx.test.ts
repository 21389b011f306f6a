import { ManualClock } from '@homeiq/runtime/testing';
import fc from 'fast-check';
import { createInfluxSink } from './index.js';
import type { TransportRequest } from './transport.js';
import type { RejectEvent } from './types.js';
import { quietLogger } from './testing-internal/pipeline.js';
import { writeUntilSettled } from './testing-internal/write-until-settled.js';

/**
 * A batch the server answers with the same 5xx every time (InfluxDB 2.8's 500 to a body it cannot decode) must not
 * be retried forever: it is split, the rest written once, and each such line dropped and counted once. A server
 * that answers every write with 5xx (an outage) must lose nothing. The caller retries a failed write as the queue
 * does (the batch handed back and lent again); time is a manual clock.
 */
const MAX_ATTEMPTS = 300;

interface Run {
  readonly stored: Map<string, number>;
  readonly drops: RejectEvent[];
  readonly attempts: number;
  readonly settled: boolean;
  readonly stats: ReturnType<ReturnType<typeof createInfluxSink>['stats']>;
}

/** Writes `lines` until the sink settles them or `MAX_ATTEMPTS` hand-backs; `refuses(line)` makes a body get 500. */
async function run(lines: readonly string[], refuses: (line: string) => boolean): Promise<Run> {
  const clock = new ManualClock();
  const stored = new Map<string, number>();
  const drops: RejectEvent[] = [];
  const sink = createInfluxSink({
    url: 'http://influx:8086',
    token: 't',
    org: 'o',
    bucket: 'b',
    clock,
    random: () => 0,
    logger: quietLogger,
    onDrop: (e) => drops.push(e),
    retryInitialDelayMs: 10,
    retryMaxDelayMs: 100,
    circuitFailureThreshold: 3,
    circuitCooldownMs: 100,
    circuitMaxCooldownMs: 100,
    transport: {
      post(request: TransportRequest) {
        const body = request.body.split('\n');
        if (body.some(refuses)) {
          return Promise.resolve({ status: 500, body: '{"code":"internal error"}', retryAfter: undefined });
        }
        for (const line of body) stored.set(line, (stored.get(line) ?? 0) + 1);
        return Promise.resolve({ status: 204, body: '', retryAfter: undefined });
      },
      close: () => undefined,
    },
  });
  const { attempts, settled } = await writeUntilSettled(sink, clock, lines, MAX_ATTEMPTS);
  const stats = sink.stats();
  await sink.close({ timeoutMs: 0 });
  return { stored, drops, attempts, settled, stats };
}

const batch = (n: number): string[] => Array.from({ length: n }, (_, i) => `m v=${i}i ${1_000_000 + i}`);

it('lines refused with the same 5xx every time: each dropped once, every other line written and counted once', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc
        .integer({ min: 1, max: 64 })
        .chain((n) =>
          fc.tuple(fc.constant(n), fc.uniqueArray(fc.nat({ max: n - 1 }), { minLength: 1, maxLength: 3 })),
        ),
      async ([n, poisonAt]) => {
        const lines = batch(n);
        const poison = new Set(poisonAt.map((i) => lines[i]));
        if (poison.size === n) return; // nothing else to write: no proof the server takes data (next test)
        const r = await run(lines, (line) => poison.has(line));
        expect(r.settled).toBe(true);
        expect(r.drops.flatMap((d) => d.lines).sort()).toEqual([...poison].sort());
        expect([...r.stored.keys()].sort()).toEqual(lines.filter((l) => !poison.has(l)).sort());
        expect(r.stats).toMatchObject({ pointsWritten: n - poison.size, rejectedLines: poison.size });
      },
    ),
    { numRuns: 40 },
  );
});

it('every write refused with 5xx (an outage): nothing dropped however often the batch comes back', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 1, max: 64 }), async (n) => {
      const r = await run(batch(n), () => true);
      expect(r.settled).toBe(false);
      expect(r.drops).toEqual([]);
      expect(r.stats.rejectedLines).toBe(0);
    }),
    { numRuns: 10 },
  );
});
