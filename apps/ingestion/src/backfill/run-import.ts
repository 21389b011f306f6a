import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { compileGlobs, createEventNormalizer } from '@homeiq/event-normalizer';
import { createHaClient, type HaClientOptions } from '@homeiq/ha-client';
import { createInfluxSink } from '@homeiq/influx-sink';
import { createRegistryDiscovery } from '@homeiq/registry-discovery';
import type { Logger } from 'pino';
import type { IngestionConfig } from '../config/load-config.js';
import { influxSinkOptions } from '../pipeline/influx-sink-options.js';
import { normalizerOptions } from '../pipeline/normalizer-options.js';
import { libLogger } from '../pipeline/lib-logger.js';
import { createCheckpointFile, type ImportKey } from './checkpoint.js';
import {
  importHistory,
  type ImportHistoryOptions,
  type ImportProgress,
  type ImportSummary,
} from './import-history.js';

/** The checkpoint of an import, in DATA_DIR. */
export const CHECKPOINT_FILE = 'backfill-checkpoint.json';
/** Connection attempts before an import gives up on HA (the service itself retries forever). */
const HA_MAX_RETRIES = 5;

/** One import, as the CLI or the service's first start asks for it. */
export interface ImportRequest {
  readonly key: Omit<ImportKey, 'haUrl'>;
  readonly sinceUs: number;
  readonly untilUs: number;
  readonly entityGlobs: readonly string[];
  readonly dryRun: boolean;
  readonly pauseMs: number;
}

export interface RunImportOptions {
  readonly config: IngestionConfig;
  readonly request: ImportRequest;
  /** The libs' warnings (a refused line, a failed registry fetch). */
  readonly logger: Logger;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ImportProgress) => void;
  readonly onStartOver?: (previous: ImportKey) => void;
  readonly onResume?: () => void;
  /** Tests only. */
  readonly haSocketFactory?: HaClientOptions['createSocket'];
  /** Time per request, µs (tests make it small to have many slices). */
  readonly sliceUs?: number;
}

/**
 * Runs one import with the service's configuration: its own HA connection (a separate socket, so the live
 * service's events never queue behind a history answer), the registry read once for device and area tags, the
 * service's normalizer options with `source: 'recorder'` (`backfill=true`), and its own sink on the same bucket.
 */
export async function runImport(options: RunImportOptions): Promise<ImportSummary> {
  const { config, request, logger } = options;
  await mkdir(config.dataDir, { recursive: true });
  const ha = createHaClient({
    url: config.homeAssistant.url,
    accessToken: config.homeAssistant.token,
    maxRetries: HA_MAX_RETRIES,
    retryMaxDelayMs: Math.min(config.homeAssistant.retryMaxDelayMs, 30_000),
    heartbeatIntervalMs: config.homeAssistant.heartbeatIntervalMs,
    pongTimeoutMs: config.homeAssistant.pongTimeoutMs,
    ...(options.haSocketFactory && { createSocket: options.haSocketFactory }),
    logger: libLogger(logger, 'ha-client'),
  });
  const discovery = createRegistryDiscovery({
    connection: ha,
    logger: libLogger(logger, 'registry-discovery'),
  });
  const sink =
    request.dryRun || config.influx === undefined
      ? undefined
      : createInfluxSink(influxSinkOptions(config.influx, config, logger));
  try {
    ha.start();
    await ha.whenConnected({ signal: options.signal });
    await discovery.start();
    if (!(await discovery.refreshAll()))
      logger.warn('the registries could not be read: imported points carry no device or area tags');
    const normalizer = createEventNormalizer(normalizerOptions(config, discovery));
    const matcher = compileGlobs(request.entityGlobs);
    const importOptions: ImportHistoryOptions = {
      ha,
      key: { ...request.key, haUrl: config.homeAssistant.url },
      sinceUs: request.sinceUs,
      untilUs: request.untilUs,
      listEntities: async () => {
        const states = (await ha.sendCommand('get_states')) as readonly { entity_id?: unknown }[];
        return states
          .map((s) => s.entity_id)
          .filter((id): id is string => typeof id === 'string' && (matcher?.matches(id) ?? true))
          .sort();
      },
      normalize: (event) => {
        const result = normalizer.process(event, { source: 'recorder' });
        return result.ok ? result.line : undefined;
      },
      write: sink === undefined ? undefined : (lines) => sink.write(lines),
      checkpoint: createCheckpointFile(join(config.dataDir, CHECKPOINT_FILE)),
      pauseMs: request.pauseMs,
      ...(options.sliceUs !== undefined && { sliceUs: options.sliceUs }),
      ...(options.signal && { signal: options.signal }),
      ...(options.onProgress && { onProgress: options.onProgress }),
      ...(options.onStartOver && { onStartOver: options.onStartOver }),
      ...(options.onResume && { onResume: options.onResume }),
    };
    return await importHistory(importOptions);
  } finally {
    await sink?.close({ timeoutMs: 0 });
    await discovery.close();
    await ha.close();
  }
}

/** The service's sink options (pipeline/ingestion.ts), without a source: the import writes each slice itself. */
