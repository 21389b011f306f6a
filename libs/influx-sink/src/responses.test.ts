import fc from 'fast-check';
import { rejectionCause } from './responses.js';

/** The messages real InfluxDB 2.8.0 and 1.8.10 sent with their refusals, around generated names and counts. */
describe('rejectionCause', () => {
  const name = fc.stringMatching(/^[a-z_][a-z0-9_.]{0,15}$/);
  const cases: [string, (n: string, k: number) => [number, string]][] = [
    ['unparsable', (n) => [400, `unable to parse '${n} v=': missing field value`]],
    ['unparsable', (n) => [400, `partial write: unable to parse '${n} v=': missing field value dropped=0`]],
    [
      'field_type_conflict',
      (n, k) => [
        422,
        `failure writing points to database: partial write: field type conflict: input field "v" on measurement "${n}" is type string, already exists as type integer dropped=${k}`,
      ],
    ],
    [
      'field_type_conflict',
      (n, k) => [
        400,
        `partial write: field type conflict: input field "v" on measurement "${n}" is type string dropped=${k}`,
      ],
    ],
    [
      'outside_retention',
      (n, k) => [
        422,
        `failure writing points to database: partial write: dropped ${k} points outside retention policy of duration 1h0m0s - oldest point ${n} at 2023-11-14T22:13:20Z dropped=${k}`,
      ],
    ],
    ['outside_retention', (_n, k) => [400, `partial write: points beyond retention policy dropped=${k}`]],
    ['too_large', () => [413, 'request entity too large']],
    ['repeated_server_error', () => [500, 'An internal error has occurred - check server logs']],
  ];

  it.each(cases)('%s', (cause, make) => {
    fc.assert(
      fc.property(name, fc.integer({ min: 1, max: 5000 }), (n, k) => {
        const [status, message] = make(n, k);
        expect(rejectionCause(status, message)).toBe(cause);
      }),
    );
  });
});
