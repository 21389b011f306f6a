import type { HaSchemaOptions } from './ha-config.js';
import { TEMPERATURE_ATTRIBUTES } from './testing-internal/events.js';
import { haLine, NS } from './testing-internal/ha-line.js';

describe('ha schema: the examples of docs/ha-influxdb-integration.md', () => {
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
