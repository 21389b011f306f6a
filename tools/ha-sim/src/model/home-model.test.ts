import { createHomeModel, type HaEvent, type HaState, type HaStateChangedData } from '../index.js';
import { isUlid } from '../util/ulid.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?\+00:00$/;
const START = Date.UTC(2025, 0, 15, 10, 0, 0);

/** A home on a manual clock: every event advances it by 1.25 ms. */
function home(options: Parameters<typeof createHomeModel>[0] = {}) {
  let now = START;
  const model = createHomeModel({ entities: 120, seed: 4, now: () => (now += 1.25), ...options });
  const events: HaEvent[] = [];
  model.onEvent((event) => events.push(event));
  return { model, events };
}

const changes = (events: readonly HaEvent[]) =>
  events.filter((event): event is HaEvent<HaStateChangedData> => event.event_type === 'state_changed');

describe('createHomeModel: the home', () => {
  it('has exactly the requested entities with a state, over the requested devices', () => {
    const { model } = home({ entities: 250, devices: 60 });
    expect(model.entityIds()).toHaveLength(250);
    expect(model.devices).toHaveLength(60);
    expect(new Set(model.entityIds()).size).toBe(250);
    const domains = new Set(model.entityIds().map((id) => id.split('.')[0]));
    for (const domain of [
      'sensor',
      'binary_sensor',
      'light',
      'switch',
      'climate',
      'cover',
      'lock',
      'device_tracker',
      'person',
      'sun',
    ]) {
      expect(domains).toContain(domain);
    }
    // Disabled diagnostic entities are in the registry but have no state.
    const disabled = model.entities.filter((entry) => entry.disabled_by !== null);
    expect(disabled.length).toBeGreaterThan(0);
    for (const entry of disabled) expect(model.getState(entry.entity_id)).toBeUndefined();
    expect(model.entities.length).toBe(250 + disabled.length);
  });

  it('is deterministic for a seed and different for another', () => {
    const a = home({ seed: 9 });
    const b = home({ seed: 9 });
    const c = home({ seed: 10 });
    a.model.randomChanges(200);
    b.model.randomChanges(200);
    c.model.randomChanges(200);
    expect(a.events).toEqual(b.events);
    expect(a.model.devices).toEqual(b.model.devices);
    expect(c.model.devices.map((device) => device.id)).not.toEqual(
      a.model.devices.map((device) => device.id),
    );
  });

  it('links registries: entities to devices and config entries, devices to areas, areas to floors', () => {
    const { model } = home();
    const deviceIds = new Set(model.devices.map((device) => device.id));
    const entryIds = new Set(model.configEntries.map((entry) => entry.entry_id));
    const areaIds = new Set(model.areas.map((area) => area.area_id));
    const floorIds = new Set(model.floors.map((floor) => floor.floor_id));
    for (const entity of model.entities) {
      if (entity.device_id !== null) expect(deviceIds).toContain(entity.device_id);
      if (entity.config_entry_id !== null) expect(entryIds).toContain(entity.config_entry_id);
    }
    for (const device of model.devices) {
      if (device.area_id !== null) expect(areaIds).toContain(device.area_id);
      for (const entry of device.config_entries) expect(entryIds).toContain(entry);
    }
    for (const area of model.areas) if (area.floor_id !== null) expect(floorIds).toContain(area.floor_id);
    expect(model.areas.some((area) => area.temperature_entity_id !== null)).toBe(true);
  });

  it('uses HA key orders for registry entries', () => {
    const { model } = home();
    expect(Object.keys(model.devices[1]!)).toEqual([
      'area_id',
      'configuration_url',
      'config_entries',
      'config_entries_subentries',
      'connections',
      'created_at',
      'disabled_by',
      'entry_type',
      'hw_version',
      'id',
      'identifiers',
      'labels',
      'manufacturer',
      'model',
      'model_id',
      'modified_at',
      'name_by_user',
      'name',
      'primary_config_entry',
      'serial_number',
      'sw_version',
      'via_device_id',
    ]);
    expect(Object.keys(model.entities[1]!)).toEqual([
      'area_id',
      'categories',
      'config_entry_id',
      'config_subentry_id',
      'created_at',
      'device_id',
      'disabled_by',
      'entity_category',
      'entity_id',
      'has_entity_name',
      'hidden_by',
      'icon',
      'id',
      'labels',
      'modified_at',
      'name',
      'options',
      'original_name',
      'platform',
      'translation_key',
      'unique_id',
    ]);
    expect(Object.keys(model.areas[0]!)).toEqual([
      'aliases',
      'area_id',
      'floor_id',
      'humidity_entity_id',
      'icon',
      'labels',
      'name',
      'picture',
      'temperature_entity_id',
      'created_at',
      'modified_at',
    ]);
    expect(Object.keys(model.floors[0]!)).toEqual([
      'aliases',
      'created_at',
      'floor_id',
      'icon',
      'level',
      'name',
      'modified_at',
    ]);
    expect(model.devices[0]).toMatchObject({ name: 'Sun', entry_type: 'service' });
  });

  it('gives sensors units, device classes and state classes in HA attribute order', () => {
    const { model } = home();
    const temperature = [...model.states().values()].find(
      (state) => state.attributes['device_class'] === 'temperature',
    )!;
    expect(Object.keys(temperature.attributes)).toEqual([
      'state_class',
      'unit_of_measurement',
      'device_class',
      'friendly_name',
    ]);
    expect(temperature.attributes['unit_of_measurement']).toBe('°C');
    expect(temperature.state).toMatch(/^\d+\.\d$/);
    expect(Object.keys(temperature)).toEqual([
      'entity_id',
      'state',
      'attributes',
      'last_changed',
      'last_reported',
      'last_updated',
      'context',
    ]);
  });
});

describe('createHomeModel: state_changed events', () => {
  it('are HA-shaped: key order, time_fired = last_updated, ULID contexts, event context = new state context', () => {
    const { model, events } = home();
    model.randomChanges(500);
    const changed = changes(events);
    expect(changed.length).toBeGreaterThan(450);
    for (const event of changed) {
      expect(Object.keys(event)).toEqual(['event_type', 'data', 'origin', 'time_fired', 'context']);
      expect(Object.keys(event.data)).toEqual(['entity_id', 'old_state', 'new_state']);
      expect(Object.keys(event.context)).toEqual(['id', 'parent_id', 'user_id']);
      expect(event.origin).toBe('LOCAL');
      expect(isUlid(event.context.id)).toBe(true);
      expect(event.time_fired).toMatch(ISO);
      const next = event.data.new_state;
      if (next !== null) {
        expect(event.time_fired).toBe(next.last_updated);
        expect(next.context).toEqual(event.context);
      }
    }
  });

  it('keeps last_changed on attribute-only changes and moves it when the state changes', () => {
    const { model, events } = home();
    model.randomChanges(2000);
    let attributeOnly = 0;
    for (const { data } of changes(events)) {
      const before = data.old_state;
      const after = data.new_state;
      if (before === null || after === null) continue;
      if (before.state === after.state) {
        attributeOnly++;
        expect(after.last_changed).toBe(before.last_changed);
        expect(after.attributes).not.toEqual(before.attributes);
      } else {
        expect(after.last_changed).toBe(after.last_updated);
      }
      expect(after.last_reported).toBe(after.last_updated);
    }
    expect(attributeOnly).toBeGreaterThan(50);
  });

  it('carries unavailable and unknown states, additions and removals, user and parent ids, whole-second times', () => {
    const { model, events } = home({ churnRatio: 0.01, unavailableRatio: 0.02, unknownRatio: 0.02 });
    model.randomChanges(5000);
    const changed = changes(events);
    const states = changed.map((event) => event.data.new_state?.state);
    expect(states).toContain('unavailable');
    expect(states).toContain('unknown');
    expect(changed.some((event) => event.data.old_state === null)).toBe(true);
    expect(changed.some((event) => event.data.new_state === null)).toBe(true);
    expect(changed.some((event) => event.context.user_id !== null)).toBe(true);
    expect(changed.some((event) => event.context.parent_id !== null)).toBe(true);
    expect(changed.some((event) => /:\d{2}\+00:00$/.test(event.time_fired))).toBe(true);
    expect(changed.some((event) => /\.\d{6}\+00:00$/.test(event.time_fired))).toBe(true);
    const unavailable = changed.find(
      (event) => event.data.new_state?.state === 'unavailable' && event.data.entity_id.startsWith('light.'),
    );
    if (unavailable !== undefined)
      expect(unavailable.data.new_state?.attributes['brightness']).toBeUndefined();
  });

  it('leaves get_states consistent with the events', () => {
    const { model, events } = home({ churnRatio: 0.01 });
    model.randomChanges(3000);
    const latest = new Map<string, HaState | null>();
    for (const { data } of changes(events)) latest.set(data.entity_id, data.new_state);
    const states = model.states();
    for (const [entityId, state] of latest) expect(states.get(entityId) ?? null).toEqual(state);
  });

  it('follows async_set: the same state and attributes fire nothing, only last_reported moves', () => {
    const { model, events } = home();
    const id = model.entityIds().find((entityId) => entityId.startsWith('switch.'))!;
    const before = model.getState(id)!;
    expect(model.setState(id, before.state)).toBe(false);
    expect(events).toEqual([]);
    const after = model.getState(id)!;
    expect(after.last_updated).toBe(before.last_updated);
    expect(after.last_reported > before.last_reported).toBe(true);
    expect(
      model.setState(id, before.state === 'on' ? 'off' : 'on', undefined, { userId: model.userIds[0]! }),
    ).toBe(true);
    expect(changes(events)[0]?.context.user_id).toBe(model.userIds[0]);
  });
});

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
