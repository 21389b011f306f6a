// A synthetic Home Assistant registry in HA's wire shapes (docs/ha-websocket-protocol.md#registries): floors,
// areas, devices, entities and config entries, deterministic for a given size.

const PLATFORMS = ['zha', 'hue', 'mqtt', 'esphome', 'shelly', 'zwave_js', 'tplink', 'sonos', 'cast', 'tado'];
const DOMAINS = [
  'sensor',
  'sensor',
  'sensor',
  'binary_sensor',
  'light',
  'switch',
  'button',
  'number',
  'select',
  'update',
];

/** Builds a home of `entities` entities over `devices` devices (10% of entities have no device). */
export function syntheticHome({ entities = 5000, devices = 1000, areas = 40, floors = 3 } = {}) {
  const floorList = Array.from({ length: floors }, (_, i) => ({
    aliases: [],
    created_at: 0.0,
    floor_id: `floor_${i}`,
    icon: null,
    level: i,
    name: `Floor ${i}`,
    modified_at: 0.0,
  }));
  const areaList = Array.from({ length: areas }, (_, i) => ({
    aliases: [],
    area_id: `area_${i}`,
    floor_id: `floor_${i % floors}`,
    humidity_entity_id: null,
    icon: null,
    labels: [],
    name: `Area ${i}`,
    picture: null,
    temperature_entity_id: null,
    created_at: 0.0,
    modified_at: 0.0,
  }));
  const configEntries = PLATFORMS.map((domain) => ({
    entry_id: `entry_${domain}`,
    domain,
    title: domain,
    state: 'loaded',
  }));
  const deviceList = Array.from({ length: devices }, (_, i) => {
    const platform = PLATFORMS[i % PLATFORMS.length];
    return {
      area_id: i % 7 === 0 ? null : `area_${i % areas}`,
      configuration_url: null,
      config_entries: [`entry_${platform}`],
      config_entries_subentries: { [`entry_${platform}`]: [null] },
      connections: [['mac', `aa:bb:cc:${String(i).padStart(6, '0')}`]],
      created_at: 1736900000.0,
      disabled_by: null,
      entry_type: null,
      hw_version: null,
      id: `device${String(i).padStart(28, '0')}`,
      identifiers: [[platform, `ident_${i}`]],
      labels: i % 10 === 0 ? ['critical'] : [],
      manufacturer: `Maker ${i % 25}`,
      model: `Model ${i % 60}`,
      model_id: `M-${i % 60}`,
      modified_at: 1736900500.5,
      name_by_user: i % 5 === 0 ? `My device ${i}` : null,
      name: `Device ${i}`,
      primary_config_entry: `entry_${platform}`,
      serial_number: null,
      sw_version: `1.${i % 9}.0`,
      via_device_id: null,
    };
  });
  const entityList = Array.from({ length: entities }, (_, i) => {
    const domain = DOMAINS[i % DOMAINS.length];
    const withDevice = i % 10 !== 9;
    const device = withDevice ? deviceList[i % devices] : undefined;
    const platform = device ? device.identifiers[0][0] : 'template';
    return {
      area_id: i % 11 === 0 ? `area_${(i * 3) % areas}` : null,
      categories: {},
      config_entry_id: device ? device.primary_config_entry : null,
      config_subentry_id: null,
      created_at: 1736900000.0,
      device_id: device ? device.id : null,
      disabled_by: i % 50 === 0 ? 'integration' : null,
      entity_category: i % 8 === 0 ? 'diagnostic' : null,
      entity_id: `${domain}.entity_${i}`,
      has_entity_name: true,
      hidden_by: null,
      icon: null,
      id: `reg${String(i).padStart(29, '0')}`,
      labels: [],
      modified_at: 1736900000.0,
      name: null,
      options: domain === 'sensor' ? { sensor: { suggested_display_precision: 1 } } : {},
      original_name: `Entity ${i}`,
      platform,
      translation_key: null,
      unique_id: `uid-${i}`,
    };
  });
  return { floors: floorList, areas: areaList, devices: deviceList, entities: entityList, configEntries };
}

/** A connection that answers the list commands from `home` (each answer a fresh copy, as a socket would give). */
export function fakeConnection(home) {
  const answers = {
    'config/floor_registry/list': home.floors,
    'config/area_registry/list': home.areas,
    'config/device_registry/list': home.devices,
    'config/entity_registry/list': home.entities,
    'config_entries/get': home.configEntries,
  };
  return {
    sendCommand: async (type) => JSON.parse(JSON.stringify(answers[type])),
    subscribeEvents: () => () => undefined,
  };
}
