/** Raw HA registry dicts as HA 2025.x lists them (docs/ha-websocket-protocol.md#registries), overridable. */
type Raw = Record<string, unknown>;

export function floorRaw(floorId: string, over: Raw = {}): Raw {
  return {
    aliases: [],
    created_at: 0.0,
    floor_id: floorId,
    icon: null,
    level: 0,
    name: floorId,
    modified_at: 0.0,
    ...over,
  };
}

export function areaRaw(areaId: string, over: Raw = {}): Raw {
  return {
    aliases: [],
    area_id: areaId,
    floor_id: null,
    humidity_entity_id: null,
    icon: null,
    labels: [],
    name: areaId,
    picture: null,
    temperature_entity_id: null,
    created_at: 0.0,
    modified_at: 0.0,
    ...over,
  };
}

export function deviceRaw(id: string, over: Raw = {}): Raw {
  return {
    area_id: null,
    configuration_url: null,
    config_entries: ['entry_zha'],
    config_entries_subentries: { entry_zha: [null] },
    connections: [],
    created_at: 0.0,
    disabled_by: null,
    entry_type: null,
    hw_version: null,
    id,
    identifiers: [['zha', `00:11:22:33:${id}`]],
    labels: [],
    manufacturer: 'IKEA',
    model: 'TRADFRI bulb',
    model_id: 'LED1545G12',
    modified_at: 0.0,
    name_by_user: null,
    name: `Device ${id}`,
    primary_config_entry: 'entry_zha',
    serial_number: null,
    sw_version: '2.3.095',
    via_device_id: null,
    ...over,
  };
}

export function entityRaw(entityId: string, over: Raw = {}): Raw {
  return {
    area_id: null,
    categories: {},
    config_entry_id: 'entry_zha',
    config_subentry_id: null,
    created_at: 0.0,
    device_id: null,
    disabled_by: null,
    entity_category: null,
    entity_id: entityId,
    has_entity_name: true,
    hidden_by: null,
    icon: null,
    id: `reg_${entityId}`,
    labels: [],
    modified_at: 0.0,
    name: null,
    options: {},
    original_name: null,
    platform: 'zha',
    translation_key: null,
    unique_id: `uid_${entityId}`,
    ...over,
  };
}

export function configEntryRaw(entryId: string, domain: string): Raw {
  return { entry_id: entryId, domain, title: domain, state: 'loaded', source: 'user', disabled_by: null };
}

/** A small home: 2 floors, 3 areas, 3 devices, 5 entities, 2 config entries. */
export function smallHome(): {
  floors: Raw[];
  areas: Raw[];
  devices: Raw[];
  entities: Raw[];
  configEntries: Raw[];
} {
  return {
    floors: [
      floorRaw('ground', { name: 'Ground floor' }),
      floorRaw('upstairs', { name: 'Upstairs', level: 1 }),
    ],
    areas: [
      areaRaw('kitchen', { name: 'Kitchen', floor_id: 'ground' }),
      areaRaw('living_room', { name: 'Living Room', floor_id: 'ground' }),
      areaRaw('bedroom', { name: 'Bedroom', floor_id: 'upstairs' }),
    ],
    devices: [
      deviceRaw('dev1', { area_id: 'kitchen', name: 'Kitchen bulb' }),
      deviceRaw('dev2', {
        area_id: 'living_room',
        name: 'Hue sensor',
        manufacturer: 'Signify',
        model: 'SML001',
        config_entries: ['entry_hue'],
        primary_config_entry: 'entry_hue',
      }),
      deviceRaw('dev3', { area_id: null, name: 'Plug', name_by_user: 'Coffee plug' }),
    ],
    entities: [
      entityRaw('light.kitchen_bulb', { device_id: 'dev1', original_name: null }),
      entityRaw('sensor.hue_temperature', {
        device_id: 'dev2',
        platform: 'hue',
        original_name: 'Temperature',
      }),
      entityRaw('binary_sensor.hue_motion', {
        device_id: 'dev2',
        platform: 'hue',
        area_id: 'bedroom',
        original_name: 'Motion',
      }),
      entityRaw('switch.coffee', { device_id: 'dev3', entity_category: null, labels: ['kitchen_stuff'] }),
      entityRaw('sun.sun', {
        device_id: null,
        platform: 'sun',
        has_entity_name: false,
        original_name: 'Sun',
        config_entry_id: null,
      }),
    ],
    configEntries: [configEntryRaw('entry_zha', 'zha'), configEntryRaw('entry_hue', 'hue')],
  };
}
