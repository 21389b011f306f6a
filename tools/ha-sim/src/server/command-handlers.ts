import type { HomeModelImpl } from '../model/home-model.js';
import { Registries } from '../model/registry.js';
import { callService } from './call-service.js';
import type { CommandConnection } from './commands.js';
import { resultMessage } from './commands.js';
import {
  dictSchema,
  isBool,
  isDict,
  isStr,
  listOfStr,
  literal,
  optional,
  positiveInt,
  required,
  strToInt,
  type Field,
} from './schema.js';
import { entityIds, filterSpec, makeEntityFilter, type FilterSpec } from './entity-filter.js';
import { configJson, INTEGRATION_TYPES, SERVICES_JSON } from './static-data.js';
import { wireJson } from '../util/wire-text.js';
import { HISTORY_COMMANDS } from './recorder/history-commands.js';

/** A handler error with HA's code (and translation, when HA sends one). */
export class HandlerError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly translation?: { key: string; domain: string; placeholders: Record<string, string> },
  ) {
    super(message);
  }
}

type Handler = (
  connection: CommandConnection,
  home: HomeModelImpl,
  message: Record<string, unknown>,
  id: number,
) => void;

interface Command {
  readonly schema: (message: unknown) => Record<string, unknown>;
  readonly handle: Handler;
}

/**
 * The HA release that added a command: an older `haVersion` answers `unknown_command`, so that clients
 * can be tested against older servers (the frontend library itself gates supported_features on 2022.9).
 */
export const COMMAND_SINCE: Readonly<Record<string, readonly [number, number]>> = {
  subscribe_entities: [2022, 4],
  supported_features: [2022, 9],
  'config/floor_registry/list': [2024, 4],
};

/** True when HA `version` (`2025.1.2`, `2025.2.0b1`, `2025.3.0.dev0`) is at least `year.month`. */
export function versionAtLeast(version: string, [year, month]: readonly [number, number]): boolean {
  const [major = 0, minor = 0] = version.split('.').map((part) => Number.parseInt(part, 10));
  return major > year || (major === year && minor >= month);
}

/** `BASE_COMMAND_MESSAGE_SCHEMA.extend({type, ...fields})`: extra keys are rejected. */
function command(type: string, fields: Readonly<Record<string, Field>>, handle: Handler): [string, Command] {
  return [
    type,
    { schema: dictSchema({ id: required(positiveInt), type: required(literal(type)), ...fields }), handle },
  ];
}

const result = (
  connection: CommandConnection,
  type: string,
  id: number,
  json: string,
  later = false,
): void => {
  connection.reply(type, resultMessage(id, json), later);
};

/** HA builds the device and entity registry lists from cached bytes, with these stray spaces. */
const rawListMessage = (id: number, inner: string): string =>
  '{"id":' + String(id) + ',"type": "result","success":true,"result": ' + inner + '}';

export const COMMANDS: ReadonlyMap<string, Command> = new Map([
  command('subscribe_events', { event_type: optional(isStr) }, (connection, _home, message, id) => {
    const eventType = typeof message['event_type'] === 'string' ? message['event_type'] : '*';
    // Core refuses unfiltered listeners of state_reported (EventBus.async_listen).
    if (eventType === 'state_reported')
      throw new HandlerError('home_assistant_error', 'Event filter is required for event state_reported');
    connection.subscribe(id, eventType);
    result(connection, 'subscribe_events', id, 'null');
  }),
  command(
    'subscribe_entities',
    { entity_ids: optional(entityIds), include: optional(filterSpec), exclude: optional(filterSpec) },
    (connection, home, message, id) => {
      const filter = makeEntityFilter(
        message['entity_ids'] as string[] | undefined,
        message['include'] as FilterSpec | undefined,
        message['exclude'] as FilterSpec | undefined,
      );
      // HA listens before it takes the snapshot, then sends the result and the initial states (id first).
      connection.subscribeEntities(id, filter);
      result(connection, 'subscribe_entities', id, 'null');
      connection.reply(
        'subscribe_entities',
        '{"id":' + String(id) + ',"type":"event","event":' + home.compressedStatesJson(filter) + '}',
      );
    },
  ),
  command('unsubscribe_events', { subscription: required(positiveInt) }, (connection, _home, message, id) => {
    if (connection.unsubscribe(Number(message['subscription'])))
      result(connection, 'unsubscribe_events', id, 'null');
    else throw new HandlerError('not_found', 'Subscription not found.');
  }),
  command('ping', {}, (connection, _home, _message, id) => {
    connection.reply('ping', '{"id":' + String(id) + ',"type":"pong"}');
  }),
  command('supported_features', { features: required(strToInt) }, (connection, _home, message, id) => {
    const features = message['features'] as Record<string, unknown>;
    connection.coalesce = 'coalesce_messages' in features;
    result(connection, 'supported_features', id, 'null');
  }),
  command('get_states', {}, (connection, home, _message, id) => {
    result(connection, 'get_states', id, home.statesJson());
  }),
  command('get_config', {}, (connection, home, _message, id) => {
    result(
      connection,
      'get_config',
      id,
      configJson(home, connection.state.haVersion, connection.state.coreState),
    );
  }),
  command('get_services', {}, (connection, _home, _message, id) => {
    result(connection, 'get_services', id, SERVICES_JSON, true);
  }),
  command('auth/current_user', {}, (connection, _home, _message, id) => {
    const user = {
      id: connection.userId,
      name: 'Owner',
      is_owner: true,
      is_admin: true,
      credentials: [{ auth_provider_type: 'homeassistant', auth_provider_id: null }],
      mfa_modules: [{ id: 'totp', name: 'Authenticator app', enabled: false }],
    };
    result(connection, 'auth/current_user', id, wireJson(user), true);
  }),
  command('config/device_registry/list', {}, (connection, home, _message, id) => {
    connection.reply('config/device_registry/list', rawListMessage(id, home.registryJson('devices')));
  }),
  command('config/entity_registry/list', {}, (connection, home, _message, id) => {
    connection.reply('config/entity_registry/list', rawListMessage(id, home.registryJson('entities')));
  }),
  command('config/area_registry/list', {}, (connection, home, _message, id) => {
    result(connection, 'config/area_registry/list', id, home.registryJson('areas'));
  }),
  command('config/floor_registry/list', {}, (connection, home, _message, id) => {
    result(connection, 'config/floor_registry/list', id, home.registryJson('floors'));
  }),
  command(
    'config_entries/get',
    { type_filter: optional(listOfStr), domain: optional(isStr) },
    (connection, home, message, id) => {
      const types = message['type_filter'] as string[] | undefined;
      const domain = message['domain'] as string | undefined;
      const entries = home.core.registries.configEntries.filter(
        (entry) =>
          (domain === undefined || entry.domain === domain) &&
          (types === undefined || types.includes(INTEGRATION_TYPES[entry.domain] ?? 'hub')),
      );
      result(connection, 'config_entries/get', id, Registries.listJson(entries), true);
    },
  ),
  command(
    'call_service',
    {
      domain: required(isStr),
      service: required(isStr),
      target: optional(isDict),
      service_data: optional(isDict),
      return_response: optional(isBool),
    },
    (connection, home, message, id) => {
      const context = callService(home, connection.userId, message);
      result(connection, 'call_service', id, '{"context":' + wireJson(context) + '}', true);
    },
  ),
  command(
    'fire_event',
    { event_type: required(isStr), event_data: optional(isDict) },
    (connection, home, message, id) => {
      const context = home.ops.fireJson(
        String(message['event_type']),
        wireJson(message['event_data'] ?? {}),
        connection.userId,
      );
      result(connection, 'fire_event', id, '{"context":' + wireJson(context) + '}');
    },
  ),
  ...HISTORY_COMMANDS.map(([type, schema, handle]): [string, Command] => [type, { schema, handle }]),
]);
