import fc from 'fast-check';
import { startInfluxDb3Fake, type InfluxDb3Fake } from '@homeiq/testing';
import type { RejectEvent } from './types.js';
import { pipeline, waitFor } from './testing-internal/pipeline.js';

/**
 * `apiVersion: 3` against a contract fake of InfluxDB 3's `/api/v3/write_lp` written from its documentation (no
 * InfluxDB 3 server can be installed here): with `accept_partial=true` InfluxDB 3 stores the good lines of a batch
 * and names each refused one by line number, so the sink counts those and sends nothing again.
 */
let fake: InfluxDb3Fake;
beforeAll(async () => {
  fake = await startInfluxDb3Fake();
});
afterAll(() => fake.close());

let db = 0;
const line = (i: number, table: string): string =>
  `${table},entity=s${i % 5} v=${i}i ${1_700_000_000_000_000_000n + BigInt(i)}`;

it('refused lines named by number: each counted once by cause, every other line stored exactly once (generated)', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 300 }).chain((n) =>
        fc.record({
          n: fc.constant(n),
          broken: fc.uniqueArray(fc.nat({ max: n - 1 }), { maxLength: 6 }),
          batchSize: fc.integer({ min: 1, max: 120 }),
        }),
      ),
      async ({ n, broken, batchSize }) => {
        const table = `m${++db}`;
        // A broken line either has no field value or, past the first line, writes `v` as text (a type conflict).
        const lines = Array.from({ length: n }, (_, i) =>
          !broken.includes(i)
            ? line(i, table)
            : i % 2 === 0
              ? `${table},entity=x${i} v=`
              : `${table},entity=x v="text" ${i}`,
        );
        const rejects: RejectEvent[] = [];
        const before = fake.requests;
        const { queue, sink } = pipeline(
          { maxPending: 5000, batchSize, maxBatchSize: batchSize, batchTimeoutMs: 5 },
          {
            url: fake.url,
            apiVersion: 3,
            token: fake.token,
            database: 'home',
            onDrop: (e) => rejects.push(e),
          },
        );
        for (const l of lines) queue.push(l);
        await waitFor(() => queue.stats().delivered === n, 10_000, 'every line settled');
        await sink.close();
        const bad = new Set(broken.map((i) => lines[i] ?? ''));
        // The first line of a fresh table fixes `v` as integer, unless it is itself broken text: then it is the
        // schema, and later integer lines conflict. Keep the property simple: only check runs where line 0 is good.
        if (bad.has(lines[0] ?? '')) return;
        expect(rejects.flatMap((r) => r.lines).sort()).toEqual([...bad].sort());
        expect(rejects.every((r) => r.status === 400)).toBe(true);
        for (const l of lines) expect(fake.stored.get(l) ?? 0).toBe(bad.has(l) ? 0 : 1);
        expect(sink.stats()).toMatchObject({ pointsWritten: n - bad.size, rejectedLines: bad.size });
        expect(fake.requests - before).toBe(sink.stats().requests); // no split: one request per batch
      },
    ),
    { numRuns: 25 },
  );
}, 60_000);

it('a wrong token is a clear auth error, and the data is kept', async () => {
  const { queue, sink } = pipeline(
    { maxPending: 100, batchSize: 10, batchTimeoutMs: 5 },
    { url: fake.url, apiVersion: 3, token: 'wrong', database: 'home' },
  );
  queue.push(line(1, 'auth'));
  await waitFor(() => sink.stats().lastError !== undefined, 5000, 'the refusal');
  expect(sink.stats().lastError).toMatchObject({ code: 'ERR_INFLUX_AUTH', status: 401 });
  expect(fake.stored.has(line(1, 'auth'))).toBe(false);
  await sink.close({ timeoutMs: 100 });
});
