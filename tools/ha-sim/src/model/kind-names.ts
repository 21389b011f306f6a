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
import { DEVICE_TRACKER, PERSON } from './kinds-presence.js';
import {
  BATTERY,
  CO2,
  ENERGY,
  HUMIDITY,
  ILLUMINANCE,
  POWER,
  PRESSURE,
  TEMPERATURE,
  VOLTAGE,
  WASHER_STATUS,
  FINISH_TIME,
} from './kinds-sensors.js';

/** Entity kinds the control API can add by name. */
export const ENTITY_KINDS = {
  temperature: TEMPERATURE,
  humidity: HUMIDITY,
  pressure: PRESSURE,
  illuminance: ILLUMINANCE,
  power: POWER,
  energy: ENERGY,
  voltage: VOLTAGE,
  carbon_dioxide: CO2,
  battery: BATTERY,
  enum: WASHER_STATUS,
  timestamp: FINISH_TIME,
  motion: MOTION,
  occupancy: OCCUPANCY,
  door: DOOR,
  window: WINDOW,
  moisture: MOISTURE,
  connectivity: CONNECTIVITY,
  light: LIGHT,
  switch: SWITCH,
  climate: CLIMATE,
  cover: COVER,
  lock: LOCK,
  device_tracker: DEVICE_TRACKER,
  person: PERSON,
} as const satisfies Record<string, EntityKind>;

/** A name of a kind of entity the simulator can add: `'temperature'`, `'light'`, `'door'`… */
export type EntityKindName = keyof typeof ENTITY_KINDS;
