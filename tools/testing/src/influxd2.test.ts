import { startInfluxd2, type Influxd2 } from './influxd2.js';

/** The real InfluxDB 2.8.0 helper: setup, scoped tokens, Flux and InfluxQL reads, a crash and a restart. */
describe('startInfluxd2', () => {
  let influx: Influxd2;
  beforeAll(async () => {
    influx = await startInfluxd2();
    await influx.createBucket('other');
  }, 60_000);
  afterAll(async () => {
    await influx.dispose();
  });

  const write = (token: string, bucket: string, body: string): Promise<Response> =>
    fetch(`${influx.url}/api/v2/write?org=${influx.org}&bucket=${bucket}&precision=ns`, {
      method: 'POST',
      headers: { authorization: `Token ${token}` },
      body,
    });

  it('is set up: the operator token writes, Flux and InfluxQL read the row back exactly', async () => {
    expect(
      (await write(influx.token, influx.bucket, 'm,tag=a\\ b v=1.5,s="x\\"y" 1700000000000000001')).status,
    ).toBe(204);
    const rows = await influx.flux(
      `from(bucket: "${influx.bucket}") |> range(start: 0) |> filter(fn: (r) => r._measurement == "m")`,
    );
    expect(rows.map((r) => [r['_time'], r['_field'], r['_value'], r['tag']])).toEqual([
      ['2023-11-14T22:13:20.000000001Z', 's', 'x"y', 'a b'],
      ['2023-11-14T22:13:20.000000001Z', 'v', '1.5', 'a b'],
    ]);
    const q = await influx.influxql('SELECT v FROM m', influx.bucket);
    expect(q.results[0]?.series?.[0]?.values).toEqual([['1700000000000000001', 1.5]]);
  });

  it('fluxTables() gives each column its Flux data type', async () => {
    const tables = await influx.fluxTables(
      `from(bucket: "${influx.bucket}") |> range(start: 0) |> filter(fn: (r) => r._measurement == "m")`,
    );
    const valueType = (field: string) =>
      tables.find((t) => t.rows[0]?.['_field'] === field)?.columns.find((c) => c.name === '_value')?.type;
    expect([valueType('v'), valueType('s')]).toEqual(['double', 'string']);
  });

  it('makes a write token for its bucket only: the other bucket and every read are refused', async () => {
    expect((await write(influx.writeToken, influx.bucket, 'w v=1i 1')).status).toBe(204);
    const elsewhere = await write(influx.writeToken, 'other', 'w v=1i 1');
    expect(elsewhere.status).toBe(403);
    const read = await fetch(`${influx.url}/api/v2/query?org=${influx.org}`, {
      method: 'POST',
      headers: { authorization: `Token ${influx.writeToken}`, 'content-type': 'application/vnd.flux' },
      body: `from(bucket: "${influx.bucket}") |> range(start: 0)`,
    });
    expect(read.status).toBeGreaterThanOrEqual(400);
  });

  it('keeps its data through a SIGKILL and a start on the same port', async () => {
    expect((await write(influx.token, 'other', 'k v=7i 1700000000000000000')).status).toBe(204);
    await influx.kill();
    expect(influx.running).toBe(false);
    await influx.start();
    const rows = await influx.flux(
      'from(bucket: "other") |> range(start: 0) |> filter(fn: (r) => r._measurement == "k")',
    );
    expect(rows.map((r) => r['_value'])).toEqual(['7']);
  }, 60_000);
});
