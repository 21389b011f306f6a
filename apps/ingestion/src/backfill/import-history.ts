import type { HaEventEnvelope } from '@homeiq/event-normalizer';
import type { HaClient } from '@homeiq/ha-client';
import { readRecordedStates } from '../pipeline/recorder-history.js';
import { sameImport, type Checkpoint, type CheckpointFile, type ImportKey } from './checkpoint.js';
import { ImportError } from './import-error.js';
import { chainRecordedStates } from './recorded-events.js';
import { readStatesAt } from './start-states.js';

/** How far an import got; what the progress bar shows. */
export interface ImportProgress {
  readonly entities: number;
  readonly entitiesDone: number;
  readonly slices: number;
  readonly slicesDone: number;
  /** Recorded changes read (this run and, when resumed, the runs before). */
  readonly rowsRead: number;
  readonly rowsWritten: number;
  /** Lines InfluxDB refused (counted by the sink, each reported through its `onDrop`). */
  readonly rowsRefused: number;
  /** Rows and slices this run read, and for how long it has run: the rate and ETA count this run only. */
  readonly rowsThisRun: number;
  readonly slicesThisRun: number;
  readonly elapsedMs: number;
}

export interface ImportSummary extends ImportProgress {
  /** Continued from a checkpoint of the same import. */
  readonly resumed: boolean;
  readonly requests: number;
  /** Rows the normalizer did not turn into a point (not a valid state: counted by the normalizer). */
  readonly rowsSkipped: number;
  readonly sinceUs: number;
  readonly untilUs: number;
}

/** Everything an import needs, side effects included; the CLI and the service's first-start import build it. */
export interface ImportHistoryOptions {
  readonly ha: Pick<HaClient, 'sendCommand'>;
  readonly key: ImportKey;
  /** The window of a new import, epoch µs (a resumed one keeps its checkpoint's). */
  readonly sinceUs: number;
  readonly untilUs: number;
  /** The entities of a new import (`get_states`, filtered); not called when resuming. */
  readonly listEntities: () => Promise<readonly string[]>;
  /** A recorded change as a line, with the service's normalizer and `source: 'recorder'`; undefined: skipped. */
  readonly normalize: (event: HaEventEnvelope) => string | undefined;
  /** Writes lines to InfluxDB; undefined for a dry run (read and count only, no checkpoint). */
  readonly write: ((lines: readonly string[]) => Promise<{ written: number; rejected: number }>) | undefined;
  readonly checkpoint: CheckpointFile;
  /** Entities per history request. @default 16 */
  readonly entitiesPerRequest?: number;
  /** Time one request covers, µs. @default one hour (what the gap backfill reads, recorder-history.ts) */
  readonly sliceUs?: number;
  /** Pause after each request, so that HA answers the live service in between. @default 50 */
  readonly pauseMs?: number;
  /** Attempts of one history request before the import fails. @default 4 */
  readonly maxAttempts?: number;
  /** First delay before a failed request is tried again; doubles per attempt. @default 1000 */
  readonly retryDelayMs?: number;
  /** Lines per InfluxDB write. @default 5000 */
  readonly linesPerWrite?: number;
  /** Stops between two requests; the checkpoint then holds every slice written. */
  readonly signal?: AbortSignal;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly onProgress?: (progress: ImportProgress) => void;
  /** A checkpoint of another import was found and is replaced: this one starts over. */
  readonly onStartOver?: (previous: ImportKey) => void;
  /** A checkpoint of this same import was found: it continues from there. */
  readonly onResume?: () => void;
}

const HOUR_US = 3_600_000_000;

/**
 * Imports the recorder's rows of the window into InfluxDB: entities in chunks, time in slices, one request in
 * flight, each entity's changes chained across slices (the carry in the checkpoint), the checkpoint saved after
 * each slice is written. Rejects with an {@link ImportError}; the checkpoint then resumes the next run. A finished
 * import removes its checkpoint, so running it again writes the same points again (InfluxDB keeps one per series
 * and time).
 */
export async function importHistory(options: ImportHistoryOptions): Promise<ImportSummary> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const perRequest = options.entitiesPerRequest ?? 16;
  const sliceUs = options.sliceUs ?? HOUR_US;
  const pauseMs = options.pauseMs ?? 50;
  const linesPerWrite = options.linesPerWrite ?? 5000;
  const startedMs = now();
  const dryRun = options.write === undefined;

  const saved = await options.checkpoint.load();
  const resumed = saved !== undefined && !saved.done && sameImport(saved.key, options.key);
  if (resumed) options.onResume?.();
  else if (saved !== undefined) options.onStartOver?.(saved.key);
  let cp: Checkpoint = resumed
    ? saved
    : {
        format: 1,
        key: options.key,
        sinceUs: options.sinceUs,
        untilUs: options.untilUs,
        entityIds: await options.listEntities(),
        chunk: 0,
        slice: 0,
        carry: {},
        rowsWritten: 0,
        rowsRefused: 0,
        done: false,
      };
  const chunks = Math.ceil(cp.entityIds.length / perRequest);
  const slicesPerChunk = Math.ceil((cp.untilUs - cp.sinceUs) / sliceUs);
  let requests = 0;
  let rowsRead = cp.rowsWritten + cp.rowsRefused;
  let rowsThisRun = 0;
  let rowsSkipped = 0;
  const firstSlice = cp.chunk * slicesPerChunk + cp.slice;

  const progress = (): ImportProgress => ({
    entities: cp.entityIds.length,
    entitiesDone: Math.min(cp.entityIds.length, cp.chunk * perRequest),
    slices: chunks * slicesPerChunk,
    slicesDone: cp.chunk * slicesPerChunk + cp.slice,
    rowsRead,
    rowsWritten: cp.rowsWritten,
    rowsRefused: cp.rowsRefused,
    rowsThisRun,
    slicesThisRun: cp.chunk * slicesPerChunk + cp.slice - firstSlice,
    elapsedMs: now() - startedMs,
  });
  const withRetry = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    const attempts = options.maxAttempts ?? 4;
    for (let attempt = 1; ; attempt++) {
      checkAborted(options.signal);
      requests++;
      try {
        return await run();
      } catch (error) {
        if (attempt >= attempts) {
          const reason = error instanceof Error ? error.message : String(error);
          throw new ImportError('ERR_HISTORY_READ', `${what} failed ${attempts} times: ${reason}`, error);
        }
        await sleep((options.retryDelayMs ?? 1000) * 2 ** (attempt - 1));
      }
    }
  };

  options.onProgress?.(progress());
  while (cp.chunk < chunks) {
    const entityIds = cp.entityIds.slice(cp.chunk * perRequest, (cp.chunk + 1) * perRequest);
    let carry = cp.carry as Readonly<Record<string, Carry>>;
    if (cp.slice === 0) {
      const atStart = await withRetry('reading the states at --since', () =>
        readStatesAt(options.ha, entityIds, cp.sinceUs),
      );
      carry = Object.fromEntries(
        entityIds.map((id) => [id, { state: atStart.get(id) ?? null, lastUs: cp.sinceUs }]),
      );
      await sleep(pauseMs);
    }
    const startUs = cp.sinceUs + cp.slice * sliceUs;
    const endUs = Math.min(cp.untilUs, startUs + sliceUs);
    // One µs of overlap with the slice before: HA's bounds are strict on the unrounded float, so a row on the
    // bound's microsecond may fall either side (docs/ha-history.md#the-window); the carry drops it when seen twice.
    const readStartUs = cp.slice === 0 ? startUs : startUs - 1;
    const read = await withRetry('reading the recorder', () =>
      readRecordedStates(
        options.ha,
        { entityIds, startUs: readStartUs, endUs },
        { entitiesPerRequest: entityIds.length, windowUs: endUs - readStartUs },
      ),
    );
    const lines: string[] = [];
    const nextCarry: Record<string, Carry> = {};
    for (const entityId of entityIds) {
      const before = carry[entityId] ?? { state: null, lastUs: cp.sinceUs };
      const rows = (read.states.get(entityId) ?? []).filter((row) => row.lastUpdatedUs > before.lastUs);
      const { events, lastState } = chainRecordedStates(entityId, rows, before.state);
      for (const event of events) {
        const line = options.normalize(event);
        if (line === undefined) rowsSkipped++;
        else lines.push(line);
      }
      rowsRead += rows.length;
      rowsThisRun += rows.length;
      nextCarry[entityId] = { state: lastState, lastUs: rows.at(-1)?.lastUpdatedUs ?? before.lastUs };
    }
    let written = 0;
    let refused = 0;
    for (let i = 0; options.write !== undefined && i < lines.length; i += linesPerWrite) {
      checkAborted(options.signal);
      try {
        const result = await options.write(lines.slice(i, i + linesPerWrite));
        written += result.written;
        refused += result.rejected;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new ImportError('ERR_INFLUX_WRITE', `writing to InfluxDB failed: ${reason}`, error);
      }
    }
    if (dryRun) written = lines.length;
    const lastSlice = cp.slice + 1 >= slicesPerChunk;
    cp = {
      ...cp,
      chunk: lastSlice ? cp.chunk + 1 : cp.chunk,
      slice: lastSlice ? 0 : cp.slice + 1,
      carry: lastSlice ? {} : nextCarry,
      rowsWritten: cp.rowsWritten + written,
      rowsRefused: cp.rowsRefused + refused,
    };
    if (!dryRun) await options.checkpoint.save(cp);
    options.onProgress?.(progress());
    await sleep(pauseMs);
  }
  if (!dryRun) await options.checkpoint.remove();
  return {
    ...progress(),
    resumed,
    requests,
    rowsSkipped,
    sinceUs: cp.sinceUs,
    untilUs: cp.untilUs,
  };
}

/** One entity's state across slices: the last state written and the `last_updated` of its row. */
interface Carry {
  readonly state: unknown;
  readonly lastUs: number;
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true)
    throw new ImportError('ERR_IMPORT_ABORTED', 'the import was interrupted; run it again to resume');
}
