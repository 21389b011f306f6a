import { createEntityFilter, type EntityFilterOptions } from './entity-filter.js';
import { compileGlobs } from './glob.js';

const ENTITIES = [
  'sensor.kitchen_temperature',
  'sensor.zigbee_linkquality',
  'sensor.power_total',
  'binary_sensor.front_door',
  'light.kitchen',
  'light.garden',
  'switch.heater',
];

function passing(options: EntityFilterOptions): string[] {
  const filter = createEntityFilter(options);
  return ENTITIES.filter((id) => filter(id));
}

describe('createEntityFilter (HA entityfilter semantics)', () => {
  it('case 1: no include and no exclude passes everything', () => {
    expect(passing({})).toEqual(ENTITIES);
    expect(passing({ include: {}, exclude: { domains: [] } })).toEqual(ENTITIES);
  });

  it('case 2: includes only pass what any include names', () => {
    expect(
      passing({
        include: { domains: ['light'], entities: ['switch.heater'], entityGlobs: ['sensor.*_total'] },
      }),
    ).toEqual(['sensor.power_total', 'light.kitchen', 'light.garden', 'switch.heater']);
  });

  it('case 3: excludes only pass everything they do not name', () => {
    expect(
      passing({
        exclude: { domains: ['light'], entities: ['switch.heater'], entityGlobs: ['sensor.*_linkquality'] },
      }),
    ).toEqual(['sensor.kitchen_temperature', 'sensor.power_total', 'binary_sensor.front_door']);
  });

  it('case 4: with domain includes, an included domain passes unless excluded by id or glob (not by domain)', () => {
    expect(
      passing({
        include: { domains: ['sensor', 'light'], entities: ['switch.heater'] },
        exclude: { domains: ['sensor'], entities: ['light.garden'], entityGlobs: ['sensor.*_linkquality'] },
      }),
    ).toEqual(['sensor.kitchen_temperature', 'sensor.power_total', 'light.kitchen', 'switch.heater']);
  });

  it('case 4: a glob include passes unless the id is excluded; an included id always passes', () => {
    expect(
      passing({
        include: { entityGlobs: ['*kitchen*'], entities: ['sensor.zigbee_linkquality'] },
        exclude: {
          domains: ['light'],
          entities: ['sensor.zigbee_linkquality', 'sensor.kitchen_temperature'],
        },
      }),
    ).toEqual(['sensor.zigbee_linkquality', 'light.kitchen']);
  });

  it('case 5: with only id includes, domain/glob excludes are lifted for included ids', () => {
    expect(
      passing({
        include: { entities: ['light.garden'] },
        exclude: { domains: ['light'], entities: ['switch.heater'] },
      }),
    ).toEqual([
      'sensor.kitchen_temperature',
      'sensor.zigbee_linkquality',
      'sensor.power_total',
      'binary_sensor.front_door',
      'light.garden',
    ]);
  });

  it('case 6: ids on both sides pass only included ids (the exclude list is ignored)', () => {
    expect(
      passing({
        include: { entities: ['light.garden', 'switch.heater'] },
        exclude: { entities: ['switch.heater'] },
      }),
    ).toEqual(['light.garden', 'switch.heater']);
  });

  it('matches the docs/ha-influxdb-integration.md example: include sensor, binary_sensor; exclude *_linkquality', () => {
    expect(
      passing({
        include: { domains: ['sensor', 'binary_sensor'] },
        exclude: { entityGlobs: ['sensor.*_linkquality'] },
      }),
    ).toEqual(['sensor.kitchen_temperature', 'sensor.power_total', 'binary_sensor.front_door']);
  });
});

describe('compileGlobs (fnmatch.translate)', () => {
  const matches = (glob: string, id: string): boolean => compileGlobs([glob])?.matches(id) ?? false;

  it.each([
    ['sensor.*', 'sensor.x', true],
    ['sensor.*', 'sensorx', false],
    ['*', 'a.b', true],
    ['*.*_total', 'sensor.power_total', true],
    ['sensor.power_total', 'sensor.power_total', true],
    ['sensor.power_total', 'sensor.power_total_2', false], // anchored at the end
    ['power_total', 'sensor.power_total', false], // anchored at the start
    ['sensor.?', 'sensor.1', true],
    ['sensor.?', 'sensor.12', false],
    ['sensor.[ab]', 'sensor.b', true],
    ['sensor.[!ab]', 'sensor.b', false],
    ['sensor.[!ab]', 'sensor.c', true],
    ['sensor.[a-c]x', 'sensor.bx', true],
    ['sensor.[a-c]x', 'sensor.dx', false],
    ['sensor.[c-a]x', 'sensor.bx', false], // reversed range: dropped, never matches
    ['sensor.[]]', 'sensor.]', true],
    ['sensor.[!]]', 'sensor.x', true],
    ['sensor.[', 'sensor.[', true], // unclosed: literal
    ['sensor.[a-]', 'sensor.-', true],
    ['sensor.x+y(z)', 'sensor.x+y(z)', true], // regex specials are literals
    ['Sensor.*', 'sensor.x', false], // case-sensitive
    ['sensor.**', 'sensor.x', true],
  ])('%j on %j → %p', (glob, id, expected) => {
    expect(matches(glob, id)).toBe(expected);
  });

  it('joins several globs like HA does', () => {
    const re = compileGlobs(['light.*', 'switch.h*']);
    expect(['light.a', 'switch.heater', 'switch.lamp'].map((id) => re?.matches(id))).toEqual([
      true,
      true,
      false,
    ]);
    expect(compileGlobs([])).toBeUndefined();
  });
});
