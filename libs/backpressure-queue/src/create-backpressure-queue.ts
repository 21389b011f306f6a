import { resolveOptions, type BackpressureQueueOptions } from './options.js';
import { Queue } from './queue.js';
import type { BackpressureQueue } from './types.js';

/**
 * Creates a queue. With `spool`, opens (and locks) the spool directory synchronously and replays what an
 * earlier run left there before anything pushed now. Throws a `QueueError` on a bad option
 * (`ERR_INVALID_OPTION`), a directory held by a live process (`ERR_SPOOL_LOCKED`) or unreadable (`ERR_SPOOL_IO`).
 */
export function createBackpressureQueue(options: BackpressureQueueOptions = {}): BackpressureQueue {
  return new Queue(resolveOptions(options), process.pid);
}
