import type { HomeModelImpl } from '../model/home-model.js';
import { COMMAND_SINCE, COMMANDS, HandlerError, versionAtLeast } from './command-handlers.js';
import { wireJson } from '../util/wire-text.js';
import { SchemaError } from './schema.js';
import type { SimState } from './sim-state.js';

/** What a command handler can do on its connection. */
export interface CommandConnection {
  lastId: number;
  coalesce: boolean;
  readonly userId: string;
  reply(commandType: string, message: string, later?: boolean): void;
  subscribe(id: number, eventType: string): void;
  subscribeEntities(id: number, filter: (entityId: string) => boolean): void;
  /**
   * Registers a subscription that lives in its handler (HA's `connection.subscriptions[id] = unsub`), so that
   * `unsubscribe_events` and closing the connection end it by calling `cancel`.
   */
  subscribeHandler(id: number, cancel: () => void): void;
  unsubscribe(id: number): boolean;
  readonly state: SimState;
}

/** `{"id":N,"type":"result","success":false,"error":{"code":…,"message":…}}` (HA `error_message`). */
export function errorMessage(
  id: unknown,
  code: string,
  message: string,
  translation?: { key: string; domain: string; placeholders: Record<string, string> },
): string {
  const error: Record<string, unknown> = { code, message };
  if (translation !== undefined) {
    error['translation_key'] = translation.key;
    error['translation_placeholders'] = translation.placeholders;
    error['translation_domain'] = translation.domain;
  }
  return wireJson({ id: id === undefined ? null : id, type: 'result', success: false, error });
}

/** `{"id":N,"type":"result","success":true,"result":…}` from a result already serialized. */
export function resultMessage(id: number, resultJson: string): string {
  return '{"id":' + String(id) + ',"type":"result","success":true,"result":' + resultJson + '}';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * HA `ActiveConnection.async_handle`, in its order: malformed message or id → invalid_format (id echoed,
 * 0 for non-objects); id not above the last → id_reuse; unknown type → unknown_command (last_id not
 * advanced); schema errors → invalid_format with the humanized message; then the handler. last_id
 * advances once a handler was invoked, even when it failed.
 */
export function handleCommand(connection: CommandConnection, home: HomeModelImpl, message: unknown): void {
  const counters = connection.state.counters;
  const fail = (id: unknown, type: string, code: string, text: string): void => {
    connection.state.count(counters.errorsByCode, code);
    connection.reply(type, errorMessage(id, code, text));
  };
  if (!isPlainObject(message)) {
    fail(0, '', 'invalid_format', 'Message incorrectly formatted.');
    return;
  }
  const id = message['id'];
  const type = message['type'];
  if (
    typeof id !== 'number' ||
    !Number.isInteger(id) ||
    id === 0 ||
    typeof type !== 'string' ||
    type === ''
  ) {
    fail(id, typeof type === 'string' ? type : '', 'invalid_format', 'Message incorrectly formatted.');
    return;
  }
  connection.state.count(counters.commandsByType, type);
  if (id <= connection.lastId) {
    fail(id, type, 'id_reuse', 'Identifier values have to increase.');
    return;
  }
  const command = COMMANDS.get(type);
  const since = COMMAND_SINCE[type];
  // `history` depends on `recorder`: without a recorder its commands are not registered.
  if (
    command === undefined ||
    (since !== undefined && !versionAtLeast(connection.state.haVersion, since)) ||
    (type.startsWith('history/') && connection.state.recorder === null)
  ) {
    fail(id, type, 'unknown_command', 'Unknown command.');
    return;
  }
  try {
    command.handle(connection, home, command.schema(message), id);
  } catch (error) {
    if (error instanceof SchemaError) fail(id, type, 'invalid_format', error.humanize(message));
    else if (error instanceof HandlerError) {
      connection.state.count(counters.errorsByCode, error.code);
      connection.reply(type, errorMessage(id, error.code, error.message, error.translation));
    } else fail(id, type, 'unknown_error', 'Unknown error');
  }
  connection.lastId = id;
}

/**
 * One command-phase frame (HA `_async_websocket_command_phase`): a command or a JSON array of them,
 * handled in order. Returns false when HA would disconnect: invalid JSON ("Received invalid JSON.",
 * no error reply) or an empty binary frame. Other binary frames go to binary handlers (assist);
 * there are none here.
 */
export function handleCommandFrame(
  connection: CommandConnection,
  home: HomeModelImpl,
  data: Buffer,
  isBinary: boolean,
): boolean {
  if (isBinary) return data.length > 0;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.toString('utf8'));
  } catch {
    return false;
  }
  if (Array.isArray(parsed)) for (const message of parsed) handleCommand(connection, home, message);
  else handleCommand(connection, home, parsed);
  return true;
}
