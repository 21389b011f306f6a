/**
 * What a hostile Home Assistant sends in scenario 7, with what the service must make of each: raw frames the
 * client cannot use (counted by ha-client's drop reason), `state_changed` events with bad data (rejected by the
 * normalizer, by reason), and valid events whose strings try to break or inject line protocol (written, escaped).
 */

/** A frame written as-is to the service's socket, and the ha-client drops it must cause. */
export interface RawCase {
  readonly kind: 'raw';
  readonly frame: string;
  readonly drops: Readonly<Record<string, number>>;
}

/** A `state_changed` event (fired through HA's bus, so with the service's subscription id) with bad `data`. */
export interface BadEventCase {
  readonly kind: 'bad_event';
  readonly data: unknown;
  readonly reason: string;
}

/** A valid state change of a real entity, with a hostile state or attributes. */
export interface ValidCase {
  readonly kind: 'valid';
  readonly state: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

export type HostileCase = RawCase | BadEventCase | ValidCase;

const STRAY_ID = 987_654;

/** Frames that are not JSON at all. */
const MALFORMED = [
  '{"type":"event","id":',
  '{"type": "event", "id": 1, "event": }',
  ']',
  '{"a":1}}',
  'NaN',
  "{'single': 'quotes'}",
  '',
  '\u0000\u0001\u0002',
  '{"type":"event","id":1,"event":{"data":"\\x41"}}',
  '[{"type":"pong","id":1},',
];

/** JSON frames whose messages are unusable, with the drops each causes (one per message in an array). */
const UNUSABLE: readonly RawCase[] = [
  raw('[1,"x",null]', { invalid_frame: 3 }),
  raw('"just a string"', { invalid_frame: 1 }),
  raw('12345', { invalid_frame: 1 }),
  raw('{"type":"surprise","id":1}', { invalid_frame: 1 }),
  raw('{"type":"event","event":{}}', { invalid_frame: 1 }),
  raw('{"type":"result","id":"7","success":true}', { invalid_frame: 1 }),
  raw('{"type":"auth_ok","ha_version":"2099.1.0"}', { invalid_frame: 1 }),
  raw(`{"type":"result","id":${STRAY_ID},"success":true,"result":null}`, { unexpected_result: 1 }),
  raw(`{"type":"pong","id":${STRAY_ID + 1}}`, { unexpected_result: 1 }),
  raw(
    `{"type":"event","id":${STRAY_ID + 2},"event":{"event_type":"state_changed","data":{},"origin":"LOCAL","time_fired":"2025-01-01T00:00:00+00:00","context":{"id":"x","parent_id":null,"user_id":null}}}`,
    { unknown_subscription: 1 },
  ),
];

function raw(frame: string, drops: Record<string, number>): RawCase {
  return { kind: 'raw', frame, drops };
}

/** Strings that try to break line protocol, JSON or UTF-8 on the way to InfluxDB. */
export const NASTY_STRINGS: readonly string[] = [
  'line\nbreak',
  'carriage\rreturn',
  'tab\there',
  'quote " inside',
  "single ' quote",
  'back\\slash',
  'comma, here',
  'equals=sign',
  'space and = and , together',
  'x" value=1\nhome_assistant_events,entity_id=sensor.injected state="pwned" 1',
  'W,entity_id=sensor.injected_tag value=9',
  '#not a comment',
  '🔥 emoji',
  '👨‍👩‍👧 family',
  'e\u0301 combining',
  '\u202Eevil right-to-left',
  'zero\u200Bwidth',
  'lone \ud800 surrogate',
  '𝕳 astral',
  '中文 ÆØÅ',
  '\u00A0nbsp',
  'nul\u0000byte',
  'bell\u0007 and escape\u001b[31m',
];

/** State strings that look numeric, or nearly. */
export const NUMERIC_STATES: readonly string[] = [
  'NaN',
  'nan',
  'Infinity',
  '-Infinity',
  'inf',
  '1e999',
  '-1e999',
  '1e308',
  '-0',
  '0x10',
  ' 21.5 ',
  '1_000',
  '١٢٣',
  '½',
  'unknown',
  'unavailable',
  'on',
  'a\nb',
  'x'.repeat(255),
];

const GOOD_TIME = '2025-01-15T10:05:00.123456+00:00';

function state(entityId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    entity_id: entityId,
    state: '1',
    attributes: {},
    last_changed: GOOD_TIME,
    last_reported: GOOD_TIME,
    last_updated: GOOD_TIME,
    context: { id: '01JHKQ0000000000000000CTX0', parent_id: null, user_id: null },
    ...overrides,
  };
}

/** Bad `data` of `state_changed` events, each with the one rejection reason it must get. */
export function badEvents(): BadEventCase[] {
  const id = 'sensor.hostile_probe';
  const ok = state(id);
  const bad = (data: unknown, reason: string): BadEventCase => ({ kind: 'bad_event', data, reason });
  return [
    bad('not an object', 'invalid_event'),
    bad({ entity_id: id, new_state: ok }, 'invalid_event'),
    bad({ entity_id: 5, old_state: null, new_state: ok }, 'invalid_entity_id'),
    bad({ entity_id: 'sensor.bad\nid,x=1', old_state: null, new_state: ok }, 'invalid_entity_id'),
    bad({ entity_id: 'Sensor.Upper', old_state: null, new_state: ok }, 'invalid_entity_id'),
    bad({ entity_id: 'sensor.a b', old_state: null, new_state: ok }, 'invalid_entity_id'),
    bad({ entity_id: 'sensor.x" value=1', old_state: null, new_state: ok }, 'invalid_entity_id'),
    bad({ entity_id: `sensor.${'y'.repeat(300)}`, old_state: null, new_state: ok }, 'invalid_entity_id'),
    bad({ entity_id: id, old_state: null, new_state: null }, 'invalid_state'),
    bad({ entity_id: id, old_state: null, new_state: state(id, { state: 42 }) }, 'invalid_state'),
    bad(
      { entity_id: id, old_state: null, new_state: state(id, { state: 'z'.repeat(256) }) },
      'invalid_state',
    ),
    bad({ entity_id: id, old_state: null, new_state: state(id, { attributes: 'nope' }) }, 'invalid_state'),
    bad({ entity_id: id, old_state: null, new_state: state('sensor.someone_else') }, 'invalid_state'),
    bad({ entity_id: id, old_state: 7, new_state: ok }, 'invalid_state'),
    bad(
      { entity_id: id, old_state: null, new_state: state(id, { last_updated: 'yesterday' }) },
      'invalid_timestamp',
    ),
    bad(
      { entity_id: id, old_state: null, new_state: state(id, { last_changed: 1736935500 }) },
      'invalid_timestamp',
    ),
    bad(
      {
        entity_id: id,
        old_state: null,
        new_state: state(id, { last_changed: '9999-01-01T00:00:00+00:00' }),
      },
      'timestamp_out_of_range',
    ),
  ];
}

/** Valid hostile changes: every nasty string as friendly_name, unit, device_class and an attribute; odd states. */
export function validChanges(): ValidCase[] {
  const cases: ValidCase[] = [];
  NASTY_STRINGS.forEach((text, i) => {
    cases.push({
      kind: 'valid',
      state: String(i),
      attributes: {
        friendly_name: text,
        unit_of_measurement: text,
        device_class: text,
        [text]: text,
        nested: { list: [text, i, null, true], deep: { text } },
      },
    });
  });
  for (const value of NUMERIC_STATES) {
    cases.push({
      kind: 'valid',
      state: value,
      attributes: { friendly_name: `numeric ${value.slice(0, 20)}` },
    });
  }
  return cases;
}

/** A seeded mix of `count` cases: mostly raw frames, some bad events, some valid hostile changes. */
export function hostileMix(count: number, random: () => number): HostileCase[] {
  const bad = badEvents();
  const valid = validChanges();
  const out: HostileCase[] = [];
  for (let i = 0; i < count; i++) {
    const roll = random();
    if (roll < 0.4) {
      out.push(raw(MALFORMED[i % MALFORMED.length] ?? '', { invalid_frame: 1 }));
    } else if (roll < 0.7) {
      out.push(UNUSABLE[i % UNUSABLE.length] ?? raw('1', { invalid_frame: 1 }));
    } else if (roll < 0.9) {
      out.push(bad[i % bad.length] ?? bad[0] ?? { kind: 'bad_event', data: null, reason: 'invalid_event' });
    } else {
      out.push(valid[i % valid.length] ?? { kind: 'valid', state: '1', attributes: {} });
    }
  }
  return out;
}
