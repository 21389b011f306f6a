import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  getFreePort,
  startInfluxd2,
  startService,
  startTcpProxy,
  waitSubscribed,
  type Influxd2,
  type ServiceProcess,
  type TcpProxy,
} from '@homeiq/testing';
import { adminCommands, type AdminCommands } from '../fixtures/real-target.js';
import { seedHome, type SeededHome } from '../home-setup.js';
import { startRealHa, type RealHa } from '../real-ha.js';
import type { WsMessage, WsSession } from '../ws-session.js';
import { isoToEpochNs } from './ha-time.js';

/** The parts of the service's `/health` the suites read. */
export interface Health {
  connection: { current_state: string; successful_connections: number; gaps_resynced: number };
  subscription: { is_subscribed: boolean; total_events_received: number };
  sink: { written: number; pending: number; spooled: number; dropped_by_reason: Record<string, number> };
  discovery: { devices: number; entities: number; areas: number };
  backfill: {
    enabled: boolean;
    gaps_filled: number;
    points_recovered: number;
    fallbacks_by_reason: Record<string, number>;
    last_gap: {
      from: string;
      to: string;
      entities_changed: number;
      points_recovered: number;
      fallbacks_by_reason: Record<string, number>;
      requests: number;
      duration_ms: number;
      error: string | null;
    } | null;
  };
}
export interface HaState {
  entity_id: string;
  state: string;
  attributes: Record<string, unknown>;
  last_updated: string;
}
export interface StateChanged {
  entity_id: string;
  new_state: HaState | null;
}
/** One InfluxDB row of `home_assistant_events`, keyed by column (`time` as an exact epoch-ns string). */
export type Row = Record<string, unknown>;

/** A window edge: the marker's change, its time in epoch ns and its position in the watcher's messages. */
export interface Marker {
  readonly change: StateChanged;
  readonly ns: bigint;
  readonly index: number;
}

/** Options of {@link startServiceStack}. */
export interface ServiceStackOptions {
  /** Connect the service to HA through a TCP proxy whose link the test can cut (`stack.haLink`). @default false */
  readonly cuttableHaLink?: boolean;
}

/** The service's link to HA, when it goes through the proxy. */
export interface HaLink {
  /** Closes the service's connection to HA and refuses new ones (the watcher, direct to HA, stays). */
  cut(): void;
  restore(): void;
}

/** A real influxd, a real onboarded and seeded HA, and the built service between them, with test helpers. */
export interface ServiceStack {
  /** A real InfluxDB 2.8 whose bucket `ha` the service writes to on the default (v2) path. */
  readonly influxd: Influxd2;
  readonly ha: RealHa;
  readonly seeded: SeededHome;
  readonly admin: AdminCommands;
  readonly service: ServiceProcess;
  /** The service's link to HA; throws unless started with `cuttableHaLink`. */
  readonly haLink: HaLink;
  /** Our own `state_changed` subscription on HA: the ground truth of what HA fired. */
  readonly watcher: WsSession;
  health(): Promise<Health>;
  /** Every point written at or after `fromNs` (epoch ns), oldest first. */
  pointsSince(fromNs: string | bigint): Promise<Row[]>;
  /** The points of one entity, oldest first. */
  rowsOf(entityId: string): Promise<Row[]>;
  /** `POST /api/states/<entity_id>`. */
  setState(entityId: string, state: string, attributes?: Record<string, unknown>): Promise<unknown>;
  /** `call_service` as the owner. */
  call(domain: string, service: string, entityId: string, data?: Record<string, unknown>): Promise<unknown>;
  /** Sets `sensor.homeiq_marker` and waits until the watcher saw it. */
  marker(value: string): Promise<Marker>;
  /** A new watcher subscription (after HA restarted, the old one is gone). */
  rewatch(): Promise<void>;
  dispose(): Promise<void>;
}

export const DB = 'ha';

/** The `state_changed` data of the event messages among `messages`. */
export const changesOf = (messages: readonly WsMessage[]): StateChanged[] =>
  messages.filter((m) => m['type'] === 'event').map((m) => (m['event'] as { data: StateChanged }).data);

/** HA's recorder `commit_interval` here (startRealHa's default, written into ha-config.ts), seconds. */
const RECORDER_COMMIT_INTERVAL_S = 1;

/** Starts InfluxDB 2.8, HA (seeded), the watcher and the service; resolves once the service is subscribed. */
export async function startServiceStack(options: ServiceStackOptions = {}): Promise<ServiceStack> {
  const influxd = await startInfluxd2({ bucket: DB });
  const ha = await startRealHa({ recorderCommitIntervalS: RECORDER_COMMIT_INTERVAL_S });
  const proxy: TcpProxy | undefined = options.cuttableHaLink
    ? await startTcpProxy({ target: new URL(ha.url).host })
    : undefined;
  const seeded = await seedHome(ha);
  const admin = await adminCommands(ha);
  const watch = async (): Promise<WsSession> => {
    const session = await ha.session();
    await session.command({ id: 1, type: 'subscribe_events', event_type: 'state_changed' });
    return session;
  };
  let watcher = await watch();
  const dataDir = await mkdtemp(join(tmpdir(), 'homeiq-real-ha-e2e-'));
  const port = await getFreePort();
  const service = await startService(
    {
      HOME_ASSISTANT_URL: proxy ? `http://${proxy.host}` : ha.url,
      HOME_ASSISTANT_TOKEN: ha.token,
      INFLUXDB_URL: influxd.url,
      INFLUXDB_TOKEN: influxd.writeToken,
      INFLUXDB_ORG: influxd.org,
      INFLUXDB_BUCKET: DB,
      WEBSOCKET_INGESTION_PORT: String(port),
      DATA_DIR: dataDir,
      BATCH_TIMEOUT: '0.1',
      LOG_LEVEL: 'warn',
      // The backfill reads a gap once its newest change is commit_interval + 1 s old: 2 s here, not 6.
      HA_RECORDER_COMMIT_INTERVAL: String(RECORDER_COMMIT_INTERVAL_S),
      // A cut link is seen at once (the socket closes); a silent one within 2 + 3 s.
      HA_HEARTBEAT_INTERVAL: '2',
      HA_PONG_TIMEOUT: '3',
      // Back within about a second of HA (or the link) returning, instead of up to the 300 s cap; and no circuit
      // breaker opening on the refusals of a 30 s cut or a restart (its 30 s cool-down has no variable:
      // `circuitCooldownMs`, libs/ha-client/src/options.ts).
      WEBSOCKET_MAX_RETRY_DELAY: '1',
      CIRCUIT_BREAKER_THRESHOLD: '1000',
    },
    port,
  );
  const health = (): Promise<Health> => service.get<Health>('/health');
  await waitSubscribed(service, 20_000);

  const setState = (entityId: string, state: string, attributes: Record<string, unknown> = {}) =>
    ha.rest('POST', `/api/states/${entityId}`, { state, attributes });
  return {
    influxd,
    ha,
    seeded,
    admin,
    service,
    haLink: {
      cut() {
        if (!proxy) throw new Error('startServiceStack({ cuttableHaLink: true }) puts a cuttable link in');
        proxy.cut();
      },
      restore() {
        if (!proxy) throw new Error('startServiceStack({ cuttableHaLink: true }) puts a cuttable link in');
        proxy.restore();
      },
    },
    get watcher() {
      return watcher;
    },
    health,
    pointsSince: (fromNs) =>
      influxd.select(`SELECT * FROM home_assistant_events WHERE time >= ${String(fromNs)} ORDER BY time`, DB),
    rowsOf: (entityId) =>
      influxd.select(`SELECT * FROM home_assistant_events WHERE entity_id = '${entityId}' ORDER BY time`, DB),
    setState,
    call: (domain, serviceName, entityId, data = {}) =>
      admin.run('call_service', {
        domain,
        service: serviceName,
        target: { entity_id: entityId },
        service_data: data,
      }),
    async marker(value) {
      await setState('sensor.homeiq_marker', value);
      const message = await watcher.next((m) => {
        const data = (m['event'] as { data?: StateChanged } | undefined)?.data;
        return data?.entity_id === 'sensor.homeiq_marker' && data.new_state?.state === value;
      });
      const change = (message['event'] as { data: StateChanged }).data;
      const ns = BigInt(isoToEpochNs(change.new_state?.last_updated ?? ''));
      return { change, ns, index: watcher.messages.indexOf(message) };
    },
    async rewatch() {
      await watcher.close();
      watcher = await watch();
    },
    async dispose() {
      await service.stop('SIGKILL');
      await proxy?.dispose();
      await watcher.close();
      await admin.close();
      await ha.dispose();
      await influxd.dispose();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
