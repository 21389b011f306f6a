import fc from 'fast-check';
import { createEventNormalizer } from './normalizer.js';
import type { EventNormalizerOptions } from './options.js';
import type { EntityEnrichment } from './registry-lookup.js';
import {
  fakeRegistry,
  stateChanged,
  T1_US,
  TEMPERATURE_ATTRIBUTES,
  UNASSIGNED,
  type EventSpec,
} from './testing-internal/events.js';
import { officialLine } from './testing-internal/official-line.js';

function line(spec: EventSpec, options: EventNormalizerOptions = {}): string {
  const result = createEventNormalizer(options).process(stateChanged(spec));
  if (!result.ok) throw new Error(`rejected: ${result.reason} ${result.detail}`);
  return result.line;
}

describe('homeiq schema', () => {
  it('writes the documented layout: low-cardinality tags, state always, value when numeric', () => {
    expect(line({ newState: { state: '21.5', attributes: TEMPERATURE_ATTRIBUTES } })).toBe(
      'home_assistant_events,device_class=temperature,domain=sensor,entity_id=sensor.living_room_temperature,' +
        'unit_of_measurement=°C ' +
        'attributes="{\\"state_class\\":\\"measurement\\",\\"unit_of_measurement\\":\\"°C\\",\\"device_class\\":\\"temperature\\",\\"friendly_name\\":\\"Living room temperature\\"}",' +
        'context_id="01JHKQ3Z8M6V0XW2R7T1Y5B9CD",duration_in_state_seconds=420.554321,' +
        'friendly_name="Living room temperature",previous_state="21.4",state="21.5",value=21.5 ' +
        `${T1_US}000`,
    );
  });

  it('adds registry tags (area name and id, device, platform, entity category) when known', () => {
    const registry = fakeRegistry({
      'light.desk': {
        deviceId: 'd1',
        deviceName: 'Desk',
        areaId: 'living',
        areaName: 'Living Room',
        platform: 'hue',
        entityCategory: 'config',
      },
    });
    expect(
      line(
        { entityId: 'light.desk', newState: { state: 'on' }, oldState: { state: 'off' } },
        { registry, includeAttributes: false },
      ),
    ).toMatch(
      /^home_assistant_events,area=Living\\ Room,area_id=living,device_id=d1,domain=light,entity_category=config,entity_id=light\.desk,platform=hue context_id=.*,state="on",value=1 \d+$/,
    );
  });

  it('writes all three context ids when set, never as tags', () => {
    expect(line({ context: { id: 'c', parentId: 'p', userId: 'u' } }, { includeAttributes: false })).toMatch(
      / context_id="c",context_parent_id="p",context_user_id="u",/,
    );
  });

  it('stores removals with the documented state value and the previous state', () => {
    const removal = { newState: null, oldState: { state: 'on' } } as const;
    expect(line(removal, { includeAttributes: false })).toMatch(
      / context_id="[^"]+",duration_in_state_seconds=420\.554321,previous_state="on",state="<removed>" \d+$/,
    );
    expect(line(removal, { includeAttributes: false, removedStateValue: 'gone' })).toMatch(/,state="gone" /);
  });

  it('writes the time at the configured precision', () => {
    const at = (precision: 'ns' | 'us' | 'ms' | 's'): string =>
      line({}, { precision }).split(' ').at(-1) ?? '';
    expect([at('ns'), at('us'), at('ms'), at('s')]).toEqual([
      '1736935500654321000',
      '1736935500654321',
      '1736935500654',
      '1736935500',
    ]);
  });

  it('can leave the attributes out', () => {
    expect(line({}, { includeAttributes: false })).not.toContain('attributes=');
  });

  it('caps the attributes JSON: omitted and counted by default, or the event rejected', () => {
    const attributes = { text: 'x'.repeat(100) };
    const normalizer = createEventNormalizer({ maxStringFieldBytes: 64 });
    const result = normalizer.process(stateChanged({ newState: { state: '1', attributes } }));
    expect(result.ok && result.line).toMatch(
      /^home_assistant_events,domain=sensor,entity_id=\S+ context_id=/,
    );
    expect(normalizer.stats().omitted.string_field_too_large).toBe(1);
    const strict = createEventNormalizer({ maxStringFieldBytes: 64, oversizeStringField: 'reject' });
    expect(strict.process(stateChanged({ newState: { state: '1', attributes } }))).toMatchObject({
      ok: false,
      reason: 'string_field_too_large',
    });
  });

  it('serializes changed attributes afresh (the per-entity memo never serves stale JSON)', () => {
    const normalizer = createEventNormalizer();
    const attributesOf = (attributes: Record<string, unknown>): string => {
      const result = normalizer.process(stateChanged({ newState: { state: '1', attributes } }));
      return result.ok ? (/attributes="((?:[^"\\]|\\.)*)"/.exec(result.line)?.[1] ?? '') : '';
    };
    expect(attributesOf({ a: 1, b: [1, 2] })).toBe('{\\"a\\":1,\\"b\\":[1,2]}');
    expect(attributesOf({ a: 1, b: [1, 2] })).toBe('{\\"a\\":1,\\"b\\":[1,2]}');
    expect(attributesOf({ a: 1, b: [1, 3] })).toBe('{\\"a\\":1,\\"b\\":[1,3]}');
    expect(attributesOf({ b: [1, 3], a: 1 })).toBe('{\\"b\\":[1,3],\\"a\\":1}');
    expect(attributesOf({ b: [1, 3] })).toBe('{\\"b\\":[1,3]}');
    expect(attributesOf({ b: [1, 3], c: { d: 1 } })).toBe('{\\"b\\":[1,3],\\"c\\":{\\"d\\":1}}');
    expect(attributesOf({ b: [1, 3], c: { d: 2 } })).toBe('{\\"b\\":[1,3],\\"c\\":{\\"d\\":2}}');
    expect(attributesOf({ a: '1' })).toBe('{\\"a\\":\\"1\\"}');
    expect(attributesOf({ a: 1 })).toBe('{\\"a\\":1}');
  });

  it('rebuilds the cached series key when the registry or unit changes', () => {
    // The lookup answers a new object after each change (as registry-discovery does); the cache compares the
    // tag values themselves, so every tag that changes rebuilds the key.
    let registered: EntityEnrichment = { ...UNASSIGNED, areaId: 'a', areaName: 'A' };
    const normalizer = createEventNormalizer({
      registry: { lookup: () => registered },
      includeAttributes: false,
    });
    const tags = (unit: string): string => {
      const result = normalizer.process(
        stateChanged({ newState: { state: '1', attributes: { unit_of_measurement: unit } } }),
      );
      return result.ok ? (result.line.split(' ')[0] ?? '') : '';
    };
    expect(tags('W')).toBe(
      'home_assistant_events,area=A,area_id=a,domain=sensor,entity_id=sensor.living_room_temperature,unit_of_measurement=W',
    );
    registered = { ...registered, areaName: 'B' };
    expect(tags('W')).toContain(',area=B,area_id=a,');
    registered = { ...registered, areaId: 'b' };
    expect(tags('W')).toContain(',area=B,area_id=b,');
    registered = { ...registered, deviceId: 'd' };
    expect(tags('W')).toContain(',device_id=d,');
    registered = { ...registered, entityCategory: 'config' };
    expect(tags('W')).toContain(',entity_category=config,');
    registered = { ...registered, platform: 'p' };
    expect(tags('W')).toContain(',platform=p,');
    registered = { ...registered, areaId: null, areaName: null, deviceId: null };
    expect(tags('W')).toBe(
      'home_assistant_events,domain=sensor,entity_category=config,entity_id=sensor.living_room_temperature,platform=p,unit_of_measurement=W',
    );
    expect(tags('kW')).toMatch(/unit_of_measurement=kW$/);
  });
});

describe('homeiq schema vs the official client', () => {
  const text = fc.string({
    unit: fc.oneof(
      fc.constantFrom(',', ' ', '=', '"', '\\', '\n', '\r', '\t', '#', '{', '}'),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
    ),
    maxLength: 10,
  });
  const nameLike = text.filter((s) => s !== '' && !s.includes('\\'));
  const attributeValue = fc.oneof(
    text,
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.integer(), { maxLength: 3 }),
  );

  it('produces the line Point.toLineProtocol() produces (newlines in string fields escaped)', () => {
    fc.assert(
      fc.property(
        fc.record({
          state: text.filter((s) => s.length <= 255),
          previous: fc.option(text, { nil: null }),
          attributes: fc.dictionary(
            text.filter((k) => k !== '__proto__'),
            attributeValue,
            { maxKeys: 5 },
          ),
          unit: fc.option(nameLike, { nil: undefined }),
          friendlyName: fc.option(text, { nil: undefined }),
          areaName: fc.option(nameLike, { nil: null }),
          contextId: fc.option(text, { nil: null }),
          us: fc.integer({ min: 1, max: 4e15 }),
        }),
        (c) => {
          const attributes: Record<string, unknown> = { ...c.attributes };
          if (c.unit !== undefined) attributes['unit_of_measurement'] = c.unit;
          if (c.friendlyName !== undefined) attributes['friendly_name'] = c.friendlyName;
          const time = (us: number): string => {
            const seconds = Math.floor(us / 1e6);
            return `${new Date(seconds * 1000).toISOString().slice(0, 19)}.${String(us % 1e6).padStart(6, '0')}+00:00`;
          };
          const registry = fakeRegistry({ 'sensor.x': { areaId: 'a', areaName: c.areaName ?? '' } });
          const normalizer = createEventNormalizer({ registry });
          const result = normalizer.process(
            stateChanged({
              entityId: 'sensor.x',
              newState: { state: c.state, attributes, lastUpdated: time(c.us) },
              oldState: c.previous === null ? null : { state: c.previous, lastChanged: time(c.us - 1) },
              context: { id: c.contextId ?? '', parentId: null, userId: null },
            }),
          );
          if (!result.ok) throw new Error(result.detail);
          const expected = officialLine(result.event)?.replace(/\n/g, '\\n').replace(/\r/g, '\\r');
          expect(result.line).toBe(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
