import {
  MAX_DURATION_MS,
  describeDurationRange,
  invalidOptionMessage,
  isDurationMs,
  optionChecks,
} from '@homeiq/runtime';
import { ConnectionManager } from './client.js';
import { clientClosedError, HaInvalidArgumentError } from './errors.js';
import { resolveOptions, type HaClientOptions } from './options.js';
import { toHaEvent } from './protocol/event.js';
import { SUBSCRIBE_EVENTS, subscribeEventsPayload } from './protocol/messages.js';
import type { CommandOptions, EventHandler, HaClient, Unsubscribe } from './types.js';

/**
 * Creates a Home Assistant WebSocket client. Nothing happens until `start()`; from then on it connects,
 * authenticates, restores subscriptions after every reconnect and retries forever by default.
 *
 * @throws HaInvalidArgumentError (`ERR_INVALID_OPTION`) when an option is invalid.
 */
export function createHaClient(options: HaClientOptions): HaClient {
  const manager = new ConnectionManager(resolveOptions(options));

  const deliver = (raw: unknown, handler: EventHandler): void => {
    const event = toHaEvent(raw);
    if ('invalid' in event) {
      manager.drop('invalid_event', event.invalid);
      return;
    }
    manager.recordEvent();
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
    whenConnected: (waitOptions) => manager.whenConnected(waitOptions?.signal),
    sendCommand: (type, payload, commandOptions) => {
      const invalid = checkCommand(type, payload, commandOptions);
      if (invalid !== undefined) return Promise.reject(invalid);
      return manager.command(type, payload, commandOptions);
    },
    subscribeEvents: (eventType, handler): Unsubscribe => {
      if (eventType !== undefined && (typeof eventType !== 'string' || eventType === ''))
        throw argument('eventType', 'a non-empty string or undefined', eventType);
      checkArgument.callback('handler', handler);
      return manager.subscribe({
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
    stats: () => manager.stats(),
    close: () => manager.close(),
  };
}

const argument = (name: string, expected: string, value: unknown): HaInvalidArgumentError =>
  new HaInvalidArgumentError('ERR_INVALID_ARGUMENT', invalidOptionMessage(name, expected, value));
const checkArgument = optionChecks(argument);

/** The reason a command call is invalid, or undefined. Rejected rather than thrown: `sendCommand` is async. */
function checkCommand(
  type: unknown,
  payload: unknown,
  options: CommandOptions | undefined,
): HaInvalidArgumentError | undefined {
  if (typeof type !== 'string' || type === '') return argument('type', 'a non-empty string', type);
  if (payload !== undefined) {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      return argument('payload', 'an object or undefined', payload);
    }
    // The client owns `id` (correlation) and `type` is the first argument; a payload key would silently win.
    if ('id' in payload || 'type' in payload) {
      return new HaInvalidArgumentError(
        'ERR_INVALID_ARGUMENT',
        'Expected `payload` to have no `id` or `type` key: the client sets them',
      );
    }
  }
  const timeoutMs = options?.timeoutMs;
  const range = { min: 1, max: MAX_DURATION_MS };
  if (timeoutMs !== undefined && !isDurationMs(timeoutMs, range)) {
    return argument('timeoutMs', describeDurationRange(range), timeoutMs);
  }
  return undefined;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
  );
}
