import { toHaEvent } from './event.js';

const wire = {
  event_type: 'state_changed',
  data: {
    entity_id: 'light.kitchen',
    old_state: null,
    new_state: { state: 'on', attributes: { friendly_name: 'K' } },
  },
  origin: 'REMOTE',
  time_fired: '2025-01-15T10:05:00+00:00',
  context: { id: '01JHKQ3Z8M6V0XW2R7T1Y5B9CD', parent_id: '01JHKQ0000', user_id: '9f2c' },
};

describe('toHaEvent', () => {
  it('maps the envelope to camelCase and passes data through untouched', () => {
    const event = toHaEvent(wire);
    expect(event).toEqual({
      eventType: 'state_changed',
      data: wire.data,
      origin: 'REMOTE',
      timeFired: '2025-01-15T10:05:00+00:00',
      context: { id: '01JHKQ3Z8M6V0XW2R7T1Y5B9CD', parentId: '01JHKQ0000', userId: '9f2c' },
    });
    expect((event as { data: unknown }).data).toBe(wire.data);
  });

  it('treats missing parent_id/user_id as null', () => {
    expect(toHaEvent({ ...wire, context: { id: 'c' } })).toMatchObject({
      context: { id: 'c', parentId: null, userId: null },
    });
  });

  it.each([
    [null, 'event is not an object'],
    [{ ...wire, event_type: 1 }, 'event_type is not a string'],
    [{ ...wire, time_fired: undefined }, 'time_fired is not a string'],
    [{ ...wire, origin: null }, 'origin is not a string'],
    [{ ...wire, context: 'c' }, 'context is not {id, parent_id, user_id}'],
    [{ ...wire, context: { id: 'c', user_id: 5 } }, 'context is not {id, parent_id, user_id}'],
  ])('rejects %j', (raw, reason) => {
    expect(toHaEvent(raw)).toEqual({ invalid: reason });
  });
});
