import type { Clock } from '@homeiq/runtime';
import { InfluxWriteError } from './errors.js';

/** How one batch ended: written (some lines perhaps refused and counted), or to be kept for later. */
export type Outcome =
  | { readonly ok: true; readonly written: number; readonly rejected: number }
  | { readonly ok: false; readonly error: InfluxWriteError };

export function failed(error: InfluxWriteError): Outcome {
  return { ok: false, error };
}

export function aborted(): Outcome {
  return failed(new InfluxWriteError('ERR_ABORTED', 'The sink is closing; the batch is handed back'));
}

export function circuitOpen(): InfluxWriteError {
  return new InfluxWriteError('ERR_CIRCUIT_OPEN', 'The circuit is open: InfluxDB failed repeatedly');
}

/** Waits `ms` on `clock`; false when `signal` aborts first. */
export function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clock.clearTimeout(timer);
      resolve(false);
    };
    const timer = clock.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
