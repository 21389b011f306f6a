import type { RejectEvent } from './types.js';
import { pipeline, point } from './testing-internal/pipeline.js';
import { startReal18 as real18, startReal28 as real28, type RealServer } from '@homeiq/testing';

/**
 * Lines a real server refuses, where the two differ (docs.influxdata.com, "Troubleshoot issues writing data"):
 * InfluxDB 2.8 answers a batch with a line it cannot parse with 400 and stores none of it, and a field type conflict
 * with 422, storing the rest; InfluxDB 1.8 answers both with 400 and stores the good lines. Either way every good line
 * ends up stored and counted written once, and each refused line is counted once, with the server's reason.
 */
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const POISON = 'm,entity=x v=';
const CONFLICT = 'm,entity=sensor.s0 v="text" 1700000000000700001';

describe.each([
  ['InfluxDB 2.8.0', real28, [400, 422]],
  ['InfluxDB 1.8.10', real18, [400, 400]],
] as const)('%s', (_name, start, statuses) => {
  let server: RealServer;
  beforeAll(async () => {
    server = await start();
  }, 60_000);
  afterAll(() => server.dispose());

  it('a poison line and a field type conflict in one batch: each counted once with the reason, the rest written', async () => {
    const bucket = await server.newBucket();
    const rejects: RejectEvent[] = [];
    const { queue, sink } = pipeline(
      { maxPending: 5000, batchSize: 1000, batchTimeoutMs: 50 },
      { ...server.options(bucket), onDrop: (e) => rejects.push(e) },
    );
    for (let i = 0; i < 1000; i++) {
      if (i === 400) queue.push(POISON);
      else if (i === 700) queue.push(CONFLICT);
      else queue.push(point('m', i));
    }
    await sink.close({ timeoutMs: 10_000 });
    expect(await server.values(bucket)).toEqual(range(1000).filter((i) => i !== 400 && i !== 700));
    expect(rejects.map((r) => [r.lines[0], r.status, r.cause])).toEqual([
      [POISON, statuses[0], 'unparsable'],
      [CONFLICT, statuses[1], 'field_type_conflict'],
    ]);
    expect(sink.stats().rejectedByCause).toEqual({ unparsable: 1, field_type_conflict: 1 });
    expect(rejects[0]?.message).toMatch(/unable to parse/);
    expect(rejects[1]?.message).toMatch(/field type conflict/);
    expect(sink.stats()).toMatchObject({ rejectedLines: 2, pointsWritten: 998 });
  }, 30_000);

  it('many refused lines spread over batches: every good line written and counted once, no refused one lost', async () => {
    const bucket = await server.newBucket();
    const rejects: RejectEvent[] = [];
    const { queue, sink } = pipeline(
      { maxPending: 5000, batchSize: 250, batchTimeoutMs: 50 },
      { ...server.options(bucket), onDrop: (e) => rejects.push(e) },
    );
    const bad = new Set(range(2000).filter((i) => i % 97 === 13));
    for (let i = 0; i < 2000; i++) queue.push(bad.has(i) ? `m,entity=x v=${i}i,broken` : point('m', i));
    await sink.close({ timeoutMs: 20_000 });
    expect(await server.values(bucket)).toEqual(range(2000).filter((i) => !bad.has(i)));
    expect(rejects.flatMap((r) => r.lines).sort()).toEqual(
      [...bad].map((i) => `m,entity=x v=${i}i,broken`).sort(),
    );
    expect(sink.stats()).toMatchObject({ rejectedLines: bad.size, pointsWritten: 2000 - bad.size });
  }, 60_000);
});

describe('InfluxDB 2.8.0, a bucket with a 1 h retention', () => {
  let server: Awaited<ReturnType<typeof real28>>;
  beforeAll(async () => {
    server = await real28();
  }, 60_000);
  afterAll(() => server.dispose());

  it('points older than the retention: each refused line counted (422), every recent one stored', async () => {
    await server.influx.createBucket('short', 3600);
    const rejects: RejectEvent[] = [];
    const { queue, sink } = pipeline(
      { maxPending: 5000, batchSize: 100, batchTimeoutMs: 50 },
      { ...server.options('short'), onDrop: (e) => rejects.push(e) },
    );
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    const old = new Set(range(40).filter((i) => i % 3 === 0));
    for (let i = 0; i < 40; i++) queue.push(point('m', i, old.has(i) ? 1_700_000_000_000_000_000n : nowNs));
    await sink.close({ timeoutMs: 10_000 });
    expect(await server.values('short')).toEqual(range(40).filter((i) => !old.has(i)));
    expect(rejects.map((r) => r.status)).toEqual([...old].map(() => 422));
    expect(rejects.every((r) => /outside retention policy/.test(r.message))).toBe(true);
    expect(sink.stats().rejectedByCause).toEqual({ outside_retention: old.size });
    expect(sink.stats()).toMatchObject({ rejectedLines: old.size, pointsWritten: 40 - old.size });
  }, 30_000);
});
