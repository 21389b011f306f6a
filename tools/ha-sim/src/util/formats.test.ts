import { pythonRepr } from './python-repr.js';
import { isoFromMicros, secondsFromMicros } from './iso-time.js';
import { pyJson } from './py-json.js';
import { createSeededRandom } from './random.js';
import { isUlid, ulid } from './ulid.js';
import { fromWire, toWire, wireString } from './wire-text.js';

describe('isoFromMicros (Python isoformat of aware UTC datetimes)', () => {
  it('prints six-digit microseconds, and none when they are 0', () => {
    const at = Date.UTC(2025, 0, 15, 10, 5, 0) * 1000;
    expect(isoFromMicros(at + 654_321)).toBe('2025-01-15T10:05:00.654321+00:00');
    expect(isoFromMicros(at + 5)).toBe('2025-01-15T10:05:00.000005+00:00');
    expect(isoFromMicros(at)).toBe('2025-01-15T10:05:00+00:00');
    expect(secondsFromMicros(at + 654_321)).toBe(1736935500.654321);
  });
});

describe('ulid', () => {
  it('is 26 Crockford base32 chars, time first, deterministic for a seeded source', () => {
    const id = ulid(1736935500654, createSeededRandom(1));
    expect(isUlid(id)).toBe(true);
    expect(id.slice(0, 10)).toBe('01JHMPRTVE'); // 1736935500654 in Crockford base32
    expect(ulid(1736935500654, createSeededRandom(1))).toBe(id);
    expect(ulid(1736935500654, createSeededRandom(2))).not.toBe(id);
  });
});

describe('pythonRepr (the "Got …" part of voluptuous messages)', () => {
  it.each([
    [null, 'None'],
    [true, 'True'],
    [1, '1'],
    ['a', "'a'"],
    ["it's", '"it\'s"'],
    ['line\n', "'line\\n'"],
    [[1, 'b'], "[1, 'b']"],
    [{ a: [null] }, "{'a': [None]}"],
  ])('%j → %s', (value, repr) => {
    expect(pythonRepr(value)).toBe(repr);
  });
});

describe('pyJson', () => {
  it('prints the listed keys as Python floats', () => {
    expect(
      pyJson(
        { created_at: 0, modified_at: 1736900000, level: 2, name: 'x' },
        new Set(['created_at', 'modified_at']),
      ),
    ).toBe('{"created_at":0.0,"modified_at":1736900000.0,"level":2,"name":"x"}');
  });
});

describe('wire text', () => {
  it('holds UTF-8 bytes as latin1 chars and round-trips', () => {
    expect(toWire('abc')).toBe('abc');
    expect(Buffer.from(toWire('°C µg/m³ ☃ 😀'), 'latin1').toString('utf8')).toBe('°C µg/m³ ☃ 😀');
    expect(fromWire(toWire('Küche ☃'))).toBe('Küche ☃');
  });

  it('wireString quotes like JSON.stringify, to wire text', () => {
    for (const text of ['21.5', 'on', '', 'a"b', 'back\\slash', 'tab\t', '°C', 'ü☃', '\u0001']) {
      expect(wireString(text)).toBe(toWire(JSON.stringify(text)));
    }
  });
});
