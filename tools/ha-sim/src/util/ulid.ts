import type { RandomFn } from './random.js';

/** Crockford base32, the ULID alphabet (no I, L, O, U). */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** All 1024 two-character pairs: a ULID is built 10 bits at a time (this is on the hot path of streams). */
const PAIRS: readonly string[] = Array.from(
  { length: 1024 },
  (_, i) => (ALPHABET[i >> 5] ?? '0') + (ALPHABET[i & 31] ?? '0'),
);

let cachedMs = Number.NaN;
let cachedTime = '';

function timePart(timeMs: number): string {
  if (timeMs === cachedMs) return cachedTime;
  let t = timeMs;
  let time = '';
  for (let i = 0; i < 10; i++) {
    const mod = t % 32;
    time = (ALPHABET[mod] ?? '0') + time;
    t = (t - mod) / 32;
  }
  cachedMs = timeMs;
  cachedTime = time;
  return time;
}

/**
 * A ULID as HA's `ulid_now()` makes them for context ids and config entry ids: 26 chars, 10 for the
 * 48-bit millisecond time, 16 for 80 random bits. Randomness comes from the injected source.
 */
export function ulid(timeMs: number, random: RandomFn): string {
  // 30 + 30 + 20 random bits, 10 bits (two characters) at a time.
  const a = Math.floor(random() * 1073741824);
  const b = Math.floor(random() * 1073741824);
  const c = Math.floor(random() * 1048576);
  return (
    timePart(Math.floor(timeMs)) +
    (PAIRS[a >> 20] as string) +
    (PAIRS[(a >> 10) & 1023] as string) +
    (PAIRS[a & 1023] as string) +
    (PAIRS[b >> 20] as string) +
    (PAIRS[(b >> 10) & 1023] as string) +
    (PAIRS[b & 1023] as string) +
    (PAIRS[c >> 10] as string) +
    (PAIRS[c & 1023] as string)
  );
}

/** True when `value` has the ULID shape (used by tests and by the model's own checks). */
export function isUlid(value: string): boolean {
  return /^[0-9A-HJKMNP-TV-Z]{26}$/.test(value);
}
