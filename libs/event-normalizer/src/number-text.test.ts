import fc from 'fast-check';
import { formatTimestamp } from './line-format.js';
import { createTimestampFormatter, isCanonicalDecimal, microsAsSecondsText } from './number-text.js';
import type { Precision } from './types.js';

describe('isCanonicalDecimal', () => {
  it.each(['0', '21.5', '-3', '1013.25', '0.0001', '0.000001', '123456789012345', '-0.5', '2185.652'])(
    'accepts %j (String(Number(x)) === x)',
    (text) => {
      expect(isCanonicalDecimal(text)).toBe(true);
      expect(String(Number(text))).toBe(text);
    },
  );

  it.each([
    '',
    '-0',
    '21.50',
    '21.',
    '.5',
    '+1',
    '01',
    '1e3',
    '0.0000001',
    '1234567890123456',
    'on',
    '1_0',
    ' 1',
  ])('refuses %j', (text) => {
    expect(isCanonicalDecimal(text)).toBe(false);
  });

  it('never claims canonical for a text String() would print differently', () => {
    const decimal = fc
      .tuple(fc.boolean(), fc.stringMatching(/^[0-9]{1,17}$/), fc.option(fc.stringMatching(/^[0-9]{1,17}$/)))
      .map(
        ([negative, whole, fraction]) =>
          `${negative ? '-' : ''}${whole}${fraction === null ? '' : '.' + fraction}`,
      );
    fc.assert(
      fc.property(fc.oneof(decimal, fc.double().map(String)), (text) => {
        if (isCanonicalDecimal(text)) expect(String(Number(text))).toBe(text);
      }),
    );
  });
});

describe('microsAsSecondsText', () => {
  it('equals String(us / 1e6) for whole microseconds', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 0, max: 4e9 }), fc.maxSafeInteger(), fc.integer({ min: -1e9, max: 0 })),
        (us) => {
          expect(microsAsSecondsText(us)).toBe(String(us / 1_000_000));
        },
      ),
    );
    expect(microsAsSecondsText(420_554_321)).toBe('420.554321');
    expect(microsAsSecondsText(1_500_000)).toBe('1.5');
    expect(microsAsSecondsText(0)).toBe('0');
  });
});

describe('createTimestampFormatter', () => {
  it.each<Precision>(['ns', 'us', 'ms', 's'])('equals formatTimestamp at %s', (precision) => {
    const format = createTimestampFormatter(precision);
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (us) => {
        expect(format(us)).toBe(formatTimestamp(us, precision));
      }),
    );
    // Runs of one second, as events arrive, exercise the cached second.
    for (let us = 1736935500000000; us < 1736935502000000; us += 99_991) {
      expect(format(us)).toBe(formatTimestamp(us, precision));
    }
  });

  it('writes exact integers at every precision', () => {
    expect(formatTimestamp(1736935500654321, 'ns')).toBe('1736935500654321000');
    expect(formatTimestamp(1736935500654321, 'us')).toBe('1736935500654321');
    expect(formatTimestamp(1736935500654321, 'ms')).toBe('1736935500654');
    expect(formatTimestamp(1736935500654321, 's')).toBe('1736935500');
    expect(formatTimestamp(-1, 'ms')).toBe('-1'); // floor, as InfluxDB truncates toward the past
    expect(formatTimestamp(0, 'ns')).toBe('0');
  });
});
