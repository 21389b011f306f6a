import fc from 'fast-check';
import {
  createTimeSlot,
  daysFromCivil,
  MAX_EPOCH_US,
  parseIsoTime,
  TIME_INVALID,
  TIME_OUT_OF_RANGE,
} from './iso-time.js';

function parse(text: string): number | string {
  const slot = createTimeSlot();
  parseIsoTime(text, slot);
  if (slot.status === TIME_INVALID) return 'invalid';
  if (slot.status === TIME_OUT_OF_RANGE) return 'out of range';
  return slot.us;
}

/** What HA's `isoformat()` prints for epoch microseconds (as the simulator formats them). */
function isoformat(us: number): string {
  const seconds = Math.floor(us / 1e6);
  const micros = us - seconds * 1e6;
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  return micros === 0 ? `${base}+00:00` : `${base}.${String(micros).padStart(6, '0')}+00:00`;
}

describe('parseIsoTime', () => {
  it('keeps the microseconds that Date would drop', () => {
    expect(parse('2025-01-15T10:05:00.654321+00:00')).toBe(1736935500654321);
    expect(parse('2025-01-15T10:05:00.654322+00:00')).toBe(1736935500654322);
    expect(parse('2025-01-15T10:05:00+00:00')).toBe(1736935500000000);
  });

  it('accepts Z, other offsets, a space separator and 1–9 fraction digits (truncating below µs)', () => {
    expect(parse('2025-01-15T10:05:00.654321Z')).toBe(1736935500654321);
    expect(parse('2025-01-15T12:05:00.654321+02:00')).toBe(1736935500654321);
    expect(parse('2025-01-15T04:35:00.654321-05:30')).toBe(1736935500654321);
    expect(parse('2025-01-15 10:05:00.654321+00:00')).toBe(1736935500654321);
    expect(parse('2025-01-15T10:05:00.6+00:00')).toBe(1736935500600000);
    expect(parse('2025-01-15T10:05:00.654321999+00:00')).toBe(1736935500654321);
  });

  it.each([
    '',
    'yesterday',
    '2025-01-15T10:05:00.654321', // naive: no offset
    '2025-01-15T10:05:00.+00:00', // empty fraction
    '2025-01-15T10:05:00.6543210001+00:00', // 10 fraction digits
    '2025-13-15T10:05:00+00:00',
    '2025-02-29T10:05:00+00:00', // not a leap year
    '2025-04-31T10:05:00+00:00',
    '2025-01-15T24:00:00+00:00',
    '2025-01-15T10:60:00+00:00',
    '2025-01-15T10:05:60+00:00', // Python has no leap seconds
    '2025-01-15T10:05:00+24:00',
    '2025-01-15T10:05:00+0000',
    '2025-01-15T10:05:00+00:00 ',
    '2025/01/15T10:05:00+00:00',
    '2025-01-15X10:05:00+00:00',
    '0000-01-01T00:00:00+00:00',
    '２０２５-01-15T10:05:00+00:00',
  ])('refuses %j', (text) => {
    expect(parse(text)).toBe('invalid');
  });

  it('accepts 29 February of leap years only', () => {
    expect(parse('2024-02-29T00:00:00+00:00')).toBe(Date.UTC(2024, 1, 29) * 1000);
    expect(parse('2000-02-29T00:00:00+00:00')).toBe(Date.UTC(2000, 1, 29) * 1000);
    expect(parse('1900-02-29T00:00:00+00:00')).toBe('invalid');
  });

  it('refuses instants outside ±2^53 µs instead of losing digits', () => {
    expect(parse('2255-01-01T00:00:00+00:00')).toBe(Date.UTC(2255, 0, 1) * 1000);
    expect(parse('2300-01-01T00:00:00+00:00')).toBe('out of range');
    expect(parse('1600-01-01T00:00:00+00:00')).toBe('out of range');
    expect(parse('1969-12-31T23:59:59.999999+00:00')).toBe(-1);
  });

  it('round-trips every µs instant HA can print', () => {
    const range = Math.floor(MAX_EPOCH_US / 1000) * 1000;
    fc.assert(
      fc.property(
        fc.integer({ min: -Math.min(range, 8.64e18 / 1000), max: Math.min(range, 8.64e18 / 1000) }),
        (us) => {
          expect(parse(isoformat(us))).toBe(us);
        },
      ),
    );
  });

  it('computes days like Date.UTC over four centuries, years 1..9999 included', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0100-01-01T00:00:00Z'),
          max: new Date('9999-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        (date) => {
          const expected = Math.floor(date.getTime() / 86400000);
          expect(daysFromCivil(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate())).toBe(
            expected,
          );
        },
      ),
    );
  });
});
