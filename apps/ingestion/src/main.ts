/**
 * The service's entry point: the only place that reads the environment, builds the dependencies, binds the port
 * and handles signals. Everything else takes its dependencies as arguments.
 */
import type { Logger } from 'pino';
import { loadConfig, mergeDotEnv, type IngestionConfig } from './config/load-config.js';
import { createApp } from './http/app.js';
import { createRegistryApi } from './http/registry-api/index.js';
import { startHttpServer, type HttpServer } from './http/server.js';
import { createStatusHistory } from './http/status-history.js';
import { createLogger } from './logger.js';
import { createHealthReport } from './pipeline/health-report.js';
import { createIngestion, type Ingestion } from './pipeline/ingestion.js';
import { createIngestionMetrics } from './pipeline/metrics.js';
import { explainStartupFailure } from './startup/explain-failure.js';
import { readOptionalFile } from './startup/optional-file.js';
import { prepareFileSystem } from './startup/prepare-file-system.js';

/** Exit codes (README, Configuration): 2 a setting is invalid, 3 start-up failed; 1 is left to a failed shutdown. */
const EXIT_BAD_CONFIG = 2;
const EXIT_STARTUP_FAILED = 3;

async function main(): Promise<void> {
  const dotEnv = readOptionalFile('.env');
  if ('problem' in dotEnv) {
    process.stderr.write(`Invalid configuration, nothing was started:\n  - ${dotEnv.problem}\n`);
    process.exit(EXIT_BAD_CONFIG);
  }
  // The YAML parser only for INFLUXDB_HA_CONFIG: every other start keeps its ~2 MB of code out of memory.
  const wantsYaml = mergeDotEnv(process.env, dotEnv.text).env['INFLUXDB_HA_CONFIG'] !== undefined;
  const yaml = wantsYaml ? await import('yaml') : undefined;
  const result = loadConfig(process.env, dotEnv.text, { yaml });
  for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
  if (!result.ok) {
    process.stderr.write(
      `Invalid configuration, nothing was started:\n  - ${result.problems.join('\n  - ')}\n`,
    );
    process.exit(EXIT_BAD_CONFIG);
  }
  const { config } = result;
  const fail = (error: unknown): never => {
    const failure = explainStartupFailure(error, { port: config.port, dataDir: config.dataDir });
    process.stderr.write(`Start-up failed, nothing is running: ${failure.message} [${failure.code}]\n`);
    process.exit(EXIT_STARTUP_FAILED);
  };
  // An error event nobody listens to (a log file that fails after its check) would end start-up in a stack trace.
  process.once('uncaughtException', fail);
  const { logger, ingestion, server } = await startUp(config).catch(fail);
  process.off('uncaughtException', fail);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, deadlineMs: config.shutdownTimeoutMs }, 'shutting down: flushing queued points');
    void ingestion
      .close(config.shutdownTimeoutMs)
      .then(() => server.close())
      .then(
        () => {
          logger.info('stopped cleanly');
          logger.flush();
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ error: String(error) }, 'shutdown failed');
          logger.flush();
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/**
 * Every start-up step in order: the paths to write (with deadlines), the logger, the pipeline (which opens the spool
 * and its lock, and the SQLite store), the port, then the connections. Anything thrown is explained by main().
 */
async function startUp(config: IngestionConfig): Promise<{
  readonly logger: Logger;
  readonly ingestion: Ingestion;
  readonly server: HttpServer;
}> {
  await prepareFileSystem(config);
  const logger = createLogger(config.log);
  const ingestion = createIngestion(config, logger);
  const report = createHealthReport(ingestion, { maxMemoryMb: config.maxMemoryMb });
  const metrics = createIngestionMetrics(ingestion, report.health);
  // The status page's charts of the last five minutes; its timer does not hold the process at shutdown.
  const statusHistory = createStatusHistory({ readMetrics: () => metrics.metrics() });
  const app = createApp({
    health: () => report.body(),
    metrics,
    statusHistory,
    liveStream: ingestion.liveStream,
    registry: createRegistryApi({ view: ingestion.discovery.view() }),
    apiToken: config.http.apiToken,
    corsAllowedOrigins: config.http.corsAllowedOrigins,
    allowedHosts: config.http.allowedHosts,
    ingressProxies: config.http.ingressProxies,
  });
  const host = config.host ?? '0.0.0.0';
  const server = await startHttpServer(app, config.port, host);
  const shown = host.includes(':') ? `[${host}]` : host;
  logger.info({ host, port: server.port }, `HomeIQ Ingest listening on http://${shown}:${server.port}`);
  await ingestion.start();
  return { logger, ingestion, server };
}

void main();
