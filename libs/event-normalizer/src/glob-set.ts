/**
 * One `[seq]` / `[!seq]` of an fnmatch glob, read with the rules of CPython's `fnmatch._translate`
 * (Lib/fnmatch.py, 3.12): the content is split at the hyphens that form ranges (a hyphen right after a range
 * end is a literal), reversed ranges are dropped by merging the chunks around them, and every other character,
 * `\`, `^`, `[`, `&`, `~` and `|` included, is a literal. Works on code points, as Python's `str` does.
 */

/** A compiled set: inclusive code point ranges, and whether the set is negated (`[!…]`). */
export interface GlobSet {
  readonly negated: boolean;
  /** `lo0, hi0, lo1, hi1, …`; empty and not negated never matches, empty and negated matches anything. */
  readonly ranges: readonly number[];
}

/** Whether code point `cp` is in `set`. Costs one comparison pair per range (bounded by the glob's length). */
export function setAccepts(set: GlobSet, cp: number): boolean {
  const ranges = set.ranges;
  for (let i = 0; i < ranges.length; i += 2) {
    if (cp >= (ranges[i] ?? 0) && cp <= (ranges[i + 1] ?? -1)) return !set.negated;
  }
  return set.negated;
}

/** Reads the set whose content is `chars[start, end)` (`chars` are the glob's code points). */
export function parseSet(chars: readonly string[], start: number, end: number): GlobSet {
  const negated = chars[start] === '!';
  const content = chars.slice(start, end);
  const chunks = content.includes('-') ? splitRanges(chars, start, end, negated) : [content];
  // Python writes the chunks joined by range hyphens into a regex class; read that class back as ranges.
  const ranges: number[] = [];
  let pendingLow: number | undefined; // the last character of the previous chunk: a range's low end
  chunks.forEach((chunk, index) => {
    const from = index === 0 && negated ? 1 : 0;
    const last = index < chunks.length - 1 ? chunk.length - 1 : chunk.length;
    for (let p = from; p < chunk.length; p++) {
      const cp = codePoint(chunk[p]);
      if (p === from && pendingLow !== undefined) {
        if (pendingLow <= cp) ranges.push(pendingLow, cp);
        pendingLow = undefined;
      } else if (p === last) {
        pendingLow = cp;
      } else {
        ranges.push(cp, cp);
      }
    }
  });
  return { negated, ranges };
}

/**
 * Python's chunking: `k = i+2 if pat[i] == '!' else i+1`, then each `pat.find('-', k, j)` ends a chunk and
 * the search resumes three characters on; an empty last chunk turns into a literal `-` on the one before.
 */
function splitRanges(chars: readonly string[], start: number, end: number, negated: boolean): string[][] {
  const chunks: string[][] = [];
  let i = start;
  let k = negated ? i + 2 : i + 1;
  for (;;) {
    k = indexOfHyphen(chars, k, end);
    if (k < 0) break;
    chunks.push(chars.slice(i, k));
    i = k + 1;
    k += 3;
  }
  const tail = chars.slice(i, end);
  if (tail.length > 0) chunks.push(tail);
  else chunks[chunks.length - 1]?.push('-');
  // "Remove empty ranges -- invalid in RE": a range whose low end is above its high end is merged away.
  for (let c = chunks.length - 1; c > 0; c--) {
    const left = chunks[c - 1] ?? [];
    const right = chunks[c] ?? [];
    if (left.length > 0 && right.length > 0 && codePoint(left[left.length - 1]) > codePoint(right[0])) {
      chunks[c - 1] = [...left.slice(0, -1), ...right.slice(1)];
      chunks.splice(c, 1);
    }
  }
  return chunks;
}

function indexOfHyphen(chars: readonly string[], from: number, end: number): number {
  for (let k = from; k < end; k++) if (chars[k] === '-') return k;
  return -1;
}

function codePoint(char: string | undefined): number {
  return char?.codePointAt(0) ?? 0;
}
