import { join } from 'node:path';
import type { Logger } from 'pino';
import type { IngestionConfig } from '../config/load-config.js';
import { isoFromMicros } from '../pipeline/recorder-history.js';
import { ImportError } from './import-error.js';
import { readImportMarker, writeImportMarker } from './import-marker.js';
import { createCheckpointFile } from './checkpoint.js';
import { CHECKPOINT_FILE, runImport } from './run-import.js';

/** Waits this long after the first connection: the start-up resync and the registry fetch go first. */
const START_DELAY_MS = 10_000;

const FIRST_START_KEY = (days: number): string => `first-start:${days}d`;

/** The first-start import running in the background; `close()` stops it at the next slice (the checkpoint stays). */
export interface FirstStartImport {
  close(): Promise<void>;
}

export interface FirstStartImportOptions {
  readonly config: IngestionConfig;
  readonly log: Logger;
  /** The first connection, epoch ms: the live stream writes what comes after; the import ends there. */
  readonly connectedAtMs: number;
  /** No state memory was restored: a new install (or one whose DATA_DIR was emptied). */
  readonly newInstall: boolean;
  /** @default 10000 */
  readonly startDelayMs?: number;
}

/**
 * HA_RECORDER_IMPORT_DAYS: once per install (until `DATA_DIR/recorder-import.json` exists), the last N days up to
 * the first connection, in the background with the CLI's code and checkpoint. It has its own HA connection and
 * sink and one request in flight with a pause after each, so the live path never waits for it.
 */
export function startFirstStartImport(options: FirstStartImportOptions): FirstStartImport {
  const { config, log } = options;
  const days = config.homeAssistant.recorderImportDays;
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const run = async (): Promise<void> => {
    if ((await readImportMarker(config.dataDir)) !== undefined) return;
    // An install that ran before has its history live already; only a first-start import cut short continues.
    const saved = await createCheckpointFile(join(config.dataDir, CHECKPOINT_FILE)).load();
    if (!options.newInstall && saved?.key.since !== FIRST_START_KEY(days)) {
      log.info(
        'HA_RECORDER_IMPORT_DAYS is set but this install ran before: no import (use `npm run backfill`)',
      );
      return;
    }
    const untilUs = options.connectedAtMs * 1000;
    const sinceUs = untilUs - days * 86_400_000_000;
    log.info(
      { since: isoFromMicros(sinceUs), until: isoFromMicros(untilUs) },
      `first start: importing ${days} days of the recorder's history in the background`,
    );
    const summary = await runImport({
      config,
      // A fixed key: a restart during the import resumes the first run's window from the checkpoint.
      request: {
        key: { since: FIRST_START_KEY(days), until: 'first-connection', entityGlobs: [] },
        sinceUs,
        untilUs,
        entityGlobs: [],
        dryRun: false,
        pauseMs: 50,
      },
      logger: log,
      signal: abort.signal,
    });
    await writeImportMarker(config.dataDir, {
      format: 1,
      sinceUs: summary.sinceUs,
      untilUs: summary.untilUs,
      rowsWritten: summary.rowsWritten,
      finishedAt: new Date().toISOString(),
    });
    log.info(
      { entities: summary.entities, rows: summary.rowsWritten, refused: summary.rowsRefused },
      'first-start import finished',
    );
  };
  let running: Promise<void> = Promise.resolve();
  timer = setTimeout(() => {
    timer = undefined;
    running = run().catch((error: unknown) => {
      if (error instanceof ImportError && error.code === 'ERR_IMPORT_ABORTED') return;
      if (abort.signal.aborted) return;
      log.error({ error: String(error) }, 'first-start import failed; the next start resumes it');
    });
  }, options.startDelayMs ?? START_DELAY_MS);
  timer.unref();
  return {
    async close() {
      clearTimeout(timer);
      abort.abort();
      await running;
    },
  };
}
