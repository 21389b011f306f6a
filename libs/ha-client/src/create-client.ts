import {
  MAX_DURATION_MS,
  describeDurationRange,
  invalidOptionMessage,
  isDurationMs,
  optionChecks,
} from '@homeiq/runtime';
import { ConnectionManager } from './client.js';
import type { CallServicePayload, CallServiceResult, HaConfig, HaServices, HaState } from './commands.js';
import { clientClosedError, HaInvalidArgumentError } from './errors.js';
import { resolveOptions, type HaClientOptions } from './options.js';
import { toHaEvent, type HaEvent } from './protocol/event.js';
import { SUBSCRIBE_EVENTS, subscribeEventsPayload } from './protocol/messages.js';
import { CLIENT_EVENT_NAMES } from './events.js';
import type {
  CallServiceOptions,
  CommandOptions,
  EventHandler,
  HaClient,
  HaClientEventName,
  Unsubscribe,
} from './types.js';

/**
 * Creates a Home Assistant WebSocket client. Nothing happens until `start()`; from then on it connects,
 * authenticates, restores subscriptions after every reconnect and retries forever by default.
 *
 * @throws HaInvalidArgumentError (`ERR_INVALID_OPTION`) when an option is invalid.
 */
export function createHaClient(options: HaClientOptions): HaClient {
  const manager = new ConnectionManager(resolveOptions(options));

  const deliver = (raw: unknown, handler: EventHandler<never>): void => {
    const event = toHaEvent(raw);
    if ('invalid' in event) {
      manager.drop('invalid_event', event.invalid);
      return;
    }
    manager.recordEvent();
    // `data` is passed through unchecked, as documented: its type is the subscriber's statement of what HA sends.
    const returned = handler(event as HaEvent<never>);
    // An async handler is not awaited (reading must never wait for a consumer), but its rejection is still
    // counted and reported instead of surfacing as an unhandled rejection.
    if (isPromiseLike(returned)) {
      returned.then(undefined, (error: unknown) => {
        manager.drop('handler_error', `async handler for ${event.eventType}`, error);
      });
    }
  };

  const send = <T>(
    type: string,
    payload: Readonly<Record<string, unknown>> | undefined,
    commandOptions: CommandOptions | undefined,
  ): Promise<T> => {
    const invalid = checkCommand(type, payload, commandOptions);
    if (invalid !== undefined) return Promise.reject(invalid);
    // HA's result is passed through unchecked: the type is the caller's (or HaCommands') statement of its shape.
    return manager.command(type, payload, commandOptions) as Promise<T>;
  };

  const checkListener = (event: unknown, listener: unknown): void => {
    if (!CLIENT_EVENT_NAMES.includes(event as HaClientEventName))
      throw argument('event', `one of ${CLIENT_EVENT_NAMES.join(', ')}`, event);
    checkArgument.callback('listener', listener);
  };

  const client: HaClient = {
    start: () => {
      if (manager.state === 'closed') throw clientClosedError();
      manager.start();
    },
    whenConnected: (waitOptions) => manager.whenConnected(waitOptions?.signal),
    sendCommand: <T>(
      type: string,
      payload?: Readonly<Record<string, unknown>>,
      commandOptions?: CommandOptions,
    ): Promise<T> => send<T>(type, payload, commandOptions),
    callService: <R>(
      domain: string,
      service: string,
      serviceData?: Readonly<Record<string, unknown>>,
      target?: CallServicePayload['target'],
      callOptions?: CallServiceOptions,
    ): Promise<CallServiceResult<R>> => {
      if (typeof domain !== 'string' || domain === '')
        return Promise.reject(argument('domain', 'a non-empty string', domain));
      if (typeof service !== 'string' || service === '')
        return Promise.reject(argument('service', 'a non-empty string', service));
      const payload: CallServicePayload = {
        domain,
        service,
        ...(serviceData === undefined ? {} : { service_data: serviceData }),
        ...(target === undefined ? {} : { target }),
        ...(callOptions?.returnResponse === true ? { return_response: true } : {}),
      };
      return send<CallServiceResult<R>>('call_service', { ...payload }, callOptions);
    },
    getStates: (commandOptions) => send<HaState[]>('get_states', undefined, commandOptions),
    getConfig: (commandOptions) => send<HaConfig>('get_config', undefined, commandOptions),
    getServices: (commandOptions) => send<HaServices>('get_services', undefined, commandOptions),
    on: (event, listener) => {
      checkListener(event, listener);
      manager.on(event, listener);
      return () => {
        manager.off(event, listener);
      };
    },
    off: (event, listener) => {
      checkListener(event, listener);
      manager.off(event, listener);
    },
    subscribeEvents: (eventType: string | undefined, handler: EventHandler<never>): Unsubscribe => {
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
  return client;
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
