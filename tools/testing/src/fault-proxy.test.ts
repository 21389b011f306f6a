import { gzipSync } from 'node:zlib';
import { InfluxDB } from '@influxdata/influxdb-client';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { startInfluxd2, type Influxd2 } from './influxd2.js';

/** The fault proxy in front of a real InfluxDB 2.8.0: it forwards, and its faults are the only answers of its own. */
describe('startFaultProxy', () => {
  let influx: Influxd2;
  let proxy: FaultProxy;
  beforeAll(async () => {
    influx = await startInfluxd2();
    proxy = await startFaultProxy({ target: influx.url });
  }, 60_000);
  afterAll(async () => {
    await proxy.close();
    await influx.dispose();
  });

  const write = (body: string | Buffer, headers: Record<string, string> = {}, token = influx.token) =>
    fetch(`${proxy.url}/api/v2/write?org=${influx.org}&bucket=${influx.bucket}&precision=us`, {
      method: 'POST',
      body,
      headers: { authorization: `Token ${token}`, ...headers },
    });
  const values = async (measurement: string): Promise<string[]> =>
    (
      await influx.flux(
        `from(bucket: "${influx.bucket}") |> range(start: 0) |> filter(fn: (r) => r._measurement == "${measurement}")`,
      )
    ).map((r) => `${r['_time'] ?? ''}=${r['_value'] ?? ''}`);

  it('carries the official client WriteApi (gzip, us precision) into the real server', async () => {
    const api = new InfluxDB({ url: proxy.url, token: influx.token }).getWriteApi(
      influx.org,
      influx.bucket,
      'us',
      {
        gzipThreshold: 1,
        maxRetries: 0,
      },
    );
    api.writeRecords(['gz v=1 1700000000000001', 'gz v=2 1700000000000002']);
    await api.close();
    expect(await values('gz')).toEqual(['2023-11-14T22:13:20.000001Z=1', '2023-11-14T22:13:20.000002Z=2']);
  });

  it("passes the server's own refusals through: a wrong token, a bad line", async () => {
    const denied = await write('x v=1 1', {}, 'wrong-token');
    expect(denied.status).toBe(401);
    expect(await denied.json()).toMatchObject({ code: 'unauthorized' });
    const bad = await write('x v=1 1\nx v=\nx v=3 3');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'invalid' });
    expect(proxy.writes.slice(-2)).toEqual([401, 400]);
  });

  it('plays injected faults in order, then forwards again', async () => {
    proxy.inject({ status: 429, retryAfter: '3' });
    proxy.inject({ reset: true });
    proxy.inject({ corruptBody: true });
    const limited = await write('f v=1 1700000000000001');
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '3']);
    await expect(write('f v=1 1700000000000001')).rejects.toThrow();
    const zipped = gzipSync('f v=1 1700000000000001');
    const corrupt = await write(zipped, { 'content-encoding': 'gzip' });
    expect(corrupt.status).toBe(500); // InfluxDB 2.8's own answer to a body that is not gzip
    expect((await write(zipped, { 'content-encoding': 'gzip' })).status).toBe(204);
    expect(proxy.writes.slice(-4)).toEqual([429, 0, 500, 204]);
    expect(await values('f')).toEqual(['2023-11-14T22:13:20.000001Z=1']);
  });

  it('applies a `match` fault only to writes whose (gzip-decoded) lines contain the text', async () => {
    proxy.inject({ status: 503, match: 'poison', times: 10 });
    expect((await write(gzipSync('ok v=1 1700000000000001'), { 'content-encoding': 'gzip' })).status).toBe(
      204,
    );
    expect(
      (await write(gzipSync('ok,e=poison v=1 1700000000000001'), { 'content-encoding': 'gzip' })).status,
    ).toBe(503);
    expect((await write('ok,e=poison v=1 1700000000000001')).status).toBe(503);
    proxy.clearFaults();
    expect(await values('ok')).toEqual(['2023-11-14T22:13:20.000001Z=1']);
  });

  it('resets the connection, not an answer of its own, while the server is down', async () => {
    await influx.stop();
    try {
      await expect(write('d v=1 1')).rejects.toThrow();
      expect(proxy.writes.at(-1)).toBe(0);
    } finally {
      await influx.start();
    }
  }, 60_000);
});
