/**
 * fnmatch globs, as HA's entity filter (`helpers/entityfilter.py`) and `component_config_glob`
 * (`helpers/entity_values.py`) use them through Python's `fnmatch.translate` (Lib/fnmatch.py, CPython 3.12):
 * case-sensitive, anchored at both ends, `*` any run and `?` any one character (`.` included), `[seq]` /
 * `[!seq]` sets with Python's range rules (glob-set.ts), an unclosed `[` a literal, consecutive stars one star.
 *
 * Matched without a regex: a regex engine backtracks (`*a*a*a*Z` took 2.4 s on one 255-character id).
 * Every token but `*` consumes exactly one character, so the classic greedy algorithm is exact: on a mismatch,
 * only the most recent `*` needs to absorb one more character. That is at most (tokens + 1) × (characters + 2)
 * steps, whatever the glob. The literal text before the first wildcard and after the last `*` is compared
 * first with `startsWith`/`endsWith`, so most ids a glob does not name cost a few character comparisons.
 */
import { setAccepts } from './glob-set.js';
import { ANY, compileGlob, LITERAL, STAR, type CompiledGlob } from './glob-tokens.js';

/** Globs compiled once; `matches` answers whether any of them matches the whole text. */
export interface GlobMatcher {
  /** Whether `text` matches at least one of the globs (`fnmatch.fnmatchcase`, any of them). */
  matches(text: string): boolean;
}

/** Counts the matcher's steps (loop iterations and characters compared); for tests that bound the work. */
export interface StepMeter {
  steps: number;
}

/** Compiles HA globs (duplicates once); `undefined` for an empty list, as HA builds no pattern then. */
export function compileGlobs(globs: readonly string[]): GlobMatcher | undefined {
  if (globs.length === 0) return undefined;
  const compiled = [...new Set(globs)].map(compileGlob);
  const [only] = compiled;
  if (compiled.length === 1 && only !== undefined) return { matches: (text) => runGlob(only, text) };
  return { matches: (text) => matchesAny(compiled, text) };
}

/** Whether any of `globs` matches `text`; `meter` adds up the steps of all of them. */
export function matchesAny(globs: readonly CompiledGlob[], text: string, meter?: StepMeter): boolean {
  for (const glob of globs) if (runGlob(glob, text, meter)) return true;
  return false;
}

/**
 * Whether `glob` matches all of `text`, in at most (tokens + 1) × (text code units + 2) steps: a mismatch lets
 * the most recent `*` absorb one more character (its start only moves forward), and between two of those the
 * token index only moves forward.
 */
export function runGlob(glob: CompiledGlob, text: string, meter?: StepMeter): boolean {
  const { kinds, cps, sets, prefix, suffix } = glob;
  const m = glob.length;
  const n = text.length;
  let steps = glob.prefixTokens + glob.suffixTokens;
  let matched: boolean | undefined;
  if (glob.prefixTokens === m) matched = text === prefix;
  else if (!text.startsWith(prefix)) matched = false;
  else if (suffix !== undefined && (n < prefix.length + suffix.length || !text.endsWith(suffix)))
    matched = false;
  let p = glob.prefixTokens; // next token
  let t = prefix.length; // next code unit of text
  let starP = -1; // the most recent `*`, and where its run of text ends
  let starT = 0;
  while (matched === undefined && t < n) {
    steps++;
    if (p < m) {
      const kind = kinds[p];
      if (kind === STAR) {
        starP = p++;
        starT = t;
        continue;
      }
      const cp = codePointAt(text, t, n);
      if (kind === ANY || (kind === LITERAL ? cps[p] === cp : setAccepts(sets[p] ?? NEVER, cp))) {
        p++;
        t += cp > 0xffff ? 2 : 1;
        continue;
      }
    }
    if (starP < 0) {
      matched = false;
    } else {
      // Let the last `*` absorb one more character and retry the tokens after it.
      p = starP + 1;
      starT += codePointAt(text, starT, n) > 0xffff ? 2 : 1;
      t = starT;
    }
  }
  if (matched === undefined) {
    while (p < m && kinds[p] === STAR) {
      steps++;
      p++;
    }
    matched = p === m;
  }
  if (meter !== undefined) meter.steps += steps;
  return matched;
}

const NEVER = { negated: false, ranges: [] };

/** The code point at `t`; a lone surrogate counts as one character, as it does in a Python `str`. */
function codePointAt(text: string, t: number, n: number): number {
  const c = text.charCodeAt(t);
  if (c < 0xd800 || c > 0xdbff || t + 1 >= n) return c;
  const low = text.charCodeAt(t + 1);
  return low >= 0xdc00 && low <= 0xdfff ? ((c - 0xd800) << 10) + (low - 0xdc00) + 0x10000 : c;
}
