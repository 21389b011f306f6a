import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HaSim } from '@homeiq/ha-sim';
import {
  getFreePort,
  startService,
  waitFor,
  type FaultProxy,
  type Influxd2,
  type ServiceProcess,
} from '@homeiq/testing';
import { readHealth, readMetrics, type Health, type Metrics } from './service-api.js';
import { storedCount, storedRows, type StoredRow } from './stored.js';

/** The measurement of the service's default (`homeiq`) schema. */
export const MEASUREMENT = 'home_assistant_events';

/** Options of {@link startRig}. */
export interface RigOptions {
  /** A running real InfluxDB 2.8; the rig creates the bucket `database` on it. */
  readonly influxd: Influxd2;
  /** Bucket for this rig's points (one per rig keeps scenarios' counts apart). */
  readonly database: string;
  readonly sim: HaSim;
  /** Service variables on top of the rig's (which point it at `sim` and `influxd`). */
  readonly env?: Readonly<Record<string, string>>;
  /** Write through this fault proxy (which forwards to `influxd`) instead of to `influxd` itself. */
  readonly proxy?: FaultProxy;
  /** Wait for the `state_changed` subscription before returning. @default true */
  readonly waitSubscribed?: boolean;
}

/** `state_changed`, plus the four `*_registry_updated` event types registry discovery subscribes to. */
export const SERVICE_SUBSCRIPTIONS = 5;

/** A point as the scenarios compare it: its series' entity, its exact time, and the fields that tell its origin. */
export type Row = StoredRow;

/** The service process (restartable on the same data dir), its HA and its InfluxDB, for one scenario. */
export interface Rig {
  readonly sim: HaSim;
  readonly influxd: Influxd2;
  readonly database: string;
  readonly dataDir: string;
  readonly service: ServiceProcess;
  /** The variables the service runs with. */
  readonly env: Readonly<Record<string, string>>;
  health(): Promise<Health>;
  metrics(): Promise<Metrics>;
  /** Points in the scenario's bucket that hold a `state` (Flux `count()`). */
  count(): Promise<number>;
  /** Every point of the measurement, in time order (Flux). */
  rows(): Promise<Row[]>;
  /** Stops the service with `signal` and resolves with its exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Starts the service again on the same port and data dir (with `env` on top), waiting for `/health`. */
  restart(env?: Readonly<Record<string, string>>): Promise<void>;
  waitSubscribed(timeoutMs?: number): Promise<void>;
  /** Kills the service if it runs and removes the data dir. The sim and influxd belong to the caller. */
  dispose(): Promise<void>;
}

/**
 * Starts the service against `sim` and a real InfluxDB 2.8 on the default `INFLUXDB_API_VERSION=2` path, directly or
 * through `proxy`, with the operator token.
 */
export async function startRig(options: RigOptions): Promise<Rig> {
  const { influxd, database, sim, proxy } = options;
  await influxd.createBucket(database);
  const dataDir = await mkdtemp(join(tmpdir(), 'homeiq-faults-'));
  const port = await getFreePort();
  const influxEnv: Record<string, string> = {
    INFLUXDB_URL: (proxy ?? influxd).url,
    INFLUXDB_API_VERSION: '2',
    INFLUXDB_TOKEN: influxd.token,
    INFLUXDB_ORG: influxd.org,
    INFLUXDB_BUCKET: database,
  };
  const env: Record<string, string> = {
    HOME_ASSISTANT_URL: sim.url,
    HOME_ASSISTANT_TOKEN: sim.token,
    WEBSOCKET_INGESTION_PORT: String(port),
    DATA_DIR: dataDir,
    BATCH_TIMEOUT: '0.2',
    LOG_LEVEL: 'warn',
    // The service waits this (plus a second) before reading a gap back: the simulator's own interval.
    ...(sim.recorder && {
      HA_RECORDER_COMMIT_INTERVAL: String(sim.recorder.options.commitIntervalMs / 1000),
    }),
    ...influxEnv,
    ...options.env,
  };
  let service = await startService(env, port);
  let current = env;

  const rig: Rig = {
    sim,
    influxd,
    database,
    dataDir,
    get service() {
      return service;
    },
    get env() {
      return current;
    },
    health: () => readHealth(service),
    metrics: () => readMetrics(service),
    count: () => storedCount(influxd, database, MEASUREMENT),
    rows: () => storedRows(influxd, database, MEASUREMENT),
    stop: (signal = 'SIGTERM') => service.stop(signal),
    async restart(extra = {}) {
      current = { ...env, ...extra };
      service = await startService(current, port);
    },
    async waitSubscribed(timeoutMs = 15_000) {
      // /health says subscribed once HA acknowledged every subscription; the simulator's count checks it.
      await waitFor(
        async () =>
          (await readHealth(service)).subscription.is_subscribed &&
          sim.connections().some((c) => c.authenticated && c.subscriptions >= SERVICE_SUBSCRIPTIONS),
        timeoutMs,
        () => service.output(),
      );
    },
    async dispose() {
      await service.stop('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  if (options.waitSubscribed !== false) {
    try {
      await rig.waitSubscribed();
    } catch (error) {
      await rig.dispose(); // not yet in the world's list: a live child would keep jest from exiting
      throw error;
    }
  }
  return rig;
}
