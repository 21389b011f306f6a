import { startInfluxd, type Influxd } from './influxd.js';
import { influxServerBinary } from './server-binaries.js';

describe('startInfluxd (Debian 1.6.7)', () => {
  let influxd: Influxd;
  beforeAll(async () => {
    influxd = await startInfluxd();
  });
  afterAll(async () => {
    await influxd.dispose();
  });

  it('accepts a write on /write and returns it from a query, surviving a restart on the same port', async () => {
    await influxd.query('CREATE DATABASE t');
    const line = 'm,tag=a\\ b value=1.5,s="x\\"y" 1700000000000000001';
    const res = await fetch(`${influxd.url}/write?db=t&precision=ns`, { method: 'POST', body: line });
    expect(res.status).toBe(204);

    await influxd.stop();
    expect(influxd.running).toBe(false);
    await influxd.start();

    const rows = await influxd.select('SELECT * FROM m', 't');
    expect(rows).toEqual([{ time: '1700000000000000001', tag: 'a b', value: 1.5, s: 'x"y' }]);
  });
});

describe('startInfluxd (1.8.10, auth enabled)', () => {
  let influxd: Influxd;
  const admin = { username: 'admin', password: "it's-secret" }; // 1.8 cannot parse `Token user:pass word` (a space)
  beforeAll(async () => {
    influxd = await startInfluxd({ binary: influxServerBinary('1.8'), admin });
    await influxd.query('CREATE DATABASE db');
  });
  afterAll(async () => {
    await influxd.dispose();
  });

  const v2write = (token: string, body: string): Promise<Response> =>
    fetch(`${influxd.url}/api/v2/write?bucket=db/autogen&precision=ns`, {
      method: 'POST',
      headers: { authorization: `Token ${token}` },
      body,
    });

  it('takes the 2.x-compatible write with `Token user:password` and bucket `db/rp`', async () => {
    expect((await v2write(`${admin.username}:${admin.password}`, 'm v=1i 1700000000000000001')).status).toBe(
      204,
    );
    expect(await influxd.select('SELECT v FROM m', 'db')).toEqual([{ time: '1700000000000000001', v: 1 }]);
  });

  it('refuses a wrong password and an unauthenticated query', async () => {
    expect((await v2write('admin:wrong', 'm v=2i 1700000000000000002')).status).toBe(401);
    const anonymous = await fetch(`${influxd.url}/query?q=SHOW%20DATABASES`);
    expect(anonymous.status).toBe(401);
  });
});
