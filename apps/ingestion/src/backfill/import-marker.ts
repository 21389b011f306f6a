import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * `DATA_DIR/recorder-import.json`: written once the first-start import (HA_RECORDER_IMPORT_DAYS) has finished, so
 * that it runs once per install. Its `untilUs` is when the service first connected: the live stream wrote
 * everything after it, so a later `backfill` without `--until` stops there (cli.ts).
 */
export interface ImportMarker {
  readonly format: 1;
  readonly sinceUs: number;
  readonly untilUs: number;
  readonly rowsWritten: number;
  readonly finishedAt: string;
}

export const MARKER_FILE = 'recorder-import.json';

/** The marker, or undefined when there is none (or it is unreadable: then the import runs again, idempotently). */
export async function readImportMarker(dataDir: string): Promise<ImportMarker | undefined> {
  try {
    const parsed = JSON.parse(await readFile(join(dataDir, MARKER_FILE), 'utf8')) as Partial<ImportMarker>;
    return parsed.format === 1 && typeof parsed.untilUs === 'number' ? (parsed as ImportMarker) : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError) return undefined;
    throw error;
  }
}

export async function writeImportMarker(dataDir: string, marker: ImportMarker): Promise<void> {
  const path = join(dataDir, MARKER_FILE);
  await writeFile(`${path}.tmp`, JSON.stringify(marker));
  await rename(`${path}.tmp`, path);
}
