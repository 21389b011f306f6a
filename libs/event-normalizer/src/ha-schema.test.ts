import { createEventNormalizer } from './normalizer.js';
import type { HaSchemaOptions } from './ha-config.js';
import type { OmitReason } from './types.js';
import { stateChanged, T1_US, TEMPERATURE_ATTRIBUTES } from './testing-internal/events.js';

const NS = `${T1_US}000`;

function haLine(
  entityId: string,
  state: string,
  attributes: Record<string, unknown>,
  ha: HaSchemaOptions = {},
): { line: string | undefined; reason: string | undefined; omitted: string[] } {
  const omitted: string[] = [];
  const normalizer = createEventNormalizer({
    schema: 'ha',
    ha,
    onOmit: (reason: OmitReason, key: string) => omitted.push(`${reason}:${key}`),
  });
  const result = normalizer.process(stateChanged({ entityId, newState: { state, attributes } }));
  return {
    line: result.ok ? result.line : undefined,
    reason: result.ok ? undefined : result.reason,
    omitted,
  };
}

describe('ha schema: the examples of ha-protocol.md §7.3', () => {
  it('temperature sensor, default config: measurement from the unit, unit not repeated as a field', () => {
    expect(haLine('sensor.living_room_temperature', '21.5', TEMPERATURE_ATTRIBUTES).line).toBe(
      '°C,domain=sensor,entity_id=living_room_temperature device_class_str="temperature",' +
        `friendly_name_str="Living room temperature",state_class_str="measurement",value=21.5 ${NS}`,
    );
  });

  it('binary sensor "on": no unit → the entity id; both state and value 1', () => {
    expect(
      haLine('binary_sensor.front_door', 'on', { device_class: 'door', friendly_name: 'Front door' }).line,
    ).toBe(
      'binary_sensor.front_door,domain=binary_sensor,entity_id=front_door ' +
        `device_class_str="door",friendly_name_str="Front door",state="on",value=1 ${NS}`,
    );
  });

  it('text state: only the state string', () => {
    expect(haLine('sensor.washer_status', 'washing', { friendly_name: 'Washer' }).line).toBe(
      `sensor.washer_status,domain=sensor,entity_id=washer_status friendly_name_str="Washer",state="washing" ${NS}`,
    );
  });

  it('measurement_attr domain__device_class: device_class left out, unit kept', () => {
    expect(
      haLine('sensor.living_room_temperature', '21.5', TEMPERATURE_ATTRIBUTES, {
        measurementAttr: 'domain__device_class',
      }).line,
    ).toBe(
      'sensor__temperature,domain=sensor,entity_id=living_room_temperature ' +
        `friendly_name_str="Living room temperature",state_class_str="measurement",unit_of_measurement_str="°C",value=21.5 ${NS}`,
    );
  });
});

describe('ha schema: measurement selection', () => {
  const noUnit = { friendly_name: 'Door' };
  it('domain__device_class without a device class is the domain, and keeps every attribute', () => {
    expect(
      haLine('binary_sensor.door', 'off', noUnit, { measurementAttr: 'domain__device_class' }).line,
    ).toBe(
      `binary_sensor,domain=binary_sensor,entity_id=door friendly_name_str="Door",state="off",value=0 ${NS}`,
    );
  });

  it('measurement_attr entity_id writes unit and device class as fields', () => {
    expect(haLine('sensor.t', '1', TEMPERATURE_ATTRIBUTES, { measurementAttr: 'entity_id' }).line).toBe(
      'sensor.t,domain=sensor,entity_id=t device_class_str="temperature",friendly_name_str="Living room temperature",' +
        `state_class_str="measurement",unit_of_measurement_str="°C",value=1 ${NS}`,
    );
  });

  it('default_measurement replaces the entity id when the unit is missing or empty', () => {
    expect(haLine('binary_sensor.door', 'off', noUnit, { defaultMeasurement: 'state' }).line).toMatch(
      /^state,/,
    );
    expect(haLine('sensor.x', '3', { unit_of_measurement: '' }, { defaultMeasurement: 'state' }).line).toBe(
      `state,domain=sensor,entity_id=x unit_of_measurement_str="",value=3 ${NS}`,
    );
    expect(haLine('sensor.x', '3', { unit_of_measurement: null }).line).toBe(
      `sensor.x,domain=sensor,entity_id=x unit_of_measurement_str="None",value=3 ${NS}`,
    );
  });

  it('a non-string unit becomes the measurement as Python prints it', () => {
    expect(haLine('sensor.x', '3', { unit_of_measurement: 5 }).line).toBe(
      `5,domain=sensor,entity_id=x value=3 ${NS}`,
    );
  });

  it('override_measurement wins over the unit; a per-entity override wins over it', () => {
    expect(haLine('sensor.t', '1', TEMPERATURE_ATTRIBUTES, { overrideMeasurement: 'all' }).line).toMatch(
      /^all,domain=sensor,entity_id=t device_class_str="temperature",.*unit_of_measurement_str="°C",value=1 /,
    );
    expect(
      haLine(
        'sensor.power_total',
        '1',
        { unit_of_measurement: 'W' },
        {
          overrideMeasurement: 'all',
          componentConfig: { 'sensor.power_total': { overrideMeasurement: 'power' } },
        },
      ).line,
    ).toBe(`power,domain=sensor,entity_id=power_total unit_of_measurement_str="W",value=1 ${NS}`);
  });

  it('component_config layers: domain, then globs in order, then the exact id; later keys replace earlier', () => {
    const ha: HaSchemaOptions = {
      componentConfigDomain: { sensor: { overrideMeasurement: 'by_domain', ignoreAttributes: ['a'] } },
      componentConfigGlob: {
        'sensor.kitchen_*': { overrideMeasurement: 'by_glob_1' },
        'sensor.*_temp': { ignoreAttributes: ['b'] },
      },
      componentConfig: { 'sensor.kitchen_temp': { overrideMeasurement: 'by_id' } },
      ignoreAttributes: ['c'],
    };
    const attributes = { a: 1, b: 2, c: 3, d: 4 };
    expect(haLine('sensor.kitchen_temp', '1', attributes, ha).line).toBe(
      `by_id,domain=sensor,entity_id=kitchen_temp a=1,d=4,value=1 ${NS}`,
    );
    expect(haLine('sensor.kitchen_hum', '1', attributes, ha).line).toBe(
      `by_glob_1,domain=sensor,entity_id=kitchen_hum b=2,d=4,value=1 ${NS}`,
    );
    expect(haLine('sensor.cellar_temp', '1', attributes, ha).line).toBe(
      `by_domain,domain=sensor,entity_id=cellar_temp a=1,d=4,value=1 ${NS}`,
    );
    expect(haLine('light.x', 'on', attributes, ha).line).toBe(
      `light.x,domain=light,entity_id=x a=1,b=2,d=4,state="on",value=1 ${NS}`,
    );
  });

  it('an empty per-entity override falls through to the global one', () => {
    expect(
      haLine(
        'sensor.x',
        '1',
        {},
        { overrideMeasurement: 'all', componentConfig: { 'sensor.x': { overrideMeasurement: '' } } },
      ).line,
    ).toBe(`all,domain=sensor,entity_id=x value=1 ${NS}`);
  });
});

describe('ha schema: tags', () => {
  it('tags_attributes become tags with Python str() values (None is skipped)', () => {
    expect(
      haLine(
        'sensor.x',
        '1',
        { friendly_name: 'Living room', level: 5, on: true, gone: null, list: ['a'] },
        {
          tagsAttributes: ['friendly_name', 'level', 'on', 'gone', 'list'],
        },
      ).line,
    ).toBe(
      `sensor.x,domain=sensor,entity_id=x,friendly_name=Living\\ room,level=5,list=['a'],on=True value=1 ${NS}`,
    );
  });

  it('static tags apply last and override domain/entity_id and attribute tags', () => {
    expect(
      haLine(
        'sensor.x',
        '1',
        { room: 'a' },
        { tags: { source: 'ha', domain: 'custom', room: 'static' }, tagsAttributes: ['room'] },
      ).line,
    ).toBe(`sensor.x,domain=custom,entity_id=x,room=static,source=ha value=1 ${NS}`);
  });
});

describe('ha schema: attribute fields', () => {
  it('numbers, numeric strings and booleans are floats; the rest is <key>_str (and HA salvages digits from it)', () => {
    expect(
      haLine('sensor.x', 'text', {
        n: 21,
        f: 21.5,
        s: '12.5',
        padded: ' 3 ',
        exp: '1e3',
        underscore: '1_000',
        yes: true,
        no: false,
        none: null,
        list: ['a', 'b'],
        dict: { k: 1 },
        hs: [30, 50.5],
        word: 'eco',
      }).line,
    ).toBe(
      'sensor.x,domain=sensor,entity_id=x ' +
        `dict_str="{'k': 1}",exp=1000,f=21.5,hs=3050.5,hs_str="[30, 50.5]",list_str="['a', 'b']",n=21,no=0,none_str="None",` +
        `padded=3,s=12.5,state="text",underscore=1000,word_str="eco",yes=1 ${NS}`,
    );
  });

  it('salvages digits from strings by RE_DIGIT_TAIL, writing both forms', () => {
    expect(
      haLine('sensor.x', '1', {
        energy: '12.5 kWh',
        name: 'Sensor 12',
        power: '5 W',
        changed: '2025-01-15T10:00:00+00:00',
      }).line,
    ).toBe(
      'sensor.x,domain=sensor,entity_id=x changed=202501151000000000,changed_str="2025-01-15T10:00:00+00:00",' +
        `energy=12.5,energy_str="12.5 kWh",name=12,name_str="Sensor 12",power_str="5 W",value=1 ${NS}`,
    );
  });

  it('renames an attribute that collides with a state field to key_', () => {
    expect(haLine('sensor.x', '7', { value: 3, state: 'x' }).line).toBe(
      `sensor.x,domain=sensor,entity_id=x state_str="x",value=7,value_=3 ${NS}`,
    );
    expect(haLine('sensor.x', 'text', { state: 'other', value: 'v' }).line).toBe(
      `sensor.x,domain=sensor,entity_id=x state="text",state__str="other",value_str="v" ${NS}`,
    );
  });

  it('drops non-finite attribute numbers, as HA does (no _str either when float() succeeded)', () => {
    expect(haLine('sensor.x', '1', { a: 'nan', b: 'inf', c: '-Infinity', d: 1 }).line).toBe(
      `sensor.x,domain=sensor,entity_id=x d=1,value=1 ${NS}`,
    );
  });

  it('ignore_attributes: global and per entity', () => {
    expect(
      haLine(
        'sensor.x',
        '1',
        { icon: 'mdi:x', a: 1, b: 2 },
        { ignoreAttributes: ['icon'], componentConfig: { 'sensor.x': { ignoreAttributes: ['b'] } } },
      ).line,
    ).toBe(`sensor.x,domain=sensor,entity_id=x a=1,value=1 ${NS}`);
  });
});

describe('ha schema: states', () => {
  it('uses Python float() for the state', () => {
    expect(haLine('sensor.x', ' 21.5 ', {}).line).toBe(`sensor.x,domain=sensor,entity_id=x value=21.5 ${NS}`);
    expect(haLine('sensor.x', '1_000', {}).line).toBe(`sensor.x,domain=sensor,entity_id=x value=1000 ${NS}`);
    expect(haLine('lock.x', 'locked', {}).line).toBe(
      `lock.x,domain=lock,entity_id=x state="locked",value=1 ${NS}`,
    );
    expect(haLine('sun.sun', 'below_horizon', {}).line).toBe(
      `sun.sun,domain=sun,entity_id=sun state="below_horizon",value=0 ${NS}`,
    );
    expect(haLine('lock.x', 'jammed', {}).line).toBe(`lock.x,domain=lock,entity_id=x state="jammed" ${NS}`);
  });

  it('never writes NaN/Infinity (HA would, and InfluxDB would refuse the whole batch)', () => {
    const nan = haLine('sensor.x', 'nan', { a: 1 });
    expect(nan.line).toBe(`sensor.x,domain=sensor,entity_id=x a=1 ${NS}`);
    expect(nan.omitted).toEqual(['non_finite_number:value']);
    expect(haLine('sensor.x', 'inf', {}).reason).toBe('no_fields');
  });

  it('writes nothing for unknown, unavailable, empty and removed states, as HA does', () => {
    expect(haLine('sensor.x', 'unknown', {}).reason).toBe('ha_state_not_written');
    expect(haLine('sensor.x', 'unavailable', {}).reason).toBe('ha_state_not_written');
    expect(haLine('sensor.x', '', {}).reason).toBe('ha_state_not_written');
    const removed = createEventNormalizer({ schema: 'ha' }).process(stateChanged({ newState: null }));
    expect(removed).toMatchObject({ ok: false, reason: 'ha_state_not_written' });
  });

  it('leaves out a field named time, which InfluxDB refuses', () => {
    // "10:00" is not a float, so HA writes time_str, and RE_DIGIT_TAIL salvages time=1000.0 too.
    const result = haLine('sensor.x', '1', { time: '10:00' });
    expect(result.line).toBe(`sensor.x,domain=sensor,entity_id=x time_str="10:00",value=1 ${NS}`);
    expect(result.omitted).toEqual(['invalid_key:time']);
  });

  it('rejects attributes nested beyond what Python can print', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200; i++) deep = [deep];
    expect(haLine('sensor.x', '1', { deep }).reason).toBe('attributes_unserializable');
  });
});
