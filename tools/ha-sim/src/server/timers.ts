/** The timer functions the simulator uses, injectable so tests can drive time. */
export interface SimTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Runs `callback` after pending I/O: the model of "one asyncio event-loop iteration later". */
  setImmediate(callback: () => void): unknown;
}

export const NODE_TIMERS: SimTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
  setImmediate: (callback) => setImmediate(callback),
};
