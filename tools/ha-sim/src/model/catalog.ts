import type { EntityKind } from './kind.js';
import {
  CLIMATE,
  CONNECTIVITY,
  COVER,
  DOOR,
  LIGHT,
  LOCK,
  MOISTURE,
  MOTION,
  OCCUPANCY,
  SWITCH,
  WINDOW,
} from './kinds-actuators.js';
import { DEVICE_TRACKER } from './kinds-presence.js';
import {
  BATTERY,
  CO2,
  ENERGY,
  ENERGY_EXPORT,
  FINISH_TIME,
  HUMIDITY,
  ILLUMINANCE,
  PM25,
  POWER,
  PRESSURE,
  SIGNAL,
  TEMPERATURE,
  VOLTAGE,
  WASHER_STATUS,
} from './kinds-sensors.js';

/** A kind of physical device and the entities it brings, main entity first. */
export interface DeviceTemplate {
  readonly label: string;
  readonly integration: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly modelId: string | null;
  readonly swVersion: string | null;
  readonly kinds: readonly EntityKind[];
}

const t = (
  label: string,
  integration: string,
  manufacturer: string,
  model: string,
  modelId: string | null,
  swVersion: string | null,
  kinds: readonly EntityKind[],
): DeviceTemplate => ({ label, integration, manufacturer, model, modelId, swVersion, kinds });

export const CLIMATE_SENSOR = t(
  'climate sensor',
  'zha',
  'LUMI',
  'Aqara temperature and humidity sensor',
  'lumi.weather',
  '0x00000003',
  [TEMPERATURE, HUMIDITY, PRESSURE, BATTERY],
);
export const BULB = t(
  'ceiling light',
  'hue',
  'Signify Netherlands B.V.',
  'Hue white ambiance bulb',
  'LTA009',
  '1.116.3',
  [LIGHT, SIGNAL],
);
export const PLUG = t('plug', 'shelly', 'Shelly', 'Shelly Plus Plug S', 'SNPL-00112EU', '1.4.4', [
  SWITCH,
  POWER,
  ENERGY,
  VOLTAGE,
  SIGNAL,
]);
export const MOTION_SENSOR = t(
  'motion sensor',
  'hue',
  'Signify Netherlands B.V.',
  'Hue motion sensor',
  'SML001',
  '2.53.6',
  [MOTION, ILLUMINANCE, TEMPERATURE, BATTERY],
);
export const DOOR_SENSOR = t(
  'door',
  'zha',
  'LUMI',
  'Aqara door and window sensor',
  'lumi.sensor_magnet.aq2',
  '0x0000000a',
  [DOOR, BATTERY],
);
export const WINDOW_SENSOR = t(
  'window',
  'zha',
  'IKEA of Sweden',
  'PARASOLL door/window sensor',
  'E2013',
  '1.0.19',
  [WINDOW, BATTERY],
);
export const THERMOSTAT = t('radiator', 'tado', 'tado°', 'Smart Radiator Thermostat', 'VA02', '215.2', [
  CLIMATE,
  TEMPERATURE,
  HUMIDITY,
  CONNECTIVITY,
]);
export const BLIND = t(
  'shutter',
  'overkiz',
  'Somfy',
  'Oximo io',
  'io:RollerShutterGenericIOComponent',
  null,
  [COVER, SIGNAL],
);
export const SMART_LOCK = t(
  'front door lock',
  'nuki',
  'Nuki Home Solutions GmbH',
  'Nuki Smart Lock 3.0 Pro',
  null,
  '3.8.3',
  [LOCK, BATTERY],
);
export const PHONE = t('phone', 'mobile_app', 'Google', 'Pixel 8', 'shiba', '15', [DEVICE_TRACKER, BATTERY]);
export const ENERGY_METER = t(
  'energy meter',
  'homewizard',
  'HomeWizard',
  'Wi-Fi P1 Meter',
  'HWE-P1',
  '5.18',
  [POWER, ENERGY, ENERGY_EXPORT, VOLTAGE, SIGNAL],
);
export const AIR_QUALITY = t(
  'air quality',
  'esphome',
  'Espressif',
  'esp32dev',
  null,
  '2025.1.0 (Jan 14 2025, 10:05:11)',
  [CO2, PM25, TEMPERATURE, HUMIDITY, SIGNAL],
);
export const WASHER = t('washing machine', 'home_connect', 'Bosch', 'Serie 8 washer', 'WAV28M40', null, [
  WASHER_STATUS,
  FINISH_TIME,
  CONNECTIVITY,
]);
export const LEAK_SENSOR = t(
  'leak sensor',
  'zha',
  'LUMI',
  'Aqara water leak sensor',
  'lumi.sensor_wleak.aq1',
  '0x00000002',
  [MOISTURE, BATTERY],
);
export const PRESENCE_SENSOR = t(
  'presence sensor',
  'esphome',
  'Espressif',
  'Everything Presence One',
  null,
  '1.2.1',
  [OCCUPANCY, ILLUMINANCE, TEMPERATURE, HUMIDITY, SIGNAL],
);

/**
 * The order devices are drawn in, cycling: small homes still get a mix (lights, sensors, plugs, a
 * thermostat, a lock, a phone), large ones repeat it.
 */
export const DEVICE_SEQUENCE: readonly DeviceTemplate[] = [
  CLIMATE_SENSOR,
  BULB,
  PLUG,
  MOTION_SENSOR,
  DOOR_SENSOR,
  THERMOSTAT,
  BULB,
  BLIND,
  PHONE,
  ENERGY_METER,
  CLIMATE_SENSOR,
  BULB,
  PLUG,
  SMART_LOCK,
  WINDOW_SENSOR,
  AIR_QUALITY,
  BULB,
  WASHER,
  LEAK_SENSOR,
  PRESENCE_SENSOR,
  BULB,
  PLUG,
  CLIMATE_SENSOR,
  BLIND,
  MOTION_SENSOR,
  WINDOW_SENSOR,
  THERMOSTAT,
  BULB,
];

/** Device-less entities for the remainder (YAML template sensors: no config entry). */
export const TEMPLATE_ENTITIES: readonly { readonly name: string; readonly kind: EntityKind }[] = [
  { name: 'Outdoor temperature', kind: TEMPERATURE },
  { name: 'Total power', kind: POWER },
  { name: 'Average humidity', kind: HUMIDITY },
  { name: 'Daily energy', kind: ENERGY },
  { name: 'Anyone home', kind: OCCUPANCY },
  { name: 'Grid voltage', kind: VOLTAGE },
];

/** Device templates the control API can add by name. */
export const DEVICE_TEMPLATES = {
  climate_sensor: CLIMATE_SENSOR,
  bulb: BULB,
  plug: PLUG,
  motion_sensor: MOTION_SENSOR,
  door_sensor: DOOR_SENSOR,
  window_sensor: WINDOW_SENSOR,
  thermostat: THERMOSTAT,
  blind: BLIND,
  smart_lock: SMART_LOCK,
  phone: PHONE,
  energy_meter: ENERGY_METER,
  air_quality: AIR_QUALITY,
  washer: WASHER,
  leak_sensor: LEAK_SENSOR,
  presence_sensor: PRESENCE_SENSOR,
} as const satisfies Record<string, DeviceTemplate>;

/** A name of a kind of device the simulator can add: `'plug'`, `'bulb'`, `'climate_sensor'`… */
export type DeviceTemplateName = keyof typeof DEVICE_TEMPLATES;
