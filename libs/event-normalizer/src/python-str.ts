/**
 * Python's `str()` of JSON values, as HA's influxdb integration writes them into `<attr>_str` fields, and its
 * `RE_DIGIT_TAIL` numeric salvage. JSON has no tuples, enums, datetimes or whole floats: `ha-attribute-str.ts`
 * restores them where HA core fixes the type of an attribute; elsewhere a whole number within ±2^53 prints as an
 * int (`21`, where HA may have held the float `21.0`) and a list as a list.
 */
import { decimalDigitValue } from './python-float.js';
import { assignedAfterUnicode15 } from './unicode-after-15.js';

/** Deeper values make CPython's `repr` raise RecursionError; HA then loses the event, so we reject it. */
export const MAX_REPR_DEPTH = 100;

const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** Python `str(value)`; `undefined` when the value is nested deeper than {@link MAX_REPR_DEPTH} or not JSON-like. */
export function pythonStr(value: unknown): string | undefined {
  return typeof value === 'string' ? value : pythonRepr(value, 0);
}

/** Python `repr(value)` of a JSON-like value. */
export function pythonRepr(value: unknown, depth: number): string | undefined {
  if (depth > MAX_REPR_DEPTH) return undefined;
  switch (typeof value) {
    case 'string':
      return stringRepr(value);
    case 'number':
      return Number.isSafeInteger(value) && !Object.is(value, -0) ? String(value) : floatRepr(value);
    case 'boolean':
      return value ? 'True' : 'False';
    case 'bigint':
      return String(value);
    case 'undefined':
      return 'None';
    case 'object': {
      if (value === null) return 'None';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          const item = pythonRepr(value[i] as unknown, depth + 1);
          if (item === undefined) return undefined;
          out += i === 0 ? item : ', ' + item;
        }
        return out + ']';
      }
      let out = '{';
      let first = true;
      for (const key of Object.keys(value)) {
        const item = pythonRepr((value as Record<string, unknown>)[key], depth + 1);
        if (item === undefined) return undefined;
        out += (first ? '' : ', ') + stringRepr(key) + ': ' + item;
        first = false;
      }
      return out + '}';
    }
    default:
      return undefined; // functions and symbols have no Python counterpart
  }
}

/**
 * Python's `repr(float)`: the shortest round-trip digits (the same digits JavaScript picks), in fixed
 * notation when the decimal exponent is in [-4, 16), else `d.ddde±XX`; whole numbers keep a `.0`.
 */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const exponential = x.toExponential(); // shortest digits, e.g. "-2.15e+1"
  const sign = x < 0 ? '-' : '';
  const ePos = exponential.indexOf('e');
  const mantissa = exponential.slice(sign.length, ePos);
  const exponent = Number(exponential.slice(ePos + 1));
  const digits = mantissa.length > 1 ? mantissa.charAt(0) + mantissa.slice(2) : mantissa;
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? '.' + digits.slice(1) : '';
    const magnitude = String(Math.abs(exponent)).padStart(2, '0');
    return `${sign}${digits.charAt(0)}${fraction}e${exponent < 0 ? '-' : '+'}${magnitude}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}.${fraction === '' ? '0' : fraction}`;
}

/** Python's `repr(str)`: single quotes unless the text has `'` and no `"`; escapes as CPython does. */
export function stringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (cp >= 0x20 && cp < 0x7f) out += ch;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (cp < 0x20 || cp === 0x7f || NON_PRINTABLE.test(ch) || assignedAfterUnicode15(cp))
      out += hexEscape(cp);
    else out += ch;
  }
  return out + quote;
}

function hexEscape(cp: number): string {
  const hex = cp.toString(16);
  if (cp <= 0xff) return '\\x' + hex.padStart(2, '0');
  if (cp <= 0xffff) return '\\u' + hex.padStart(4, '0');
  return '\\U' + hex.padStart(8, '0');
}

/**
 * HA's salvage of a number from a string: when `RE_DIGIT_TAIL = ^[^\.]*\d+\.?\d+[^\.]*$` matches, it writes
 * `float(re.sub(r"[^\d.]+", "", s))`. As a scan: with no dot, two adjacent digits anywhere; with one dot,
 * digits right before and after it; with more dots, no match. `\d` is any Unicode decimal digit in Python.
 * @returns the salvaged number (maybe Infinity for absurdly long digit runs), or `undefined` for no match.
 */
export function digitTailNumber(s: string): number | undefined {
  let kept = '';
  let dots = 0;
  let adjacentDigits = false;
  let previousWasDigit = false;
  let digitBeforeDot = false;
  let digitAfterDot = false;
  for (let i = 0; i < s.length; i++) {
    const cp = s.codePointAt(i) ?? 0;
    if (cp > 0xffff) i++;
    const digit = decimalDigitValue(cp);
    if (digit >= 0) {
      if (previousWasDigit) adjacentDigits = true;
      if (dots === 1 && s.charCodeAt(i - (cp > 0xffff ? 2 : 1)) === 0x2e) digitAfterDot = true;
      kept += String.fromCharCode(0x30 + digit);
      previousWasDigit = true;
    } else {
      if (cp === 0x2e) {
        dots++;
        if (dots > 1) return undefined;
        digitBeforeDot = previousWasDigit;
        kept += '.';
      }
      previousWasDigit = false;
    }
  }
  const matches = dots === 0 ? adjacentDigits : digitBeforeDot && digitAfterDot;
  return matches ? Number(kept) : undefined;
}
