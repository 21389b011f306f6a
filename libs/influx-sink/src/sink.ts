import { CircuitBreaker, MAX_DURATION_MS, describeDurationRange, isDurationMs } from '@homeiq/runtime';
import { SinkCounters } from './counters.js';
import { writeEndpoint } from './endpoint.js';
import { invalidOption, InfluxWriteError } from './errors.js';
import type { ResolvedSinkOptions } from './options.js';
import { createHttpTransport, type InfluxTransport } from './transport.js';
import type { BatchSource, InfluxSink, InfluxSinkStats, SinkCloseOptions, WriteResult } from './types.js';
import { BatchWriter } from './writer.js';

/** `close({ timeoutMs })`: what the queue's `close()` accepts, 0 to one day. */
const CLOSE_DEADLINE = { min: 0, max: MAX_DURATION_MS };

/**
 * The sink: `maxConcurrentWrites` loops that take a batch, write it through {@link BatchWriter}, and settle it.
 * One layer of retry (the writer's, in place); a batch leaves a loop only written or handed back.
 */
export class Sink implements InfluxSink {
  readonly #o: ResolvedSinkOptions;
  readonly #transport: InfluxTransport;
  readonly #breaker: CircuitBreaker;
  readonly #counters = new SinkCounters();
  readonly #writer: BatchWriter;
  readonly #controller = new AbortController();
  readonly #loops: Promise<void>[];
  #closing: Promise<void> | undefined;

  constructor(options: ResolvedSinkOptions) {
    this.#o = options;
    this.#transport =
      options.transport ??
      createHttpTransport(options.url, {
        requestTimeoutMs: options.requestTimeoutMs,
        gzipLevel: options.gzipLevel,
      });
    this.#breaker = new CircuitBreaker({
      failureThreshold: options.circuitFailureThreshold,
      cooldownMs: options.circuitCooldownMs,
      maxCooldownMs: options.circuitMaxCooldownMs,
      clock: options.clock,
      onStateChange: (state) => {
        const fields = { url: options.url, lastError: this.#counters.lastError?.message };
        if (state === 'open') options.logger.warn('InfluxDB circuit open: writes paused', fields);
        else options.logger.info(`InfluxDB circuit ${state}`, fields);
      },
    });
    this.#writer = new BatchWriter({
      options,
      transport: this.#transport,
      endpoint: writeEndpoint(options),
      breaker: this.#breaker,
      counters: this.#counters,
    });
    const source = options.source;
    this.#loops = source ? Array.from({ length: options.maxConcurrentWrites }, () => this.#loop(source)) : [];
  }

  async write(lines: readonly string[], signal?: AbortSignal): Promise<WriteResult> {
    const combined = signal ? AbortSignal.any([signal, this.#controller.signal]) : this.#controller.signal;
    const outcome = await this.#writer.write(lines, combined);
    if (!outcome.ok) throw outcome.error;
    return { written: outcome.written, rejected: outcome.rejected };
  }

  stats(): InfluxSinkStats {
    return this.#counters.stats(this.#breaker.state, this.#breaker.opens);
  }

  close(options?: SinkCloseOptions): Promise<void> {
    // A bad deadline is refused before anything changes, so that a correct close() can follow.
    const deadline = options?.timeoutMs;
    if (this.#closing === undefined && deadline !== undefined && !isDurationMs(deadline, CLOSE_DEADLINE)) {
      return Promise.reject(invalidOption('timeoutMs', describeDurationRange(CLOSE_DEADLINE), deadline));
    }
    this.#closing ??= this.#close(options);
    return this.#closing;
  }

  async #close(options: SinkCloseOptions | undefined): Promise<void> {
    const source = this.#o.source;
    // The source drains memory through the running loops until its deadline, then spills the rest.
    if (source) await source.close(options?.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
    this.#controller.abort(new InfluxWriteError('ERR_ABORTED', 'The sink is closed'));
    await Promise.allSettled(this.#loops);
    this.#breaker.dispose();
    this.#transport.close();
  }

  async #loop(source: BatchSource): Promise<void> {
    const signal = this.#controller.signal;
    while (!signal.aborted) {
      try {
        await this.#breaker.ready(signal);
        const batch = await source.take(signal);
        if (!batch) return;
        const outcome = await this.#writer.write(batch.lines, signal, (error) => batch.retrying?.(error));
        if (outcome.ok) {
          batch.ack();
        } else {
          this.#counters.batchesReturned++;
          batch.nack(outcome.error);
        }
      } catch (error) {
        // Aborted while waiting in `ready()` or `take()`: the sink is closing.
        if (this.#controller.signal.aborted) return;
        // A bug in a source or hook: keep the loop alive, but not spinning.
        this.#o.logger.error('InfluxDB write loop failed', { error: String(error) });
        this.#breaker.trip();
      }
    }
  }
}
