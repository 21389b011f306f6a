import fc from 'fast-check';
import { areaRaw, deviceRaw, entityRaw, floorRaw } from '../testing-internal/fixtures.js';
import { parseAreas, parseDevices, parseEntities, parseFloors, type IssueSink } from './parse-list.js';

function collector(): { sink: IssueSink; issues: string[] } {
  const issues: string[] = [];
  return {
    sink: (kind, issue, detail, count) =>
      issues.push(`${kind}.${issue}: ${detail}${count === undefined ? '' : ` (${count})`}`),
    issues,
  };
}

describe('registry list parsing', () => {
  it('reads HA dicts into camelCase records, keeping the raw dict and ignoring unknown keys', () => {
    const { sink, issues } = collector();
    const raw = deviceRaw('d1', { name_by_user: 'Lamp', area_id: 'kitchen', brand_new_key: { x: 1 } });
    const [device] = parseDevices([raw], sink) ?? [];
    expect(issues).toEqual([]);
    expect(device).toMatchObject({
      deviceId: 'd1',
      name: 'Device d1',
      nameByUser: 'Lamp',
      displayName: 'Lamp',
      manufacturer: 'IKEA',
      areaId: 'kitchen',
      configEntryId: 'entry_zha',
      integration: null,
    });
    expect(device?.raw).toEqual(raw);
    expect(device?.fingerprint).toBe(JSON.stringify(raw));
  });

  it('reads a newest-core child device that lacks manufacturer, model and connections', () => {
    const { sink, issues } = collector();
    const child = {
      area_id: null,
      config_entry_id: 'entry_new',
      config_subentry_id: null,
      created_at: 0.0,
      disabled_by: null,
      id: 'child1',
      identifiers: [],
      labels: [],
      modified_at: 0.0,
      name_by_user: null,
      name: 'Child',
      parent_device_id: 'parent',
    };
    const [device] = parseDevices([child], sink) ?? [];
    expect(issues).toEqual([]);
    expect(device).toMatchObject({
      deviceId: 'child1',
      manufacturer: null,
      model: null,
      configEntryId: 'entry_new',
    });
  });

  it('skips and reports entries without a usable id, and entries that are not objects', () => {
    const { sink, issues } = collector();
    const entities = parseEntities(
      [
        entityRaw('light.ok'),
        entityRaw('light.no_id', { entity_id: undefined }),
        entityRaw('x', { entity_id: 42 }),
        entityRaw('nodot'),
        'not an object',
        null,
      ],
      sink,
    );
    expect(entities?.map((e) => e.entityId)).toEqual(['light.ok']);
    expect(issues).toEqual([
      'entities.bad_entry: item 1: `entity_id` is missing',
      'entities.bad_entry: item 2: `entity_id` is not a non-empty string (number)',
      'entities.bad_entry: item 3: `entity_id` "nodot" is not domain.object_id',
      'entities.bad_entry: item 4 is not an object',
      'entities.bad_entry: item 5 is not an object',
    ]);
  });

  it('keeps an entry whose other fields have wrong types, reading them as defaults and reporting each', () => {
    const { sink, issues } = collector();
    const [entity] =
      parseEntities([entityRaw('sensor.t', { labels: 'oops', area_id: 7, has_entity_name: 'yes' })], sink) ??
      [];
    expect(entity).toMatchObject({
      entityId: 'sensor.t',
      labels: [],
      areaId: null,
      hasEntityName: false,
      domain: 'sensor',
    });
    expect(issues).toEqual([
      'entities.bad_field: item 0: `area_id` has type number',
      'entities.bad_field: item 0: `has_entity_name` has type string',
      'entities.bad_field: item 0: `labels` has type string',
    ]);
  });

  it('skips entries with an id already listed (the first wins), one report per id with the number skipped', () => {
    const { sink, issues } = collector();
    const areas = parseAreas([areaRaw('a', { name: 'First' }), areaRaw('a', { name: 'Second' })], sink);
    expect(areas?.map((a) => a.name)).toEqual(['First']);
    expect(issues).toEqual(['areas.duplicate_id: id "a" listed 2 times; item 0 kept, 1 skipped (1)']);
  });

  it('for any list of any registry with repeated ids: keeps each first, reports each id once with its count', () => {
    const lists = {
      floors: { parse: parseFloors, raw: floorRaw },
      areas: { parse: parseAreas, raw: areaRaw },
      devices: { parse: parseDevices, raw: deviceRaw },
      entities: { parse: parseEntities, raw: (id: string) => entityRaw(`light.${id}`) },
    } as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(lists) as (keyof typeof lists)[])),
        fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { maxLength: 30 }),
        (kind, ids) => {
          const reports: { kind: string; issue: string; detail: string; count: number | undefined }[] = [];
          const { parse, raw } = lists[kind];
          const items = ids.map((id, index) => ({ ...raw(id), name: `n${index}` }));
          const records = parse(items, (k, issue, detail, count) =>
            reports.push({ kind: k, issue, detail, count }),
          );
          const firsts = [...new Set(ids)];
          expect(records?.map((r) => r.name)).toEqual(firsts.map((id) => `n${ids.indexOf(id)}`));
          const repeated = firsts.filter((id) => ids.filter((x) => x === id).length > 1);
          expect(reports).toEqual(
            repeated.map((id) => {
              const times = ids.filter((x) => x === id).length;
              const shown = kind === 'entities' ? `light.${id}` : id;
              return {
                kind,
                issue: 'duplicate_id',
                detail: `id "${shown}" listed ${times} times; item ${ids.indexOf(id)} kept, ${times - 1} skipped`,
                count: times - 1,
              };
            }),
          );
          expect(reports.reduce((sum, r) => sum + (r.count ?? 1), 0)).toBe(ids.length - firsts.length);
        },
      ),
    );
  });

  it('answers undefined (not an empty list) for a result that is not an array', () => {
    const { sink, issues } = collector();
    expect(parseFloors({ floors: [] }, sink)).toBeUndefined();
    expect(parseFloors(null, sink)).toBeUndefined();
    expect(issues).toEqual([
      'floors.not_a_list: expected an array, got object',
      'floors.not_a_list: expected an array, got null',
    ]);
  });

  it('reads floors and areas, falling back to the id for a missing name', () => {
    const { sink } = collector();
    expect(parseFloors([floorRaw('f1', { name: undefined, level: 2 })], sink)?.[0]).toMatchObject({
      floorId: 'f1',
      name: 'f1',
      level: 2,
    });
    expect(parseAreas([areaRaw('a1', { floor_id: 'f1', aliases: ['Küche'] })], sink)?.[0]).toMatchObject({
      areaId: 'a1',
      floorId: 'f1',
      aliases: ['Küche'],
    });
  });
});
