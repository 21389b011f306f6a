import { startInfluxd, type Influxd } from './influxd.js';
import { startInfluxd2, type Influxd2 } from './influxd2.js';
import { influxServerBinary } from './server-binaries.js';

/** Where and as whom a v2 client writes: the options a sink or client needs. */
export interface V2Target {
  readonly url: string;
  readonly token: string;
  readonly org?: string;
  readonly bucket: string;
}

/**
 * A real InfluxDB a test writes to over the v2 API, with a fresh bucket per test and a way to read measurement `m`'s
 * integer field `v` back: the same test runs against 2.8 and 1.8.
 */
export interface RealServer {
  readonly name: string;
  /** A new, empty bucket (2.8) or database with its `autogen` policy (1.8), named for the test. */
  newBucket(): Promise<string>;
  /** Sink options that write to `bucket` with valid credentials. */
  options(bucket: string): V2Target;
  /** The integer `v` values of measurement `m` stored in `bucket`, sorted. */
  values(bucket: string): Promise<number[]>;
  dispose(): Promise<void>;
}

/** Real InfluxDB 2.8.0 (the cached build), read back with Flux. */
export async function startReal28(): Promise<RealServer & { readonly influx: Influxd2 }> {
  const influx = await startInfluxd2();
  let n = 0;
  return {
    name: 'InfluxDB 2.8.0',
    influx,
    async newBucket() {
      const name = `b${++n}`;
      await influx.createBucket(name);
      return name;
    },
    options: (bucket) => ({ url: influx.url, token: influx.token, org: influx.org, bucket }),
    async values(bucket) {
      const rows = await influx.flux(
        `from(bucket: "${bucket}") |> range(start: 0) |> filter(fn: (r) => r._measurement == "m" and r._field == "v")`,
      );
      return rows.map((r) => Number(r['_value'])).sort((a, b) => a - b);
    },
    dispose: () => influx.dispose(),
  };
}

/** Real InfluxDB 1.8.10 with auth on, written through its 2.x-compatible API (`user:password`, `db/rp`). */
export async function startReal18(): Promise<RealServer & { readonly influx: Influxd }> {
  const admin = { username: 'homeiq', password: 'sink-password' };
  const influx = await startInfluxd({ binary: influxServerBinary('1.8'), admin });
  let n = 0;
  return {
    name: 'InfluxDB 1.8.10',
    influx,
    async newBucket() {
      const name = `d${++n}`;
      await influx.query(`CREATE DATABASE ${name}`);
      return `${name}/autogen`;
    },
    options: (bucket) => ({ url: influx.url, token: `${admin.username}:${admin.password}`, bucket }),
    async values(bucket) {
      const db = bucket.split('/')[0] ?? '';
      const rows = await influx.select('SELECT v FROM m', db);
      return rows.map((r) => r['v'] as number).sort((a, b) => a - b);
    },
    dispose: () => influx.dispose(),
  };
}
