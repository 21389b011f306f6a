/**
 * Python's `float(str)`, which decides what HA's influxdb integration treats as numeric. It accepts more than
 * JavaScript's `Number` in some ways (`" 21.5 "`, `"1_000"`, `"nan"`, `"-inf"`, `"Infinity"`, Unicode
 * digits such as `"٢١"`) and less in others (no `"0x10"`, no `""`, no `"1_"`). Follows CPython's
 * `PyFloat_FromString`: map non-ASCII whitespace to spaces and Unicode decimal digits (category Nd) to ASCII,
 * strip ASCII whitespace, check and drop underscores between digits, then parse a decimal or inf/nan.
 */

const ND_DIGIT = /\p{Nd}/u;

/** 1 for every ASCII character a Python float literal may hold: digits, sign, point, `_`, whitespace, inf/nan/e. */
const FLOAT_ASCII = new Uint8Array(128);
for (const c of '0123456789+-._\t\n\v\f\r eEiInNfFtTyYaA') FLOAT_ASCII[c.charCodeAt(0)] = 1;
const INF_OR_NAN = /^[+-]?(?:inf|infinity|nan)$/i;

/**
 * Parses `text` with Python `float()` semantics.
 * @returns the number (possibly NaN or ±Infinity, as Python returns them), or `undefined` where Python
 *   raises ValueError.
 */
export function pythonFloat(text: string): number | undefined {
  // Almost every numeric HA state is a plain ASCII decimal: one scan, then the engine's exact parser.
  if (isPlainDecimal(text)) return Number(text);
  // Most other texts ("on", "heat", friendly names) hold an ASCII character no float can contain.
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128 && FLOAT_ASCII[c] === 0) return undefined;
  }
  return slowPythonFloat(text);
}

/** The general path: anything with whitespace, underscores, non-ASCII characters, inf/nan, or junk. */
function slowPythonFloat(text: string): number | undefined {
  let ascii = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 127) {
      ascii += text.charAt(i);
    } else if (isPythonUnicodeSpace(c)) {
      ascii += ' ';
    } else {
      const cp = text.codePointAt(i) ?? c;
      const digit = decimalDigitValue(cp);
      if (digit < 0) return undefined;
      ascii += String.fromCharCode(0x30 + digit);
      if (cp > 0xffff) i++;
    }
  }
  let start = 0;
  let end = ascii.length;
  while (start < end && isAsciiSpace(ascii.charCodeAt(start))) start++;
  while (end > start && isAsciiSpace(ascii.charCodeAt(end - 1))) end--;
  let core = ascii.slice(start, end);
  if (core.includes('_')) {
    const withoutUnderscores = dropUnderscores(core);
    if (withoutUnderscores === undefined) return undefined;
    core = withoutUnderscores;
  }
  if (INF_OR_NAN.test(core)) {
    const last = core.charCodeAt(core.length - 1) | 0x20; // 'n' for nan, 'f'/'y' for inf/infinity
    if (last === 0x6e) return Number.NaN;
    return core.charCodeAt(0) === 0x2d ? -Infinity : Infinity;
  }
  return isPlainDecimal(core) ? Number(core) : undefined;
}

/** `[+-]? (d+ [.] d* | . d+) ([eE] [+-]? d+)?` over ASCII digits only: the grammar both languages share. */
export function isPlainDecimal(s: string): boolean {
  const n = s.length;
  let i = 0;
  let c = s.charCodeAt(0);
  if (c === 0x2b || c === 0x2d) c = s.charCodeAt(++i);
  let mantissaDigits = 0;
  while (c >= 0x30 && c <= 0x39) {
    mantissaDigits++;
    c = s.charCodeAt(++i);
  }
  if (c === 0x2e) {
    c = s.charCodeAt(++i);
    while (c >= 0x30 && c <= 0x39) {
      mantissaDigits++;
      c = s.charCodeAt(++i);
    }
  }
  if (mantissaDigits === 0) return false;
  if (c === 0x65 || c === 0x45) {
    c = s.charCodeAt(++i);
    if (c === 0x2b || c === 0x2d) c = s.charCodeAt(++i);
    let exponentDigits = 0;
    while (c >= 0x30 && c <= 0x39) {
      exponentDigits++;
      c = s.charCodeAt(++i);
    }
    if (exponentDigits === 0) return false;
  }
  return i === n;
}

/** CPython's `_Py_string_to_number_with_underscores`: each `_` must sit between two digits. */
function dropUnderscores(s: string): string | undefined {
  let out = '';
  let previous = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const previousIsDigit = previous >= 0x30 && previous <= 0x39;
    if (c === 0x5f) {
      if (!previousIsDigit) return undefined;
    } else {
      if (previous === 0x5f && !(c >= 0x30 && c <= 0x39)) return undefined;
      out += s.charAt(i);
    }
    previous = c;
  }
  return previous === 0x5f ? undefined : out;
}

/** CPython's `Py_ISSPACE` (ASCII only): space, \t, \n, \v, \f, \r. */
function isAsciiSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** CPython's `Py_UNICODE_ISSPACE` for code points >= 127 (bidi WS/B/S or category Zs). */
export function isPythonUnicodeSpace(c: number): boolean {
  return (
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/**
 * The value 0–9 of a Unicode decimal digit (category Nd), or -1. Unicode guarantees Nd characters come in
 * runs of ten ordered 0..9, so the value is the offset from the start of the run, modulo 10.
 */
export function decimalDigitValue(cp: number): number {
  if (cp < 0x80) return cp >= 0x30 && cp <= 0x39 ? cp - 0x30 : -1;
  if (!ND_DIGIT.test(String.fromCodePoint(cp))) return -1;
  let start = cp;
  while (ND_DIGIT.test(String.fromCodePoint(start - 1))) start--;
  return (cp - start) % 10;
}
