import { digitTailNumber, floatRepr, MAX_REPR_DEPTH, pythonStr, stringRepr } from './python-str.js';

describe('floatRepr (CPython repr(float))', () => {
  it.each([
    [21.5, '21.5'],
    [21, '21.0'],
    [-3, '-3.0'],
    [0, '0.0'],
    [-0, '-0.0'],
    [0.1 + 0.2, '0.30000000000000004'],
    [1e15, '1000000000000000.0'],
    [1e16, '1e+16'],
    [1.5e16, '1.5e+16'],
    [123456789012345680000, '1.2345678901234568e+20'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1.5e-7, '1.5e-07'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [1e100, '1e+100'],
    [Number.NaN, 'nan'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
  ])('repr(%p) = %s', (value, expected) => {
    expect(floatRepr(value)).toBe(expected);
  });
});

describe('stringRepr (CPython repr(str))', () => {
  it('escapes code points Unicode assigned after 15.0, as CPython 3.12 (Unicode 15.0) does; keeps 15.0 ones', () => {
    // CJK Extension I (15.1), Egyptian Hieroglyphs Extended-A (16.0); the shaking face 🫨 is 15.0.
    expect(stringRepr('\u{2EBF0}\u{13460}\u{1FAE8}')).toBe("'\\U0002ebf0\\U00013460\u{1FAE8}'");
  });

  it.each([
    ['a', "'a'"],
    ["it's", `"it's"`],
    ['say "hi"', `'say "hi"'`],
    [`both ' and "`, `'both \\' and "'`],
    ['back\\slash', "'back\\\\slash'"],
    ['a\nb\tc\rd', "'a\\nb\\tc\\rd'"],
    ['\x00\x1b\x7f', "'\\x00\\x1b\\x7f'"],
    ['\x85\xa0\xad', "'\\x85\\xa0\\xad'"], // C1 control, NBSP (Zs), soft hyphen (Cf)
    ['é°C€', "'é°C€'"],
    ['\u200b\u2028', "'\\u200b\\u2028'"], // zero-width space (Cf), line separator (Zl)
    ['😀', "'😀'"],
    ['\ud800', "'\\ud800'"], // lone surrogate
    ['\u{e0001}', "'\\U000e0001'"], // LANGUAGE TAG (Cf, astral)
    ['', "''"],
  ])('repr(%j) = %s', (value, expected) => {
    expect(stringRepr(value)).toBe(expected);
  });
});

describe('pythonStr (CPython str() of JSON values)', () => {
  it.each([
    ['text', 'text'],
    [null, 'None'],
    [true, 'True'],
    [false, 'False'],
    [21, '21'],
    [21.5, '21.5'],
    [1e16, '1e+16'],
    [['a', 'b'], "['a', 'b']"],
    [[], '[]'],
    [{}, '{}'],
    [{ k: 1 }, "{'k': 1}"],
    [[1, 2.5, null, true, { a: [1] }], "[1, 2.5, None, True, {'a': [1]}]"],
    [{ "it's": 'x', n: -0.5 }, `{"it's": 'x', 'n': -0.5}`],
    [[30, 50.5], '[30, 50.5]'], // HA may have held the tuple (30.0, 50.5): JSON cannot tell
  ])('str(%j) = %s', (value, expected) => {
    expect(pythonStr(value)).toBe(expected);
  });

  it('gives up (instead of overflowing the stack) on nesting deeper than CPython can repr', () => {
    let deep: unknown = 1;
    for (let i = 0; i <= MAX_REPR_DEPTH; i++) deep = [deep];
    expect(pythonStr(deep)).toBeUndefined();
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(pythonStr(cyclic)).toBeUndefined();
    let shallow: unknown = 1;
    for (let i = 0; i < MAX_REPR_DEPTH; i++) shallow = [shallow];
    expect(pythonStr(shallow)).toBe('['.repeat(MAX_REPR_DEPTH) + '1' + ']'.repeat(MAX_REPR_DEPTH));
  });

  it('has no Python form for functions and symbols', () => {
    expect(pythonStr(() => 1)).toBeUndefined();
    expect(pythonStr([Symbol('x')])).toBeUndefined();
  });
});

describe('digitTailNumber (RE_DIGIT_TAIL + RE_DECIMAL)', () => {
  it.each([
    ['12.5 kWh', 12.5],
    ['Sensor 12', 12],
    ['5 W', undefined], // one digit only
    ['v1.2', 1.2],
    ['v1.2 build 7', 1.27], // every digit is kept: "1.27"
    ['a1b2', undefined], // no two adjacent digits
    ['a1b23', 123],
    ['a.12', undefined], // the dot needs a digit on both sides
    ['12.', undefined],
    ['1.2.3', undefined],
    ['..12', undefined],
    ['2025-01-15T10:00:00+00:00', 202501151000000000],
    ['2025-01-15T10:00:00.123456+00:00', 20250115100000.123456],
    ['\u0663\u0664 units', 34], // Python's \d is any Unicode decimal digit
    ['12\n', 12],
    ['', undefined],
    ['no digits', undefined],
  ])('%j → %p', (text, expected) => {
    expect(digitTailNumber(text)).toBe(expected);
  });

  it('yields Infinity for absurd digit runs (HA then drops the field as non-finite)', () => {
    expect(digitTailNumber('9'.repeat(400))).toBe(Infinity);
  });
});
