/**
 * Integration: lines written to a real `influxd` (1.x, loopback) and read back with InfluxQL. Proves that
 * hostile strings survive exactly (or exactly as documented), that no value can break or inject a line, and
 * that µs timestamps keep two events of one millisecond apart.
 */
import { startInfluxd, type Influxd } from '@homeiq/testing';
import { fixBackslashes } from './line-escape.js';
import { formatLine } from './line-format.js';
import { createEventNormalizer } from './normalizer.js';
import { fakeRegistry, stateChanged } from './testing-internal/events.js';

jest.setTimeout(60_000);

let influxd: Influxd;
beforeAll(async () => {
  influxd = await startInfluxd();
  await influxd.query('CREATE DATABASE t');
});
afterAll(async () => {
  await influxd.dispose();
});

async function write(lines: string[]): Promise<void> {
  const res = await fetch(`${influxd.url}/write?db=t&precision=ns`, {
    method: 'POST',
    body: lines.join('\n'),
  });
  if (res.status !== 204) throw new Error(`write failed (${res.status}): ${await res.text()}`);
}

/** Everything line protocol treats specially, unicode, and JSON. */
const HOSTILE = [
  'plain',
  'with space',
  'comma,here',
  'equals=here',
  'quote"here',
  "apostrophe'here",
  'back\\slash',
  'two\\\\backslashes',
  'unicode °C ✓ 😀 日本語',
  'emoji 👍🏽 family 👨‍👩‍👧',
  ' leading and trailing ',
  '{"json": [1, "two", {"x": null}]}',
  'mixed ,= "\' end',
  '#not a comment',
  'newline\nhere',
  'carriage\rreturn',
  'tab\there',
  'a\\,b',
  'a\\ b',
  'a\\=b',
  'ends with backslash\\',
];
const hasBackslash = (s: string): boolean => s.includes('\\');

/** What InfluxDB stores for a name we write: the backslash fix, and \n \r \t as two characters (as the client does). */
const storedName = (s: string): string =>
  fixBackslashes(s, true).replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
/** What InfluxDB stores for a string value we write: exact, except newline/CR as two characters. */
const storedString = (s: string): string => s.replace(/\n/g, '\\n').replace(/\r/g, '\\r');

describe('line protocol against a real influxd', () => {
  it('reads back hostile tag values, tag keys, field keys and string values exactly as documented', async () => {
    const lines = HOSTILE.map((text, i) => {
      const result = formatLine({
        measurement: 'hostile',
        tags: { case: String(i), tv: text, [`tk ${text}`]: 'x' },
        fields: { sv: text, [`fk ${text}`]: i + 0.5 },
        timestampUs: 1_700_000_000_000_000 + i,
      });
      if (!result.ok) throw new Error(result.detail);
      return result.line;
    });
    await write(lines);
    for (const [i, text] of HOSTILE.entries()) {
      const rows = await influxd.select(`SELECT * FROM hostile WHERE "case" = '${i}'`, 't');
      expect(rows).toHaveLength(1);
      const row = rows[0] ?? {};
      expect(row['time']).toBe(`${1_700_000_000_000_000 + i}000`);
      expect(row['sv']).toBe(storedString(text));
      expect(row['tv']).toBe(storedName(text));
      expect(row[storedName(`tk ${text}`)]).toBe('x');
      // InfluxDB unescapes field keys with its own rules (\" becomes "), so backslash keys are only checked
      // for landing as one field of the right point.
      if (!hasBackslash(text)) expect(row[storedName(`fk ${text}`)]).toBe(i + 0.5);
      const numbers = Object.entries(row).filter(([key, value]) => key.startsWith('fk ') && value !== null);
      expect(numbers).toEqual([[expect.any(String), i + 0.5]]);
    }
  });

  it('reads back hostile measurement names', async () => {
    const names = HOSTILE.filter((name) => !hasBackslash(name)).map((name) => `m ${name}`);
    await write(
      names.map((name) => {
        const result = formatLine({ measurement: name, fields: { f: 1 }, timestampUs: 1 });
        if (!result.ok) throw new Error(result.detail);
        return result.line;
      }),
    );
    const stored = (await influxd.query('SHOW MEASUREMENTS', 't')).results[0]?.series?.[0]?.values.map(
      (v) => v[0],
    );
    for (const name of names)
      expect(stored).toContain(name.replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t'));
    // Backslash names still land as one point each, in a measurement of their own.
    const tricky = HOSTILE.filter(hasBackslash).map((name, i) =>
      formatLine({ measurement: `b${i} ${name}`, fields: { f: 1 } }),
    );
    await write(tricky.map((r) => (r.ok ? r.line : '')));
    const after = (await influxd.query('SHOW MEASUREMENTS', 't')).results[0]?.series?.[0]?.values ?? [];
    expect(after.length).toBe((stored?.length ?? 0) + tricky.length);
  });

  it('writes a measurement starting with # instead of letting InfluxDB skip the line as a comment', async () => {
    const result = formatLine({ measurement: '#', fields: { f: 1 }, timestampUs: 1 });
    await write([result.ok ? result.line : '']);
    const stored = (await influxd.query('SHOW MEASUREMENTS', 't')).results[0]?.series?.[0]?.values.map(
      (v) => v[0],
    );
    expect(stored).toContain('\\#'); // documented: it reads back with the backslash
  });

  it('never lets a value inject a second point', async () => {
    const injection = 'x" 1\ninjected,tag=1 value=666 1\n';
    const result = formatLine({
      measurement: 'inject',
      tags: { t: injection },
      fields: { s: injection },
      timestampUs: 5,
    });
    if (!result.ok) throw new Error(result.detail);
    await write([result.line]);
    const rows = await influxd.select('SELECT * FROM inject', 't');
    expect(rows).toEqual([{ time: 5000, s: storedString(injection), t: storedName(injection) }]);
    expect(await influxd.select('SELECT * FROM injected', 't')).toEqual([]);
  });
});

describe('normalizer lines against a real influxd', () => {
  const registry = fakeRegistry({
    'sensor.hostile': {
      deviceId: 'dev"1',
      areaId: 'area,1',
      areaName: 'Kid\'s "room", 2=nd\nfloor\\',
      platform: 'p f',
    },
  });

  it('homeiq: stores hostile states, names and attributes and reads them back exactly', async () => {
    const normalizer = createEventNormalizer({ registry, measurement: 'events' });
    const attributes = {
      friendly_name: 'Name with "quotes", commas, = and \\ backslash\nand newline',
      unit_of_measurement: '°C',
      nested: { list: [1, 'two', null, true], 'key "q"': 'v\\' },
      emoji: '😀',
      lone: '\ud800',
    };
    const lines: string[] = [];
    for (const [i, state] of ['21.5', 'say "hi"\nthere', '\\', 'on'].entries()) {
      const t = `2025-01-15T10:05:00.00000${i + 1}+00:00`; // four events in one millisecond
      const result = normalizer.process(
        stateChanged({ entityId: 'sensor.hostile', newState: { state, attributes, lastUpdated: t } }),
      );
      if (!result.ok) throw new Error(result.detail);
      lines.push(result.line);
    }
    await write(lines);
    const rows = await influxd.select('SELECT * FROM events ORDER BY time', 't');
    expect(rows.map((row) => row['time'])).toEqual([1, 2, 3, 4].map((n) => `173693550000000${n}000`));
    expect(rows.map((row) => row['state'])).toEqual(['21.5', 'say "hi"\\nthere', '\\', 'on']);
    expect(rows.map((row) => row['value'])).toEqual([21.5, null, null, 1]);
    for (const row of rows) {
      // The attributes field is JSON and comes back as the same attributes (the lone surrogate as JSON escapes it).
      expect(JSON.parse(String(row['attributes']))).toEqual(attributes);
      expect(row['friendly_name']).toBe(storedString(attributes.friendly_name));
      expect(row['area']).toBe(storedName('Kid\'s "room", 2=nd\nfloor\\'));
      expect(row['area_id']).toBe('area,1');
      expect(row['device_id']).toBe('dev"1');
      expect(row['platform']).toBe('p f');
      expect(row['unit_of_measurement']).toBe('°C');
      expect(row['entity_id']).toBe('sensor.hostile');
    }
  });

  it('ha: writes HA-layout points InfluxDB accepts, with float values and _str fields', async () => {
    const normalizer = createEventNormalizer({ schema: 'ha', ha: { tags: { source: 'ha' } } });
    const result = normalizer.process(
      stateChanged({
        entityId: 'sensor.energy',
        newState: {
          state: '12.5',
          attributes: { unit_of_measurement: 'kWh', note: '5 kWh "x"', list: ['a'], ok: true },
        },
      }),
    );
    if (!result.ok) throw new Error(result.detail);
    await write([result.line]);
    const rows = await influxd.select('SELECT * FROM "kWh"', 't');
    expect(rows).toEqual([
      {
        time: '1736935500654321000',
        domain: 'sensor',
        entity_id: 'energy',
        list_str: "['a']",
        note_str: '5 kWh "x"',
        ok: 1,
        source: 'ha',
        value: 12.5,
      },
    ]);
  });
});
