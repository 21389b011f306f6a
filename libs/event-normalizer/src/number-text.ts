/**
 * Fast paths for the numbers on every line. Converting a double to its shortest decimal (`String(x)`) costs
 * more than the rest of a field, and most of our numbers already exist as text or as integers: a numeric
 * state is its own shortest decimal in the common case, durations and timestamps are whole microseconds.
 * Every fast path returns exactly what `String(x)` would (or what `formatTimestamp` would); the tests check it.
 */
import { formatTimestamp } from './line-format.js';
import type { Precision } from './types.js';

/**
 * Whether `String(Number(text)) === text`, decided by syntax alone: `-?(0|[1-9]\d*)(\.\d*[1-9])?`, no `-0`,
 * at most 15 significant digits and 15 integer digits, and no more than five zeros after `0.`. With at most
 * 15 significant digits (DBL_DIG) no shorter decimal maps to the same double, and in this range `String`
 * uses plain notation, so the text is already the shortest round-trip form.
 */
export function isCanonicalDecimal(text: string): boolean {
  const n = text.length;
  if (n === 0 || n > 18) return false;
  let i = text.charCodeAt(0) === 0x2d ? 1 : 0;
  const intStart = i;
  let c = text.charCodeAt(i);
  if (c === 0x30) {
    c = text.charCodeAt(++i);
  } else {
    while (c >= 0x30 && c <= 0x39) c = text.charCodeAt(++i);
  }
  const intDigits = i - intStart;
  if (intDigits === 0 || intDigits > 15) return false;
  if (i === n) return !(intStart === 1 && text.charCodeAt(1) === 0x30); // not "-0"
  if (c !== 0x2e) return false;
  const fracStart = ++i;
  let leadingZeros = 0;
  const intIsZero = text.charCodeAt(intStart) === 0x30;
  if (intIsZero) {
    while (text.charCodeAt(i) === 0x30) {
      i++;
      leadingZeros++;
    }
  }
  while (i < n) {
    c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
    i++;
  }
  const fracDigits = n - fracStart;
  if (fracDigits === 0 || text.charCodeAt(n - 1) === 0x30) return false;
  if (intIsZero) return leadingZeros <= 5 && fracDigits - leadingZeros <= 15;
  return intDigits + fracDigits <= 15;
}

const THREE_DIGITS: readonly string[] = Array.from({ length: 1000 }, (_, k) => String(k).padStart(3, '0'));

/** `String(us / 1e6)` for whole microseconds, without the double-to-decimal conversion when possible. */
export function microsAsSecondsText(us: number): string {
  if (!(us >= 0 && us < 1e15) || !Number.isInteger(us)) return String(us / 1_000_000);
  const whole = Math.floor(us / 1_000_000);
  const fraction = us - whole * 1_000_000;
  if (fraction === 0) return String(whole);
  let digits = (THREE_DIGITS[Math.floor(fraction / 1000)] ?? '') + (THREE_DIGITS[fraction % 1000] ?? '');
  let end = 6;
  while (digits.charCodeAt(end - 1) === 0x30) end--;
  if (end < 6) digits = digits.slice(0, end);
  return String(whole) + '.' + digits;
}

/**
 * A timestamp formatter equal to `formatTimestamp(us, precision)`, caching the text of the current second
 * (events arrive in time order, many per second) and padding the fraction from a table.
 */
export function createTimestampFormatter(precision: Precision): (us: number) => string {
  let cachedSecond = -1;
  let cachedText = '';
  return (us) => {
    if (!(us >= 1_000_000) || !Number.isSafeInteger(us) || precision === 's')
      return formatTimestamp(us, precision);
    const second = Math.floor(us / 1_000_000);
    if (second !== cachedSecond) {
      cachedSecond = second;
      cachedText = String(second);
    }
    const micros = us - second * 1_000_000;
    const millisText = THREE_DIGITS[Math.floor(micros / 1000)] ?? '';
    if (precision === 'ms') return cachedText + millisText;
    const microsText = THREE_DIGITS[micros % 1000] ?? '';
    return precision === 'us'
      ? cachedText + millisText + microsText
      : cachedText + millisText + microsText + '000';
  };
}
