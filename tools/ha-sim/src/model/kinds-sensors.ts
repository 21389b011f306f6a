import { isoFromMicros } from '../util/iso-time.js';
import type { RandomFn } from '../util/random.js';
import { kind, NO_ATTRIBUTES, type EntityKind, type Reading } from './kind.js';

interface NumericSpec {
  readonly key: string;
  readonly name: string;
  readonly deviceClass: string | null;
  readonly unit: string;
  readonly stateClass: 'measurement' | 'total' | 'total_increasing';
  readonly min: number;
  readonly max: number;
  /** Largest step of one change. */
  readonly step: number;
  readonly decimals: number;
  readonly weight: number;
  readonly category?: 'diagnostic';
  /** Energy meters only grow. */
  readonly increasing?: boolean;
  readonly icon?: string;
}

function numericSensor(spec: NumericSpec): EntityKind {
  const format = (value: number): string => value.toFixed(spec.decimals);
  const fresh = (random: RandomFn): Reading => ({
    state: format(spec.min + random() * (spec.max - spec.min)),
    attributes: NO_ATTRIBUTES,
  });
  return kind({
    domain: 'sensor',
    key: spec.key,
    originalName: spec.name,
    deviceClass: spec.deviceClass,
    unit: spec.unit,
    entityCategory: spec.category ?? null,
    icon: spec.icon ?? null,
    weight: spec.weight,
    options: spec.decimals > 0 ? { sensor: { suggested_display_precision: spec.decimals } } : {},
    capabilities: { state_class: spec.stateClass },
    initial: fresh,
    next(random, current) {
      const value = Number(current.state);
      if (!Number.isFinite(value)) return fresh(random);
      const quantum = 10 ** -spec.decimals;
      let delta = spec.increasing ? random() * spec.step : (random() * 2 - 1) * spec.step;
      // A change must change the printed value: HA fires no state_changed for an equal state.
      if (Math.abs(delta) < quantum) delta = delta < 0 ? -quantum : quantum;
      let nextValue = value + delta;
      if (!spec.increasing && (nextValue > spec.max || nextValue < spec.min)) nextValue = value - delta;
      return { state: format(nextValue), attributes: NO_ATTRIBUTES };
    },
  });
}

export const TEMPERATURE = numericSensor({
  key: 'temperature',
  name: 'Temperature',
  deviceClass: 'temperature',
  unit: '°C',
  stateClass: 'measurement',
  min: 17,
  max: 26,
  step: 0.3,
  decimals: 1,
  weight: 6,
});
export const HUMIDITY = numericSensor({
  key: 'humidity',
  name: 'Humidity',
  deviceClass: 'humidity',
  unit: '%',
  stateClass: 'measurement',
  min: 30,
  max: 70,
  step: 1.5,
  decimals: 1,
  weight: 5,
});
export const PRESSURE = numericSensor({
  key: 'pressure',
  name: 'Pressure',
  deviceClass: 'atmospheric_pressure',
  unit: 'hPa',
  stateClass: 'measurement',
  min: 985,
  max: 1035,
  step: 0.4,
  decimals: 1,
  weight: 2,
});
export const ILLUMINANCE = numericSensor({
  key: 'illuminance',
  name: 'Illuminance',
  deviceClass: 'illuminance',
  unit: 'lx',
  stateClass: 'measurement',
  min: 0,
  max: 1200,
  step: 40,
  decimals: 0,
  weight: 4,
});
export const POWER = numericSensor({
  key: 'power',
  name: 'Power',
  deviceClass: 'power',
  unit: 'W',
  stateClass: 'measurement',
  min: 0,
  max: 2500,
  step: 60,
  decimals: 1,
  weight: 10,
});
export const ENERGY = numericSensor({
  key: 'energy',
  name: 'Energy',
  deviceClass: 'energy',
  unit: 'kWh',
  stateClass: 'total_increasing',
  min: 10,
  max: 4000,
  step: 0.02,
  decimals: 3,
  weight: 6,
  increasing: true,
});
export const ENERGY_EXPORT = numericSensor({
  key: 'energy_export',
  name: 'Energy export',
  deviceClass: 'energy',
  unit: 'kWh',
  stateClass: 'total_increasing',
  min: 10,
  max: 2000,
  step: 0.01,
  decimals: 3,
  weight: 3,
  increasing: true,
});
export const VOLTAGE = numericSensor({
  key: 'voltage',
  name: 'Voltage',
  deviceClass: 'voltage',
  unit: 'V',
  stateClass: 'measurement',
  min: 224,
  max: 244,
  step: 0.6,
  decimals: 1,
  weight: 5,
});
export const CO2 = numericSensor({
  key: 'carbon_dioxide',
  name: 'Carbon dioxide',
  deviceClass: 'carbon_dioxide',
  unit: 'ppm',
  stateClass: 'measurement',
  min: 420,
  max: 1400,
  step: 25,
  decimals: 0,
  weight: 3,
});
export const BATTERY = numericSensor({
  key: 'battery',
  name: 'Battery',
  deviceClass: 'battery',
  unit: '%',
  stateClass: 'measurement',
  min: 5,
  max: 100,
  step: 1,
  decimals: 0,
  weight: 1,
  category: 'diagnostic',
});
export const SIGNAL = numericSensor({
  key: 'signal_strength',
  name: 'Signal strength',
  deviceClass: 'signal_strength',
  unit: 'dBm',
  stateClass: 'measurement',
  min: -90,
  max: -40,
  step: 3,
  decimals: 0,
  weight: 1,
  category: 'diagnostic',
});
export const PM25 = numericSensor({
  key: 'pm25',
  name: 'PM2.5',
  deviceClass: 'pm25',
  unit: 'µg/m³',
  stateClass: 'measurement',
  min: 1,
  max: 60,
  step: 2,
  decimals: 0,
  weight: 2,
});

const WASHER_OPTIONS = ['idle', 'washing', 'rinsing', 'spinning', 'finished'] as const;

/** An enum sensor: states are option strings, `options` is a capability attribute. */
export const WASHER_STATUS = kind({
  domain: 'sensor',
  key: 'status',
  originalName: 'Status',
  deviceClass: 'enum',
  weight: 1,
  capabilities: { options: [...WASHER_OPTIONS] },
  initial: () => ({ state: 'idle', attributes: NO_ATTRIBUTES }),
  next(_random, current) {
    const index = WASHER_OPTIONS.indexOf(current.state as (typeof WASHER_OPTIONS)[number]);
    return {
      state: WASHER_OPTIONS[(index + 1) % WASHER_OPTIONS.length] ?? 'idle',
      attributes: NO_ATTRIBUTES,
    };
  },
});

/** A timestamp sensor: its state is an ISO string, whole seconds (so no `.ffffff` part). */
export const FINISH_TIME = kind({
  domain: 'sensor',
  key: 'finish_time',
  originalName: 'Finish time',
  deviceClass: 'timestamp',
  weight: 1,
  initial: (_random, nowMicros) => ({
    state: isoFromMicros(Math.floor(nowMicros / 60e6) * 60e6 + 3600e6),
    attributes: NO_ATTRIBUTES,
  }),
  next: (random, _current, nowMicros) => ({
    state: isoFromMicros((Math.floor(nowMicros / 60e6) + 5 + Math.floor(random() * 120)) * 60e6),
    attributes: NO_ATTRIBUTES,
  }),
});
