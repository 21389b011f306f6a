import fc from 'fast-check';
import { decimalDigitValue, isPlainDecimal, pythonFloat } from './python-float.js';
import { floatRepr } from './python-str.js';

describe('pythonFloat (CPython float(str))', () => {
  // Each row: input, what CPython 3.12 `float(input)` returns (undefined = ValueError).
  const cases: [string, number | undefined][] = [
    ['21.5', 21.5],
    [' 21.5 ', 21.5],
    ['\t21.5\n', 21.5],
    ['-3', -3],
    ['+3', 3],
    ['1013.25', 1013.25],
    ['0.0001', 0.0001],
    ['1e3', 1000],
    ['1E+03', 1000],
    ['1.5e-3', 0.0015],
    ['.5', 0.5],
    ['5.', 5],
    ['1.e2', 100],
    ['007', 7],
    ['1_000', 1000],
    ['1_000.000_1', 1000.0001],
    ['1e1_0', 1e10],
    ['1_', undefined],
    ['_1', undefined],
    ['1__0', undefined],
    ['1_.5', undefined],
    ['1._5', undefined],
    ['1_e5', undefined],
    ['nan', Number.NaN],
    ['NaN', Number.NaN],
    ['-nan', Number.NaN],
    ['inf', Infinity],
    ['-inf', -Infinity],
    ['+Infinity', Infinity],
    ['iNfInItY', Infinity],
    ['infinit', undefined],
    ['nan(1)', undefined],
    ['1e400', Infinity],
    ['-1e400', -Infinity],
    ['1e-400', 0],
    ['', undefined],
    [' ', undefined],
    ['on', undefined],
    ['0x10', undefined],
    ['0b1', undefined],
    ['1e', undefined],
    ['e1', undefined],
    ['.', undefined],
    ['.e1', undefined],
    ['-', undefined],
    ['--1', undefined],
    ['1.5.3', undefined],
    ['1,5', undefined],
    ['12 kWh', undefined],
    // Unicode: non-ASCII whitespace is stripped and decimal digits of any script are accepted.
    ['\u00a012\u2003', 12],
    ['\u3000-7.5\u3000', -7.5],
    ['\u0661\u0662', 12], // Arabic-Indic digits
    ['\uff11\uff12.\uff15', 12.5], // fullwidth digits
    ['\u{1d7d9}', 1], // MATHEMATICAL DOUBLE-STRUCK DIGIT ONE
    ['\u00b2', undefined], // superscript two is not a decimal digit (No, not Nd)
    ['12\u001c', undefined], // \x1c is str.isspace() but not stripped by float()
    ['\ufeff12', undefined], // BOM is not whitespace
    ['1\u00a02', undefined],
  ];
  it.each(cases)('float(%j) = %p', (input, expected) => {
    const actual = pythonFloat(input);
    if (expected === undefined) expect(actual).toBeUndefined();
    else expect(Object.is(actual, expected) || (Number.isNaN(expected) && Number.isNaN(actual))).toBe(true);
  });

  it('round-trips every finite double through String() and Python repr', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(pythonFloat(String(x))).toBe(x === 0 ? 0 : x);
        expect(Object.is(pythonFloat(floatRepr(x)), x)).toBe(true);
      }),
    );
  });

  it('agrees with Number() on plain ASCII decimals and refuses what Python refuses', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('0', '1', '9', '.', 'e', '-', '+', '_', ' ') }), (s) => {
        const result = pythonFloat(s);
        if (isPlainDecimal(s)) expect(result).toBe(Number(s));
        if (s.trim() === '' || s.includes('__') || s.endsWith('_') || s.startsWith('_')) {
          expect(result).toBeUndefined();
        }
      }),
    );
  });

  it('knows the value of decimal digits of every script', () => {
    expect(decimalDigitValue(0x30)).toBe(0);
    expect(decimalDigitValue(0x39)).toBe(9);
    expect(decimalDigitValue(0x0669)).toBe(9); // ARABIC-INDIC DIGIT NINE
    expect(decimalDigitValue(0x0e53)).toBe(3); // THAI DIGIT THREE
    expect(decimalDigitValue(0x1d7ce)).toBe(0); // first of five adjacent runs of math digits
    expect(decimalDigitValue(0x1d7ff)).toBe(9);
    expect(decimalDigitValue(0x41)).toBe(-1);
    expect(decimalDigitValue(0x2460)).toBe(-1); // CIRCLED DIGIT ONE is No, not Nd
  });
});
