import type { CircuitBreaker } from '@homeiq/runtime';
import { retryDelayMs } from './backoff.js';
import type { SinkCounters } from './counters.js';
import type { Endpoint } from './endpoint.js';
import { InfluxWriteError } from './errors.js';
import type { ResolvedSinkOptions } from './options.js';
import { IDENTICAL_REFUSALS, RefusalMemo } from './refusals.js';
import { errorFor, errorMessage, isRejection, rejectionCause } from './responses.js';
import { SettledLines } from './settled-lines.js';
import { aborted, circuitOpen, failed, sleep, type Outcome } from './outcome.js';
import { v3Refusals, type V3Refusal } from './v3-partial.js';
import type { InfluxTransport, TransportResponse } from './transport.js';

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
  readonly #refusals = new RefusalMemo();
  readonly #settled = new SettledLines();
  /**
   * No request before this time: InfluxDB's `Retry-After` is about the server, not one batch, so with more than one
   * write in flight the other loops wait it out too.
   */
  #holdUntilMs = 0;

  constructor(deps: WriterDeps) {
    this.#d = deps;
  }

  /** `onRetry` hears of each in-place retry before its delay (a source can spill while this batch waits). */
  async write(
    lines: readonly string[],
    signal: AbortSignal,
    onRetry?: (error: InfluxWriteError) => void,
  ): Promise<Outcome> {
    const outcome = await this.#write(this.#settled.skip(lines), signal, onRetry, false);
    if (outcome.ok) this.#settled.forget(lines);
    return outcome;
  }

  /**
   * `holdsPass`: the caller's request passed the breaker (perhaps as the half-open probe) and this one answers for
   * it, so it does not ask again.
   */
  async #write(
    lines: readonly string[],
    signal: AbortSignal,
    onRetry: ((error: InfluxWriteError) => void) | undefined,
    holdsPass: boolean,
  ): Promise<Outcome> {
    const { options: o, breaker, counters } = this.#d;
    if (lines.length === 0) return { ok: true, written: 0, rejected: 0 };
    // Handed back after a split for repeated 5xx: split again at once instead of sending the whole batch again.
    if (lines.length > 1 && this.#refusals.stuck(lines)) {
      this.#refusals.touch(lines);
      return this.#split(lines, signal, onRetry, holdsPass);
    }
    for (let attempt = 0; ; attempt++) {
      if (signal.aborted) return aborted();
      const passed = holdsPass && attempt === 0;
      if (!passed && !breaker.tryPass()) {
        if (breaker.state !== 'half_open') return failed(circuitOpen());
        // Another writer's probe is out: its result decides whether this batch goes or comes back.
        if (!(await settled(breaker.ready(signal)))) return aborted();
        continue;
      }
      const holdMs = this.#holdUntilMs - o.clock.now();
      if (holdMs > 0 && !(await sleep(o.clock, holdMs, signal))) return aborted();
      const response = await this.#post(lines, signal);
      if (response instanceof InfluxWriteError) {
        if (response.code === 'ERR_ABORTED') return failed(response);
      } else if (response.status >= 200 && response.status < 300) {
        breaker.recordSuccess();
        this.#refusals.forget(lines);
        return { ok: true, written: lines.length, rejected: 0 };
      } else if (isRejection(response.status)) {
        // InfluxDB is up and answering: the lines are the problem, not the server.
        breaker.recordSuccess();
        const refused = o.apiVersion === 3 ? v3Refusals(response.body, lines.length) : undefined;
        if (refused) return this.#partial(lines, refused, response.status);
        return lines.length === 1 ? this.#reject(lines, response) : this.#split(lines, signal, onRetry);
      } else if (response.status >= 500) {
        // The same 5xx again and again: the content, not the server? Split; drop a single line only once InfluxDB
        // took another write since this batch's first such refusal (a server refusing everything loses nothing).
        const refusal = this.#refusals.record(lines, response, counters.batchesWritten);
        if (refusal.count >= IDENTICAL_REFUSALS && lines.length > 1) {
          // The breaker has not heard of this answer: the first half's request answers for this one.
          return this.#split(lines, signal, onRetry, true);
        }
        if (refusal.count >= IDENTICAL_REFUSALS && counters.batchesWritten > refusal.writtenAt) {
          breaker.recordSuccess(); // answered, as a 400 is: this request's pass (maybe the probe) is settled
          this.#refusals.forget(lines);
          return this.#reject(lines, response);
        }
      }
      const error =
        response instanceof InfluxWriteError
          ? response
          : errorFor(response, o.clock.now(), o.retryAfterMaxMs);
      counters.recordError(error, o.clock.now());
      // One owner per log line: with an `onError` hook the caller words it; without one, trouble is still seen.
      if (o.onError) o.onError(error);
      else if (error.decision === 'keep') {
        o.logger.error(`InfluxDB refused the write (${error.code}); the data is kept and will be retried`, {
          status: error.status,
          message: error.message,
        });
      }
      if (error.decision === 'keep') {
        breaker.trip();
        return failed(error);
      }
      breaker.recordFailure();
      if (breaker.state === 'open') return failed(error);
      const delayMs = retryDelayMs(
        {
          initialDelayMs: o.retryInitialDelayMs,
          maxDelayMs: o.retryMaxDelayMs,
          jitterRatio: o.retryJitterRatio,
          retryAfterMaxMs: o.retryAfterMaxMs,
          random: o.random,
        },
        attempt,
        error.retryAfterMs,
      );
      if (delayMs > o.retryMaxDelayMs) {
        breaker.trip(delayMs);
        return failed(error);
      }
      if (error.retryAfterMs !== undefined)
        this.#holdUntilMs = Math.max(this.#holdUntilMs, o.clock.now() + delayMs);
      counters.retries++;
      onRetry?.(error);
      if (!(await sleep(o.clock, delayMs, signal))) return aborted();
    }
  }

  async #split(
    lines: readonly string[],
    signal: AbortSignal,
    onRetry: ((error: InfluxWriteError) => void) | undefined,
    holdsPass = false,
  ): Promise<Outcome> {
    const middle = Math.ceil(lines.length / 2);
    const halves = [lines.slice(0, middle), lines.slice(middle)] as const;
    this.#refusals.inherit(lines, halves);
    const [first, second] = this.#refusals.order(halves[0], halves[1]);
    const left = await this.#write(first, signal, onRetry, holdsPass);
    if (!left.ok) return left;
    const right = await this.#write(second, signal, onRetry, false);
    if (!right.ok) {
      this.#settled.add(first); // the batch comes back whole: its first half is not sent or counted again
      return right;
    }
    return { ok: true, written: left.written + right.written, rejected: left.rejected + right.rejected };
  }

  #reject(lines: readonly string[], response: TransportResponse): Outcome {
    const { options: o, counters } = this.#d;
    const message = errorMessage(response.body) || `HTTP ${response.status}`;
    const line = lines[0] ?? '';
    const cause = rejectionCause(response.status, message);
    counters.rejectedLines += lines.length;
    counters.rejectedByCause[cause] = (counters.rejectedByCause[cause] ?? 0) + lines.length;
    counters.lastRejection = { line: line.slice(0, 200), message };
    const event = {
      reason: 'rejected',
      cause,
      count: lines.length,
      lines,
      message,
      status: response.status,
    } as const;
    // One owner per log line: with an `onDrop` hook the caller words it; without one, the drop is still seen.
    if (o.onDrop) o.onDrop(event);
    else
      o.logger.warn('InfluxDB rejected a line; it is dropped and counted', {
        status: event.status,
        cause,
        message,
        line,
      });
    return { ok: true, written: 0, rejected: lines.length };
  }

  /** InfluxDB 3 stored every line but `refused` (named by number): those are counted, nothing is sent again. */
  #partial(lines: readonly string[], refused: readonly V3Refusal[], status: number): Outcome {
    const counters = this.#d.counters;
    const skip = new Set(refused.map((r) => r.index));
    for (const r of refused) {
      this.#reject([lines[r.index] ?? ''], {
        status,
        body: JSON.stringify({ message: r.message }),
        retryAfter: undefined,
      });
    }
    const stored = lines.filter((_, i) => !skip.has(i));
    if (stored.length > 0) {
      counters.lastWriteAtMs = this.#d.options.clock.now();
      counters.pointsWritten += stored.length;
      counters.batchesWritten++;
      counters.bytesWritten += Buffer.byteLength(stored.join('\n'));
    }
    return { ok: true, written: stored.length, rejected: skip.size };
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
