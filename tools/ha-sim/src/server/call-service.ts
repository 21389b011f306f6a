import { makeContext } from '../model/events.js';
import type { HomeModelImpl } from '../model/home-model.js';
import { NO_ATTRIBUTES, type Reading } from '../model/kind.js';
import type { HaContext } from '../model/wire-types.js';
import { HandlerError } from './command-handlers.js';
import { SERVICES } from './static-data.js';

type Action = (current: Reading, data: Record<string, unknown>, next: () => Reading) => Reading | null;

const on = (): Reading => ({ state: 'on', attributes: NO_ATTRIBUTES });
const off = (): Reading => ({ state: 'off', attributes: NO_ATTRIBUTES });

/** What the services the simulator describes do to an entity (null: nothing). */
const ACTIONS: Readonly<Record<string, Action>> = {
  'light.turn_on': (current, data, next) => {
    const reading = current.state === 'on' ? current : next();
    const brightness = data['brightness'];
    return typeof brightness === 'number'
      ? { state: 'on', attributes: { ...reading.attributes, brightness } }
      : reading;
  },
  'light.turn_off': (current, _data, next) => (current.state === 'on' ? next() : current),
  'light.toggle': (_current, _data, next) => next(),
  'switch.turn_on': on,
  'switch.turn_off': off,
  'switch.toggle': (current) => (current.state === 'on' ? off() : on()),
  'lock.lock': () => ({ state: 'locked', attributes: NO_ATTRIBUTES }),
  'lock.unlock': () => ({ state: 'unlocked', attributes: NO_ATTRIBUTES }),
  'cover.open_cover': () => ({ state: 'open', attributes: { current_position: 100 } }),
  'cover.close_cover': () => ({ state: 'closed', attributes: { current_position: 0 } }),
  'climate.set_hvac_mode': (current, data) =>
    typeof data['hvac_mode'] === 'string'
      ? { state: data['hvac_mode'], attributes: current.attributes }
      : null,
  'climate.set_temperature': (current, data) =>
    typeof data['temperature'] === 'number'
      ? { state: current.state, attributes: { ...current.attributes, temperature: data['temperature'] } }
      : null,
};

const list = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : Array.isArray(value)
      ? value.filter((item): item is string => typeof item === 'string')
      : [];

/**
 * `call_service` for the described services: resolves the target (entities, devices, areas), applies
 * the action with the call's context (user = the connection's user), returns that context.
 */
export function callService(
  home: HomeModelImpl,
  userId: string,
  message: Record<string, unknown>,
): HaContext {
  const domain = String(message['domain']);
  const service = String(message['service']);
  if (SERVICES[domain]?.[service] === undefined) {
    throw new HandlerError('not_found', `Service ${domain}.${service} not found.`, {
      key: 'service_not_found',
      domain: 'homeassistant',
      placeholders: { domain, service },
    });
  }
  // None of the simulated services returns a response (SupportsResponse.NONE in HA core's homeassistant/core.py,
  // ServiceRegistry.async_call), so asking for one is refused as HA 2025.1 refuses it, before the action runs.
  if (message['return_response'] === true) {
    throw new HandlerError(
      'service_validation_error',
      "Validation error: An action which does not return responses can't be called with return_response=True",
      {
        key: 'service_does_not_support_response',
        domain: 'homeassistant',
        placeholders: { return_response: 'return_response=True' },
      },
    );
  }
  const machine = home.machine;
  const context = makeContext(
    machine.random,
    machine.clock.lastMicros,
    { userIds: [], userRatio: 0, parentRatio: 0 },
    userId,
  ).context;
  const data = (message['service_data'] ?? {}) as Record<string, unknown>;
  const target = (message['target'] ?? {}) as Record<string, unknown>;
  const registries = home.core.registries;
  const entityIds = new Set([...list(target['entity_id']), ...list(data['entity_id'])]);
  const devices = new Set(list(target['device_id']));
  const areas = new Set(list(target['area_id']));
  for (const entry of registries.entities) {
    const device = entry.device_id === null ? undefined : registries.device(entry.device_id);
    if (
      (entry.device_id !== null && devices.has(entry.device_id)) ||
      areas.has(entry.area_id ?? device?.area_id ?? '')
    )
      entityIds.add(entry.entity_id);
  }
  for (const entityId of entityIds) {
    const [entityDomain = ''] = entityId.split('.');
    // homeassistant.turn_on/turn_off act on any domain's own turn_on/turn_off.
    if (domain !== 'homeassistant' && entityDomain !== domain) continue;
    const action = ACTIONS[`${entityDomain}.${service}`];
    const record = machine.records.get(entityId);
    if (action === undefined || record === undefined) continue;
    const reading = action(record.reading, data, () =>
      record.def.kind.next(machine.random, record.reading, machine.clock.lastMicros),
    );
    if (reading !== null) machine.applyReading(entityId, reading, { id: context.id, userId, parentId: null });
  }
  return context;
}
