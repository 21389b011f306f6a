import { createEventNormalizer } from './normalizer.js';
import { stateChanged, T1, TEMPERATURE_ATTRIBUTES } from './testing-internal/events.js';

/** The same event as @homeiq/ha-client delivers it: a camelCase envelope around HA's own `data`. */
function clientEnvelope(wire: Record<string, unknown>, context: unknown): Record<string, unknown> {
  return {
    eventType: wire['event_type'],
    data: wire['data'],
    origin: 'LOCAL',
    timeFired: wire['time_fired'],
    context,
  };
}

describe('event envelopes', () => {
  const wire = stateChanged({ newState: { state: '21.5', attributes: TEMPERATURE_ATTRIBUTES } });
  const context = { id: '01JHKQ3Z8M6V0XW2R7T1Y5B9CD', parentId: '01JHKPARENT0000000000000000', userId: 'u1' };

  it("encodes ha-client's camelCase envelope exactly like the wire event with the same content", () => {
    const normalizer = createEventNormalizer();
    const fromClient = normalizer.process(clientEnvelope(wire, context));
    const fromWire = normalizer.process({
      ...wire,
      context: { id: context.id, parent_id: context.parentId, user_id: context.userId },
    });
    expect(fromClient.ok && fromWire.ok).toBe(true);
    expect(fromClient.ok && fromClient.line).toBe(fromWire.ok && fromWire.line);
    expect(fromClient.ok && fromClient.event).toMatchObject({ timeFired: T1, origin: 'LOCAL', context });
    expect(fromClient.ok && fromClient.line).toContain('context_parent_id="01JHKPARENT0000000000000000"');
  });

  it('rejects a client envelope of another event type, and a camelCase context with wrong types', () => {
    const normalizer = createEventNormalizer();
    expect(normalizer.process({ ...clientEnvelope(wire, context), eventType: 'call_service' })).toMatchObject(
      {
        ok: false,
        reason: 'unsupported_event_type',
      },
    );
    expect(normalizer.process(clientEnvelope(wire, { id: 'x', parentId: 7, userId: null }))).toMatchObject({
      ok: false,
      reason: 'invalid_context',
    });
  });

  it('marks a resync point with resync=true and leaves live points unmarked', () => {
    const normalizer = createEventNormalizer();
    const live = normalizer.process(wire);
    const resync = normalizer.process(wire, { resync: true });
    expect(live.ok && live.event.resync).toBe(false);
    expect(live.ok && live.line).not.toContain('resync');
    expect(resync.ok && resync.event.resync).toBe(true);
    expect(resync.ok && resync.line).toContain(',previous_state="21.4",resync=true,state="21.5",');
  });
});
