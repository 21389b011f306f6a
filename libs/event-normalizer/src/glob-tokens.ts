/**
 * An fnmatch glob read into tokens the way CPython's `fnmatch._translate` (Lib/fnmatch.py, 3.12) reads it:
 * `*` (consecutive stars are one), `?`, `[seq]` / `[!seq]` (glob-set.ts; an unclosed `[` is a literal) and
 * literal characters, by code point as Python indexes a `str`. Every token but `*` consumes one character.
 */
import { parseSet, type GlobSet } from './glob-set.js';

export const STAR = 0;
export const LITERAL = 1;
export const ANY = 2;
export const SET = 3;

/** A glob read into tokens (`*`, one literal code point, `?`, a `[…]` set); exported for the step tests. */
export interface CompiledGlob {
  /** Tokens; consecutive stars are one. */
  readonly length: number;
  /** Each token's kind: STAR, LITERAL, ANY or SET. */
  readonly kinds: Uint8Array;
  /** Each LITERAL's code point (0 for the other kinds). */
  readonly cps: Int32Array;
  /** Each SET's set (undefined for the other kinds). */
  readonly sets: readonly (GlobSet | undefined)[];
  /** The literal text the glob starts with, up to its first wildcard (or its end), and its token count. */
  readonly prefix: string;
  readonly prefixTokens: number;
  /** With a `*`: the literal text after the last one, which must end the text; undefined when not all literal. */
  readonly suffix: string | undefined;
  readonly suffixTokens: number;
}

/** Reads one glob into tokens, following `fnmatch._translate` character for character. */
export function compileGlob(pattern: string): CompiledGlob {
  const chars = Array.from(pattern); // code points, as Python indexes a str
  const kinds: number[] = [];
  const cps: number[] = [];
  const sets: (GlobSet | undefined)[] = [];
  const push = (kind: number, cp: number, set?: GlobSet): void => {
    kinds.push(kind);
    cps.push(cp);
    sets.push(set);
  };
  const n = chars.length;
  let i = 0;
  while (i < n) {
    const c = chars[i] ?? '';
    i++;
    if (c === '*') {
      if (kinds[kinds.length - 1] !== STAR) push(STAR, 0);
    } else if (c === '?') {
      push(ANY, 0);
    } else if (c === '[') {
      let j = i;
      if (j < n && chars[j] === '!') j++;
      if (j < n && chars[j] === ']') j++;
      while (j < n && chars[j] !== ']') j++;
      if (j >= n) {
        push(LITERAL, 0x5b); // an unclosed `[` is a literal
      } else {
        push(SET, 0, parseSet(chars, i, j));
        i = j + 1;
      }
    } else {
      push(LITERAL, c.codePointAt(0) ?? 0);
    }
  }
  return withAnchors(kinds, cps, sets);
}

/** Adds the literal prefix and suffix; a literal surrogate half stops them (text is compared by code point). */
function withAnchors(kinds: number[], cps: number[], sets: (GlobSet | undefined)[]): CompiledGlob {
  const plain = (k: number): boolean =>
    kinds[k] === LITERAL && ((cps[k] ?? 0) < 0xd800 || (cps[k] ?? 0) > 0xdfff);
  let prefixTokens = 0;
  while (prefixTokens < kinds.length && plain(prefixTokens)) prefixTokens++;
  const lastStar = kinds.lastIndexOf(STAR);
  let suffixFrom = kinds.length;
  while (suffixFrom > lastStar + 1 && plain(suffixFrom - 1)) suffixFrom--;
  const literal = lastStar >= 0 && suffixFrom === lastStar + 1;
  return {
    length: kinds.length,
    kinds: Uint8Array.from(kinds),
    cps: Int32Array.from(cps),
    sets,
    prefix: String.fromCodePoint(...cps.slice(0, prefixTokens)),
    prefixTokens,
    suffix: literal ? String.fromCodePoint(...cps.slice(suffixFrom)) : undefined,
    suffixTokens: literal ? kinds.length - suffixFrom : 0,
  };
}
