import { StartupError } from './startup-error.js';

/** The timers a deadline uses; tests pass a manual clock. */
export interface DeadlineTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const nodeTimers: DeadlineTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => {
    clearTimeout(handle as NodeJS.Timeout);
  },
};

/**
 * Runs one asynchronous start-up step under a deadline. A file-system call can block for good (a recursive
 * `mkdir` under /proc loops in libuv, a dead NFS mount never answers): past `deadlineMs` the step fails with
 * `ERR_STARTUP_TIMEOUT`, naming what was being done and what to check, and the caller exits. The call that hung is
 * abandoned, not cancelled: Node cannot cancel it, and the process is about to end.
 */
export function withDeadline<T>(
  step: { readonly doing: string; readonly check: string; readonly deadlineMs: number },
  task: () => Promise<T>,
  timers: DeadlineTimers = nodeTimers,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = timers.setTimeout(() => {
      const seconds = step.deadlineMs / 1000;
      reject(
        new StartupError(
          'ERR_STARTUP_TIMEOUT',
          `${step.doing} did not finish within ${seconds} s; ${step.check}`,
        ),
      );
    }, step.deadlineMs);
    task().then(
      (value) => {
        timers.clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        timers.clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
