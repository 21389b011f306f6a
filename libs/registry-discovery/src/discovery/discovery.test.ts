import { entityRaw } from '../testing-internal/fixtures.js';
import { setupDiscovery } from '../testing-internal/setup-discovery.js';
import { REGISTRY_EVENT_TYPES } from './registry-events.js';

const ENTITY_LIST = 'config/entity_registry/list';

describe('registry discovery', () => {
  it('subscribes to the four registry events and builds the picture from the five list commands', async () => {
    const { discovery, connection } = setupDiscovery();
    await discovery.start();
    for (const type of Object.values(REGISTRY_EVENT_TYPES)) expect(connection.subscribers(type)).toBe(1);
    expect(discovery.stats().source).toBe('empty');
    expect(await discovery.refreshAll()).toBe(true);
    expect([...connection.sent].sort()).toEqual([
      'config/area_registry/list',
      'config/device_registry/list',
      'config/entity_registry/list',
      'config/floor_registry/list',
      'config_entries/get',
    ]);
    const stats = discovery.stats();
    expect(stats).toMatchObject({
      source: 'home-assistant',
      counts: { devices: 3, entities: 5, areas: 3, floors: 2 },
      floorsSupported: true,
      fullRefreshes: 1,
      lastFetchFailed: false,
      issues: {},
    });
    expect(discovery.lookup('light.kitchen_bulb')).toMatchObject({
      areaName: 'Kitchen',
      floorName: 'Ground floor',
      integration: 'zha',
    });
    expect(discovery.lookup('switch.coffee')).toMatchObject({ deviceId: 'dev3', deviceName: 'Coffee plug' });
    expect(discovery.lookup('binary_sensor.hue_motion')).toMatchObject({
      areaId: 'bedroom',
      floorId: 'upstairs',
      floorName: 'Upstairs',
    });
  });

  it('shows the current picture through view(), live, with a memo that forgets on every change', async () => {
    const { discovery, connection } = setupDiscovery();
    const view = discovery.view();
    expect([...view.devices()]).toEqual([]);
    await discovery.start();
    await discovery.refreshAll();
    expect(discovery.view()).toBe(view);
    expect([...view.devices()].map((d) => d.deviceId)).toEqual(['dev1', 'dev2', 'dev3']);
    expect(view.entitiesOf('dev2').map((e) => e.entityId)).toEqual([
      'sensor.hue_temperature',
      'binary_sensor.hue_motion',
    ]);
    const hue = view.entity('sensor.hue_temperature');
    if (hue === undefined) throw new Error('smallHome lists sensor.hue_temperature');
    expect(view.areaIdOf(hue)).toBe('living_room');
    const memo = view.derived('test:memo', () => ({}));
    expect(view.derived('test:memo', () => ({}))).toBe(memo);
    connection.registries.devices[2] = { ...connection.registries.devices[2], name_by_user: 'Espresso' };
    await discovery.refreshAll();
    expect(view.device('dev3')?.displayName).toBe('Espresso');
    expect(view.derived('test:memo', () => ({}))).not.toBe(memo);
  });

  it('replaces the picture on every refresh, removing what HA no longer lists', async () => {
    const { discovery, connection } = setupDiscovery();
    await discovery.start();
    await discovery.refreshAll();
    connection.registries.entities = connection.registries.entities.filter(
      (e) => e['entity_id'] !== 'sun.sun',
    );
    connection.registries.areas = connection.registries.areas.filter((a) => a['area_id'] !== 'kitchen');
    await discovery.refreshAll();
    expect(discovery.lookup('sun.sun')).toBeUndefined();
    expect(discovery.lookup('light.kitchen_bulb')).toMatchObject({ areaId: null, areaName: null });
    expect(discovery.stats().counts).toEqual({ devices: 3, entities: 4, areas: 2, floors: 2 });
  });

  it('applies an entity removal at once, then confirms it with one debounced refetch', async () => {
    const { discovery, connection, clock } = setupDiscovery();
    await discovery.start();
    await discovery.refreshAll();
    connection.registries.entities = connection.registries.entities.filter(
      (e) => e['entity_id'] !== 'switch.coffee',
    );
    connection.fire('entity_registry_updated', { action: 'remove', entity_id: 'switch.coffee' });
    expect(discovery.lookup('switch.coffee')).toBeUndefined();
    expect(connection.count(ENTITY_LIST)).toBe(1);
    await clock.advance(500);
    expect(connection.count(ENTITY_LIST)).toBe(2);
    expect(discovery.stats()).toMatchObject({ refetches: { entities: 1 }, eventsReceived: { entities: 1 } });
  });

  it('moves an entity to its new id on a rename event before the refetch', async () => {
    const { discovery, connection, clock } = setupDiscovery();
    await discovery.start();
    await discovery.refreshAll();
    connection.fire('entity_registry_updated', {
      action: 'update',
      entity_id: 'switch.espresso',
      changes: { entity_id: 'switch.coffee' },
      old_entity_id: 'switch.coffee',
    });
    expect(discovery.lookup('switch.coffee')).toBeUndefined();
    expect(discovery.lookup('switch.espresso')).toMatchObject({ deviceName: 'Coffee plug' });
    // HA lists the renamed entity on the refetch.
    connection.registries.entities = connection.registries.entities.map((e) =>
      e['entity_id'] === 'switch.coffee' ? { ...e, entity_id: 'switch.espresso' } : e,
    );
    await clock.advance(500);
    expect(discovery.lookup('switch.espresso')).toMatchObject({ deviceName: 'Coffee plug' });
    expect(discovery.stats().counts.entities).toBe(5);
  });

  it('learns new values of an update from the refetch (the event carries only old values)', async () => {
    const { discovery, connection, clock } = setupDiscovery();
    await discovery.start();
    await discovery.refreshAll();
    connection.registries.devices = connection.registries.devices.map((d) =>
      d['id'] === 'dev3' ? { ...d, area_id: 'bedroom' } : d,
    );
    connection.fire('device_registry_updated', {
      action: 'update',
      device_id: 'dev3',
      changes: { area_id: null },
    });
    expect(discovery.lookup('switch.coffee')?.areaId).toBeNull();
    await clock.advance(500);
    expect(discovery.lookup('switch.coffee')).toMatchObject({ areaId: 'bedroom', floorName: 'Upstairs' });
  });

  it('turns a storm of 1,000 registry events into a small number of refetches, one in flight at a time', async () => {
    const { discovery, connection, clock } = setupDiscovery();
    await discovery.start();
    await discovery.refreshAll();
    for (let i = 0; i < 1000; i++) {
      connection.registries.entities.push(entityRaw(`sensor.storm_${i}`));
      connection.fire('entity_registry_updated', { action: 'create', entity_id: `sensor.storm_${i}` });
      if (i % 100 === 99) await clock.advance(100);
    }
    await clock.advance(10_000);
    // One refresh plus the storm's refetches: the 1 s storm fits in one debounce window of 5 s at most.
    expect(connection.count(ENTITY_LIST) - 1).toBeLessThanOrEqual(2);
    expect(connection.maxInFlight.get(ENTITY_LIST)).toBe(1);
    expect(discovery.stats().counts.entities).toBe(1005);
    expect(discovery.stats().eventsReceived.entities).toBe(1000);
  });

  it('stops listening and fetching after close', async () => {
    const { discovery, connection, clock } = setupDiscovery();
    await discovery.start();
    await discovery.close();
    expect(connection.subscribers('entity_registry_updated')).toBe(0);
    expect(await discovery.refreshAll()).toBe(false);
    connection.fire('entity_registry_updated', { action: 'create', entity_id: 'light.x' });
    await clock.advance(10_000);
    expect(connection.sent).toEqual([]);
    expect(discovery.stats().closed).toBe(true);
  });
});
