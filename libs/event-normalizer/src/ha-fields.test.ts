import { createEventNormalizer } from './normalizer.js';
import { stateChanged } from './testing-internal/events.js';
import { haLine, NS } from './testing-internal/ha-line.js';

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
