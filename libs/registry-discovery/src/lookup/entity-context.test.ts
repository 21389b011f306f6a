import { RegistryState } from '../model/registry-state.js';
import { createView } from '../model/view.js';
import { areaRaw, smallHome } from '../testing-internal/fixtures.js';
import { parsedLists } from '../testing-internal/parsed.js';
import { CachedLookup } from './entity-context.js';

function setup(): { state: RegistryState; lookup: CachedLookup } {
  const state = new RegistryState();
  state.replace(parsedLists(smallHome()), 1, 'refresh');
  return { state, lookup: new CachedLookup(state, createView(state)) };
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
