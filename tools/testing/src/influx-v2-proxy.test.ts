import { gzipSync } from 'node:zlib';
import { InfluxDB } from '@influxdata/influxdb-client';
import { startInfluxd, type Influxd } from './influxd.js';
import { startInfluxV2Proxy, type InfluxV2Proxy } from './influx-v2-proxy.js';

describe('startInfluxV2Proxy', () => {
  let influxd: Influxd;
  let proxy: InfluxV2Proxy;
  beforeAll(async () => {
    influxd = await startInfluxd();
    await influxd.query('CREATE DATABASE db');
    await influxd.query('CREATE RETENTION POLICY forever ON db DURATION INF REPLICATION 1');
    proxy = await startInfluxV2Proxy({ target: influxd.url, token: 'secret' });
  });
  afterAll(async () => {
    await proxy.close();
    await influxd.dispose();
  });

  const write = (
    body: string | Buffer,
    query: string,
    headers: Record<string, string> = {},
  ): Promise<Response> =>
    fetch(`${proxy.url}/api/v2/write?${query}`, {
      method: 'POST',
      body,
      headers: { authorization: 'Token secret', ...headers },
    });

  it('carries the official client WriteApi (gzip, us precision, db/rp bucket) into influxd', async () => {
    const api = new InfluxDB({ url: proxy.url, token: 'secret' }).getWriteApi('org', 'db/forever', 'us', {
      gzipThreshold: 1,
      maxRetries: 0,
    });
    api.writeRecords(['gz v=1 1700000000000001', 'gz v=2 1700000000000002']);
    await api.close();
    const rows = await influxd.select('SELECT v FROM db.forever.gz', 'db');
    expect(rows).toEqual([
      { time: '1700000000000001000', v: 1 },
      { time: '1700000000000002000', v: 2 },
    ]);
  });

  it('answers a wrong or missing token with 401 and writes nothing', async () => {
    expect((await write('tok v=1 1', 'bucket=db', { authorization: 'Token nope' })).status).toBe(401);
    const res = await fetch(`${proxy.url}/api/v2/write?bucket=db`, { method: 'POST', body: 'tok v=1 1' });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ code: 'unauthorized', message: 'unauthorized access' });
    expect(await influxd.select('SELECT * FROM tok', 'db')).toEqual([]);
  });

  it('passes influxd errors on in the v2 shape: 400 with the reason, 404 for a missing bucket', async () => {
    const bad = await write('bad line', 'bucket=db');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/unable to parse/);
    const missing = await write(gzipSync('m v=1 1'), 'bucket=nope', { 'content-encoding': 'gzip' });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ code: 'not found', message: 'bucket "nope" not found' });
  });

  it('plays injected faults in order, then forwards again', async () => {
    proxy.inject({ status: 429, retryAfter: '2' });
    proxy.inject({ status: 503, times: 2 });
    proxy.inject({ reset: true });
    const first = await write('f v=1 1', 'bucket=db');
    expect([first.status, first.headers.get('retry-after')]).toEqual([429, '2']);
    expect((await write('f v=1 1', 'bucket=db')).status).toBe(503);
    expect((await write('f v=1 1', 'bucket=db')).status).toBe(503);
    await expect(write('f v=1 1', 'bucket=db')).rejects.toThrow();
    expect((await write('f v=1 1', 'bucket=db')).status).toBe(204);
    expect(proxy.writes.slice(-5)).toEqual([429, 503, 503, 0, 204]);
    expect(proxy.writeTimes).toHaveLength(proxy.writes.length);
    const times = proxy.writeTimes.slice(-5);
    expect(times).toEqual([...times].sort((x, y) => x - y));
  });

  it('serves /ping and /health, and reports the target down', async () => {
    expect((await fetch(`${proxy.url}/ping`)).status).toBe(204);
    expect(await (await fetch(`${proxy.url}/health`)).json()).toMatchObject({ status: 'pass' });
    await influxd.stop();
    try {
      expect((await fetch(`${proxy.url}/health`)).status).toBe(503);
      expect((await write('down v=1 1', 'bucket=db')).status).toBe(503);
    } finally {
      await influxd.start();
    }
  });
});
