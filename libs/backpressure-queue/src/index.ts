/**
 * @homeiq/backpressure-queue: a bounded queue of lines with batch draining, counted drops and a durable
 * on-disk spill. See README.md for the options, guarantees and what a SIGKILL can lose.
 */
export { createBackpressureQueue } from './create-backpressure-queue.js';
export { QueueError } from './errors.js';
export { QUEUE_LIMITS } from './limits.js';
export type { QueueErrorCode } from './errors.js';
export { systemClock, consoleLogger } from './clock.js';
export type { Clock, Logger, TimerHandle } from './clock.js';
export { nodeSpoolFs } from './spool/spool-fs.js';
export type { SpoolFs } from './spool/spool-fs.js';
export type { SpoolCorruptEvent } from './spool/spool-types.js';
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
