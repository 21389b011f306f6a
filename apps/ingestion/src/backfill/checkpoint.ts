import { readFile, rename, rm, writeFile } from 'node:fs/promises';

/**
 * `DATA_DIR/backfill-checkpoint.json`: what an import asked for and how far it got, saved (write, then rename, so a
 * crash leaves the old file or the new one, never half of one) after each time slice is written to InfluxDB.
 */

/** The parameters that make two runs "the same import". */
export interface ImportKey {
  readonly haUrl: string;
  /** `--since`/`--until` as written (a resumed `--since 7d` continues the first run's window). */
  readonly since: string;
  readonly until: string | null;
  readonly entityGlobs: readonly string[];
}

export interface Checkpoint {
  readonly format: 1;
  readonly key: ImportKey;
  /** The window the first run resolved, epoch µs. */
  readonly sinceUs: number;
  readonly untilUs: number;
  /** The entities the first run listed, in order: the chunks of a resumed run are the same. */
  readonly entityIds: readonly string[];
  /** The next chunk × slice to read; `chunk === chunks` when done. */
  readonly chunk: number;
  readonly slice: number;
  /** Each entity of the current chunk: the last state written (the next row's `old_state`). */
  readonly carry: Readonly<Record<string, unknown>>;
  readonly rowsWritten: number;
  readonly rowsRefused: number;
  readonly done: boolean;
}

/** Reads and saves one checkpoint file. */
export interface CheckpointFile {
  /** The saved checkpoint; undefined when there is none or it cannot be read (the import starts over). */
  load(): Promise<Checkpoint | undefined>;
  save(checkpoint: Checkpoint): Promise<void>;
  remove(): Promise<void>;
}

export function createCheckpointFile(path: string): CheckpointFile {
  return {
    async load() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
      try {
        const parsed = JSON.parse(text) as Partial<Checkpoint>;
        return parsed.format === 1 && Array.isArray(parsed.entityIds) ? (parsed as Checkpoint) : undefined;
      } catch {
        // A file that is not JSON cannot be resumed from: the import starts over (idempotent, so only slower).
        return undefined;
      }
    },
    async save(checkpoint) {
      const tmp = `${path}.tmp`;
      await writeFile(tmp, JSON.stringify(checkpoint));
      await rename(tmp, path);
    },
    remove: () => rm(path, { force: true }),
  };
}

/** Whether a checkpoint was saved by a run with the same parameters. */
export function sameImport(a: ImportKey, b: ImportKey): boolean {
  return (
    a.haUrl === b.haUrl &&
    a.since === b.since &&
    a.until === b.until &&
    a.entityGlobs.length === b.entityGlobs.length &&
    a.entityGlobs.every((glob, i) => glob === b.entityGlobs[i])
  );
}
