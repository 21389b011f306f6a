import type { DropReason } from './correlation/session.js';
import { describeError } from './errors.js';
import { EventRate } from './event-rate.js';
import type { CircuitBreakerStats } from '@homeiq/runtime';
import type { SubscriptionCounts } from './subscriptions/registry.js';
import type { ConnectionState, ErrorSummary, HaClientStats } from './types.js';

/** Counters behind `stats()`. The client owns one and reports into it; nothing here holds a secret. */
export class StatsRecorder {
  connectionAttempts = 0;
  successfulConnections = 0;
  failedConnections = 0;
  lastSuccessfulAtMs: number | null = null;
  connectedSinceMs: number | null = null;
  lastError: ErrorSummary | null = null;
  haVersion: string | null = null;
  haState: string | null = null;
  eventsReceived = 0;
  lastEventAtMs: number | null = null;
  nextAttemptAtMs: number | null = null;
  gaps = 0;
  readonly drops: Record<DropReason, number> = {
    invalid_frame: 0,
    invalid_event: 0,
    unknown_subscription: 0,
    unsubscribed: 0,
    unexpected_result: 0,
    handler_error: 0,
  };
  readonly #rate = new EventRate();

  /** One event delivered to a handler. */
  recordEvent(nowMs: number): void {
    this.eventsReceived += 1;
    this.lastEventAtMs = nowMs;
    this.#rate.record(nowMs);
  }

  /** Any failure; keeps code and message only. */
  recordError(error: unknown, nowMs: number): void {
    this.lastError = { ...describeError(error), atMs: nowMs };
  }

  /** Events in the last 60 s. */
  eventRatePerMinute(nowMs: number): number {
    return this.#rate.perMinute(nowMs);
  }
}

/** What `stats()` reads from the client's other parts, besides the recorder. */
export interface StatsParts {
  readonly state: ConnectionState;
  readonly nowMs: number;
  readonly circuitBreaker: CircuitBreakerStats;
  readonly reconnectAttempt: number;
  readonly subscriptions: SubscriptionCounts;
  readonly pendingCommands: number;
}

/** A fresh, detached snapshot for `stats()`. */
export function clientStats(stats: StatsRecorder, parts: StatsParts): HaClientStats {
  const { state } = parts;
  return {
    isRunning: state !== 'idle' && state !== 'failed' && state !== 'closed',
    state,
    connectionAttempts: stats.connectionAttempts,
    successfulConnections: stats.successfulConnections,
    failedConnections: stats.failedConnections,
    lastSuccessfulAtMs: stats.lastSuccessfulAtMs,
    connectedSinceMs: stats.connectedSinceMs,
    lastError: stats.lastError,
    haVersion: stats.haVersion,
    haState: stats.haState,
    eventsReceived: stats.eventsReceived,
    eventRatePerMinute: stats.eventRatePerMinute(parts.nowMs),
    lastEventAtMs: stats.lastEventAtMs,
    circuitBreaker: parts.circuitBreaker,
    reconnectAttempt: parts.reconnectAttempt,
    nextAttemptAtMs: stats.nextAttemptAtMs,
    gaps: stats.gaps,
    subscriptions: parts.subscriptions,
    pendingCommands: parts.pendingCommands,
    drops: { ...stats.drops },
  };
}
