import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childServer } from './child-server.js';
import { parseFluxTables, type FluxTable } from './flux-csv.js';
import type { InfluxQueryResult } from './influxd.js';
import { getFreePort } from './ports.js';
import { influxServerBinary } from './server-binaries.js';

/** Options of {@link startInfluxd2}. */
export interface Influxd2Options {
  /** Path of the InfluxDB 2.x `influxd`. @default the cached 2.8.0 build (`influxServerBinary('2.8')`) */
  readonly binary?: string;
  /** Organization, bucket and operator token created by `/api/v2/setup`. @default 'homeiq', 'home', 'operator-token' */
  readonly org?: string;
  readonly bucket?: string;
  readonly token?: string;
  /** How long to wait for `/health` after a start. @default 30000 */
  readonly startTimeoutMs?: number;
}

/** Which buckets (by name) a token created by {@link Influxd2.createToken} may write and read. */
export interface TokenPermissions {
  readonly write?: readonly string[];
  readonly read?: readonly string[];
}

/** A real InfluxDB 2.x on a loopback port, set up and owned by a test. */
export interface Influxd2 {
  readonly url: string;
  readonly port: number;
  readonly org: string;
  readonly orgID: string;
  /** The bucket made by the setup. */
  readonly bucket: string;
  /** The operator token (all access). */
  readonly token: string;
  /** A second token that may write to `bucket` only: no read, no other bucket. */
  readonly writeToken: string;
  readonly dataDir: string;
  readonly running: boolean;
  /** Creates a bucket (infinite retention unless `retentionSeconds`) and returns its ID. */
  createBucket(name: string, retentionSeconds?: number): Promise<string>;
  /** Creates a token with exactly these bucket permissions. */
  createToken(permissions: TokenPermissions): Promise<string>;
  /** Runs a Flux query (POST /api/v2/query, CSV) as the operator; rows keyed by column, values as text. */
  flux(query: string): Promise<Record<string, string>[]>;
  /** The same, as tables whose columns carry their Flux data type (`double`, `string`, `long`, …). */
  fluxTables(query: string): Promise<FluxTable[]>;
  /** Runs InfluxQL through the v1-compatible `/query?db=<bucket>`, times as exact epoch-ns strings. */
  influxql(q: string, bucket: string): Promise<InfluxQueryResult>;
  /** The rows of the first series of an InfluxQL SELECT or SHOW, keyed by column (as `Influxd.select`). */
  select(q: string, bucket: string): Promise<Record<string, unknown>[]>;
  /** Writes line protocol (ns precision) to `bucket` as the operator; throws unless InfluxDB answers 204. */
  write(lines: string, bucket?: string): Promise<void>;
  /** SIGTERM, keeping the data for `start()`. */
  stop(): Promise<void>;
  /** SIGKILL (a crash), keeping the data for `start()`. */
  kill(): Promise<void>;
  /** Starts again on the same port and data. */
  start(): Promise<void>;
  /** Stops the process and removes its temp dir. */
  dispose(): Promise<void>;
}

/**
 * Starts a real InfluxDB 2.x (the cached 2.8.0 build) with its bolt, engine and SQLite files in a temp dir, and sets
 * it up through `POST /api/v2/setup`. API: https://docs.influxdata.com/influxdb/v2/api/ (setup, buckets,
 * authorizations, query).
 */
export async function startInfluxd2(options: Influxd2Options = {}): Promise<Influxd2> {
  const binary = options.binary ?? influxServerBinary('2.8');
  const org = options.org ?? 'homeiq';
  const bucket = options.bucket ?? 'home';
  const token = options.token ?? 'operator-token';
  const dataDir = await mkdtemp(join(tmpdir(), 'homeiq-influxd2-'));
  const port = await getFreePort();
  const url = `http://127.0.0.1:${port}`;
  const server = childServer({
    name: `influxd 2.x (${binary})`,
    binary,
    args: [
      `--bolt-path=${join(dataDir, 'influxd.bolt')}`,
      `--engine-path=${join(dataDir, 'engine')}`,
      `--sqlite-path=${join(dataDir, 'influxd.sqlite')}`,
      `--http-bind-address=127.0.0.1:${String(port)}`,
      '--reporting-disabled',
      '--log-level=error',
    ],
    ready: async () => (await fetch(`${url}/health`)).status === 200,
    startTimeoutMs: options.startTimeoutMs ?? 30_000,
  });

  async function api<T>(method: string, path: string, body: unknown, expected: number): Promise<T> {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Token ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status !== expected) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    return JSON.parse(text) as T;
  }

  try {
    await server.start();
    const setup = await api<{ org: { id: string }; bucket: { id: string } }>(
      'POST',
      '/api/v2/setup',
      { username: 'admin', password: 'admin-password', org, bucket, token },
      201,
    );
    const orgID = setup.org.id;
    const bucketIDs = new Map([[bucket, setup.bucket.id]]);
    const bucketID = (name: string): string => {
      const id = bucketIDs.get(name);
      if (id === undefined) throw new Error(`no bucket "${name}" was created by this helper`);
      return id;
    };
    const resource = (name: string): { type: string; id: string; orgID: string } => ({
      type: 'buckets',
      id: bucketID(name),
      orgID,
    });
    async function createToken(permissions: TokenPermissions): Promise<string> {
      const list = [
        ...(permissions.write ?? []).map((b) => ({ action: 'write', resource: resource(b) })),
        ...(permissions.read ?? []).map((b) => ({ action: 'read', resource: resource(b) })),
      ];
      const auth = await api<{ token: string }>(
        'POST',
        '/api/v2/authorizations',
        { orgID, description: 'test token', permissions: list },
        201,
      );
      return auth.token;
    }
    async function influxql(q: string, db: string): Promise<InfluxQueryResult> {
      const params = new URLSearchParams({ q, db, epoch: 'ns' });
      const res = await fetch(`${url}/query?${params.toString()}`, {
        headers: { authorization: `Token ${token}` },
      });
      // Epoch-ns times exceed 2^53: keep the time column (first) as a string so it stays exact.
      const text = (await res.text()).replace(/\[(\d{16,}),/g, '["$1",');
      const body = JSON.parse(text) as InfluxQueryResult;
      const error = body.error ?? body.results.find((r) => r.error !== undefined)?.error;
      if (!res.ok || error !== undefined)
        throw new Error(`InfluxQL failed (${res.status}): ${error ?? ''}: ${q}`);
      return body;
    }
    async function fluxTables(query: string): Promise<FluxTable[]> {
      const res = await fetch(`${url}/api/v2/query?org=${encodeURIComponent(org)}`, {
        method: 'POST',
        headers: {
          authorization: `Token ${token}`,
          'content-type': 'application/json',
          accept: 'application/csv',
        },
        body: JSON.stringify({ query, type: 'flux', dialect: { header: true, annotations: ['datatype'] } }),
      });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`Flux query answered ${res.status}: ${text}\n${query}`);
      return parseFluxTables(text);
    }
    const writeToken = await createToken({ write: [bucket] });
    return {
      url,
      port,
      org,
      orgID,
      bucket,
      token,
      writeToken,
      dataDir,
      get running() {
        return server.running;
      },
      async createBucket(name, retentionSeconds) {
        const retentionRules =
          retentionSeconds === undefined ? [] : [{ type: 'expire', everySeconds: retentionSeconds }];
        const created = await api<{ id: string }>(
          'POST',
          '/api/v2/buckets',
          { orgID, name, retentionRules },
          201,
        );
        bucketIDs.set(name, created.id);
        return created.id;
      },
      createToken,
      flux: async (query) => (await fluxTables(query)).flatMap((t) => t.rows),
      fluxTables,
      influxql,
      async select(q, db) {
        const series = (await influxql(q, db)).results[0]?.series?.[0];
        if (!series) return [];
        return series.values.map((row) => Object.fromEntries(series.columns.map((c, i) => [c, row[i]])));
      },
      async write(lines, to = bucket) {
        const query = new URLSearchParams({ org, bucket: to, precision: 'ns' });
        const res = await fetch(`${url}/api/v2/write?${query.toString()}`, {
          method: 'POST',
          headers: { authorization: `Token ${token}` },
          body: lines,
        });
        if (res.status !== 204) throw new Error(`write to ${to} answered ${res.status}: ${await res.text()}`);
      },
      stop: () => server.stop(),
      kill: () => server.kill(),
      start: () => server.start(),
      async dispose() {
        await server.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await server.kill();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
