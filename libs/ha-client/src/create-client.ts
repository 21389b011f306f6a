import { MAX_DURATION_MS, describeDurationRange, describeValue, isDurationMs } from '@homeiq/runtime';
import { ConnectionManager } from './client.js';
import {
  clientClosedError,
  HaClientStateError,
  HaConnectionError,
  HaInvalidArgumentError,
} from './errors.js';
import { resolveOptions, type HaClientOptions } from './options.js';
import { toHaEvent } from './protocol/event.js';
import { SUBSCRIBE_EVENTS, subscribeEventsPayload } from './protocol/messages.js';
import type { CommandOptions, EventHandler, HaClient, HaClientStats, Unsubscribe } from './types.js';

/**
 * Creates a Home Assistant WebSocket client. Nothing happens until `start()`; from then on it connects,
 * authenticates, restores subscriptions after every reconnect and retries forever by default.
 *
 * @throws HaInvalidArgumentError (`ERR_INVALID_OPTION`) when an option is invalid.
 */
export function createHaClient(options: HaClientOptions): HaClient {
  const manager = new ConnectionManager(resolveOptions(options));
  const { clock } = manager.options;

  const deliver = (raw: unknown, handler: EventHandler): void => {
    const event = toHaEvent(raw);
    if ('invalid' in event) {
      manager.drop('invalid_event', event.invalid);
      return;
    }
    manager.stats.recordEvent(clock.now());
    const returned = handler(event);
    // An async handler is not awaited (reading must never wait for a consumer), but its rejection is still
    // counted and reported instead of surfacing as an unhandled rejection.
    if (isPromiseLike(returned)) {
      returned.then(undefined, (error: unknown) => {
        manager.drop('handler_error', `async handler for ${event.eventType}`, error);
      });
    }
  };

  return {
    start: () => {
      if (manager.state === 'closed') throw clientClosedError();
      manager.start();
    },
    whenConnected: (waitOptions) => {
      if (manager.state === 'connected') return Promise.resolve();
      if (manager.state === 'closed') return Promise.reject(clientClosedError());
      if (manager.state === 'failed') {
        return Promise.reject(
          new HaClientStateError('ERR_RETRIES_EXHAUSTED', 'The client gave up; call start() to try again'),
        );
      }
      return manager.waiters.wait(waitOptions?.signal);
    },
    sendCommand: (type, payload, commandOptions) => {
      const invalid = checkCommand(type, payload, commandOptions);
      if (invalid !== undefined) return Promise.reject(invalid);
      if (manager.state === 'closed') return Promise.reject(clientClosedError());
      const session = manager.session;
      if (session === undefined || !session.alive) {
        return Promise.reject(
          new HaConnectionError(
            'ERR_NOT_CONNECTED',
            `Not connected to Home Assistant (${manager.state}); command \`${type}\` not sent`,
          ),
        );
      }
      return session.command(type, payload, {
        timeoutMs: commandOptions?.timeoutMs ?? manager.options.commandTimeoutMs,
        signal: commandOptions?.signal,
      });
    },
    subscribeEvents: (eventType, handler): Unsubscribe => {
      if (eventType !== undefined && (typeof eventType !== 'string' || eventType === '')) {
        throw argument(
          `Expected \`eventType\` to be a non-empty string or undefined, got ${describeValue(eventType)}`,
        );
      }
      if (typeof handler !== 'function')
        throw argument(`Expected \`handler\` to be a function, got ${describeValue(handler)}`);
      if (manager.state === 'closed') throw clientClosedError();
      return manager.registry.add({
        commandType: SUBSCRIBE_EVENTS,
        payload: subscribeEventsPayload(eventType),
        label: eventType,
        onEvent: (raw) => {
          deliver(raw, handler);
        },
      });
    },
    get state() {
      return manager.state;
    },
    stats: () => snapshot(manager),
    close: () => manager.close(),
  };
}

function snapshot(manager: ConnectionManager): HaClientStats {
  const { stats, state } = manager;
  const now = manager.options.clock.now();
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
    eventRatePerMinute: stats.eventRatePerMinute(now),
    lastEventAtMs: stats.lastEventAtMs,
    circuitBreaker: manager.breaker.snapshot(),
    reconnectAttempt: manager.policy.attempt,
    nextAttemptAtMs: stats.nextAttemptAtMs,
    gaps: stats.gaps,
    subscriptions: manager.registry.counts(),
    pendingCommands: manager.session?.pendingCount ?? 0,
    drops: { ...stats.drops },
  };
}

/** The reason a command call is invalid, or undefined. Rejected rather than thrown: `sendCommand` is async. */
function checkCommand(
  type: unknown,
  payload: unknown,
  options: CommandOptions | undefined,
): HaInvalidArgumentError | undefined {
  if (typeof type !== 'string' || type === '') {
    return argument(`Expected \`type\` to be a non-empty string, got ${describeValue(type)}`);
  }
  if (payload !== undefined) {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      return argument(`Expected \`payload\` to be an object or undefined, got ${describeValue(payload)}`);
    }
    // The client owns `id` (correlation) and `type` is the first argument; a payload key would silently win.
    if ('id' in payload || 'type' in payload) {
      return argument('Expected `payload` to have no `id` or `type` key: the client sets them');
    }
  }
  const timeoutMs = options?.timeoutMs;
  const range = { min: 1, max: MAX_DURATION_MS };
  if (timeoutMs !== undefined && !isDurationMs(timeoutMs, range)) {
    return argument(
      `Expected \`timeoutMs\` to be ${describeDurationRange(range)}, got ${describeValue(timeoutMs)}`,
    );
  }
  return undefined;
}

function argument(message: string): HaInvalidArgumentError {
  return new HaInvalidArgumentError('ERR_INVALID_ARGUMENT', message);
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
  );
}
