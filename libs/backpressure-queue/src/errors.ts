import { invalidOptionMessage } from '@homeiq/runtime';

/** Stable error codes of @homeiq/backpressure-queue. */
export type QueueErrorCode =
  'ERR_INVALID_OPTION' | 'ERR_SPOOL_LOCKED' | 'ERR_SPOOL_IO' | 'ERR_SPOOL_CORRUPT' | 'ERR_QUEUE_CLOSED';

/** Every error the queue throws or reports carries a stable `code` and, where there is one, a `cause`. */
export class QueueError extends Error {
  override readonly name = 'QueueError';
  readonly code: QueueErrorCode;

  constructor(code: QueueErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Builds the error thrown for a bad option, e.g. "Expected `maxPending` to be an integer >= 1, got `0` (number)". */
export function invalidOption(name: string, expected: string, value: unknown): QueueError {
  return new QueueError('ERR_INVALID_OPTION', invalidOptionMessage(name, expected, value));
}
