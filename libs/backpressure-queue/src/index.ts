/**
 * @homeiq/backpressure-queue: a bounded queue of lines with batch draining, counted drops and a durable
 * on-disk spill. See README.md for the options, guarantees and what a SIGKILL can lose.
 */
import { resolveOptions, type BackpressureQueueOptions } from './options.js';
import { Queue } from './queue.js';
import type { BackpressureQueue } from './types.js';

/**
 * Creates a queue. With `spool`, opens (and locks) the spool directory synchronously and replays what an
 * earlier run left there before anything pushed now. Throws a {@link QueueError} on a bad option
 * (`ERR_INVALID_OPTION`), a directory held by a live process (`ERR_SPOOL_LOCKED`) or unreadable (`ERR_SPOOL_IO`).
 */
export function createBackpressureQueue(options: BackpressureQueueOptions = {}): BackpressureQueue {
  return new Queue(resolveOptions(options), process.pid);
}

export { QueueError } from './errors.js';
export type { QueueErrorCode } from './errors.js';
export { systemClock, consoleLogger } from './clock.js';
export type { Clock, Logger, TimerHandle } from './clock.js';
export { nodeSpoolFs } from './spool/spool-fs.js';
export type { SpoolFs } from './spool/spool-fs.js';
export type {
  BackpressureQueueOptions,
  DropEvent,
  DropReason,
  FsyncPolicy,
  OverflowStrategy,
  SpoolOptions,
  SpoolOverflowStrategy,
} from './options.js';
export type {
  BackpressureQueue,
  QueueBatch,
  QueueCloseOptions,
  QueueMetrics,
  SpoolMetrics,
} from './types.js';
