import {
  createBackpressureQueue,
  type BackpressureQueue,
  type BackpressureQueueOptions,
} from '@homeiq/backpressure-queue';
import { createInfluxSink, type InfluxSink, type InfluxSinkOptions } from '../index.js';

/** A queue feeding a sink, as the app wires them. */
export interface Pipeline {
  readonly queue: BackpressureQueue;
  readonly sink: InfluxSink;
}

export const quietLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Fast retry settings so outage tests take seconds, not minutes. */
export const fastRetries: Partial<InfluxSinkOptions> = {
  retryInitialDelayMs: 50,
  retryMaxDelayMs: 500,
  circuitFailureThreshold: 3,
  circuitCooldownMs: 200,
  circuitMaxCooldownMs: 500,
  requestTimeoutMs: 2000,
};

export function pipeline(queue: BackpressureQueueOptions, sink: InfluxSinkOptions): Pipeline {
  const q = createBackpressureQueue({ logger: quietLogger, ...queue });
  return { queue: q, sink: createInfluxSink({ logger: quietLogger, ...fastRetries, ...sink, source: q }) };
}

/** Line `i` of a test stream: one point per line, distinct timestamps, value `i`. */
export function point(measurement: string, i: number, baseNs = 1_700_000_000_000_000_000n): string {
  return `${measurement},entity=sensor.s${i % 50} v=${i}i ${baseNs + BigInt(i) * 1000n}`;
}

/** Polls `condition` (integration tests only: real processes, real time). */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
