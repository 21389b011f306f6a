/**
 * @homeiq/backpressure-queue: a bounded queue of lines with batch draining, counted drops and a durable
 * on-disk spill. See README.md for the options, guarantees and what a SIGKILL can lose.
 */
export { createBackpressureQueue } from './create-backpressure-queue.js';
export { QueueError } from './errors.js';
export { QUEUE_LIMITS } from './limits.js';
export type { BackpressureQueueOptions, DropEvent } from './options.js';
export type { BackpressureQueue } from './types.js';
