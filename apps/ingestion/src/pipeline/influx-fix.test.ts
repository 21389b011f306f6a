import fc from 'fast-check';
import { influxFix } from './influx-fix.js';

/** The answers real InfluxDB 2.8.0 gave to a misconfigured write (see libs/influx-sink's config-errors test). */
describe('influxFix', () => {
  it('names the setting for 401, 403 and an unknown org or bucket, and nothing for an outage', () => {
    const fix = (status: number, message: string) => influxFix({ code: 'X', status, message });
    expect(fix(401, 'InfluxDB answered 401: unauthorized access')).toMatch(/INFLUXDB_TOKEN/);
    expect(fix(403, 'InfluxDB answered 403: insufficient permissions for write')).toMatch(
      /write access to that bucket/,
    );
    expect(fix(500, 'InfluxDB answered 500: internal error')).toBeNull();
    expect(influxFix(undefined)).toBeNull();
  });

  it('quotes the org or bucket InfluxDB did not find, whatever its name (generated)', () => {
    const name = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !s.includes('"'));
    fc.assert(
      fc.property(name, fc.boolean(), (n, isOrg) => {
        const message = isOrg
          ? `InfluxDB answered 404: organization name "${n}" not found`
          : `InfluxDB answered 404: bucket "${n}" not found`;
        const fix = influxFix({ code: 'ERR_INFLUX_NOT_FOUND', status: 404, message }) ?? '';
        expect(fix).toContain(`"${n}"`);
        expect(fix).toContain(isOrg ? 'INFLUXDB_ORG' : 'INFLUXDB_BUCKET');
      }),
    );
  });
});
