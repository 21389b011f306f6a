import type { RandomFn } from './random.js';

/** Crockford base32, the ULID alphabet (no I, L, O, U). */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A ULID as HA's `ulid_now()` makes them for context ids and config entry ids: 26 chars, 10 for the
 * 48-bit millisecond time, 16 for 80 random bits. Randomness comes from the injected source.
 */
export function ulid(timeMs: number, random: RandomFn): string {
  let t = Math.floor(timeMs);
  let time = '';
  for (let i = 0; i < 10; i++) {
    const mod = t % 32;
    time = (ALPHABET[mod] ?? '0') + time;
    t = (t - mod) / 32;
  }
  let rand = '';
  for (let i = 0; i < 16; i++) rand += ALPHABET[Math.floor(random() * 32)] ?? '0';
  return time + rand;
}

/** True when `value` has the ULID shape (used by tests and by the model's own checks). */
export function isUlid(value: string): boolean {
  return /^[0-9A-HJKMNP-TV-Z]{26}$/.test(value);
}
