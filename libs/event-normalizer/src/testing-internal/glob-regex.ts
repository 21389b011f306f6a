/**
 * The regex translation glob.ts used before its linear matcher (`fnmatch.translate` ported to a JS RegExp),
 * kept as an independent oracle for glob.test.ts on inputs small enough that its backtracking is harmless.
 * Not part of the published build. Known difference: it reads the glob by UTF-16 code unit, so a literal
 * outside the BMP never matches; the tests keep to the BMP.
 */

/** Compiles HA globs into one anchored RegExp (HA joins them with `|` and uses `pattern.match`). */
export function compileGlobsRegExp(globs: readonly string[]): RegExp | undefined {
  if (globs.length === 0) return undefined;
  const unique = [...new Set(globs)];
  return new RegExp(`^(?:${unique.map((glob) => `${translateGlob(glob)}$`).join('|')})`, 'u');
}

/** The JS regex source (unanchored) equivalent to `fnmatch.translate(glob)` without its `\Z`. */
export function translateGlob(pattern: string): string {
  let out = '';
  let lastWasStar = false;
  const n = pattern.length;
  let i = 0;
  while (i < n) {
    const c = pattern.charAt(i);
    i++;
    if (c === '*') {
      if (!lastWasStar) out += '[\\s\\S]*'; // consecutive stars collapse into one
      lastWasStar = true;
      continue;
    }
    lastWasStar = false;
    if (c === '?') {
      out += '[\\s\\S]';
    } else if (c === '[') {
      let j = i;
      if (j < n && pattern.charAt(j) === '!') j++;
      if (j < n && pattern.charAt(j) === ']') j++;
      while (j < n && pattern.charAt(j) !== ']') j++;
      if (j >= n) {
        out += '\\[';
      } else {
        out += translateSet(pattern, i, j);
        i = j + 1;
      }
    } else {
      out += literal(c);
    }
  }
  return out;
}

/** One `[...]` set whose content is `pattern[start, end)`, following `fnmatch._translate`. */
function translateSet(pattern: string, start: number, end: number): string {
  const negated = pattern.charAt(start) === '!';
  const chunks: string[] = [];
  let i = start;
  if (!pattern.slice(start, end).includes('-')) {
    chunks.push(pattern.slice(start, end));
  } else {
    // Python splits at the hyphens that form ranges; a hyphen right after a range end is a literal.
    let k = negated ? i + 2 : i + 1;
    for (;;) {
      k = pattern.indexOf('-', k);
      if (k < 0 || k >= end) break;
      chunks.push(pattern.slice(i, k));
      i = k + 1;
      k = k + 3;
    }
    const chunk = pattern.slice(i, end);
    if (chunk !== '') chunks.push(chunk);
    else chunks[chunks.length - 1] = (chunks[chunks.length - 1] ?? '') + '-';
    // Remove empty (reversed) ranges, as Python does, by merging the chunks around them.
    for (let k2 = chunks.length - 1; k2 > 0; k2--) {
      const left = chunks[k2 - 1] ?? '';
      const right = chunks[k2] ?? '';
      if (left !== '' && right !== '' && left.slice(-1) > right.charAt(0)) {
        chunks[k2 - 1] = left.slice(0, -1) + right.slice(1);
        chunks.splice(k2, 1);
      }
    }
  }
  const flat = chunks.join('-');
  if (flat === '') return '(?!)'; // empty set: never matches
  if (flat === '!') return '[\\s\\S]'; // negated empty set: any character
  // Rebuild as a JS class: every character escaped, only the joins between chunks are range hyphens.
  let body = '';
  chunks.forEach((part, index) => {
    const from = index === 0 && negated ? 1 : 0;
    for (let p = from; p < part.length; p++) body += classChar(part.charAt(p));
    if (index < chunks.length - 1) body += '-';
  });
  return `[${negated ? '^' : ''}${body}]`;
}

function literal(c: string): string {
  return /[A-Za-z0-9_]/.test(c) ? c : classChar(c);
}

function classChar(c: string): string {
  return `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`;
}
