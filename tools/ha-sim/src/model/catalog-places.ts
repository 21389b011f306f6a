/** Where a home's things live and who lives there, and the integrations its devices come from. */

/** An integration as a config entry (`config_entries/get`) and registry `platform`. */
export interface Integration {
  readonly domain: string;
  readonly title: string;
  readonly source: string;
  /** Wi-Fi/Ethernet devices carry a `["mac", …]` connection; Zigbee ones an IEEE identifier. */
  readonly link: 'mac' | 'zigbee' | 'cloud';
  /** mobile_app and esphome make one config entry per device. */
  readonly entryPerDevice: boolean;
  readonly supportsOptions: boolean;
}

export const INTEGRATIONS: Readonly<Record<string, Integration>> = {
  zha: {
    domain: 'zha',
    title: 'Sonoff Zigbee 3.0 USB Dongle Plus',
    source: 'usb',
    link: 'zigbee',
    entryPerDevice: false,
    supportsOptions: true,
  },
  hue: {
    domain: 'hue',
    title: 'Hue Bridge',
    source: 'zeroconf',
    link: 'zigbee',
    entryPerDevice: false,
    supportsOptions: true,
  },
  shelly: {
    domain: 'shelly',
    title: 'Shelly',
    source: 'zeroconf',
    link: 'mac',
    entryPerDevice: false,
    supportsOptions: false,
  },
  tado: {
    domain: 'tado',
    title: 'Tado',
    source: 'user',
    link: 'cloud',
    entryPerDevice: false,
    supportsOptions: true,
  },
  overkiz: {
    domain: 'overkiz',
    title: 'Somfy TaHoma',
    source: 'user',
    link: 'cloud',
    entryPerDevice: false,
    supportsOptions: false,
  },
  nuki: {
    domain: 'nuki',
    title: 'Nuki Bridge',
    source: 'dhcp',
    link: 'mac',
    entryPerDevice: false,
    supportsOptions: false,
  },
  mobile_app: {
    domain: 'mobile_app',
    title: 'Pixel',
    source: 'registration',
    link: 'cloud',
    entryPerDevice: true,
    supportsOptions: false,
  },
  homewizard: {
    domain: 'homewizard',
    title: 'P1 meter',
    source: 'zeroconf',
    link: 'mac',
    entryPerDevice: false,
    supportsOptions: false,
  },
  esphome: {
    domain: 'esphome',
    title: 'air-quality',
    source: 'zeroconf',
    link: 'mac',
    entryPerDevice: true,
    supportsOptions: true,
  },
  home_connect: {
    domain: 'home_connect',
    title: 'Home Connect',
    source: 'user',
    link: 'cloud',
    entryPerDevice: false,
    supportsOptions: false,
  },
  sun: {
    domain: 'sun',
    title: 'Sun',
    source: 'import',
    link: 'cloud',
    entryPerDevice: false,
    supportsOptions: false,
  },
};

/** Floors (id, name, level, icon) and the areas on them, in the order a home fills up. */
export const FLOORS = [
  { floor_id: 'ground_floor', name: 'Ground floor', level: 0, icon: 'mdi:home-floor-0' },
  { floor_id: 'first_floor', name: 'First floor', level: 1, icon: 'mdi:home-floor-1' },
  { floor_id: 'basement', name: 'Basement', level: -1, icon: 'mdi:home-floor-negative-1' },
  { floor_id: 'attic', name: 'Attic', level: 2, icon: 'mdi:home-roof' },
] as const;

export const AREAS: readonly {
  readonly name: string;
  readonly floor: string | null;
  readonly icon: string | null;
}[] = [
  { name: 'Living Room', floor: 'ground_floor', icon: 'mdi:sofa' },
  { name: 'Kitchen', floor: 'ground_floor', icon: 'mdi:stove' },
  { name: 'Bedroom', floor: 'first_floor', icon: 'mdi:bed' },
  { name: 'Hallway', floor: 'ground_floor', icon: null },
  { name: 'Bathroom', floor: 'first_floor', icon: 'mdi:shower' },
  { name: 'Office', floor: 'first_floor', icon: 'mdi:desk' },
  { name: 'Garage', floor: null, icon: 'mdi:garage' },
  { name: 'Laundry room', floor: 'basement', icon: 'mdi:washing-machine' },
  { name: 'Kids room', floor: 'first_floor', icon: null },
  { name: 'Dining room', floor: 'ground_floor', icon: null },
  { name: 'Garden', floor: null, icon: 'mdi:flower' },
  { name: 'Attic storage', floor: 'attic', icon: null },
  { name: 'Guest room', floor: 'first_floor', icon: null },
  { name: 'Workshop', floor: 'basement', icon: 'mdi:hammer-wrench' },
];

export const PEOPLE = ['Alice', 'Bob'] as const;
