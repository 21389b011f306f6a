import {
  createConsoleLogger,
  optionChecks,
  systemClock,
  type Clock,
  type Logger,
  type RuntimeOptions,
} from '@homeiq/runtime';
import { invalidOption, type QueueError } from './errors.js';
import { QUEUE_LIMITS } from './limits.js';
import { nodeSpoolFs, type SpoolFs } from './spool/spool-fs.js';
import type { SpoolCorruptEvent } from './spool/spool-types.js';

/** What happens to a line pushed while `maxPending` lines are already in memory. */
export type OverflowStrategy = 'drop_oldest' | 'drop_new' | 'spill';
/** What happens to a record that does not fit in the spool's disk budget. */
export type SpoolOverflowStrategy = 'drop_oldest' | 'drop_new';
/**
 * When spilled records are forced to stable storage. A record is handed to `write(2)` before `push()` returns
 * under every policy, so a SIGKILL of the process loses no spilled line; the policy decides what an OS crash
 * or power cut can lose: nothing (`always`), up to `fsyncIntervalMs` of spill (`interval`), or whatever the
 * kernel had not yet written back, typically up to 30 s (`never`).
 */
export type FsyncPolicy = 'always' | 'interval' | 'never';

/** Why lines were dropped. Every drop is counted under one of these and reported through `onDrop`. */
export type DropReason = 'overflow' | 'spool_full' | 'spool_error' | 'spool_corrupt' | 'closed';

/** One drop: how many lines, why, and the lines themselves when they were still in memory. */
export interface DropEvent {
  readonly reason: DropReason;
  readonly count: number;
  /** The dropped lines, oldest first; `undefined` when they were dropped on disk (a whole evicted segment). */
  readonly lines: readonly string[] | undefined;
}

/** Options of the durable on-disk spill. */
export interface SpoolOptions {
  /** Directory of the segment files, created if missing. One queue per directory: a `LOCK` file enforces it. */
  readonly dir: string;
  /** When spilled records are fsynced; see {@link FsyncPolicy}. @default 'interval' */
  readonly fsync?: FsyncPolicy;
  /** Delay from a write to its fsync under `fsync: 'interval'`. @default 1000 */
  readonly fsyncIntervalMs?: number;
  /** Disk budget: total bytes of segment files. @default 1073741824 (1 GiB) */
  readonly maxBytes?: number;
  /** What to drop when a record does not fit in `maxBytes`. @default 'drop_oldest' */
  readonly overflow?: SpoolOverflowStrategy;
  /** A segment is closed and a new one started past this size. @default 8388608 (8 MiB) */
  readonly segmentMaxBytes?: number;
  /** File-system calls (tests inject failures). @default node:fs */
  readonly fs?: SpoolFs;
}

/** Options of {@link createBackpressureQueue}. */
/** `logger` takes a spool error or a corrupt region when no `onError` / `onSpoolCorrupt` does, and a throwing `onDrop`. */
export interface BackpressureQueueOptions extends Pick<RuntimeOptions, 'clock' | 'logger'> {
  /**
   * Lines held in memory, including those lent to a consumer; the memory bound, from 1 to 100,000,000
   * (`QUEUE_LIMITS`). Memory is taken as lines arrive, not up front. @default 20000
   */
  readonly maxPending?: number;
  /** What a push beyond `maxPending` does. @default 'spill' when `spool` is set, else 'drop_oldest' */
  readonly overflow?: OverflowStrategy;
  /** A batch is ready at this many lines (at most `maxBatchSize`)... @default 100 */
  readonly batchSize?: number;
  /** ...or when its oldest line is this old. @default 5000 */
  readonly batchTimeoutMs?: number;
  /** Upper bound of one batch: a backlog drains in batches this large. @default min(5000, maxPending) */
  readonly maxBatchSize?: number;
  /** The durable spill; required by `overflow: 'spill'`. @default undefined (memory only) */
  readonly spool?: SpoolOptions;
  /** How long `close()` keeps handing memory batches to consumers before it spills (or drops) the rest. @default 10000 */
  readonly closeTimeoutMs?: number;
  /** Called once per drop with the reason and the count (and the lines when they were in memory). */
  readonly onDrop?: (event: DropEvent) => void;
  /**
   * Called on spool I/O errors (the queue keeps going: lines stay in memory while the disk fails).
   * @default an error through `logger`
   */
  readonly onError?: (error: QueueError) => void;
  /**
   * Called once per corrupt region found in the spool (file, offset, bytes, lines lost); the lines are also
   * counted as dropped `spool_corrupt`. @default a warning through `logger`
   */
  readonly onSpoolCorrupt?: (event: SpoolCorruptEvent) => void;
}

/** {@link SpoolOptions} with every default applied. */
export type ResolvedSpoolOptions = Required<SpoolOptions>;

/** {@link BackpressureQueueOptions} with every default applied. */
export interface ResolvedQueueOptions {
  readonly maxPending: number;
  readonly overflow: OverflowStrategy;
  readonly batchSize: number;
  readonly batchTimeoutMs: number;
  readonly maxBatchSize: number;
  readonly spool: ResolvedSpoolOptions | undefined;
  readonly closeTimeoutMs: number;
  readonly onDrop: (event: DropEvent) => void;
  readonly onError: (error: QueueError) => void;
  readonly onSpoolCorrupt: (event: SpoolCorruptEvent) => void;
  readonly clock: Clock;
  readonly logger: Logger;
}

const OVERFLOW: readonly OverflowStrategy[] = ['drop_oldest', 'drop_new', 'spill'];
const SPOOL_OVERFLOW: readonly SpoolOverflowStrategy[] = ['drop_oldest', 'drop_new'];
const FSYNC: readonly FsyncPolicy[] = ['always', 'interval', 'never'];

const check = optionChecks(invalidOption);

/** A hook option: checked when given, else `fallback`. */
function hook<T>(name: string, value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : check.callback(name, value);
}

/** Applies the defaults (in this one place) and validates every option. */
export function resolveOptions(options: BackpressureQueueOptions): ResolvedQueueOptions {
  const maxPending = check.integer(
    'maxPending',
    options.maxPending ?? 20_000,
    QUEUE_LIMITS.minPending,
    QUEUE_LIMITS.maxPending,
  );
  const spool = options.spool === undefined ? undefined : resolveSpool(options.spool);
  const overflow = check.oneOf('overflow', options.overflow ?? (spool ? 'spill' : 'drop_oldest'), OVERFLOW);
  if (overflow === 'spill' && !spool) throw invalidOption('spool', 'set when `overflow` is "spill"', spool);
  // A spool under a drop policy would make outages durable but memory overflow lossy: one meaning per setting.
  if (overflow !== 'spill' && spool) throw invalidOption('overflow', '"spill" when `spool` is set', overflow);
  const maxBatchSize = check.integer(
    'maxBatchSize',
    options.maxBatchSize ?? Math.min(QUEUE_LIMITS.defaultMaxBatchSize, maxPending),
    QUEUE_LIMITS.minBatchSize,
  );
  if (maxBatchSize > maxPending)
    throw invalidOption('maxBatchSize', `<= maxPending (${maxPending})`, maxBatchSize);
  const batchSize = check.integer(
    'batchSize',
    options.batchSize ?? Math.min(100, maxBatchSize),
    QUEUE_LIMITS.minBatchSize,
  );
  if (batchSize > maxBatchSize)
    throw invalidOption('batchSize', `<= maxBatchSize (${maxBatchSize})`, batchSize);
  const logger = options.logger ?? createConsoleLogger('backpressure-queue');
  return {
    maxPending,
    overflow,
    batchSize,
    batchTimeoutMs: check.duration('batchTimeoutMs', options.batchTimeoutMs ?? 5000, 0),
    maxBatchSize,
    spool,
    closeTimeoutMs: check.duration('closeTimeoutMs', options.closeTimeoutMs ?? 10_000, 0),
    // Drops are counted in `stats().dropped`; nothing is logged for them.
    onDrop: hook('onDrop', options.onDrop, () => undefined),
    // One owner per log line: the queue logs a spool error or a corrupt region only when no hook takes it, so a
    // consumer without hooks still sees the trouble and one with hooks words it once, itself.
    onError: hook('onError', options.onError, (error: QueueError) => {
      logger.error(error.message, { code: error.code, cause: String(error.cause) });
    }),
    onSpoolCorrupt: hook('onSpoolCorrupt', options.onSpoolCorrupt, (event: SpoolCorruptEvent) => {
      logger.warn('corrupt spool region', { ...event });
    }),
    clock: options.clock ?? systemClock,
    logger,
  };
}

function resolveSpool(spool: SpoolOptions): ResolvedSpoolOptions {
  const dir = check.text('spool.dir', spool.dir);
  const maxBytes = check.integer('spool.maxBytes', spool.maxBytes ?? 1024 ** 3, 1);
  const segmentMaxBytes = check.integer(
    'spool.segmentMaxBytes',
    spool.segmentMaxBytes ?? 8 * 1024 ** 2,
    1024,
  );
  // Eviction works a segment at a time: a budget below two segments would evict the one being written.
  if (segmentMaxBytes * 2 > maxBytes) {
    throw invalidOption(
      'spool.segmentMaxBytes',
      `<= spool.maxBytes / 2 (${Math.floor(maxBytes / 2)})`,
      segmentMaxBytes,
    );
  }
  return {
    dir,
    fsync: check.oneOf('spool.fsync', spool.fsync ?? 'interval', FSYNC),
    fsyncIntervalMs: check.duration('spool.fsyncIntervalMs', spool.fsyncIntervalMs ?? 1000, 1),
    maxBytes,
    overflow: check.oneOf('spool.overflow', spool.overflow ?? 'drop_oldest', SPOOL_OVERFLOW),
    segmentMaxBytes,
    fs: spool.fs ?? nodeSpoolFs,
  };
}
