import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createEventNormalizer } from './normalizer.js';
import { EventNormalizerOptionsError, type EventNormalizerOptions } from './options.js';
import type { RegistryLookup } from './registry-lookup.js';
import type { HaEventEnvelope, RejectReason } from './types.js';
import { stateChanged, T1, untyped } from './testing-internal/events.js';

describe('createEventNormalizer: filtering and skipping', () => {
  it('applies HA include/exclude semantics and counts exclusions', () => {
    const rejected: string[] = [];
    const normalizer = createEventNormalizer({
      include: { domains: ['sensor'] },
      exclude: { entityGlobs: ['sensor.*_linkquality'] },
      onReject: (reason, detail) => rejected.push(`${reason}:${detail}`),
    });
    const ids = ['sensor.temperature', 'sensor.zigbee_linkquality', 'light.kitchen'];
    const results = ids.map((entityId) => normalizer.process(stateChanged({ entityId })).ok);
    expect(results).toEqual([true, false, false]);
    expect(rejected).toEqual(['excluded:sensor.zigbee_linkquality', 'excluded:light.kitchen']);
    expect(normalizer.stats()).toMatchObject({ received: 3, normalized: 1, written: 1 });
    expect(normalizer.stats().rejected.excluded).toBe(2);
  });

  it('keeps unavailable/unknown/attribute-only changes by default and skips them on request', () => {
    const events = [
      stateChanged({ newState: { state: 'unavailable' } }),
      stateChanged({ newState: { state: 'unknown' } }),
      stateChanged({ oldState: { state: '5' }, newState: { state: '5', attributes: { x: 1 } } }),
      stateChanged({ newState: { state: '6' } }),
    ];
    const keepAll = createEventNormalizer();
    expect(events.map((e) => keepAll.process(e).ok)).toEqual([true, true, true, true]);
    const skip = createEventNormalizer({ skipUnavailable: true, skipUnknown: true, skipAttributeOnly: true });
    expect(events.map((e) => skip.process(e))).toMatchObject([
      { ok: false, reason: 'skipped_unavailable' },
      { ok: false, reason: 'skipped_unknown' },
      { ok: false, reason: 'skipped_attribute_only' },
      { ok: true },
    ]);
  });

  it('writes unavailable and unknown as a state without value, never as 0', () => {
    const result = createEventNormalizer({ includeAttributes: false }).process(
      stateChanged({ newState: { state: 'unavailable' } }),
    );
    expect(result.ok && result.line).toMatch(/,state="unavailable" \d+$/);
  });
});

describe('createEventNormalizer: counters', () => {
  it('accounts for every event exactly once: received = written + rejected', () => {
    const normalizer = createEventNormalizer({ exclude: { domains: ['light'] } });
    const inputs: HaEventEnvelope[] = [
      stateChanged({}),
      stateChanged({ entityId: 'light.x' }),
      { eventType: 'call_service', data: {}, timeFired: T1 },
      untyped(null),
      stateChanged({ newState: { state: 'x'.repeat(300) } }),
      stateChanged({ newState: null }),
    ];
    for (const input of inputs) normalizer.process(input);
    const stats = normalizer.stats();
    const rejected = Object.values(stats.rejected).reduce((sum, n) => sum + n, 0);
    expect(stats.received).toBe(inputs.length);
    expect(stats.written + rejected).toBe(stats.received);
    expect(stats.written).toBe(2);
    const nonZero = Object.fromEntries(Object.entries(stats.rejected).filter(([, n]) => n > 0));
    expect(nonZero).toEqual({ excluded: 1, unsupported_event_type: 1, invalid_event: 1, invalid_state: 1 });
  });

  it('counts encode-time rejections of separately normalized events', () => {
    const normalizer = createEventNormalizer({ schema: 'ha' });
    const normalized = normalizer.normalize(stateChanged({ newState: { state: 'unknown' } }));
    if (!normalized.ok) throw new Error('expected a normalized event');
    expect(normalizer.encode(normalized.event)).toMatchObject({ ok: false, reason: 'ha_state_not_written' });
    expect(normalizer.stats()).toMatchObject({ received: 1, normalized: 1, written: 0 });
    expect(normalizer.stats().rejected.ha_state_not_written).toBe(1);
  });

  it('returns snapshots, not live views', () => {
    const normalizer = createEventNormalizer();
    const before = normalizer.stats();
    normalizer.process(untyped(null));
    expect(before.rejected.invalid_event).toBe(0);
    expect(normalizer.stats().rejected.invalid_event).toBe(1);
  });
});

describe('createEventNormalizer: options', () => {
  it.each<[string, EventNormalizerOptions, string]>([
    [
      'schema',
      { schema: 'influx' as 'ha' },
      'Expected `schema` to be one of homeiq, ha, got `"influx"` (string)',
    ],
    [
      'precision',
      { precision: 'm' as 's' },
      'Expected `precision` to be one of ns, us, ms, s, got `"m"` (string)',
    ],
    [
      'measurement',
      { measurement: '' },
      'Expected `measurement` to be a non-empty string, got `""` (string)',
    ],
    [
      'maxStringFieldBytes',
      { maxStringFieldBytes: 0 },
      'Expected `maxStringFieldBytes` to be an integer >= 1, got `0` (number)',
    ],
    [
      'includeAttributes',
      { includeAttributes: 'yes' as unknown as boolean },
      'Expected `includeAttributes` to be a boolean, got `"yes"` (string)',
    ],
    [
      'include.domains',
      { include: { domains: 'sensor' as unknown as string[] } },
      'Expected `include.domains` to be an array of strings, got `"sensor"` (string)',
    ],
    [
      'ha.measurementAttr',
      { ha: { measurementAttr: 'unit' as 'entity_id' } },
      'Expected `ha.measurementAttr` to be one of unit_of_measurement, domain__device_class, entity_id, got `"unit"` (string)',
    ],
    [
      'ha.tags',
      { ha: { tags: { time: 'x' } } },
      'Expected tag keys other than `time` and `""`, got `"time"` (string)',
    ],
    [
      'onReject',
      { onReject: 1 as unknown as () => void },
      'Expected `onReject` to be a function, got `1` (number)',
    ],
    [
      'registry',
      { registry: { entity: () => undefined } as unknown as RegistryLookup },
      'Expected `registry` to be an object with a lookup function, got `[object Object]` (object)',
    ],
    [
      'registry (not an object)',
      { registry: (() => undefined) as unknown as RegistryLookup },
      'Expected `registry` to be an object with a lookup function, got `[object Function]` (function)',
    ],
    [
      'ha.componentConfig',
      { ha: { componentConfig: { 'sensor.x': { ignoreAttributes: 'icon' as unknown as string[] } } } },
      'Expected `ha.componentConfig.sensor.x.ignoreAttributes` to be an array of strings, got `"icon"` (string)',
    ],
  ])('validates %s at construction', (_name, options, message) => {
    expect(() => createEventNormalizer(options)).toThrow(new EventNormalizerOptionsError(message));
    try {
      createEventNormalizer(options);
    } catch (error) {
      expect(error).toBeInstanceOf(EventNormalizerOptionsError);
      expect((error as EventNormalizerOptionsError).code).toBe('ERR_INVALID_OPTION');
    }
  });

  it('uses a configured measurement, escaped', () => {
    const result = createEventNormalizer({ measurement: 'ha events', includeAttributes: false }).process(
      stateChanged({}),
    );
    expect(result.ok && result.line).toMatch(/^ha\\ events,domain=sensor,/);
  });

  it('lists every reject reason in the counters', () => {
    const reasons = Object.keys(createEventNormalizer().stats().rejected) as RejectReason[];
    expect(reasons).toContain('series_key_too_long');
    expect(reasons).toHaveLength(16);
  });
});

describe('createEventNormalizer: memory', () => {
  // A real collection is the only proof that nothing holds on: expose V8's gc to this test file.
  setFlagsFromString('--expose-gc');
  const collectGarbage = runInNewContext('gc') as () => void;

  it('keeps no reference to an event it processed, so a huge payload does not outlive it', async () => {
    const normalizer = createEventNormalizer();
    const held = ((): WeakRef<object>[] => {
      const event = stateChanged({
        oldState: { state: 'big', attributes: { blob: 'x'.repeat(1_000) } },
        newState: { state: 'small', attributes: { friendly_name: 'small' } },
      });
      const data = event['data'] as Record<'old_state' | 'new_state', { attributes: object }>;
      expect(normalizer.process(event).ok).toBe(true);
      return [new WeakRef(data.old_state.attributes), new WeakRef(data.new_state.attributes)];
    })();
    // WeakRefs created in a task stay alive until it ends.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    expect(held.map((ref) => ref.deref())).toEqual([undefined, undefined]);
  });
});
