import type { HomeModelImpl } from '../model/home-model.js';
import { wireJson } from '../util/wire-text.js';

/** Components every HA install loads (`default_config` and its dependencies), plus influxdb. */
const CORE_COMPONENTS = [
  'api',
  'auth',
  'backup',
  'config',
  'default_config',
  'device_automation',
  'energy',
  'frontend',
  'history',
  'homeassistant',
  'http',
  'influxdb',
  'logbook',
  'logger',
  'lovelace',
  'onboarding',
  'person',
  'recorder',
  'repairs',
  'script',
  'search',
  'sun',
  'system_log',
  'websocket_api',
  'zone',
];

/** `get_config` result (HA `Config.as_dict()`, key order kept), with `components` derived from the home. */
export function configJson(home: HomeModelImpl, version: string, coreState: string): string {
  const components = new Set(CORE_COMPONENTS);
  for (const entry of home.core.registries.entities) {
    const domain = entry.entity_id.split('.')[0] ?? '';
    components.add(domain);
    components.add(entry.platform);
    components.add(`${domain}.${entry.platform}`);
  }
  const dirs = ['/media', '/config/www'];
  return wireJson({
    allowlist_external_dirs: dirs,
    allowlist_external_urls: [],
    components: [...components].sort(),
    config_dir: '/config',
    config_source: 'storage',
    country: 'NL',
    currency: 'EUR',
    debug: false,
    elevation: 2,
    external_url: null,
    internal_url: null,
    language: 'en',
    latitude: 52.3731,
    location_name: 'Home',
    longitude: 4.8922,
    radius: 100,
    recovery_mode: false,
    safe_mode: false,
    state: coreState,
    time_zone: 'Europe/Amsterdam',
    unit_system: {
      length: 'km',
      accumulated_precipitation: 'mm',
      area: 'm²',
      mass: 'g',
      pressure: 'Pa',
      temperature: '°C',
      volume: 'L',
      wind_speed: 'm/s',
    },
    version,
    whitelist_external_dirs: dirs,
  });
}

const entityTarget = (domain: string): object => ({ entity: [{ domain: [domain] }] });
const simple = (name: string, description: string, domain: string): object => ({
  name,
  description,
  fields: {},
  target: entityTarget(domain),
});

/** `get_services` descriptions for the domains the simulator can act on (call_service). */
export const SERVICES: Readonly<Record<string, Readonly<Record<string, object>>>> = {
  homeassistant: {
    turn_on: {
      name: 'Generic turn on',
      description: 'Generic action to turn devices on under any domain.',
      fields: {},
      target: { entity: [{}] },
    },
    turn_off: {
      name: 'Generic turn off',
      description: 'Generic action to turn devices off under any domain.',
      fields: {},
      target: { entity: [{}] },
    },
    update_entity: {
      name: 'Update entity',
      description: 'Forces one or more entities to update their data.',
      fields: {
        entity_id: {
          required: true,
          selector: { entity: { multiple: true, reorder: false } },
          name: 'Entities to update',
          description: 'List of entities to force update.',
        },
      },
    },
    restart: { name: 'Restart', description: 'Restarts Home Assistant.', fields: {} },
  },
  light: {
    turn_on: {
      name: 'Turn on',
      description:
        'Turns on one or more lights and adjusts their properties, even when they are turned on already.',
      fields: {
        transition: {
          filter: { supported_features: [32] },
          selector: { number: { min: 0, max: 300, step: 1, unit_of_measurement: 'seconds', mode: 'slider' } },
          name: 'Transition',
          description: 'Duration it takes to get to next state.',
        },
        brightness: {
          advanced: true,
          selector: { number: { min: 0, max: 255, step: 1, mode: 'slider' } },
          name: 'Brightness value',
          description: 'Number indicating brightness.',
        },
      },
      target: entityTarget('light'),
    },
    turn_off: simple('Turn off', 'Turns off one or more lights.', 'light'),
    toggle: simple(
      'Toggle',
      'Toggles one or more lights, from on to off, or, off to on, based on their current state.',
      'light',
    ),
  },
  switch: {
    turn_on: simple('Turn on', 'Turns a switch on.', 'switch'),
    turn_off: simple('Turn off', 'Turns a switch off.', 'switch'),
    toggle: simple('Toggle', 'Toggles a switch on/off.', 'switch'),
  },
  lock: {
    lock: simple('Lock', 'Locks a lock.', 'lock'),
    unlock: simple('Unlock', 'Unlocks a lock.', 'lock'),
  },
  cover: {
    open_cover: simple('Open', 'Opens a cover.', 'cover'),
    close_cover: simple('Close', 'Closes a cover.', 'cover'),
  },
  climate: {
    set_hvac_mode: {
      name: 'Set HVAC mode',
      description: 'Sets HVAC operation mode.',
      fields: {
        hvac_mode: {
          selector: { state: { hide_states: ['unavailable', 'unknown'] } },
          name: 'HVAC mode',
          description: 'HVAC operation mode.',
        },
      },
      target: entityTarget('climate'),
    },
    set_temperature: {
      name: 'Set target temperature',
      description: 'Sets the temperature setpoint.',
      fields: {
        temperature: {
          filter: { supported_features: [1] },
          selector: { number: { min: 0, max: 250, step: 0.1, mode: 'box' } },
          name: 'Target temperature',
          description: 'The temperature setpoint.',
        },
      },
      target: entityTarget('climate'),
    },
  },
  persistent_notification: {
    create: {
      name: 'Create',
      description: 'Shows a notification on the notifications panel.',
      fields: {
        message: {
          required: true,
          example: 'Please check your configuration.yaml.',
          selector: { text: { multiline: false, multiple: false } },
          name: 'Message',
          description: 'Message body of the notification.',
        },
      },
    },
    dismiss: {
      name: 'Dismiss',
      description: 'Deletes a notification from the notifications panel.',
      fields: {
        notification_id: {
          required: true,
          example: 1234,
          selector: { text: { multiline: false, multiple: false } },
          name: 'Notification ID',
          description: 'ID of the notification to be deleted.',
        },
      },
    },
  },
};

export const SERVICES_JSON = wireJson(SERVICES);

/** Integration types, for `config_entries/get` `type_filter`. */
export const INTEGRATION_TYPES: Readonly<Record<string, string>> = {
  zha: 'hub',
  hue: 'hub',
  shelly: 'device',
  tado: 'hub',
  overkiz: 'hub',
  nuki: 'hub',
  mobile_app: 'hub',
  homewizard: 'device',
  esphome: 'device',
  home_connect: 'hub',
  sun: 'service',
};
