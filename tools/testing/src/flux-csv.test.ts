import fc from 'fast-check';
import { parseFluxCsv } from './flux-csv.js';

/** RFC 4180 quoting, as InfluxDB writes a field holding a comma, a quote or a line break. */
const quote = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

describe('parseFluxCsv', () => {
  it('reads the tables of a real answer: a header per table, a blank line between differing tables', () => {
    const text =
      ',result,table,_time,_value,_field,entity_id\r\n' +
      ',_result,0,2023-11-14T22:13:20Z,1.5,value,sensor.a\r\n' +
      '\r\n' +
      ',result,table,_time,_value,_field\r\n' +
      ',_result,1,2023-11-14T22:13:21Z,"on, really",state\r\n\r\n';
    expect(parseFluxCsv(text)).toEqual([
      {
        result: '_result',
        table: '0',
        _time: '2023-11-14T22:13:20Z',
        _value: '1.5',
        _field: 'value',
        entity_id: 'sensor.a',
      },
      { result: '_result', table: '1', _time: '2023-11-14T22:13:21Z', _value: 'on, really', _field: 'state' },
    ]);
  });

  it('returns every value exactly as written, whatever it holds (generated tables)', () => {
    const value = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r\n', ' ', 'é') });
    fc.assert(
      fc.property(fc.array(fc.array(value, { minLength: 2, maxLength: 2 }), { maxLength: 8 }), (rows) => {
        const text =
          ',result,table,_value,_field\r\n' +
          rows.map(([v, f]) => `,_result,0,${quote(v ?? '')},${quote(f ?? '')}\r\n`).join('') +
          '\r\n';
        const parsed = parseFluxCsv(text);
        expect(parsed.map((r) => [r['_value'], r['_field']])).toEqual(rows);
      }),
    );
  });
});
