import { createStateMemory } from './state-memory.js';

const state = (entityId: string, value: string, lastUpdated: string) => ({
  entity_id: entityId,
  state: value,
  attributes: {},
  last_changed: lastUpdated,
  last_updated: lastUpdated,
  context: { id: `ctx-${value}`, parent_id: null, user_id: 'u1' },
});
const T = (s: string) => `2025-01-15T10:00:${s}+00:00`;

describe('createStateMemory', () => {
  it('keeps live states newer than the first get_states answer (frames handled before the answer)', () => {
    const memory = createStateMemory();
    const live = state('light.a', 'off', T('05'));
    memory.observe({ entity_id: 'light.a', old_state: null, new_state: live });
    memory.observe({ entity_id: 'light.new', old_state: null, new_state: state('light.new', 'on', T('06')) });
    memory.reset([state('light.a', 'on', T('00')), state('sensor.b', '1', T('01'))]);
    expect(memory.size).toBe(3);
    // Nothing changed since: the gap resync must not rewrite light.a's older state over the live one.
    expect(
      memory.resync([live, state('sensor.b', '1', T('01')), state('light.new', 'on', T('06'))], T('30')),
    ).toEqual([]);
  });

  it('yields nothing after a gap in which nothing changed', () => {
    const memory = createStateMemory();
    memory.reset([state('light.a', 'on', T('00')), state('sensor.b', '1', T('01.5'))]);
    expect(
      memory.resync([state('light.a', 'on', T('00')), state('sensor.b', '1', T('01.5'))], T('30')),
    ).toEqual([]);
  });

  it('synthesizes a change, an addition and a removal from the states HA reports after the gap', () => {
    const memory = createStateMemory();
    const before = state('light.a', 'on', T('00'));
    memory.reset([before, state('switch.gone', 'off', T('00'))]);
    const after = state('light.a', 'off', T('10.000001'));
    const added = state('sensor.new', '5', T('12'));
    const events = memory.resync([after, added], T('20'));
    expect(events).toEqual([
      {
        eventType: 'state_changed',
        data: { entity_id: 'light.a', old_state: before, new_state: after },
        origin: 'LOCAL',
        timeFired: T('10.000001'),
        context: { id: 'ctx-off', parentId: null, userId: 'u1' },
      },
      expect.objectContaining({ data: { entity_id: 'sensor.new', old_state: null, new_state: added } }),
      expect.objectContaining({
        timeFired: T('20'),
        data: { entity_id: 'switch.gone', old_state: state('switch.gone', 'off', T('00')), new_state: null },
      }),
    ]);
    expect(memory.size).toBe(2);
    expect(memory.resync([after, added], T('40'))).toEqual([]);
  });

  it('stamps a removal when the answer showed it gone, not at the reconnect that preceded it', () => {
    const memory = createStateMemory();
    memory.reset([state('light.a', 'on', T('00')), state('switch.gone', 'off', T('00'))]);
    // Reconnected at :20, HA removed switch.gone at :20.0005 (before the subscription took effect), and the
    // answer, read at :20.002, no longer lists it: the removal point must not claim a time before it happened.
    const events = memory.resync([state('light.a', 'on', T('00'))], T('20'), T('20.002'));
    expect(events).toHaveLength(1);
    expect(events[0]?.timeFired).toBe(T('20.002'));
    expect(events[0]?.data).toEqual({
      entity_id: 'switch.gone',
      old_state: state('switch.gone', 'off', T('00')),
      new_state: null,
    });
  });

  it('keeps what the live stream delivered after the reconnect over an older answer', () => {
    const memory = createStateMemory();
    memory.reset([state('light.a', 'on', T('00'))]);
    memory.observe({ entity_id: 'light.a', new_state: state('light.a', 'off', T('25')) });
    memory.observe({ entity_id: 'sensor.live', new_state: state('sensor.live', '1', T('26')) });
    // get_states was taken before those two live events: it still says `on`, and has no sensor.live.
    expect(memory.resync([state('light.a', 'on', T('00'))], T('24'))).toEqual([]);
    expect(memory.size).toBe(2);
  });

  it('forgets removed entities and ignores malformed data', () => {
    const memory = createStateMemory();
    memory.observe({ entity_id: 'light.a', new_state: state('light.a', 'on', T('00')) });
    memory.observe({ entity_id: 'light.a', new_state: null });
    memory.observe(null);
    memory.observe({ entity_id: 7, new_state: {} });
    memory.observe({ entity_id: 'light.b', new_state: { state: 'on' } });
    expect(memory.size).toBe(0);
  });

  it('a removal handled before an older answer from the same read does not revive the entity', () => {
    const memory = createStateMemory();
    const last = state('light.gone', 'on', T('00'));
    memory.observe({ entity_id: 'light.gone', old_state: last, new_state: null });
    memory.reset([last, state('sensor.b', '1', T('01'))]);
    expect(memory.snapshot().map((s) => s.entity_id)).toEqual(['sensor.b']);

    // The same after a gap: no synthetic "added" row for an entity HA has already removed.
    const other = state('light.other', 'on', T('02'));
    memory.observe({ entity_id: 'light.other', old_state: null, new_state: other });
    memory.observe({ entity_id: 'light.other', old_state: other, new_state: null });
    expect(memory.resync([state('sensor.b', '1', T('01')), other], T('30'))).toEqual([]);
    expect(memory.size).toBe(1);
  });

  it('an entity added again after its removal is listed as usual', () => {
    const memory = createStateMemory();
    memory.reset([state('light.a', 'on', T('00'))]);
    memory.observe({ entity_id: 'light.a', old_state: state('light.a', 'on', T('00')), new_state: null });
    const again = state('light.a', 'off', T('05'));
    const events = memory.resync([again], T('30'));
    expect(events.map((event) => event.data)).toEqual([
      { entity_id: 'light.a', old_state: null, new_state: again },
    ]);
    expect(memory.size).toBe(1);
  });
});

describe('the gap of a state memory', () => {
  it('lists each entity that moved since the gap began, with the live changes that came before the answer', () => {
    const memory = createStateMemory();
    memory.reset([
      state('light.a', 'on', T('00')),
      state('sensor.b', '1', T('01')),
      state('switch.c', 'off', T('02')),
    ]);
    memory.beginGap();
    // After the reconnect, light.a's next change arrives live before HA answers get_states.
    const live = state('light.a', 'off', T('20'));
    memory.observe({ entity_id: 'light.a', old_state: null, new_state: live });
    memory.beginGap(); // a second loss before the resync keeps the first base
    const answer = [live, state('sensor.b', '2', T('15'))]; // switch.c is gone
    const resync = memory.resync(answer, T('18'), T('21'));
    // The answer shows nothing new for light.a: the final-state resync writes nothing for it...
    expect(resync.map((e) => (e.data as { entity_id: string }).entity_id).sort()).toEqual([
      'sensor.b',
      'switch.c',
    ]);
    // ...but its gap is listed, from the state before the gap, with the live change to skip.
    const gap = memory.takeGap(T('21'));
    expect(
      gap
        .map((g) => [
          g.entityId,
          g.before?.state ?? null,
          g.latest?.state ?? null,
          g.untilIso,
          [...g.liveSince],
        ])
        .sort(),
    ).toEqual([
      ['light.a', 'on', 'off', T('20'), [T('20')]],
      ['sensor.b', '1', '2', T('15'), []],
      ['switch.c', 'off', null, T('21'), []],
    ]);
    expect(memory.takeGap(T('22'))).toEqual([]); // the gap is closed
  });

  it('reads an entity it never knew from the newest change it had seen: HA sends in order, nothing older was missed', () => {
    const memory = createStateMemory();
    memory.reset([state('light.a', 'on', T('00'))]);
    memory.observe({ entity_id: 'light.a', old_state: null, new_state: state('light.a', 'off', T('07')) });
    memory.beginGap();
    memory.resync([state('light.a', 'off', T('07')), state('sensor.new', '1', T('12'))], T('20'), T('21'));
    const [added] = memory.takeGap(T('21'));
    expect(added).toMatchObject({
      entityId: 'sensor.new',
      before: null,
      afterIso: T('07'),
      untilIso: T('12'),
    });
  });
});
