import fc from 'fast-check';
import { createEventNormalizer } from './normalizer.js';
import type { RejectReason } from './types.js';
import { stateChanged, untyped } from './testing-internal/events.js';

/** A fresh test event, open to any change a JavaScript caller could make to it. */
const mutable = (): Record<string, unknown> => ({ ...stateChanged({}) });

type Mutation = (event: Record<string, unknown>) => void;
const data = (event: Record<string, unknown>): Record<string, unknown> =>
  event['data'] as Record<string, unknown>;
const newState = (event: Record<string, unknown>): Record<string, unknown> =>
  data(event)['new_state'] as Record<string, unknown>;
const oldState = (event: Record<string, unknown>): Record<string, unknown> =>
  data(event)['old_state'] as Record<string, unknown>;

const MALFORMED: [string, Mutation, RejectReason][] = [
  ['eventType missing', (e) => delete e['eventType'], 'invalid_event'],
  ['eventType a number', (e) => (e['eventType'] = 1), 'invalid_event'],
  ['eventType call_service', (e) => (e['eventType'] = 'call_service'), 'unsupported_event_type'],
  [
    "HA's snake_case envelope",
    (e) => ((e['event_type'] = e['eventType']), delete e['eventType']),
    'invalid_event',
  ],
  ['data missing', (e) => delete e['data'], 'invalid_event'],
  ['data an array', (e) => (e['data'] = []), 'invalid_event'],
  ['entity_id missing', (e) => delete data(e)['entity_id'], 'invalid_entity_id'],
  ['entity_id a number', (e) => (data(e)['entity_id'] = 5), 'invalid_entity_id'],
  ['entity_id without a dot', (e) => (data(e)['entity_id'] = 'sensor'), 'invalid_entity_id'],
  ['entity_id upper case', (e) => (data(e)['entity_id'] = 'Sensor.X'), 'invalid_entity_id'],
  ['entity_id with a space', (e) => (data(e)['entity_id'] = 'sensor.a b'), 'invalid_entity_id'],
  ['entity_id injecting a line', (e) => (data(e)['entity_id'] = 'sensor.x\nm f=1'), 'invalid_entity_id'],
  [
    'entity_id of 256 chars',
    (e) => (data(e)['entity_id'] = 'sensor.' + 'x'.repeat(249)),
    'invalid_entity_id',
  ],
  ['new_state key missing', (e) => delete data(e)['new_state'], 'invalid_event'],
  ['old_state key missing', (e) => delete data(e)['old_state'], 'invalid_event'],
  [
    'both states null',
    (e) => ((data(e)['new_state'] = null), (data(e)['old_state'] = null)),
    'invalid_state',
  ],
  ['new_state a string', (e) => (data(e)['new_state'] = 'on'), 'invalid_state'],
  ['state a number', (e) => (newState(e)['state'] = 21.5), 'invalid_state'],
  ['state null', (e) => (newState(e)['state'] = null), 'invalid_state'],
  ['state of 256 chars', (e) => (newState(e)['state'] = 'x'.repeat(256)), 'invalid_state'],
  ['old state an object', (e) => (oldState(e)['state'] = { v: 1 }), 'invalid_state'],
  ['attributes missing', (e) => delete newState(e)['attributes'], 'invalid_state'],
  ['attributes an array', (e) => (newState(e)['attributes'] = ['a']), 'invalid_state'],
  ['state of another entity', (e) => (newState(e)['entity_id'] = 'sensor.other'), 'invalid_state'],
  ['last_changed missing', (e) => delete newState(e)['last_changed'], 'invalid_timestamp'],
  ['last_updated a number', (e) => (newState(e)['last_updated'] = 1736935500.5), 'invalid_timestamp'],
  ['last_updated garbage', (e) => (newState(e)['last_updated'] = 'yesterday'), 'invalid_timestamp'],
  [
    'old last_changed garbage',
    (e) => (oldState(e)['last_changed'] = '2025-02-30T00:00:00+00:00'),
    'invalid_timestamp',
  ],
  ['old last_updated missing', (e) => delete oldState(e)['last_updated'], 'invalid_timestamp'],
  ['timeFired missing', (e) => delete e['timeFired'], 'invalid_timestamp'],
  ['timeFired naive', (e) => (e['timeFired'] = '2025-01-15T10:05:00.654321'), 'invalid_timestamp'],
  ['timeFired null', (e) => (e['timeFired'] = null), 'invalid_timestamp'],
  ['timeFired in 2300', (e) => (e['timeFired'] = '2300-01-01T00:00:00+00:00'), 'timestamp_out_of_range'],
  ['context a string', (e) => (e['context'] = 'abc'), 'invalid_context'],
  ['context an array', (e) => (e['context'] = []), 'invalid_context'],
  ['context without ids', (e) => (e['context'] = {}), 'invalid_context'],
  ['context id a number', (e) => (e['context'] = { id: 1, parentId: null, userId: null }), 'invalid_context'],
  [
    'context in snake_case',
    (e) => (e['context'] = { id: 'c', parent_id: null, user_id: null }),
    'invalid_context',
  ],
  ['origin a number', (e) => (e['origin'] = 1), 'invalid_event'],
];

describe('bad input: a typed rejection, never an exception, never a line', () => {
  it.each(MALFORMED)('%s → %s', (_name, mutate, reason) => {
    const event = mutable();
    mutate(event);
    const normalizer = createEventNormalizer();
    const result = normalizer.process(untyped(event));
    expect(result).toMatchObject({ ok: false, reason });
    expect(result.ok ? '' : result.detail).not.toBe('');
    expect(normalizer.stats().rejected[reason]).toBe(1);
  });

  it.each([null, undefined, 42, 'state_changed', [], true])('non-object %p → invalid_event', (raw) => {
    const normalizer = createEventNormalizer();
    expect(normalizer.process(untyped(raw))).toMatchObject({ ok: false, reason: 'invalid_event' });
    expect(normalizer.stats().rejected.invalid_event).toBe(1);
  });

  it('takes a null context or origin from JavaScript as none', () => {
    const result = createEventNormalizer().process(untyped({ ...mutable(), context: null, origin: null }));
    expect(result.ok && result.event).toMatchObject({ context: null, origin: null });
  });

  it('rejects cyclic attributes and BigInts in the homeiq schema', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    const normalizer = createEventNormalizer();
    expect(normalizer.process(stateChanged({ newState: { state: '1', attributes: cyclic } }))).toMatchObject({
      ok: false,
      reason: 'attributes_unserializable',
    });
    expect(
      normalizer.process(stateChanged({ newState: { state: '1', attributes: { n: 10n } } })),
    ).toMatchObject({
      ok: false,
      reason: 'attributes_unserializable',
    });
    expect(
      createEventNormalizer({ schema: 'ha' }).process(
        stateChanged({ newState: { state: '1', attributes: cyclic } }),
      ),
    ).toMatchObject({
      ok: false,
      reason: 'attributes_unserializable',
    });
  });

  it('survives attributes nested a million levels deep (JSON.parse builds them; stringify overflows)', () => {
    const deep = JSON.parse('['.repeat(1_000_000) + ']'.repeat(1_000_000)) as unknown;
    const attributes = { deep };
    expect(
      createEventNormalizer().process(stateChanged({ newState: { state: '1', attributes } })),
    ).toMatchObject({
      ok: false,
      reason: 'attributes_unserializable',
    });
    expect(
      createEventNormalizer({ schema: 'ha' }).process(stateChanged({ newState: { state: '1', attributes } })),
    ).toMatchObject({
      ok: false,
      reason: 'attributes_unserializable',
    });
  });

  it('handles 10 MB attributes: the JSON field is omitted and counted, the point is still written', () => {
    const attributes = { friendly_name: 'Big', blob: 'x'.repeat(10 * 1024 * 1024) };
    const normalizer = createEventNormalizer();
    const result = normalizer.process(stateChanged({ newState: { state: '1', attributes } }));
    expect(result.ok && result.line.length).toBeLessThan(1000);
    expect(result.ok && result.line).toContain('friendly_name="Big"');
    expect(normalizer.stats().omitted.string_field_too_large).toBe(1);
    const ha = createEventNormalizer({ schema: 'ha' });
    const haResult = ha.process(stateChanged({ newState: { state: '1', attributes } }));
    expect(haResult.ok && haResult.line).toMatch(/ friendly_name_str="Big",value=1 /);
    expect(ha.stats().omitted.string_field_too_large).toBe(1);
  });

  it('never throws and never emits a broken line, whatever is put anywhere in an event', () => {
    const paths = [
      [],
      ['eventType'],
      ['timeFired'],
      ['origin'],
      ['context'],
      ['context', 'id'],
      ['context', 'parentId'],
      ['context', 'userId'],
      ['data'],
      ['data', 'entity_id'],
      ['data', 'new_state'],
      ['data', 'old_state'],
      ['data', 'new_state', 'state'],
      ['data', 'new_state', 'attributes'],
      ['data', 'new_state', 'attributes', 'friendly_name'],
      ['data', 'new_state', 'attributes', 'unit_of_measurement'],
      ['data', 'new_state', 'attributes', 'device_class'],
      ['data', 'new_state', 'last_changed'],
      ['data', 'new_state', 'context'],
      ['data', 'old_state', 'state'],
      ['data', 'old_state', 'last_changed'],
    ];
    const normalizers = [
      createEventNormalizer(),
      createEventNormalizer({ schema: 'ha', ha: { tagsAttributes: ['friendly_name'] } }),
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...paths),
        fc.anything({ withBigInt: true, withNullPrototype: true }),
        (path, value) => {
          // The empty path replaces the whole event.
          let event: unknown = mutable();
          if (path.length === 0) event = value;
          else {
            let target = event as Record<string, unknown>;
            for (const key of path.slice(0, -1)) {
              const next = target[key];
              if (typeof next !== 'object' || next === null) return;
              target = next as Record<string, unknown>;
            }
            target[path[path.length - 1] ?? ''] = value;
          }
          for (const normalizer of normalizers) {
            const result = normalizer.process(untyped(event));
            if (result.ok) {
              expect(result.line).not.toMatch(/[\n\r]/);
              expect(result.line.split(' ').length).toBeGreaterThanOrEqual(3);
              const context = result.event.context;
              for (const id of context === null ? [] : [context.id, context.parentId, context.userId]) {
                expect(id === null || typeof id === 'string').toBe(true);
              }
            } else {
              expect(typeof result.reason).toBe('string');
            }
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
