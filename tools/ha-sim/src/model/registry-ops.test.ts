import type { HaStateChangedData } from '../index.js';
import { createHomeModel } from '../index.js';
import { recordedHome as home, stateChanges as changes } from '../testing-internal/home-fixture.js';

describe('createHomeModel: registry mutations fire HA registry events', () => {
  it('renames an entity: registry update with the old id, state removed and re-added', () => {
    const { model, events } = home();
    const id = model.entityIds().find((entityId) => entityId.startsWith('sensor.'))!;
    model.renameEntity(id, 'sensor.renamed');
    expect(events.map((event) => event.event_type)).toEqual([
      'entity_registry_updated',
      'state_changed',
      'state_changed',
    ]);
    expect(events[0]?.data).toEqual({
      action: 'update',
      entity_id: 'sensor.renamed',
      changes: { entity_id: id },
      old_entity_id: id,
    });
    expect((events[1]?.data as HaStateChangedData).new_state).toBeNull();
    expect((events[2]?.data as HaStateChangedData).old_state).toBeNull();
    expect(model.getState('sensor.renamed')?.state).toBe(
      (events[1]?.data as HaStateChangedData).old_state?.state,
    );
    expect(model.getState(id)).toBeUndefined();
  });

  it('moves and renames devices with old values in `changes`; friendly names follow', () => {
    const { model, events } = home();
    const device = model.devices.find(
      (candidate) => candidate.area_id !== null && candidate.entry_type === null,
    )!;
    const area = model.areas.find((candidate) => candidate.area_id !== device.area_id)!;
    const oldArea = device.area_id;
    model.moveDeviceToArea(device.id, area.area_id);
    expect(events.at(-1)?.data).toEqual({
      action: 'update',
      device_id: device.id,
      changes: { area_id: oldArea },
    });
    model.renameDevice(device.id, 'My device');
    expect(
      events.find(
        (event) =>
          event.event_type === 'device_registry_updated' &&
          JSON.stringify(event.data).includes('name_by_user'),
      )?.data,
    ).toEqual({
      action: 'update',
      device_id: device.id,
      changes: { name_by_user: null },
    });
    const entity = model.entities.find(
      (entry) => entry.device_id === device.id && entry.disabled_by === null,
    )!;
    expect(String(model.getState(entity.entity_id)?.attributes['friendly_name'])).toMatch(/^My device/);
  });

  it('removes a device with its entities: device remove (with the device), entity removes, states removed', () => {
    const { model, events } = home();
    const device = model.devices.find((candidate) => candidate.entry_type === null)!;
    const entities = model.entities
      .filter((entry) => entry.device_id === device.id)
      .map((entry) => entry.entity_id);
    model.removeDevice(device.id);
    expect(events[0]).toMatchObject({
      event_type: 'device_registry_updated',
      data: { action: 'remove', device_id: device.id, device: { id: device.id } },
    });
    const removed = events
      .filter((event) => event.event_type === 'entity_registry_updated')
      .map((event) => (event.data as { entity_id: string }).entity_id);
    expect(removed).toEqual(entities);
    for (const id of entities) expect(model.getState(id)).toBeUndefined();
    expect(model.devices.some((candidate) => candidate.id === device.id)).toBe(false);
  });

  it('removing an area clears it from devices and entities first', () => {
    const { model, events } = home();
    const area = model.areas.find((candidate) =>
      model.devices.some((device) => device.area_id === candidate.area_id),
    )!;
    model.removeArea(area.area_id);
    expect(events.at(-1)?.data).toEqual({ action: 'remove', area_id: area.area_id });
    expect(events.some((event) => event.event_type === 'device_registry_updated')).toBe(true);
    expect(model.devices.some((device) => device.area_id === area.area_id)).toBe(false);
  });

  it('adds floors, areas, devices and entities with create events and first states', () => {
    const { model, events } = home();
    const floor = model.addFloor('Loft', 3);
    const area = model.addArea('Studio', floor);
    const { deviceId, entityIds } = model.addDevice({ template: 'climate_sensor', areaId: area });
    const extra = model.addEntity({ kind: 'power', name: 'Heater power', deviceId, state: '12.5' });
    expect(events.slice(0, 3).map((event) => [event.event_type, event.data])).toEqual([
      ['floor_registry_updated', { action: 'create', floor_id: 'loft' }],
      ['area_registry_updated', { action: 'create', area_id: 'studio' }],
      ['device_registry_updated', { action: 'create', device_id: deviceId }],
    ]);
    expect(entityIds.length).toBe(4);
    expect(model.getState(extra)?.state).toBe('12.5');
    expect(model.getState(extra)?.attributes['friendly_name']).toBe('Studio climate sensor Heater power');
    const added = changes(events)
      .filter((event) => event.data.old_state === null)
      .map((event) => event.data.entity_id);
    expect(added).toEqual([...entityIds, extra]);
    model.removeEntity(extra);
    expect(events.slice(-2).map((event) => event.event_type)).toEqual([
      'entity_registry_updated',
      'state_changed',
    ]);
    expect(() => {
      model.removeEntity(extra);
    }).toThrow('Unknown entity');
  });

  it('validates its options with clear messages', () => {
    expect(() => createHomeModel({ entities: -1 })).toThrow(
      'Expected `entities` to be an integer >= 0, got `-1` (number)',
    );
    expect(() => createHomeModel({ churnRatio: 2 })).toThrow(
      'Expected `churnRatio` to be a number from 0 to 1',
    );
  });
});

describe('HomeModel.entityContext', () => {
  it("joins device, area (the entity's own, else its device's) and floor, and follows every mutation", () => {
    const { model } = home();
    const entry = model.entities.find((e) => e.device_id !== null && e.disabled_by === null)!;
    const device = model.devices.find((d) => d.id === entry.device_id)!;
    const floor = model.addFloor('Loft');
    const deviceArea = model.addArea('Workshop', floor);
    const ownArea = model.addArea('Bench', null);
    model.moveEntityToArea(entry.entity_id, null);
    model.moveDeviceToArea(device.id, deviceArea);
    model.renameDevice(device.id, 'Named by user');
    expect(model.entityContext(entry.entity_id)).toMatchObject({
      deviceId: device.id,
      deviceName: 'Named by user',
      areaId: deviceArea,
      areaName: 'Workshop',
      floorId: floor,
      floorName: 'Loft',
      platform: entry.platform,
    });
    model.moveEntityToArea(entry.entity_id, ownArea);
    expect(model.entityContext(entry.entity_id)).toMatchObject({ areaName: 'Bench', floorId: null });
    model.renameDevice(device.id, null);
    expect(model.entityContext(entry.entity_id)?.deviceName).toBe(device.name);
    expect(model.entityContext('sensor.not_registered')).toBeUndefined();
  });
});
