import { Point } from '@influxdata/influxdb-client';
import fc from 'fast-check';
import { escapeKey, escapeMeasurement, fixBackslashes, quoteString } from './line-escape.js';
import { formatLine, type LinePoint } from './line-format.js';

/**
 * The official client's line for a point, given the backslash-fixed names (see line-escape.ts), with the one
 * documented difference applied: raw newlines/CRs, which the client leaves in string values, become `\n`/`\r`.
 */
function oracleLine(point: LinePoint): string | undefined {
  const p = new Point(fixBackslashes(point.measurement, false));
  for (const [key, value] of Object.entries(point.tags ?? {})) {
    if (typeof value === 'string') p.tag(fixBackslashes(key, true), fixBackslashes(value, true));
  }
  for (const [key, value] of Object.entries(point.fields)) {
    const name = fixBackslashes(key, true);
    if (typeof value === 'number' && Number.isFinite(value)) p.floatField(name, value);
    else if (typeof value === 'string') p.stringField(name, value);
    else if (typeof value === 'boolean') p.booleanField(name, value);
  }
  // An empty timestamp string means none (undefined would make the client stamp the current time).
  p.timestamp(
    point.timestampUs === undefined ? '' : point.timestampUs === 0 ? '0' : `${point.timestampUs}000`,
  );
  return p.toLineProtocol()?.replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** Text with every character line protocol treats specially, plus unicode and control characters. */
const hostile = fc.string({
  unit: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(',', ' ', '=', '"', '\\', '\n', '\r', '\t', '#', "'") },
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  ),
  maxLength: 12,
});
// The client stores keys in plain objects, so `__proto__` vanishes there (we write it: see below).
const key = hostile.filter((k) => k !== '' && k !== 'time' && k !== '__proto__' && !k.includes('\\'));
const fieldValue = fc.oneof(
  hostile,
  fc.double(),
  fc.integer().map((n) => n * 1.0),
  fc.boolean(),
);
const point = fc.record({
  measurement: hostile.filter((m) => m !== '' && !m.includes('\\') && !m.startsWith('#')),
  tags: fc.dictionary(key, hostile, { maxKeys: 4 }),
  fields: fc.dictionary(key, fieldValue, { minKeys: 1, maxKeys: 5 }),
  timestampUs: fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
});

describe('formatLine vs the official client (Point.toLineProtocol)', () => {
  it('writes exactly the official line for hostile names and values without backslashes', () => {
    fc.assert(
      fc.property(point, (p) => {
        const ours = formatLine(p);
        const theirs = oracleLine(p);
        if (theirs === undefined) expect(ours.ok).toBe(false);
        else expect(ours).toEqual({ ok: true, line: theirs });
      }),
      { numRuns: 2000 },
    );
  });

  it('equals the official line of the backslash-fixed names for any name at all', () => {
    const anyKey = hostile.filter((k) => k !== '' && k !== 'time' && k !== '__proto__');
    const anyPoint = fc.record({
      measurement: hostile.filter((m) => m !== ''),
      tags: fc.dictionary(anyKey, hostile, { maxKeys: 4 }),
      fields: fc.dictionary(anyKey, fieldValue, { minKeys: 1, maxKeys: 5 }),
    });
    fc.assert(
      fc.property(anyPoint, (p) => {
        // Two keys that the fix maps to one name would be one key for the client: leave those to the next test.
        const fixed = (record: Record<string, unknown>): Set<string> =>
          new Set(Object.keys(record).map((k) => fixBackslashes(k, true)));
        fc.pre(fixed(p.tags).size === Object.keys(p.tags).length);
        fc.pre(fixed(p.fields).size === Object.keys(p.fields).length);
        const ours = formatLine(p);
        const theirs = oracleLine(p);
        if (theirs === undefined) expect(ours.ok).toBe(false);
        else expect(ours).toEqual({ ok: true, line: theirs });
      }),
      { numRuns: 2000 },
    );
  });

  it('never lets a value end a line or escape its quotes', () => {
    fc.assert(
      fc.property(
        fc.record({ measurement: hostile.filter((m) => m !== ''), fields: fc.dictionary(hostile, hostile) }),
        (p) => {
          const result = formatLine(p);
          if (!result.ok) return;
          expect(result.line).not.toMatch(/[\n\r]/);
          // A string value's closing quote is preceded by an even number of backslashes.
          for (const value of Object.values(p.fields)) {
            const quoted = quoteString(value);
            expect(quoted).toMatch(/^"(?:[^"\\]|\\["\\nr])*"$/);
          }
        },
      ),
    );
  });
});

describe('escaping', () => {
  it('escapes like the client where the client is safe', () => {
    expect(escapeMeasurement('my measurement,x=1')).toBe('my\\ measurement\\,x=1');
    expect(escapeKey('a b,c=d')).toBe('a\\ b\\,c\\=d');
    expect(escapeKey('line\nbreak\r\ttab')).toBe('line\\nbreak\\r\\ttab');
    expect(quoteString('say "hi" \\ bye')).toBe('"say \\"hi\\" \\\\ bye"');
    expect(escapeKey('°C')).toBe('°C');
  });

  it('does better than the client with newlines in string values and backslashes before separators', () => {
    expect(quoteString('two\nlines\r')).toBe('"two\\nlines\\r"');
    expect(new Point('m').stringField('f', 'two\nlines').toLineProtocol()).toContain('two\nlines');
    // The client writes `a\\,b` for `a\,b`: InfluxDB's key scanner then sees an escaped comma, its field
    // scanner a backslash pair and a bare comma. We make the run even.
    expect(escapeKey('a\\,b')).toBe('a\\\\\\,b');
    expect(escapeKey('a\\\\,b')).toBe('a\\\\\\,b');
    // A trailing backslash would escape the separator after it.
    expect(escapeKey('C:\\')).toBe('C:\\\\\\ ');
    expect(escapeKey('x\\\\')).toBe('x\\\\\\ ');
    expect(escapeMeasurement('m\\')).toBe('m\\\\\\ ');
    // Backslashes elsewhere are left alone, as the client does.
    expect(escapeKey('a\\b')).toBe('a\\b');
    // A leading '#' would make InfluxDB skip the line as a comment.
    expect(escapeMeasurement('#')).toBe('\\#');
    expect(escapeMeasurement('# x')).toBe('\\#\\ x');
    expect(escapeKey('#')).toBe('#');
  });
});

describe('formatLine', () => {
  it('sorts tags and fields, omits empty tag values and non-finite numbers, writes numbers as floats', () => {
    const omitted: string[] = [];
    const result = formatLine(
      {
        measurement: 'm',
        tags: { z: 'last', a: 'first', empty: '', missing: null },
        fields: { value: 21, nan: Number.NaN, inf: -Infinity, s: 'x', b: true, n: null },
        timestampUs: 1736935500654321,
      },
      { onOmit: (reason, k) => omitted.push(`${reason}:${k}`) },
    );
    expect(result).toEqual({ ok: true, line: 'm,a=first,z=last b=T,s="x",value=21 1736935500654321000' });
    expect(omitted.sort()).toEqual(['non_finite_number:inf', 'non_finite_number:nan']);
  });

  it('writes a key named __proto__, which the official client loses', () => {
    const fields = JSON.parse('{"__proto__": 1, "x": 2}') as Record<string, number>;
    expect(formatLine({ measurement: 'm', fields })).toEqual({ ok: true, line: 'm __proto__=1,x=2' });
    const p = new Point('m');
    for (const [k, v] of Object.entries(fields)) p.floatField(k, v);
    expect(p.toLineProtocol()).toMatch(/^m x=2 \d+$/);
  });

  it('leaves out keys InfluxDB refuses and reports them', () => {
    const omitted: string[] = [];
    const result = formatLine(
      { measurement: 'm', tags: { time: 'x', '': 'y' }, fields: { time: 1, '': 2, ok: 3 } },
      { onOmit: (reason, k) => omitted.push(`${reason}:${k}`) },
    );
    expect(result).toEqual({ ok: true, line: 'm ok=3' });
    expect(omitted.sort()).toEqual(['invalid_key:', 'invalid_key:', 'invalid_key:time', 'invalid_key:time']);
  });

  it('keeps the first of two keys that one name stands for after the backslash fix', () => {
    const omitted: string[] = [];
    const result = formatLine(
      { measurement: 'm', fields: { 'a\\': 1, 'a\\ ': 2 } },
      { onOmit: (reason, k) => omitted.push(`${reason}:${k}`) },
    );
    expect(result.ok && result.line.split(' ').length).toBe(3);
    expect(omitted).toHaveLength(1);
    expect(omitted[0]).toMatch(/^duplicate_key:/);
  });

  it('rejects points without fields, without measurement, or with a series key over 64 KiB', () => {
    expect(formatLine({ measurement: 'm', fields: { x: Number.NaN } })).toMatchObject({
      ok: false,
      reason: 'no_fields',
    });
    expect(formatLine({ measurement: '', fields: { x: 1 } })).toMatchObject({
      ok: false,
      reason: 'no_fields',
    });
    const long = 'é'.repeat(40000); // 80000 bytes
    expect(formatLine({ measurement: 'm', tags: { t: long }, fields: { x: 1 } })).toMatchObject({
      ok: false,
      reason: 'series_key_too_long',
    });
    expect(formatLine({ measurement: 'm', tags: { t: 'x'.repeat(65000) }, fields: { x: 1 } }).ok).toBe(true);
  });

  it('caps string fields in UTF-8 bytes: omit (default) or reject', () => {
    const big = '€'.repeat(30); // 90 bytes
    expect(formatLine({ measurement: 'm', fields: { s: big, x: 1 } }, { maxStringFieldBytes: 89 })).toEqual({
      ok: true,
      line: 'm x=1',
    });
    expect(formatLine({ measurement: 'm', fields: { s: big } }, { maxStringFieldBytes: 90 }).ok).toBe(true);
    expect(
      formatLine(
        { measurement: 'm', fields: { s: big, x: 1 } },
        { maxStringFieldBytes: 89, oversizeStringField: 'reject' },
      ),
    ).toMatchObject({ ok: false, reason: 'string_field_too_large' });
  });

  it('writes floats that parse back to the same double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const result = formatLine({ measurement: 'm', fields: { x } });
        expect(result.ok && Object.is(Number(result.line.slice(4)), x === 0 ? 0 : x)).toBe(true);
      }),
    );
  });
});

describe('formatLine integer fields', () => {
  it('writes a bigint as an integer field, a number as a float', () => {
    const encoded = formatLine({
      measurement: 'm',
      fields: { count: 12n, ratio: 12, neg: -3n },
      timestampUs: 1,
    });
    expect(encoded).toEqual({ ok: true, line: 'm count=12i,neg=-3i,ratio=12 1000' });
  });
});
