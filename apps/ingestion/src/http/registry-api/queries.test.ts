import {
  createRegistryDiscovery,
  type RegistryConnection,
  type RegistryDiscovery,
  type RegistryView,
} from '@homeiq/registry-discovery';
import { silentLogger } from '@homeiq/runtime';
import { ManualClock } from '@homeiq/runtime/testing';
import { queryAreas } from './areas.js';
import { queryDevices } from './devices.js';
import { queryEntities, queryEntitiesJson } from './entities.js';
import { createRegistryApi } from './registry-api.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2026, 0, 1);

type Raw = Record<string, unknown>;

/** HA 2025.x registry dicts (docs/ha-websocket-protocol.md#registries), as `config/*_registry/list` lists them. */
function device(id: string, over: Raw = {}): Raw {
  return {
    area_id: null,
    config_entries: ['entry_zha'],
    disabled_by: null,
    entry_type: null,
    hw_version: null,
    id,
    identifiers: [['zha', `00:11:22:33:${id}`]],
    labels: [],
    manufacturer: 'IKEA',
    model: 'TRADFRI bulb',
    model_id: 'LED1545G12',
    name_by_user: null,
    name: `Device ${id}`,
    primary_config_entry: 'entry_zha',
    serial_number: null,
    sw_version: '2.3.095',
    via_device_id: null,
    ...over,
  };
}

function entity(entityId: string, over: Raw = {}): Raw {
  return {
    area_id: null,
    config_entry_id: 'entry_zha',
    device_id: null,
    disabled_by: null,
    entity_category: null,
    entity_id: entityId,
    has_entity_name: true,
    hidden_by: null,
    icon: null,
    id: `reg_${entityId}`,
    labels: [],
    name: null,
    options: {},
    original_name: null,
    platform: 'zha',
    unique_id: `uid_${entityId}`,
    ...over,
  };
}

/** 2 floors, 3 areas, 4 devices (one without manufacturer, model or name), 6 entities. */
function homeLists(): Record<string, Raw[]> {
  const area = (area_id: string, name: string, floor_id: string): Raw => ({
    aliases: [],
    area_id,
    floor_id,
    icon: null,
    labels: [],
    name,
  });
  return {
    'config/floor_registry/list': [
      { aliases: [], floor_id: 'ground', icon: null, level: 0, name: 'Ground floor' },
      { aliases: [], floor_id: 'upstairs', icon: null, level: 1, name: 'Upstairs' },
    ],
    'config/area_registry/list': [
      area('kitchen', 'Kitchen', 'ground'),
      area('living_room', 'Living Room', 'ground'),
      area('bedroom', 'Bedroom', 'upstairs'),
    ],
    'config/device_registry/list': [
      device('dev1', { area_id: 'kitchen', name: 'Kitchen bulb' }),
      device('dev2', {
        area_id: 'living_room',
        name: 'Hue sensor',
        manufacturer: 'Signify',
        model: 'SML001',
        config_entries: ['entry_hue'],
        primary_config_entry: 'entry_hue',
      }),
      device('dev3', { name: 'Plug', name_by_user: 'Coffee plug' }),
      device('child', { manufacturer: null, model: null, name: null, area_id: 'kitchen' }),
    ],
    'config/entity_registry/list': [
      entity('light.kitchen_bulb', { device_id: 'dev1' }),
      entity('sensor.hue_temperature', { device_id: 'dev2', platform: 'hue', original_name: 'Temperature' }),
      entity('binary_sensor.hue_motion', {
        device_id: 'dev2',
        platform: 'hue',
        area_id: 'bedroom',
        original_name: 'Motion',
      }),
      entity('switch.coffee', { device_id: 'dev3', labels: ['kitchen_stuff'] }),
      entity('sun.sun', {
        platform: 'sun',
        has_entity_name: false,
        original_name: 'Sun',
        config_entry_id: null,
      }),
      entity('light.child', { device_id: 'child', platform: 'hue' }),
    ],
    'config_entries/get': [
      { entry_id: 'entry_zha', domain: 'zha', title: 'zha' },
      { entry_id: 'entry_hue', domain: 'hue', title: 'hue' },
    ],
  };
}

/** A connection answering the five list commands from `lists`, read at each call; no events. */
function fakeConnection(lists: Record<string, Raw[]>): RegistryConnection {
  return {
    sendCommand: (type) => Promise.resolve(structuredClone(lists[type] ?? [])),
    subscribeEvents: () => () => undefined,
  };
}

/** Discovery over the fake home, refreshed at T0; `lists` can be edited and refreshed again. */
async function home(): Promise<{
  view: RegistryView;
  discovery: RegistryDiscovery;
  lists: Record<string, Raw[]>;
}> {
  const lists = homeLists();
  const discovery = createRegistryDiscovery({
    connection: fakeConnection(lists),
    clock: new ManualClock(T0),
    logger: silentLogger,
  });
  await discovery.start();
  if (!(await discovery.refreshAll())) throw new Error('the fake home did not refresh');
  return { view: discovery.view(), discovery, lists };
}

describe('GET /api/devices', () => {
  it("answers the original's shape, in registry order, with entity counts", async () => {
    const res = queryDevices((await home()).view, {}, T0 + DAY_MS, 30 * DAY_MS);
    expect(res).toMatchObject({ count: 4, limit: 100 });
    expect(res.devices.map((d) => [d.device_id, d.entity_count])).toEqual([
      ['dev1', 1],
      ['dev2', 2],
      ['dev3', 1],
      ['child', 1],
    ]);
    expect(res.devices[2]).toEqual({
      device_id: 'dev3',
      name: 'Coffee plug',
      manufacturer: 'IKEA',
      model: 'TRADFRI bulb',
      integration: 'zha',
      sw_version: '2.3.095',
      area_id: null,
      config_entry_id: 'entry_zha',
      via_device: null,
      device_type: null,
      device_category: null,
      power_consumption_idle_w: null,
      power_consumption_active_w: null,
      power_consumption_max_w: null,
      setup_instructions_url: null,
      troubleshooting_notes: null,
      device_features_json: null,
      community_rating: null,
      last_capability_sync: null,
      entity_count: 1,
      timestamp: '2026-01-01T00:00:00.000Z',
      labels: [],
      serial_number: null,
      model_id: 'LED1545G12',
      status: 'active',
    });
    expect(res.devices[3]).toMatchObject({ name: 'Unknown', manufacturer: 'Unknown', model: 'Unknown' });
  });

  it('filters by manufacturer, model, area and platform (counting only that platform), and limits', async () => {
    const { view } = await home();
    const ids = (q: Parameters<typeof queryDevices>[1]): string[] =>
      queryDevices(view, q, T0, DAY_MS).devices.map((d) => d.device_id);
    expect(ids({ manufacturer: 'Signify' })).toEqual(['dev2']);
    expect(ids({ model: 'TRADFRI bulb' })).toEqual(['dev1', 'dev3']);
    expect(ids({ areaId: 'kitchen' })).toEqual(['dev1', 'child']);
    expect(ids({ manufacturer: 'IKEA', areaId: 'kitchen' })).toEqual(['dev1']);
    expect(
      queryDevices(view, { platform: 'hue' }, T0, DAY_MS).devices.map((d) => [d.device_id, d.entity_count]),
    ).toEqual([
      ['dev2', 2],
      ['child', 1],
    ]);
    expect(ids({ limit: 2 })).toEqual(['dev1', 'dev2']);
    expect(ids({ deviceType: 'light' })).toEqual([]);
  });

  it('calls a device inactive when not listed for longer than inactiveAfterMs', async () => {
    const { view } = await home();
    expect(queryDevices(view, {}, T0 + 31 * DAY_MS, 30 * DAY_MS).devices[0]?.status).toBe('inactive');
  });

  it('rejects a limit out of range', async () => {
    const { view } = await home();
    expect(() => queryDevices(view, { limit: 1001 }, T0, DAY_MS)).toThrow(
      'Expected `limit` to be an integer from 1 to 1000, got 1001',
    );
  });
});

describe('GET /api/entities', () => {
  it("answers the original's shape with the effective area and HA's friendly name", async () => {
    const res = queryEntities((await home()).view, {}, T0);
    expect(res).toMatchObject({ count: 6, limit: 100 });
    expect(res.entities.map((e) => [e.entity_id, e.area_id, e.friendly_name])).toEqual([
      ['light.kitchen_bulb', 'kitchen', 'Kitchen bulb'],
      ['sensor.hue_temperature', 'living_room', 'Hue sensor Temperature'],
      ['binary_sensor.hue_motion', 'bedroom', 'Hue sensor Motion'],
      ['switch.coffee', null, 'Coffee plug'],
      ['sun.sun', null, 'Sun'],
      ['light.child', 'kitchen', 'Child'],
    ]);
    expect(res.entities[3]).toEqual({
      entity_id: 'switch.coffee',
      device_id: 'dev3',
      domain: 'switch',
      platform: 'zha',
      unique_id: 'uid_switch.coffee',
      area_id: null,
      disabled: false,
      config_entry_id: 'entry_zha',
      timestamp: '2026-01-01T00:00:00.000Z',
      name: null,
      name_by_user: null,
      original_name: null,
      friendly_name: 'Coffee plug',
      supported_features: null,
      capabilities: null,
      available_services: null,
      icon: null,
      original_icon: null,
      device_class: null,
      unit_of_measurement: null,
      aliases: [],
      labels: ['kitchen_stuff'],
      options: {},
    });
  });

  it('gives the same JSON text from queryEntitiesJson as JSON.stringify of the answer, for every filter', async () => {
    const { view } = await home();
    for (const query of [
      {},
      { limit: 2 },
      { domain: 'light' },
      { deviceId: 'DEV2' },
      { platform: 'nothing' },
    ]) {
      expect(queryEntitiesJson(view, query, T0)).toBe(JSON.stringify(queryEntities(view, query, T0)));
    }
  });

  it('answers from the current picture after every change', async () => {
    const { view, discovery, lists } = await home();
    expect(queryEntities(view, { domain: 'switch' }, T0).entities[0]?.friendly_name).toBe('Coffee plug');
    expect(queryEntitiesJson(view, { domain: 'switch' }, T0)).toContain('"friendly_name":"Coffee plug"');
    const devices = lists['config/device_registry/list'] ?? [];
    devices[2] = { ...devices[2], name_by_user: 'Espresso' };
    await discovery.refreshAll();
    expect(queryEntities(view, { domain: 'switch' }, T0).entities[0]?.friendly_name).toBe('Espresso');
    expect(queryEntitiesJson(view, { domain: 'switch' }, T0)).toContain('"friendly_name":"Espresso"');
    lists['config/entity_registry/list'] = (lists['config/entity_registry/list'] ?? []).filter(
      (e) => e['entity_id'] !== 'switch.coffee',
    );
    await discovery.refreshAll();
    expect(queryEntities(view, { domain: 'switch' }, T0).entities).toEqual([]);
    expect(queryEntitiesJson(view, { domain: 'switch' }, T0)).toBe('{"entities":[],"count":0,"limit":100}');
  });

  it('filters by domain, platform, device_id (case-insensitive) and area, and limits', async () => {
    const { view } = await home();
    const ids = (q: Parameters<typeof queryEntities>[1]): string[] =>
      queryEntities(view, q, T0).entities.map((e) => e.entity_id);
    expect(ids({ domain: 'light' })).toEqual(['light.kitchen_bulb', 'light.child']);
    expect(ids({ platform: 'hue' })).toEqual([
      'sensor.hue_temperature',
      'binary_sensor.hue_motion',
      'light.child',
    ]);
    expect(ids({ deviceId: 'DEV2' })).toEqual(['sensor.hue_temperature', 'binary_sensor.hue_motion']);
    expect(ids({ deviceId: 'dev2', domain: 'sensor' })).toEqual(['sensor.hue_temperature']);
    expect(ids({ areaId: 'kitchen' })).toEqual(['light.kitchen_bulb', 'light.child']);
    expect(ids({ limit: 1 })).toEqual(['light.kitchen_bulb']);
    expect(() => ids({ limit: 10_001 })).toThrow('from 1 to 10000');
  });
});

describe('GET /api/areas', () => {
  it('lists the area registry with floors and device and entity counts', async () => {
    const { view } = await home();
    const area = (area_id: string, name: string, floor: string, floor_name: string): Raw => ({
      area_id,
      name,
      floor_id: floor,
      floor_name,
      icon: null,
      aliases: [],
      labels: [],
    });
    expect(queryAreas(view, {})).toEqual({
      count: 3,
      areas: [
        { ...area('kitchen', 'Kitchen', 'ground', 'Ground floor'), device_count: 2, entity_count: 2 },
        { ...area('living_room', 'Living Room', 'ground', 'Ground floor'), device_count: 1, entity_count: 1 },
        { ...area('bedroom', 'Bedroom', 'upstairs', 'Upstairs'), device_count: 0, entity_count: 1 },
      ],
    });
    expect(queryAreas(view, { floorId: 'upstairs' }).areas.map((a) => a.area_id)).toEqual(['bedroom']);
  });
});

describe('createRegistryApi', () => {
  it('answers each route from the view at the clock time it is given, and 422 for a bad limit', async () => {
    const { view } = await home();
    let nowMs = T0;
    const api = createRegistryApi({ view, inactiveAfterMs: DAY_MS, now: () => nowMs });
    expect(api.entities({ domain: 'light' })).toEqual({
      ok: true,
      body: JSON.stringify(queryEntities(view, { domain: 'light' }, T0)),
    });
    expect(api.devices({ limit: '1' })).toEqual({
      ok: true,
      body: queryDevices(view, { limit: 1 }, T0, DAY_MS),
    });
    nowMs = T0 + 2 * DAY_MS;
    expect(api.devices({ limit: '1' })).toMatchObject({
      ok: true,
      body: { devices: [{ status: 'inactive' }] },
    });
    expect(api.areas({ floor_id: 'upstairs' })).toEqual({
      ok: true,
      body: queryAreas(view, { floorId: 'upstairs' }),
    });
    expect(api.devices({ limit: '0' })).toEqual({
      ok: false,
      status: 422,
      error: 'Expected `limit` to be an integer from 1 to 1000, got "0"',
    });
  });

  it('refuses an inactiveAfterMs that is not a whole number of ms from 0', async () => {
    const { view } = await home();
    expect(() => createRegistryApi({ view, inactiveAfterMs: -1 })).toThrow(
      'Expected `inactiveAfterMs` to be an integer >= 0, got `-1` (number)',
    );
  });
});
