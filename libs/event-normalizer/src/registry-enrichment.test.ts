import { createEventNormalizer } from './normalizer.js';
import { fakeRegistry, stateChanged } from './testing-internal/events.js';
import { normalized } from './testing-internal/normalized.js';

describe('normalize: registry enrichment', () => {
  const registry = fakeRegistry({
    entities: {
      'sensor.own_area': {
        deviceId: 'd1',
        areaId: 'office',
        platform: 'shelly',
        entityCategory: null,
        labels: ['l1'],
      },
      'sensor.device_area': {
        deviceId: 'd1',
        areaId: null,
        platform: 'shelly',
        entityCategory: 'diagnostic',
        labels: [],
      },
      'sensor.no_device': {
        deviceId: null,
        areaId: null,
        platform: 'template',
        entityCategory: null,
        labels: [],
      },
      'sensor.dangling': {
        deviceId: 'gone',
        areaId: 'nowhere',
        platform: 'x',
        entityCategory: null,
        labels: [],
      },
    },
    devices: {
      d1: {
        name: 'Plug',
        nameByUser: 'Desk plug',
        manufacturer: 'Shelly',
        model: 'Plus Plug S',
        areaId: 'kitchen',
      },
    },
    areas: { office: { name: 'Office', floorId: 'first' }, kitchen: { name: 'Kitchen', floorId: null } },
    floors: { first: { name: 'First floor' } },
  });

  it("prefers the entity's own area over its device's, and resolves names and the floor", () => {
    expect(normalized({ entityId: 'sensor.own_area' }, { registry })).toMatchObject({
      deviceId: 'd1',
      deviceName: 'Desk plug',
      manufacturer: 'Shelly',
      model: 'Plus Plug S',
      areaId: 'office',
      areaName: 'Office',
      floorId: 'first',
      floorName: 'First floor',
      platform: 'shelly',
      entityCategory: null,
      labels: ['l1'],
    });
  });

  it("falls back to the device's area", () => {
    expect(normalized({ entityId: 'sensor.device_area' }, { registry })).toMatchObject({
      areaId: 'kitchen',
      areaName: 'Kitchen',
      floorId: null,
      entityCategory: 'diagnostic',
    });
  });

  it('leaves unknown parts null', () => {
    expect(normalized({ entityId: 'sensor.no_device' }, { registry })).toMatchObject({
      deviceId: null,
      deviceName: null,
      areaId: null,
      platform: 'template',
    });
    expect(normalized({ entityId: 'sensor.dangling' }, { registry })).toMatchObject({
      deviceId: 'gone',
      deviceName: null,
      areaId: 'nowhere',
      areaName: null,
    });
    expect(normalized({ entityId: 'sensor.unregistered' }, { registry })).toMatchObject({
      deviceId: null,
      labels: [],
    });
  });

  it('reads the registry on every event, so registry changes apply at once', () => {
    let area = 'office';
    const live = fakeRegistry({});
    const lookup = {
      ...live,
      entity: () => ({ deviceId: null, areaId: area, platform: null, entityCategory: null, labels: [] }),
    };
    const normalizer = createEventNormalizer({ registry: lookup });
    const first = normalizer.normalize(stateChanged({}));
    area = 'kitchen';
    const second = normalizer.normalize(stateChanged({}));
    expect([first.ok && first.event.areaId, second.ok && second.event.areaId]).toEqual(['office', 'kitchen']);
  });
});
