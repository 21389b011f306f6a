import { createEventNormalizer } from './normalizer.js';
import { stateChanged, T1, TEMPERATURE_ATTRIBUTES, untyped } from './testing-internal/events.js';

describe("the event envelope: ha-client's camelCase HaEvent, the only shape taken", () => {
  const event = stateChanged({
    newState: { state: '21.5', attributes: TEMPERATURE_ATTRIBUTES },
    context: { id: '01JHKQ3Z8M6V0XW2R7T1Y5B9CD', parentId: '01JHKPARENT0000000000000000', userId: 'u1' },
  });

  it('keeps its time, origin and context (the same object, not a copy) and writes the context ids', () => {
    const result = createEventNormalizer().process(event);
    expect(result.ok && result.event).toMatchObject({ timeFired: T1, origin: 'LOCAL' });
    expect(result.ok && result.event.context).toBe(event.context);
    expect(result.ok && result.line).toContain(
      'context_id="01JHKQ3Z8M6V0XW2R7T1Y5B9CD",context_parent_id="01JHKPARENT0000000000000000",context_user_id="u1"',
    );
  });

  it('rejects another event type, and a context with wrong types', () => {
    const normalizer = createEventNormalizer();
    expect(normalizer.process({ ...event, eventType: 'call_service' })).toMatchObject({
      ok: false,
      reason: 'unsupported_event_type',
      detail: 'eventType "call_service"',
    });
    expect(
      normalizer.process(untyped({ ...event, context: { id: 'x', parentId: 7, userId: null } })),
    ).toMatchObject({ ok: false, reason: 'invalid_context' });
  });

  it("rejects HA's raw snake_case envelope: it is converted once, at the edge, by ha-client", () => {
    const { eventType, timeFired, context, ...rest } = event;
    const wire = {
      ...rest,
      event_type: eventType,
      time_fired: timeFired,
      context: { id: context?.id, parent_id: context?.parentId, user_id: context?.userId },
    };
    expect(createEventNormalizer().process(untyped(wire))).toMatchObject({
      ok: false,
      reason: 'invalid_event',
      detail: 'eventType is missing or not a string',
    });
  });

  it('takes an envelope without origin or context: both are null, nothing is read from new_state', () => {
    const { eventType, data, timeFired } = stateChanged({});
    const bare = { eventType, data, timeFired };
    const result = createEventNormalizer().process(bare);
    expect(result.ok && result.event).toMatchObject({ origin: null, context: null });
    expect(result.ok && result.line).not.toContain('context_id');
  });

  it('marks a resync point with resync=true, a recorder point with backfill=true, and leaves live points unmarked', () => {
    const normalizer = createEventNormalizer();
    const plain = stateChanged({ newState: { state: '21.5', attributes: TEMPERATURE_ATTRIBUTES } });
    const live = normalizer.process(plain);
    const resync = normalizer.process(plain, { source: 'resync' });
    // The recorder keeps no context.
    const fromRecorder = stateChanged({
      newState: { state: '21.5', attributes: TEMPERATURE_ATTRIBUTES },
      context: null,
    });
    const recorded = normalizer.process(fromRecorder, { source: 'recorder' });
    expect(live.ok && live.event.source).toBe('live');
    expect(live.ok && live.line).not.toMatch(/resync|backfill/);
    expect(resync.ok && resync.event.source).toBe('resync');
    expect(resync.ok && resync.line).toContain(',previous_state="21.4",resync=true,state="21.5",');
    expect(recorded.ok && recorded.event.source).toBe('recorder');
    expect(recorded.ok && recorded.line).toMatch(/",backfill=true,duration_in_state_seconds=/);
    expect(recorded.ok && recorded.line).not.toMatch(/context_|resync/);
  });
});
