import { RegistryState } from '../model/registry-state.js';
import { createView } from '../model/view.js';
import { areaRaw, deviceRaw, entityRaw, smallHome } from '../testing-internal/fixtures.js';
import { parsedLists } from '../testing-internal/parsed.js';
import { CachedLookup } from './entity-context.js';

function setup(home = smallHome()): { state: RegistryState; lookup: CachedLookup } {
  const state = new RegistryState();
  state.replace(parsedLists(home), 1, 'refresh');
  return { state, lookup: new CachedLookup(state, createView(state)) };
}

/** The small home plus the given devices and entities. */
function homeWith(
  devices: Record<string, unknown>[],
  entities: Record<string, unknown>[],
): ReturnType<typeof smallHome> {
  const home = smallHome();
  return { ...home, devices: [...home.devices, ...devices], entities: [...home.entities, ...entities] };
}

describe('CachedLookup', () => {
  it("joins entity → device → area → floor, using the device's area when the entity has none", () => {
    const { lookup } = setup();
    expect(lookup.lookup('light.kitchen_bulb')).toEqual({
      entityId: 'light.kitchen_bulb',
      deviceId: 'dev1',
      deviceName: 'Kitchen bulb',
      manufacturer: 'IKEA',
      model: 'TRADFRI bulb',
      areaId: 'kitchen',
      areaName: 'Kitchen',
      floorId: 'ground',
      floorName: 'Ground floor',
      platform: 'zha',
      integration: 'zha',
      entityCategory: null,
      labels: [],
      name: null,
      disabled: false,
      hidden: false,
    });
  });

  it("lets the entity's own area win over its device's", () => {
    const { lookup } = setup();
    expect(lookup.lookup('binary_sensor.hue_motion')).toMatchObject({
      deviceId: 'dev2',
      areaId: 'bedroom',
      areaName: 'Bedroom',
      floorName: 'Upstairs',
      integration: 'hue',
    });
  });

  it('uses name_by_user as the device name, and knows entities without a device', () => {
    const { lookup } = setup();
    expect(lookup.lookup('switch.coffee')).toMatchObject({
      deviceName: 'Coffee plug',
      areaId: null,
      labels: ['kitchen_stuff'],
    });
    expect(lookup.lookup('sun.sun')).toMatchObject({
      deviceId: null,
      areaId: null,
      platform: 'sun',
      name: 'Sun',
    });
    expect(lookup.lookup('light.unknown')).toBeUndefined();
  });

  it('copies entity category and labels, and leaves the floor null for an area on no floor', () => {
    const home = homeWith(
      [deviceRaw('dev4', { area_id: 'garage', name: 'Door', manufacturer: null, model: null })],
      [
        entityRaw('sensor.door_battery', {
          device_id: 'dev4',
          entity_category: 'diagnostic',
          labels: ['battery', 'door'],
        }),
      ],
    );
    const { lookup } = setup({ ...home, areas: [...home.areas, areaRaw('garage', { name: 'Garage' })] });
    expect(lookup.lookup('sensor.door_battery')).toMatchObject({
      deviceId: 'dev4',
      deviceName: 'Door',
      manufacturer: null,
      model: null,
      areaId: 'garage',
      areaName: 'Garage',
      floorId: null,
      floorName: null,
      entityCategory: 'diagnostic',
      labels: ['battery', 'door'],
    });
  });

  it('treats ids that point at nothing as unset (a dangling device, area or floor)', () => {
    const home = homeWith(
      [deviceRaw('dev5', { area_id: 'nowhere', name: 'Lost' })],
      [
        entityRaw('sensor.dangling', { device_id: 'gone', area_id: 'nowhere', platform: 'x' }),
        entityRaw('sensor.own_area_gone', { device_id: 'dev1', area_id: 'nowhere' }),
        entityRaw('sensor.device_area_gone', { device_id: 'dev5' }),
        entityRaw('sensor.floor_gone', { area_id: 'attic' }),
      ],
    );
    const areas = [...home.areas, areaRaw('attic', { name: 'Attic', floor_id: 'roof' })];
    const { lookup } = setup({ ...home, areas });
    const unset = {
      deviceId: null,
      deviceName: null,
      manufacturer: null,
      model: null,
      areaId: null,
      areaName: null,
      floorId: null,
      floorName: null,
    };
    expect(lookup.lookup('sensor.dangling')).toMatchObject({ ...unset, platform: 'x' });
    // The entity's own area does not exist: its device's area is the one.
    expect(lookup.lookup('sensor.own_area_gone')).toMatchObject({
      deviceId: 'dev1',
      areaId: 'kitchen',
      areaName: 'Kitchen',
      floorId: 'ground',
    });
    expect(lookup.lookup('sensor.device_area_gone')).toMatchObject({
      deviceId: 'dev5',
      deviceName: 'Lost',
      areaId: null,
      areaName: null,
    });
    expect(lookup.lookup('sensor.floor_gone')).toMatchObject({
      areaId: 'attic',
      areaName: 'Attic',
      floorId: null,
      floorName: null,
    });
  });

  it('applies renames, moves and un-assignments at once', () => {
    const { state, lookup } = setup();
    expect(lookup.lookup('sensor.hue_temperature')).toMatchObject({
      areaId: 'living_room',
      deviceName: 'Hue sensor',
    });
    const home = smallHome();
    const moved = home.entities.map((e) =>
      e['entity_id'] === 'sensor.hue_temperature' ? { ...e, area_id: 'bedroom' } : e,
    );
    state.replace(parsedLists({ entities: moved }), 2, 'refetch');
    expect(lookup.lookup('sensor.hue_temperature')).toMatchObject({
      areaId: 'bedroom',
      areaName: 'Bedroom',
      floorName: 'Upstairs',
    });

    const renamed = home.areas.map((a) => (a['area_id'] === 'bedroom' ? { ...a, name: 'Guest room' } : a));
    state.replace(parsedLists({ areas: renamed }), 3, 'refetch');
    expect(lookup.lookup('sensor.hue_temperature')?.areaName).toBe('Guest room');

    // Un-assigned from its own area: the device's area again.
    state.replace(parsedLists({ entities: home.entities }), 4, 'refetch');
    expect(lookup.lookup('sensor.hue_temperature')).toMatchObject({
      areaId: 'living_room',
      floorId: 'ground',
    });

    const devices = home.devices.map((d) =>
      d['id'] === 'dev2' ? { ...d, name_by_user: 'Hall sensor', area_id: null } : d,
    );
    state.replace(parsedLists({ devices }), 5, 'refetch');
    expect(lookup.lookup('sensor.hue_temperature')).toMatchObject({
      deviceName: 'Hall sensor',
      areaId: null,
      areaName: null,
      floorId: null,
    });
  });

  it('returns the same object for repeated lookups until the picture changes', () => {
    const { state, lookup } = setup();
    const first = lookup.lookup('light.kitchen_bulb');
    expect(lookup.lookup('light.kitchen_bulb')).toBe(first);
    state.remove('entities', 'sun.sun', 2);
    expect(lookup.lookup('light.kitchen_bulb')).not.toBe(first);
    expect(lookup.lookup('light.kitchen_bulb')).toEqual(first);
  });

  it('applies removals and un-assignments at once', () => {
    const { state, lookup } = setup();
    expect(lookup.lookup('light.kitchen_bulb')?.areaId).toBe('kitchen');
    state.remove('areas', 'kitchen', 2);
    expect(lookup.lookup('light.kitchen_bulb')).toMatchObject({
      areaId: null,
      areaName: null,
      floorId: null,
    });

    // The entity's own area is removed: its device's area takes over.
    expect(lookup.lookup('binary_sensor.hue_motion')?.areaId).toBe('bedroom');
    state.remove('areas', 'bedroom', 3);
    expect(lookup.lookup('binary_sensor.hue_motion')).toMatchObject({
      areaId: 'living_room',
      floorId: 'ground',
    });

    state.remove('devices', 'dev2', 4);
    expect(lookup.lookup('sensor.hue_temperature')).toMatchObject({
      deviceId: null,
      deviceName: null,
      areaId: null,
    });

    const home = smallHome();
    state.replace(parsedLists({ areas: [...home.areas, areaRaw('garage')], floors: [] }), 5, 'refetch');
    expect(lookup.lookup('light.kitchen_bulb')).toMatchObject({
      areaId: 'kitchen',
      floorId: null,
      floorName: null,
    });

    state.remove('entities', 'light.kitchen_bulb', 6);
    expect(lookup.lookup('light.kitchen_bulb')).toBeUndefined();
  });
});
