import { parseRetryAfter, retryDelayMs } from './backoff.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import type { Endpoint } from './endpoint.js';
import { InfluxWriteError, type InfluxErrorCode } from './errors.js';
import type { SinkCounters } from './metrics.js';
import type { ResolvedSinkOptions } from './options.js';
import type { InfluxTransport, TransportResponse } from './transport.js';

/** How one batch ended: written (some lines perhaps refused and counted), or to be kept for later. */
export type Outcome =
  | { readonly ok: true; readonly written: number; readonly rejected: number }
  | { readonly ok: false; readonly error: InfluxWriteError };

/** Everything a {@link BatchWriter} uses, built once by the sink. */
export interface WriterDeps {
  readonly options: ResolvedSinkOptions;
  readonly transport: InfluxTransport;
  readonly endpoint: Endpoint;
  readonly breaker: CircuitBreaker;
  readonly counters: SinkCounters;
}

/**
 * Writes one batch: retries network errors, 5xx and 429 in place with backoff while the circuit stays closed,
 * isolates lines InfluxDB refuses by splitting the batch in halves (every other line is written, and each
 * refused line is counted with InfluxDB's reason), and hands the batch back on anything that must wait.
 */
export class BatchWriter {
  readonly #d: WriterDeps;

  constructor(deps: WriterDeps) {
    this.#d = deps;
  }

  /** `onRetry` hears of each in-place retry before its delay (a source can spill while this batch waits). */
  async write(
    lines: readonly string[],
    signal: AbortSignal,
    onRetry?: (error: InfluxWriteError) => void,
  ): Promise<Outcome> {
    const { options: o, breaker, counters } = this.#d;
    if (lines.length === 0) return { ok: true, written: 0, rejected: 0 };
    for (let attempt = 0; ; attempt++) {
      if (signal.aborted) return aborted();
      if (!breaker.tryPass()) {
        if (breaker.state !== 'half_open') return failed(circuitOpen());
        // Another writer's probe is out: its result decides whether this batch goes or comes back.
        if (!(await settled(breaker.ready(signal)))) return aborted();
        continue;
      }
      const response = await this.#post(lines, signal);
      if (response instanceof InfluxWriteError) {
        if (response.code === 'ERR_ABORTED') return failed(response);
      } else if (response.status >= 200 && response.status < 300) {
        breaker.success();
        return { ok: true, written: lines.length, rejected: 0 };
      } else if (isRejection(response.status)) {
        // InfluxDB is up and answering: the lines are the problem, not the server.
        breaker.success();
        return lines.length === 1 ? this.#reject(lines, response) : this.#split(lines, signal, onRetry);
      }
      const error =
        response instanceof InfluxWriteError
          ? response
          : errorFor(response, o.clock.now(), o.retryAfterMaxMs);
      counters.recordError(error, o.clock.now());
      o.onError(error);
      if (error.decision === 'keep') {
        o.logger.error(`InfluxDB refused the write (${error.code}); the data is kept and will be retried`, {
          status: error.status,
          message: error.message,
        });
        breaker.trip();
        return failed(error);
      }
      breaker.failure();
      if (breaker.state === 'open') return failed(error);
      const delayMs = retryDelayMs(
        {
          initialMs: o.retryInitialDelayMs,
          maxMs: o.retryMaxDelayMs,
          retryAfterMaxMs: o.retryAfterMaxMs,
          jitter: o.retryJitter,
          random: o.random,
        },
        attempt,
        error.retryAfterMs,
      );
      if (delayMs > o.retryMaxDelayMs) {
        breaker.trip(delayMs);
        return failed(error);
      }
      counters.retries++;
      onRetry?.(error);
      if (!(await this.#sleep(delayMs, signal))) return aborted();
    }
  }

  async #split(
    lines: readonly string[],
    signal: AbortSignal,
    onRetry: ((error: InfluxWriteError) => void) | undefined,
  ): Promise<Outcome> {
    const middle = Math.ceil(lines.length / 2);
    const left = await this.write(lines.slice(0, middle), signal, onRetry);
    if (!left.ok) return left;
    const right = await this.write(lines.slice(middle), signal, onRetry);
    if (!right.ok) return right;
    return { ok: true, written: left.written + right.written, rejected: left.rejected + right.rejected };
  }

  #reject(lines: readonly string[], response: TransportResponse): Outcome {
    const { options: o, counters } = this.#d;
    const message = errorMessage(response.body) || `HTTP ${response.status}`;
    const line = lines[0] ?? '';
    counters.rejectedLines += lines.length;
    counters.lastRejection = { line: line.slice(0, 200), message };
    o.logger.warn('InfluxDB rejected a line; it is dropped and counted', {
      status: response.status,
      message,
      line,
    });
    o.onDrop({ reason: 'rejected', count: lines.length, lines, message, status: response.status });
    return { ok: true, written: 0, rejected: lines.length };
  }

  async #post(lines: readonly string[], signal: AbortSignal): Promise<TransportResponse | InfluxWriteError> {
    const { options: o, transport, endpoint, counters } = this.#d;
    const body = lines.join('\n');
    const started = o.clock.now();
    counters.requests++;
    try {
      const response = await transport.post({
        path: endpoint.path,
        body,
        headers: endpoint.headers,
        gzipThresholdBytes: o.gzipThresholdBytes,
        signal,
      });
      const finished = o.clock.now();
      counters.observeLatency(finished - started);
      if (response.status >= 200 && response.status < 300) {
        counters.lastWriteAtMs = finished;
        counters.pointsWritten += lines.length;
        counters.batchesWritten++;
        counters.bytesWritten += Buffer.byteLength(body);
      }
      return response;
    } catch (error) {
      if (signal.aborted)
        return new InfluxWriteError('ERR_ABORTED', 'The write was aborted', { cause: error });
      const message = error instanceof Error ? error.message : String(error);
      return new InfluxWriteError('ERR_INFLUX_UNAVAILABLE', `InfluxDB is unreachable: ${message}`, {
        cause: error,
      });
    }
  }

  /** Waits `ms`; false when aborted first. */
  #sleep(ms: number, signal: AbortSignal): Promise<boolean> {
    const clock = this.#d.options.clock;
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
}

/** 400 bad lines, 413 too large, 422 outside retention (2.x): answered by splitting, never by dropping a batch. */
function isRejection(status: number): boolean {
  return status === 400 || status === 413 || status === 422;
}

function errorFor(response: TransportResponse, nowMs: number, retryAfterMaxMs: number): InfluxWriteError {
  const status = response.status;
  const detail = errorMessage(response.body) || `HTTP ${status}`;
  const code: InfluxErrorCode =
    status === 401 || status === 403
      ? 'ERR_INFLUX_AUTH'
      : status === 404
        ? 'ERR_INFLUX_NOT_FOUND'
        : status === 429
          ? 'ERR_INFLUX_RATE_LIMITED'
          : status === 408 || status >= 500
            ? 'ERR_INFLUX_UNAVAILABLE'
            : 'ERR_INFLUX_UNEXPECTED';
  return new InfluxWriteError(code, `InfluxDB answered ${status}: ${detail}`, {
    status,
    retryAfterMs: parseRetryAfter(response.retryAfter, nowMs, retryAfterMaxMs),
  });
}

/** InfluxDB's reason: `message` (2.x) or `error` (1.x) of a JSON body, else the text itself. */
function errorMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; error?: unknown };
    const message = parsed.message ?? parsed.error;
    if (typeof message === 'string') return message;
  } catch {
    // Not JSON (a proxy's HTML page, plain text): the text is the reason.
  }
  return body.trim().slice(0, 1000);
}

function failed(error: InfluxWriteError): Outcome {
  return { ok: false, error };
}

function aborted(): Outcome {
  return failed(new InfluxWriteError('ERR_ABORTED', 'The sink is closing; the batch is handed back'));
}

function circuitOpen(): InfluxWriteError {
  return new InfluxWriteError('ERR_CIRCUIT_OPEN', 'The circuit is open: InfluxDB failed repeatedly');
}

async function settled(promise: Promise<void>): Promise<boolean> {
  try {
    await promise;
    return true;
  } catch {
    // Only an abort rejects it: the caller hands the batch back.
    return false;
  }
}
