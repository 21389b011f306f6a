import { join } from 'node:path';
import {
  createBackpressureQueue,
  type BackpressureQueue,
  type BackpressureQueueOptions,
  type DropEvent,
} from '@homeiq/backpressure-queue';
import { createEventNormalizer, type EventNormalizer } from '@homeiq/event-normalizer';
import { createHaClient, type HaClient, type HaClientOptions } from '@homeiq/ha-client';
import { createInfluxSink, type InfluxSink, type InfluxTransport } from '@homeiq/influx-sink';
import {
  createDataApiRegistryStore,
  createRegistryDiscovery,
  createSqliteRegistryStore,
  type RegistryDiscovery,
  type RegistryStore,
} from '@homeiq/registry-discovery';
import type { Logger } from 'pino';
import { startFirstStartImport, type FirstStartImport } from '../backfill/first-start-import.js';
import type { IngestionConfig } from '../config/load-config.js';
import { createLiveStream, type LiveStream } from '../http/live-stream.js';
import { createDurableWatermark } from './durable-watermark.js';
import { createGapBackfill } from './gap-backfill.js';
import { createGapResync, type GapResyncStats } from './gap-resync.js';
import { haConnectionLog } from './ha-connection-log.js';
import { influxSinkOptions } from './influx-sink-options.js';
import { normalizerOptions } from './normalizer-options.js';
import { createIntake } from './intake.js';
import { libLogger, registryDropLog, throttledDropLog } from './lib-logger.js';
import { createStateMemory } from './state-memory.js';
import { createStateSnapshotSaver, loadStateSnapshot } from './state-snapshot.js';

/** How often the state memory is saved for a restart resync (one interval behind: see state-snapshot.ts). */
const STATE_SNAPSHOT_INTERVAL_MS = 60_000;
/** How often the durable watermark advances: a crash may write again what became durable in its last interval. */
const WATERMARK_INTERVAL_MS = 250;

/** What tests (and the benchmarks) may replace; production uses the defaults. */
export interface IngestionOverrides {
  readonly haSocketFactory?: HaClientOptions['createSocket'];
  readonly influxTransport?: InfluxTransport;
}

/** The running pipeline: HA → normalizer (enriched by discovery) → queue → sink, plus the live stream. */
export interface Ingestion {
  readonly config: IngestionConfig;
  readonly ha: HaClient;
  readonly normalizer: EventNormalizer;
  readonly queue: BackpressureQueue;
  /** Undefined without INFLUXDB_URL: points then wait in the queue and its spool. */
  readonly sink: InfluxSink | undefined;
  readonly discovery: RegistryDiscovery;
  readonly store: RegistryStore;
  readonly liveStream: LiveStream;
  /** Resyncs after gaps, and points they wrote. */
  resyncStats(): GapResyncStats;
  /** Opens the store, starts discovery and the HA connection. Never fails because HA or InfluxDB is down. */
  start(): Promise<void>;
  /** Stops intake, then writes or spills everything within `deadlineMs`, then closes every part. */
  close(deadlineMs: number): Promise<void>;
}

/**
 * The composition root: builds the pipeline from the validated configuration and wires the parts' hooks to the
 * operator's log. The hot path is intake.ts, what a gap resyncs is gap-resync.ts. Nothing connects until `start()`.
 */
export function createIngestion(
  config: IngestionConfig,
  logger: Logger,
  overrides: IngestionOverrides = {},
): Ingestion {
  const log = logger.child({ component: 'ingestion' });
  const haUrl = config.homeAssistant.url;
  const snapshotPath = join(config.dataDir, 'state-memory.json');
  const memory = createStateMemory(loadStateSnapshot(snapshotPath, haUrl, log));
  const newInstall = memory.size === 0;
  let firstImport: FirstStartImport | undefined;
  const snapshots = createStateSnapshotSaver({ path: snapshotPath, haUrl, memory, log });
  let snapshotTimer: NodeJS.Timeout | undefined;
  const watermark = createDurableWatermark({ path: join(config.dataDir, 'watermark.json'), haUrl, log });
  let watermarkTimer: NodeJS.Timeout | undefined;
  const liveStream = createLiveStream({ maxClients: config.http.wsMaxClients });
  const logDrop = throttledDropLog(log);
  // Dropped lines become a hole the recorder fills (gap-resync.ts); those dropped before it exists (a corrupt
  // region found as the spool opens) wait here.
  const earlyDrops: DropEvent[] = [];
  let linesLost = (drop: DropEvent): void => {
    earlyDrops.push(drop);
  };

  const queue = createBackpressureQueue({
    maxPending: config.queue.maxPendingPoints,
    overflow: config.queue.overflowStrategy,
    batchSize: config.queue.batchSize,
    batchTimeoutMs: config.queue.batchTimeoutMs,
    ...(config.queue.overflowStrategy === 'spill' && { spool: spoolOptions(config) }),
    onDrop: (drop) => {
      // Lines lost to spool corruption are logged once per corrupt region, with the region, just below.
      if (drop.reason !== 'spool_corrupt') logDrop(drop.reason, drop.count);
      linesLost(drop);
    },
    onSpoolCorrupt: ({ file, offset, bytes, lines, linesKnown, tail }) => {
      const counted = linesKnown ? `${lines} points lost` : `at least ${lines} points lost (count unknown)`;
      log.error(
        { file, offset, bytes, points: lines, count_known: linesKnown, tail },
        `corrupt spool region skipped: ${counted} (counted as dropped spool_corrupt)`,
      );
    },
    logger: libLogger(logger, 'queue'),
  });

  // The queue holds its spool's lock and files from here on: a later part that cannot be built gives them back, so
  // that this process (a test, an embedding) may build the pipeline again.
  const releaseOnThrow = <T>(
    build: () => T,
    holder: { close(options: { timeoutMs: number }): Promise<unknown> },
  ): T => {
    try {
      return build();
    } catch (error) {
      liveStream.close();
      void holder.close({ timeoutMs: 0 });
      throw error;
    }
  };
  const influx = config.influx;
  const sink =
    influx === undefined
      ? undefined
      : releaseOnThrow(
          () =>
            createInfluxSink({
              ...influxSinkOptions(influx, config, logger),
              source: queue,
              ...(overrides.influxTransport && { transport: overrides.influxTransport }),
            }),
          queue,
        );

  const store: RegistryStore = releaseOnThrow(
    () =>
      config.dataApi
        ? createDataApiRegistryStore({
            url: config.dataApi.url,
            apiKey: config.dataApi.apiKey,
            logger: libLogger(logger, 'data-api'),
          })
        : createSqliteRegistryStore({ dataDir: config.dataDir }),
    // The sink closes its source (the queue) too.
    sink ?? queue,
  );

  const connectionLog = haConnectionLog(log);
  const ha = createHaClient({
    url: config.homeAssistant.url,
    accessToken: config.homeAssistant.token,
    maxRetries: config.homeAssistant.maxRetries,
    retryMaxDelayMs: config.homeAssistant.retryMaxDelayMs,
    circuitFailureThreshold: config.homeAssistant.circuitFailureThreshold,
    heartbeatIntervalMs: config.homeAssistant.heartbeatIntervalMs,
    pongTimeoutMs: config.homeAssistant.pongTimeoutMs,
    ...(overrides.haSocketFactory && { createSocket: overrides.haSocketFactory }),
    logger: libLogger(logger, 'ha-client'),
    ...connectionLog,
    onDisconnected: (info) => {
      connectionLog.onDisconnected(info);
      // What the service knows now is the base of the gap: changes that arrive live after the reconnect must not
      // hide the recorder's changes before them.
      resync.connectionLost();
    },
    onConnected: ({ haVersion, reconnect }) => {
      log.info({ haVersion, reconnect }, 'Connected to Home Assistant');
      void discovery.refreshAll();
      if (!reconnect) void resync.onFirstConnection(Date.now());
      // HA_RECORDER_IMPORT_DAYS: its own connection and pace, in the background (backfill/first-start-import.ts).
      if (!reconnect && config.homeAssistant.recorderImportDays > 0 && firstImport === undefined)
        firstImport = startFirstStartImport({ config, log, connectedAtMs: Date.now(), newInstall });
    },
    onGap: (gap) => {
      void resync.afterGap(gap);
    },
  });

  const discovery = createRegistryDiscovery({
    connection: ha,
    store,
    logger: libLogger(logger, 'registry-discovery'),
    onDrop: registryDropLog(log),
    ...(config.storeDeviceHistory && {
      historyPrecision: config.points.precision,
      historyWriter: (lines: readonly string[]) => {
        for (const line of lines) queue.push(line);
      },
    }),
  });

  const normalizer = createEventNormalizer(normalizerOptions(config, discovery));

  const intake = createIntake({ memory, normalizer, queue, liveStream, watermark });
  // The last run's memory: the first connection then resyncs what changed while the service was stopped.
  const resync = createGapResync({
    ha,
    memory,
    intake,
    // A crash before any memory was saved still left a watermark: with the recorder, the gap since it is filled too.
    restored: memory.size > 0 || (config.homeAssistant.recorderBackfill && watermark.restored !== undefined),
    ...(watermark.restored !== undefined && { durableUntilUs: watermark.restored }),
    ...(config.homeAssistant.recorderBackfill && {
      backfill: createGapBackfill({ ha, commitWaitMs: config.homeAssistant.recorderCommitWaitMs }),
    }),
    // Nothing from a previous run (no spooled lines, no corrupt region dropped as the spool opened).
    queueEmptyAtStart: (queue.stats().spool?.pendingLines ?? 0) === 0 && earlyDrops.length === 0,
    precision: config.points.precision,
    log,
  });
  linesLost = (drop) => {
    resync.linesLost(drop);
  };
  for (const drop of earlyDrops.splice(0)) resync.linesLost(drop);

  return {
    config,
    ha,
    normalizer,
    queue,
    sink,
    discovery,
    store,
    liveStream,
    resyncStats: () => resync.stats(),
    async start() {
      await discovery.start();
      ha.subscribeEvents('state_changed', (event) => {
        intake.ingest(event);
      });
      ha.start();
      snapshotTimer = setInterval(() => void snapshots.tick(), STATE_SNAPSHOT_INTERVAL_MS);
      snapshotTimer.unref();
      watermarkTimer = setInterval(() => {
        const stats = queue.stats();
        void watermark.tick(stats.oldestPendingAgeMs);
        // Dropped lines are read back once everything queued is written (gap-resync.ts lostTick).
        const oldestAgeMs = Math.max(stats.oldestPendingAgeMs ?? -1, stats.spool?.oldestAgeMs ?? -1);
        void resync.lostTick({
          empty: stats.pending === 0 && (stats.spool?.pendingLines ?? 0) === 0,
          oldestPushedAtMs: oldestAgeMs < 0 ? undefined : Date.now() - oldestAgeMs,
          room: stats.maxPending - stats.pending,
        });
      }, WATERMARK_INTERVAL_MS);
      watermarkTimer.unref();
    },
    async close(deadlineMs) {
      intake.close();
      await firstImport?.close();
      clearInterval(snapshotTimer);
      clearInterval(watermarkTimer);
      // Closing the connection ends its subscriptions; an unsubscribe round trip first would only add latency.
      await ha.close();
      await discovery.close();
      // The sink closes its source (the queue): memory drains through it until the deadline, the rest spills.
      if (sink) await sink.close({ timeoutMs: deadlineMs });
      else await queue.close({ timeoutMs: 0 });
      // Everything observed is written or spilled now, unless the close had to drop some (no spool): then the
      // last periodic snapshot, older than those points, stays, so the restart resyncs their entities.
      if (queue.stats().dropped.closed === 0) {
        await snapshots.saveNow();
        await watermark.tick(undefined);
      }
      await store.close();
      liveStream.close();
    },
  };
}

/**
 * The spool in DATA_DIR within INFLUXDB_SPOOL_MAX_MB, in segments of 8 MiB, or of half a smaller budget: the queue
 * evicts a segment at a time, so the budget must hold two.
 */
function spoolOptions(config: IngestionConfig): NonNullable<BackpressureQueueOptions['spool']> {
  const maxBytes = config.queue.spoolMaxBytes;
  return {
    dir: join(config.dataDir, 'spool'),
    maxBytes,
    segmentMaxBytes: Math.min(8 * 1024 * 1024, Math.floor(maxBytes / 2)),
  };
}
