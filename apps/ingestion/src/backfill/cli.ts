/**
 * `npm run backfill -- --since 7d` (or `node apps/ingestion/dist/backfill/cli.js` in the image): imports the
 * recorder's history into InfluxDB with the service's configuration (environment and `.env`, README
 * "Importing history"). Exit codes: 0 done, 1 failed after retries (or interrupted; run again to resume),
 * 2 bad arguments or configuration.
 */
import pino from 'pino';
import * as yaml from 'yaml';
import { loadConfig } from '../config/load-config.js';
import { isoFromMicros } from '../pipeline/recorder-history.js';
import { readOptionalFile } from '../startup/optional-file.js';
import { parseImportArgs, USAGE } from './args.js';
import { ImportError } from './import-error.js';
import { readImportMarker } from './import-marker.js';
import { createProgressReporter } from './progress.js';
import { runImport } from './run-import.js';

const EXIT_FAILED = 1;
const EXIT_BAD_INPUT = 2;

async function main(): Promise<number> {
  const err = (text: string): void => {
    process.stderr.write(`${text}\n`);
  };
  const parsed = parseImportArgs(process.argv.slice(2), Date.now());
  if (!parsed.ok) {
    err(`backfill: ${parsed.message}\n\n${USAGE}`);
    return EXIT_BAD_INPUT;
  }
  const { args } = parsed;
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const dotEnv = readOptionalFile('.env');
  if ('problem' in dotEnv) {
    err(`Invalid configuration, nothing was imported:\n  - ${dotEnv.problem}`);
    return EXIT_BAD_INPUT;
  }
  const result = loadConfig(process.env, dotEnv.text, { yaml });
  for (const warning of result.warnings) err(`warning: ${warning}`);
  if (!result.ok) {
    err(`Invalid configuration, nothing was imported:\n  - ${result.problems.join('\n  - ')}`);
    return EXIT_BAD_INPUT;
  }
  const { config } = result;
  if (config.influx === undefined && !args.dryRun) {
    err(
      'Invalid configuration, nothing was imported:\n  - INFLUXDB_URL is required to import (or use --dry-run)',
    );
    return EXIT_BAD_INPUT;
  }
  // Without --until: up to the live service's first connection when the first-start import recorded it (the live
  // stream wrote what came after), else now. Imported over live points, a point keeps its context fields but its
  // attributes become what the recorder kept (docs/ha-history.md#attributes-that-are-not-recorded).
  const marker = args.untilUs === undefined ? await readImportMarker(config.dataDir) : undefined;
  const markerUs = marker?.untilUs;
  const effectiveUntilUs =
    args.untilUs ?? (markerUs !== undefined && markerUs > args.sinceUs ? markerUs : Date.now() * 1000);
  const logger = pino({ level: 'warn', base: null }, pino.destination({ fd: 2, sync: true }));
  const abort = new AbortController();
  const interrupt = (): void => {
    err('\ninterrupted: stopping after the current slice (the checkpoint keeps what was written)');
    abort.abort();
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  // Node types both as always set; they are undefined when stdout is a pipe or a file.
  const stdout: { readonly isTTY?: boolean; readonly columns?: number } = process.stdout;
  const tty = stdout.isTTY ?? false;
  const columns = stdout.columns ?? 80;
  const reporter = createProgressReporter({
    write: (text) => {
      process.stdout.write(text);
    },
    tty,
    columns,
  });
  const window = `${isoFromMicros(args.sinceUs)} → ${isoFromMicros(effectiveUntilUs)}`;
  process.stdout.write(`importing ${window}${args.dryRun ? ' (dry run: nothing is written)' : ''}\n`);
  try {
    const summary = await runImport({
      config,
      request: {
        key: { since: args.sinceText, until: args.untilText ?? null, entityGlobs: args.entityGlobs },
        sinceUs: args.sinceUs,
        untilUs: effectiveUntilUs,
        entityGlobs: args.entityGlobs,
        dryRun: args.dryRun,
        pauseMs: args.pauseMs,
      },
      logger,
      signal: abort.signal,
      onProgress: (progress) => {
        reporter.update(progress);
      },
      onResume: () => {
        err('resuming from the checkpoint of an interrupted run with the same parameters');
      },
      onStartOver: (previous) => {
        err(
          `a checkpoint of another import (--since ${previous.since}${previous.until === null ? '' : ` --until ${previous.until}`}) was found: starting over`,
        );
      },
    });
    reporter.finish(summary);
    return 0;
  } catch (error) {
    const reason =
      error instanceof ImportError
        ? `${error.message} [${error.code}]`
        : error instanceof Error
          ? error.message
          : String(error);
    err(`\nimport failed: ${reason}`);
    return EXIT_FAILED;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`import failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(EXIT_FAILED);
  },
);
