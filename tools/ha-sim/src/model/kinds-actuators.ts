import { randomInt, type RandomFn } from '../util/random.js';
import { kind, NO_ATTRIBUTES, type EntityKind, type Reading } from './kind.js';

function binarySensor(
  key: string,
  name: string | null,
  deviceClass: string,
  weight: number,
  category?: 'diagnostic',
): EntityKind {
  return kind({
    domain: 'binary_sensor',
    key,
    originalName: name,
    deviceClass,
    weight,
    entityCategory: category ?? null,
    initial: (random) => ({ state: random() < 0.3 ? 'on' : 'off', attributes: NO_ATTRIBUTES }),
    next: (_random, current) => ({ state: current.state === 'on' ? 'off' : 'on', attributes: NO_ATTRIBUTES }),
  });
}

export const MOTION = binarySensor('motion', 'Motion', 'motion', 4);
export const OCCUPANCY = binarySensor('occupancy', 'Occupancy', 'occupancy', 3);
export const DOOR = binarySensor('door', null, 'door', 2);
export const WINDOW = binarySensor('window', null, 'window', 2);
export const MOISTURE = binarySensor('moisture', null, 'moisture', 1);
export const CONNECTIVITY = binarySensor('connectivity', 'Cloud connection', 'connectivity', 1, 'diagnostic');

const onLight = (random: RandomFn): Reading => {
  const kelvin = randomInt(random, 22, 65) * 100;
  return {
    state: 'on',
    attributes: {
      color_mode: 'color_temp',
      brightness: randomInt(random, 3, 255),
      color_temp_kelvin: kelvin,
      color_temp: Math.round(1_000_000 / kelvin),
      hs_color: [27.9, 56.4],
      rgb_color: [255, 176, 111],
      xy_color: [0.51, 0.386],
    },
  };
};
const offLight: Reading = {
  state: 'off',
  attributes: {
    color_mode: null,
    brightness: null,
    color_temp_kelvin: null,
    color_temp: null,
    hs_color: null,
    rgb_color: null,
    xy_color: null,
  },
};

/** A dimmable white-spectrum bulb: brightness changes are attribute-only changes. */
export const LIGHT = kind({
  domain: 'light',
  weight: 3,
  supportedFeatures: 40,
  capabilities: {
    min_color_temp_kelvin: 2202,
    max_color_temp_kelvin: 6535,
    min_mireds: 153,
    max_mireds: 454,
    supported_color_modes: ['color_temp'],
  },
  initial: (random) => (random() < 0.4 ? onLight(random) : offLight),
  next(random, current) {
    if (current.state !== 'on') return onLight(random);
    if (random() < 0.6)
      return { state: 'on', attributes: { ...current.attributes, brightness: randomInt(random, 3, 255) } };
    return offLight;
  },
});

export const SWITCH = kind({
  domain: 'switch',
  deviceClass: 'outlet',
  weight: 2,
  initial: (random) => ({ state: random() < 0.5 ? 'on' : 'off', attributes: NO_ATTRIBUTES }),
  next: (_random, current) => ({ state: current.state === 'on' ? 'off' : 'on', attributes: NO_ATTRIBUTES }),
});

/** A radiator thermostat: mostly attribute-only changes (current temperature, hvac_action). */
export const CLIMATE = kind({
  domain: 'climate',
  weight: 4,
  supportedFeatures: 401,
  capabilities: {
    hvac_modes: ['off', 'heat', 'auto'],
    min_temp: 5,
    max_temp: 25,
    target_temp_step: 0.5,
    preset_modes: ['home', 'away', 'boost'],
  },
  initial: (random) => ({
    state: 'heat',
    attributes: {
      current_temperature: (190 + randomInt(random, 0, 30)) / 10,
      temperature: 20.5,
      hvac_action: 'idle',
      preset_mode: 'home',
    },
  }),
  next(random, current) {
    const attrs = current.attributes;
    const roll = random();
    if (roll < 0.7) {
      const temp = typeof attrs['current_temperature'] === 'number' ? attrs['current_temperature'] : 20;
      const nextTemp = Math.round((temp + (random() < 0.5 ? -0.1 : 0.1)) * 10) / 10;
      return { state: current.state, attributes: { ...attrs, current_temperature: nextTemp } };
    }
    if (roll < 0.9) {
      const action =
        current.state === 'off' ? 'off' : attrs['hvac_action'] === 'heating' ? 'idle' : 'heating';
      return { state: current.state, attributes: { ...attrs, hvac_action: action } };
    }
    const state = current.state === 'heat' ? 'auto' : current.state === 'auto' ? 'off' : 'heat';
    return { state, attributes: { ...attrs, hvac_action: state === 'off' ? 'off' : 'idle' } };
  },
});

const COVER_CYCLE: Readonly<Record<string, [string, number]>> = {
  open: ['closing', 60],
  closing: ['closed', 0],
  closed: ['opening', 40],
  opening: ['open', 100],
};

export const COVER = kind({
  domain: 'cover',
  deviceClass: 'shutter',
  weight: 1,
  supportedFeatures: 15,
  initial: () => ({ state: 'open', attributes: { current_position: 100 } }),
  next(_random, current) {
    const [state, position] = COVER_CYCLE[current.state] ?? ['open', 100];
    return { state, attributes: { current_position: position } };
  },
});

const LOCK_CYCLE: Readonly<Record<string, string>> = {
  locked: 'unlocking',
  unlocking: 'unlocked',
  unlocked: 'locking',
  locking: 'locked',
};

export const LOCK = kind({
  domain: 'lock',
  weight: 1,
  supportedFeatures: 1,
  initial: () => ({ state: 'locked', attributes: NO_ATTRIBUTES }),
  next: (random, current) => ({
    state: random() < 0.01 ? 'jammed' : (LOCK_CYCLE[current.state] ?? 'locked'),
    attributes: NO_ATTRIBUTES,
  }),
});
