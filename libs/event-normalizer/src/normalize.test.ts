import { CONTEXT, T0, T1, T1_US, TEMPERATURE_ATTRIBUTES } from './testing-internal/events.js';
import { normalized } from './testing-internal/normalized.js';

describe('normalize: the state_changed event of docs/ha-websocket-protocol.md', () => {
  it('flattens it into camelCase with µs times, value and duration', () => {
    const event = normalized({ newState: { state: '21.5', attributes: TEMPERATURE_ATTRIBUTES } });
    expect(event).toEqual({
      entityId: 'sensor.living_room_temperature',
      domain: 'sensor',
      objectId: 'living_room_temperature',
      changeKind: 'state',
      state: '21.5',
      previousState: '21.4',
      value: 21.5,
      unitOfMeasurement: '°C',
      deviceClass: 'temperature',
      stateClass: 'measurement',
      friendlyName: 'Living room temperature',
      attributes: TEMPERATURE_ATTRIBUTES,
      timeFired: T1,
      timeFiredUs: T1_US,
      lastChanged: T1,
      lastChangedUs: T1_US,
      lastUpdated: T1,
      lastUpdatedUs: T1_US,
      origin: 'LOCAL',
      context: { id: CONTEXT.id, parentId: null, userId: null },
      durationInPreviousStateSeconds: 420.554321,
      deviceId: null,
      deviceName: null,
      manufacturer: null,
      model: null,
      areaId: null,
      areaName: null,
      floorId: null,
      floorName: null,
      platform: null,
      entityCategory: null,
      labels: [],
      source: 'live',
    });
  });
});

describe('normalize: change kinds and durations', () => {
  it('state change: duration is new last_changed minus old last_changed', () => {
    const event = normalized({
      oldState: { state: 'off', lastChanged: '2025-01-15T10:00:00.000001+00:00' },
      newState: { state: 'on', lastChanged: '2025-01-15T10:00:30.500001+00:00' },
    });
    expect(event.changeKind).toBe('state');
    expect(event.durationInPreviousStateSeconds).toBe(30.5);
    expect(event.value).toBe(1);
  });

  it('attribute-only change: same state, last_changed kept, so the duration is 0', () => {
    const event = normalized({
      oldState: { state: 'on', lastChanged: T0, attributes: { brightness: 10 } },
      newState: { state: 'on', lastChanged: T0, lastUpdated: T1, attributes: { brightness: 20 } },
    });
    expect(event.changeKind).toBe('attributes');
    expect(event.durationInPreviousStateSeconds).toBe(0);
    expect(event.lastChanged).toBe(T0);
    expect(event.lastUpdated).toBe(T1);
  });

  it('added entity: no previous state, no duration', () => {
    const event = normalized({ oldState: null, newState: { state: 'on' } });
    expect(event).toMatchObject({
      changeKind: 'added',
      previousState: null,
      durationInPreviousStateSeconds: null,
    });
  });

  it('removed entity: kept, with the last state, its attributes and the time it lasted until removal', () => {
    const event = normalized({
      oldState: { state: '21.4', lastChanged: T0, attributes: TEMPERATURE_ATTRIBUTES },
      newState: null,
      timeFired: T1,
    });
    expect(event).toMatchObject({
      changeKind: 'removed',
      state: null,
      previousState: '21.4',
      value: null,
      unitOfMeasurement: '°C',
      friendlyName: 'Living room temperature',
      lastChanged: null,
      lastUpdated: null,
      timeFiredUs: T1_US,
      durationInPreviousStateSeconds: 420.554321,
    });
  });

  it('clamps a negative duration (clock skew) at 0', () => {
    const event = normalized({
      oldState: { state: 'a', lastChanged: T1 },
      newState: { state: 'b', lastChanged: T0 },
    });
    expect(event.durationInPreviousStateSeconds).toBe(0);
  });

  it('keeps two events one microsecond apart apart', () => {
    const a = normalized({ newState: { state: '1', lastUpdated: '2025-01-15T10:05:00.000001+00:00' } });
    const b = normalized({ newState: { state: '2', lastUpdated: '2025-01-15T10:05:00.000002+00:00' } });
    expect(b.timeFiredUs - a.timeFiredUs).toBe(1);
  });
});

describe('normalize: values', () => {
  it.each([
    ['21.5', 21.5],
    [' 21.5 ', 21.5],
    ['1e3', 1000],
    ['-3', -3],
    ['on', 1],
    ['off', 0],
    ['open', 1],
    ['closed', 0],
    ['home', 1],
    ['not_home', 0],
    ['locked', 1],
    ['unlocked', 0],
    ['above_horizon', 1],
    ['below_horizon', 0],
    ['unknown', null],
    ['unavailable', null],
    ['nan', null],
    ['inf', null],
    ['heat', null],
    ['', null],
  ])('state %j → value %p', (state, value) => {
    expect(normalized({ newState: { state } }).value).toBe(value);
  });

  it('takes unit, device class, state class and friendly name only when they are strings', () => {
    const event = normalized({
      newState: {
        state: '1',
        attributes: { unit_of_measurement: 5, device_class: null, friendly_name: 'X' },
      },
    });
    expect(event).toMatchObject({
      unitOfMeasurement: null,
      deviceClass: null,
      stateClass: null,
      friendlyName: 'X',
    });
  });

  it('keeps the context ids, parent and user included; no context is null (new_state.context is not read)', () => {
    const context = { id: 'c1', parentId: 'p1', userId: 'u1' };
    expect(normalized({ context }).context).toEqual({ id: 'c1', parentId: 'p1', userId: 'u1' });
    expect(normalized({ context: null }).context).toBeNull();
  });
});
