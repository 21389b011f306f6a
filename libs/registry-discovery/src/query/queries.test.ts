import { RegistryState } from '../model/registry-state.js';
import { createView, type DerivingView } from '../model/view.js';
import { deviceRaw, entityRaw, smallHome } from '../testing-internal/fixtures.js';
import { parsedLists } from '../testing-internal/parsed.js';
import { queryAreas } from './areas.js';
import { queryDevices } from './devices.js';
import { queryEntities, queryEntitiesJson } from './entities.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2026, 0, 1);

function home(): DerivingView {
  const state = new RegistryState();
  const raw = smallHome();
  raw.devices.push(
    deviceRaw('child', { manufacturer: undefined, model: undefined, name: null, area_id: 'kitchen' }),
  );
  raw.entities.push(entityRaw('light.child', { device_id: 'child', platform: 'hue' }));
  state.replace(parsedLists(raw), T0, 'refresh');
  return createView(state);
}

describe('GET /api/devices', () => {
  it("answers the original's shape, in registry order, with entity counts", () => {
    const res = queryDevices(home(), {}, T0 + DAY_MS, 30 * DAY_MS);
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

  it('filters by manufacturer, model, area and platform (counting only that platform), and limits', () => {
    const view = home();
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

  it('calls a device inactive when not listed for longer than inactiveAfterMs', () => {
    expect(queryDevices(home(), {}, T0 + 31 * DAY_MS, 30 * DAY_MS).devices[0]?.status).toBe('inactive');
  });

  it('rejects a limit out of range', () => {
    expect(() => queryDevices(home(), { limit: 1001 }, T0, DAY_MS)).toThrow(
      'Expected `limit` to be an integer from 1 to 1000, got 1001',
    );
  });
});

describe('GET /api/entities', () => {
  it("answers the original's shape with the effective area and HA's friendly name", () => {
    const res = queryEntities(home(), {}, T0);
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

  it('gives the same JSON text from queryEntitiesJson as JSON.stringify of the answer, for every filter', () => {
    const view = home();
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

  it('answers from the current picture after every change', () => {
    const state = new RegistryState();
    const view = createView(state);
    state.replace(parsedLists(smallHome()), T0, 'refresh');
    expect(queryEntities(view, { domain: 'switch' }, T0).entities[0]?.friendly_name).toBe('Coffee plug');
    expect(queryEntitiesJson(view, { domain: 'switch' }, T0)).toContain('"friendly_name":"Coffee plug"');
    const raw = smallHome();
    raw.devices[2] = { ...raw.devices[2], name_by_user: 'Espresso' };
    state.replace(parsedLists({ devices: raw.devices }), T0 + 1, 'refetch');
    expect(queryEntities(view, { domain: 'switch' }, T0).entities[0]?.friendly_name).toBe('Espresso');
    expect(queryEntitiesJson(view, { domain: 'switch' }, T0)).toContain('"friendly_name":"Espresso"');
    state.remove('entities', 'switch.coffee', T0 + 2);
    expect(queryEntities(view, { domain: 'switch' }, T0).entities).toEqual([]);
  });

  it('filters by domain, platform, device_id (case-insensitive) and area, and limits', () => {
    const view = home();
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
  it('lists the area registry with floors and device and entity counts', () => {
    expect(queryAreas(home(), {})).toEqual({
      count: 3,
      areas: [
        {
          area_id: 'kitchen',
          name: 'Kitchen',
          floor_id: 'ground',
          floor_name: 'Ground floor',
          icon: null,
          aliases: [],
          labels: [],
          device_count: 2,
          entity_count: 2,
        },
        {
          area_id: 'living_room',
          name: 'Living Room',
          floor_id: 'ground',
          floor_name: 'Ground floor',
          icon: null,
          aliases: [],
          labels: [],
          device_count: 1,
          entity_count: 1,
        },
        {
          area_id: 'bedroom',
          name: 'Bedroom',
          floor_id: 'upstairs',
          floor_name: 'Upstairs',
          icon: null,
          aliases: [],
          labels: [],
          device_count: 0,
          entity_count: 1,
        },
      ],
    });
    expect(queryAreas(home(), { floorId: 'upstairs' }).areas.map((a) => a.area_id)).toEqual(['bedroom']);
  });
});
