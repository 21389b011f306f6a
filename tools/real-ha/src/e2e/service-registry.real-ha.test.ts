import { waitFor } from '@homeiq/testing';
import { startServiceStack, type ServiceStack } from '../testing-internal/service-stack.js';

/**
 * The registries the service discovers from a real Home Assistant are HA's, and registry changes show up in
 * `/api/entities` and on the next points within seconds.
 */
describe('the service against a real Home Assistant', () => {
  let stack: ServiceStack;
  beforeAll(async () => {
    stack = await startServiceStack();
  }, 600_000);
  afterAll(async () => {
    await stack.dispose();
  }, 120_000);

  it("discovers HA's devices, entities, areas and floors", async () => {
    const devices = (await stack.admin.run('config/device_registry/list')) as HaDevice[];
    const entities = (await stack.admin.run('config/entity_registry/list')) as HaEntity[];
    const areas = (await stack.admin.run('config/area_registry/list')) as HaArea[];
    const floors = (await stack.admin.run('config/floor_registry/list')) as {
      floor_id: string;
      name: string;
    }[];
    await waitFor(
      async () => (await stack.health()).discovery.entities === entities.length,
      10_000,
      stack.service.output,
    );
    expect((await stack.health()).discovery).toMatchObject({
      devices: devices.length,
      entities: entities.length,
      areas: areas.length,
    });

    const served = await stack.service.get<{ entities: ServedEntity[]; count: number }>(
      '/api/entities?limit=10000',
    );
    expect(served.entities.map((e) => e.entity_id).sort()).toEqual(entities.map((e) => e.entity_id).sort());
    const deviceArea = new Map(devices.map((d) => [d.id, d.area_id]));
    const effectiveArea = (e: HaEntity): string | null =>
      e.area_id ?? (e.device_id === null ? null : (deviceArea.get(e.device_id) ?? null));
    const servedById = new Map(served.entities.map((e) => [e.entity_id, e]));
    for (const entity of entities) {
      expect(servedById.get(entity.entity_id)).toMatchObject({
        device_id: entity.device_id,
        platform: entity.platform,
        area_id: effectiveArea(entity),
        disabled: entity.disabled_by !== null,
      });
    }
    // What the seed placed: a device's entities inherit its area; an entity's own area wins.
    for (const [deviceId, areaId] of stack.seeded.deviceAreas) {
      const ofDevice = served.entities.filter((e) => e.device_id === deviceId);
      expect(ofDevice.length).toBeGreaterThan(0);
      for (const entity of ofDevice) expect(entity.area_id).toBe(areaId);
    }
    expect(servedById.get('sensor.doubled_setpoint')?.area_id).toBe(
      stack.seeded.entityAreas.get('sensor.doubled_setpoint'),
    );

    const servedDevices = await stack.service.get<{ devices: ServedDevice[] }>('/api/devices?limit=1000');
    expect(servedDevices.devices.map((d) => [d.device_id, d.area_id]).sort()).toEqual(
      devices.map((d) => [d.id, d.area_id]).sort(),
    );
    const hub = servedDevices.devices.find((d) => d.name === 'HomeIQ Hub');
    expect(hub).toMatchObject({ manufacturer: 'HomeIQ Labs', model: 'Hub One', sw_version: '1.2.3' });

    const servedAreas = await stack.service.get<{ areas: ServedArea[] }>('/api/areas');
    const floorName = new Map(floors.map((f) => [f.floor_id, f.name]));
    expect(servedAreas.areas.map((a) => [a.area_id, a.name, a.floor_id, a.floor_name]).sort()).toEqual(
      areas
        .map((a) => [a.area_id, a.name, a.floor_id, a.floor_id === null ? null : floorName.get(a.floor_id)])
        .sort(),
    );
    expect([...stack.seeded.areaFloors].sort()).toEqual(areas.map((a) => [a.area_id, a.floor_id]).sort());
  });

  it('shows a registry change (move to an area, new entity_id) in /api/entities within seconds', async () => {
    const entityOf = async (entityId: string): Promise<ServedEntity | undefined> =>
      (await stack.service.get<{ entities: ServedEntity[] }>('/api/entities?limit=10000')).entities.find(
        (e) => e.entity_id === entityId,
      );
    await stack.admin.run('config/entity_registry/update', {
      entity_id: 'input_number.fan_speed',
      area_id: 'kitchen',
    });
    await waitFor(async () => (await entityOf('input_number.fan_speed'))?.area_id === 'kitchen', 10_000);

    await stack.admin.run('config/entity_registry/update', {
      entity_id: 'input_number.fan_speed',
      new_entity_id: 'input_number.kitchen_fan_speed',
    });
    await waitFor(async () => (await entityOf('input_number.kitchen_fan_speed')) !== undefined, 10_000);
    expect(await entityOf('input_number.fan_speed')).toBeUndefined();
    expect((await entityOf('input_number.kitchen_fan_speed'))?.area_id).toBe('kitchen');

    // HA re-adds the state under the new id (a removal and an addition), then the next change follows: the
    // points carry the new id and the area.
    await stack.call('input_number', 'set_value', 'input_number.kitchen_fan_speed', { value: 77 });
    await waitFor(
      async () => (await stack.rowsOf('input_number.kitchen_fan_speed')).some((r) => r['state'] === '77.0'),
      10_000,
      stack.service.output,
    );
    const renamed = await stack.rowsOf('input_number.kitchen_fan_speed');
    expect(renamed.map((r) => r['state'])).toEqual(['42.0', '77.0']);
    // The re-added state comes with the registry event, before the service's debounced refetch of the entity
    // list, so that first point has no area yet (reported in the issue note); the next one has it.
    expect(renamed.at(-1)?.['area_id']).toBe('kitchen');
    expect((await stack.rowsOf('input_number.fan_speed')).at(-1)?.['state']).toBe('<removed>');
  });
});

interface HaDevice {
  id: string;
  area_id: string | null;
}
interface HaEntity {
  entity_id: string;
  device_id: string | null;
  area_id: string | null;
  platform: string;
  disabled_by: string | null;
}
interface HaArea {
  area_id: string;
  name: string;
  floor_id: string | null;
}
interface ServedEntity {
  entity_id: string;
  device_id: string | null;
  area_id: string | null;
}
interface ServedDevice {
  device_id: string;
  name: string;
  area_id: string | null;
  manufacturer: string;
  model: string;
  sw_version: string | null;
}
interface ServedArea {
  area_id: string;
  name: string;
  floor_id: string | null;
  floor_name: string | null;
}
