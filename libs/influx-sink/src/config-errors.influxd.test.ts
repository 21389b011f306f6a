import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InfluxSinkOptions, InfluxWriteError } from './index.js';
import { pipeline, point, sleep, waitFor } from './testing-internal/pipeline.js';
import { startReal28 as real28 } from '@homeiq/testing';

/**
 * A wrong setting, as real InfluxDB 2.8 answers it: a bad token (401), a token that may not write the bucket, an
 * unknown bucket or org (404). The sink reports the status with InfluxDB's reason, keeps the points (memory, then
 * the spool), backs off instead of hammering, and a sink started with the setting fixed writes the spool.
 */
let server: Awaited<ReturnType<typeof real28>>;
let readOnly: string;
let dir: string;
beforeAll(async () => {
  server = await real28();
  await server.influx.createBucket('cfg');
  readOnly = await server.influx.createToken({ read: ['cfg'] });
}, 60_000);
afterAll(() => server.dispose());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'homeiq-sink-cfg-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

type Wrong = (good: ReturnType<typeof server.options>) => Partial<InfluxSinkOptions>;
const cases: [string, Wrong, string, number, RegExp][] = [
  ['a wrong token', () => ({ token: 'wrong-token' }), 'ERR_INFLUX_AUTH', 401, /unauthorized/],
  [
    'a read-only token',
    () => ({ token: readOnly }),
    'ERR_INFLUX_AUTH',
    403,
    /insufficient permissions for write/,
  ],
  ['an unknown bucket', () => ({ bucket: 'nope' }), 'ERR_INFLUX_NOT_FOUND', 404, /bucket "nope" not found/],
  [
    'an unknown org',
    () => ({ org: 'nobody' }),
    'ERR_INFLUX_NOT_FOUND',
    404,
    /organization name "nobody" not found/,
  ],
];

it.each(cases)(
  '%s: a clear error, backoff, the data kept on disk, and written once fixed',
  async (_name, wrong, code, status, reason) => {
    const bucket = await server.newBucket();
    const good = server.options(bucket);
    const errors: InfluxWriteError[] = [];
    const bad = pipeline(
      { maxPending: 1000, batchSize: 100, batchTimeoutMs: 50, spool: { dir } },
      { ...good, ...wrong(good), onError: (e) => errors.push(e) },
    );
    for (let i = 0; i < 500; i++) bad.queue.push(point('m', i));
    await waitFor(() => bad.queue.stats().spool?.pendingLines === 500, 10_000, 'the spill');
    expect(errors[0]).toMatchObject({ code, status, decision: 'keep' });
    expect(errors[0]?.message).toMatch(reason);
    expect(bad.sink.stats().lastError?.message).toBe(errors[0]?.message);
    // Backoff: the circuit is open after the first refusal and probes at circuitCooldownMs (200) to circuitMaxCooldownMs
    // (500) apart, so a second holds a handful of requests, not one per batch or per retry.
    const before = bad.sink.stats().requests;
    await sleep(1000);
    expect(bad.sink.stats().requests - before).toBeLessThanOrEqual(6);
    await bad.sink.close({ timeoutMs: 1000 });
    expect(await server.values(bucket)).toEqual([]);

    const fixed = pipeline({ maxPending: 1000, spool: { dir } }, good);
    await waitFor(async () => (await server.values(bucket)).length === 500, 10_000, 'the replay');
    await fixed.sink.close();
    expect(await server.values(bucket)).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(fixed.sink.stats()).toMatchObject({ pointsWritten: 500, rejectedLines: 0 });
  },
  30_000,
);
