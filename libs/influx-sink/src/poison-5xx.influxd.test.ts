import { startFaultProxy, type FaultProxy } from '@homeiq/testing';
import type { RejectEvent } from './types.js';
import { pipeline, point, sleep, waitFor } from './testing-internal/pipeline.js';
import { startReal28 as real28 } from '@homeiq/testing';

/**
 * A batch real InfluxDB 2.8 answers with 500 every time: the fault proxy mangles the gzip body of any write that
 * holds the poison line, and InfluxDB 2.8 answers such a body with 500 "internal error" (the proxy forwards it; it
 * answers nothing itself). The sink must not retry that batch forever: after the same refusal a few times it splits
 * the batch, writes the rest, and drops and counts the one line. A server that refuses everything loses nothing.
 */
let server: Awaited<ReturnType<typeof real28>>;
let proxy: FaultProxy;
beforeAll(async () => {
  server = await real28();
  proxy = await startFaultProxy({ target: server.influx.url });
}, 60_000);
afterAll(async () => {
  await proxy.close();
  await server.dispose();
});
afterEach(() => {
  proxy.clearFaults();
});

const POISON = 'm,entity=poison v=-1i 1700000000000000000';
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

it('one line in a batch that always gets 500: isolated, counted once, every other line written', async () => {
  const bucket = await server.newBucket();
  proxy.inject({ corruptBody: true, match: POISON, times: 1_000_000 });
  const rejects: RejectEvent[] = [];
  const { queue, sink } = pipeline(
    { maxPending: 5000, batchSize: 100, batchTimeoutMs: 20 },
    { ...server.options(bucket), url: proxy.url, gzipThresholdBytes: 0, onDrop: (e) => rejects.push(e) },
  );
  for (let i = 0; i < 300; i++) queue.push(i === 150 ? POISON : point('m', i));
  await waitFor(() => queue.stats().delivered === 300, 20_000, 'every batch settled');
  await sink.close();
  expect(await server.values(bucket)).toEqual(range(300).filter((i) => i !== 150));
  expect(rejects.map((r) => [r.lines, r.status, r.cause])).toEqual([
    [[POISON], 500, 'repeated_server_error'],
  ]);
  expect(sink.stats()).toMatchObject({ rejectedLines: 1, pointsWritten: 299 });
  expect(proxy.writes.filter((s) => s === 500).length).toBeLessThan(40);
}, 30_000);

it('every write gets 500: nothing is dropped, and everything is written once InfluxDB recovers', async () => {
  const bucket = await server.newBucket();
  proxy.inject({ status: 500, times: 1_000_000 });
  const { queue, sink } = pipeline(
    { maxPending: 5000, batchSize: 50, batchTimeoutMs: 20 },
    { ...server.options(bucket), url: proxy.url },
  );
  for (let i = 0; i < 200; i++) queue.push(point('m', i));
  await sleep(3000);
  expect(sink.stats().rejectedLines).toBe(0);
  expect(queue.stats().delivered).toBe(0);
  proxy.clearFaults();
  await waitFor(async () => (await server.values(bucket)).length === 200, 15_000, 'the recovery');
  await sink.close();
  expect(await server.values(bucket)).toEqual(range(200));
  expect(sink.stats()).toMatchObject({ rejectedLines: 0, pointsWritten: 200 });
}, 30_000);
