import type { HaState } from '../index.js';
import { recordedHome as home, stateChanges as changes } from '../testing-internal/home-fixture.js';
import { isUlid } from '../util/ulid.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?\+00:00$/;

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
