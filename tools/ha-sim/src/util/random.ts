/**
 * A seeded pseudo-random source (sfc32, seeded through splitmix32), so that a home, its ids and its event
 * stream are reproducible from one number. Not for cryptography.
 */
export type RandomFn = () => number;

/** Returns a function yielding floats in [0, 1), fully determined by `seed`. */
export function createSeededRandom(seed: number): RandomFn {
  let s = seed >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
}

/** Small helpers over a RandomFn; kept as free functions so hot paths avoid an extra object. */
export function randomInt(random: RandomFn, minInclusive: number, maxInclusive: number): number {
  return minInclusive + Math.floor(random() * (maxInclusive - minInclusive + 1));
}

export function pick<T>(random: RandomFn, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new RangeError('pick() needs a non-empty list');
  return item;
}

const HEX = '0123456789abcdef';

/** 32 lower-case hex chars: the shape of HA's uuid4().hex ids (devices, entity registry ids, users). */
export function randomHexId(random: RandomFn): string {
  let out = '';
  for (let i = 0; i < 32; i++) out += HEX[Math.floor(random() * 16)] ?? '0';
  return out;
}

/** A MAC-like `aa:bb:cc:dd:ee:ff` (or longer, e.g. Zigbee IEEE with 8 bytes). */
export function randomMac(random: RandomFn, bytes = 6): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes; i++) {
    parts.push((HEX[Math.floor(random() * 16)] ?? '0') + (HEX[Math.floor(random() * 16)] ?? '0'));
  }
  return parts.join(':');
}
