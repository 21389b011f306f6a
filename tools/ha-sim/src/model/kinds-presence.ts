import { isoFromMicros } from '../util/iso-time.js';
import { randomInt, type RandomFn } from '../util/random.js';
import { kind, type Reading } from './kind.js';

const HOME = { latitude: 52.3731, longitude: 4.8922 };

function away(random: RandomFn): { latitude: number; longitude: number } {
  return {
    latitude: Math.round((HOME.latitude + (random() - 0.5) * 0.2) * 1e6) / 1e6,
    longitude: Math.round((HOME.longitude + (random() - 0.5) * 0.3) * 1e6) / 1e6,
  };
}

function movement(random: RandomFn, current: Reading, extra: Record<string, unknown>): Reading {
  if (current.state === 'home') {
    if (random() < 0.8)
      return { state: 'home', attributes: { ...current.attributes, gps_accuracy: randomInt(random, 5, 40) } };
    return {
      state: 'not_home',
      attributes: { ...extra, ...away(random), gps_accuracy: randomInt(random, 5, 60) },
    };
  }
  if (random() < 0.7) return { state: 'not_home', attributes: { ...current.attributes, ...away(random) } };
  return { state: 'home', attributes: { ...extra, ...HOME, gps_accuracy: randomInt(random, 5, 20) } };
}

/** A phone's GPS tracker: moves (attribute-only changes) while away. */
export const DEVICE_TRACKER = kind({
  domain: 'device_tracker',
  weight: 2,
  initial: (random) => ({
    state: 'home',
    attributes: {
      source_type: 'gps',
      battery_level: randomInt(random, 20, 100),
      ...HOME,
      gps_accuracy: 12,
      altitude: 3,
    },
  }),
  next: (random, current) =>
    movement(random, current, {
      source_type: 'gps',
      battery_level: current.attributes['battery_level'] ?? 80,
      altitude: 3,
    }),
});

/** `person.*` entities: no device, no config entry; state follows a tracker. */
export const PERSON = kind({
  domain: 'person',
  weight: 1,
  initial: () => ({ state: 'home', attributes: { ...HOME, gps_accuracy: 12, source: null } }),
  next: (random, current) => movement(random, current, { source: null }),
});

/** `sun.sun`: elevation and azimuth change all day (attribute-only); the state flips at dawn and dusk. */
export const SUN = kind({
  domain: 'sun',
  weight: 1,
  initial: (_random, nowMicros) => sunReading(nowMicros, 12.4, 161.3, true),
  next(random, current, nowMicros) {
    const elevation =
      typeof current.attributes['elevation'] === 'number' ? current.attributes['elevation'] : 0;
    const rising = current.attributes['rising'] === true;
    let nextElevation = Math.round((elevation + (rising ? 0.37 : -0.37)) * 100) / 100;
    const turn = Math.abs(nextElevation) > 60 || random() < 0.002;
    if (turn) nextElevation = Math.round(elevation * 100) / 100;
    const azimuth = typeof current.attributes['azimuth'] === 'number' ? current.attributes['azimuth'] : 180;
    return sunReading(
      nowMicros,
      nextElevation,
      Math.round(((azimuth + 0.42) % 360) * 100) / 100,
      turn ? !rising : rising,
    );
  },
});

function sunReading(nowMicros: number, elevation: number, azimuth: number, rising: boolean): Reading {
  const day = Math.floor(nowMicros / 86_400e6) * 86_400e6;
  const at = (hours: number): string => isoFromMicros(day + Math.round(hours * 3600e6) + 86_400e6);
  return {
    state: elevation > -0.833 ? 'above_horizon' : 'below_horizon',
    attributes: {
      next_dawn: at(7.25),
      next_dusk: at(17.4),
      next_midnight: at(23.6),
      next_noon: at(11.6),
      next_rising: at(7.8),
      next_setting: at(16.9),
      elevation,
      azimuth,
      rising,
    },
  };
}
