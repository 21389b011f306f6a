import { startInfluxd, type Influxd } from './influxd.js';

describe('startInfluxd', () => {
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
