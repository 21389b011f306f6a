import fc from 'fast-check';
import { compileGlobs, matchesAny, runGlob, type StepMeter } from './glob.js';
import { compileGlob } from './glob-tokens.js';
import { compileGlobsRegExp } from './testing-internal/glob-regex.js';

/** The characters that mean something to fnmatch, plus a few that do not. */
const PATTERN_CHARS = ['a', 'b', 'z', '.', '_', '*', '?', '[', ']', '!', '-'];
const TEXT_CHARS = ['a', 'b', 'c', 'z', '.', '_', '-', '!', '[', ']'];

const pattern = (maxLength: number) =>
  fc.array(fc.constantFrom(...PATTERN_CHARS), { maxLength }).map((chars) => chars.join(''));
const text = (maxLength: number) =>
  fc.array(fc.constantFrom(...TEXT_CHARS), { maxLength }).map((chars) => chars.join(''));

/** A text built from the pattern (wildcards filled in), so that about half the cases match. */
const instanceOf = (glob: string) =>
  fc
    .tuple(...Array.from(glob, (c) => (c === '*' ? text(4) : c === '?' ? text(1) : fc.constant(c))))
    .map((parts) => parts.join(''));
const patternAndText = (maxPattern: number, maxText: number) =>
  pattern(maxPattern).chain((glob) => fc.tuple(fc.constant(glob), fc.oneof(text(maxText), instanceOf(glob))));

/** Plain fnmatch for globs without sets: DP over (token, character), Python's `*`/`?` semantics. */
function fnmatchDp(glob: string, subject: string): boolean {
  const p = Array.from(glob);
  const s = Array.from(subject);
  let row = Array.from({ length: s.length + 1 }, (_, j) => j === 0);
  for (const c of p) {
    const next = Array.from({ length: s.length + 1 }, () => false);
    next[0] = c === '*' && row[0] === true;
    for (let j = 1; j <= s.length; j++) {
      if (c === '*') next[j] = row[j] === true || next[j - 1] === true;
      else next[j] = row[j - 1] === true && (c === '?' || c === s[j - 1]);
    }
    row = next;
  }
  return row[s.length] === true;
}

const steps = (glob: string, subject: string): { matched: boolean; steps: number } => {
  const meter: StepMeter = { steps: 0 };
  const matched = runGlob(compileGlob(glob), subject, meter);
  return { matched, steps: meter.steps };
};

describe('compileGlobs: same answers as fnmatch', () => {
  it('agrees with the fnmatch.translate regex on every generated glob and id', () => {
    fc.assert(
      fc.property(patternAndText(12, 16), ([glob, subject]) => {
        const expected = compileGlobsRegExp([glob])?.test(subject) ?? false;
        expect(compileGlobs([glob])?.matches(subject)).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with a DP fnmatch on long ids for globs of `*`, `?` and literals', () => {
    const simple = fc
      .array(fc.constantFrom('a', 'b', '.', '*', '?'), { maxLength: 40 })
      .map((chars) => chars.join(''));
    const long = fc.array(fc.constantFrom('a', 'b', '.'), { maxLength: 255 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(simple, long, (glob, subject) => {
        expect(compileGlobs([glob])?.matches(subject)).toBe(fnmatchDp(glob, subject));
      }),
      { numRuns: 2000 },
    );
  });

  it('a list matches when any glob does, like the `|`-joined regex HA builds', () => {
    fc.assert(
      fc.property(fc.array(pattern(8), { minLength: 1, maxLength: 4 }), text(12), (globs, subject) => {
        const expected = compileGlobsRegExp(globs)?.test(subject) ?? false;
        expect(compileGlobs(globs)?.matches(subject)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
    expect(compileGlobs([])).toBeUndefined();
  });

  it.each([
    ['sensor.?', 'sensor.\u{1f600}', true], // one code point, as Python counts characters
    ['sensor.\u{1f600}', 'sensor.\u{1f600}', true],
    ['sensor.[\u{1f600}-\u{1f64f}]', 'sensor.\u{1f610}', true],
    ['sensor.[!\u{1f600}]', 'sensor.\u{1f600}', false],
    ['*', 'a\nb', true], // fnmatch.translate wraps the pattern in (?s:…)
    ['[!a]', '\n', true],
  ])('%j on %j → %p (code points, newlines)', (glob, subject, expected) => {
    expect(compileGlobs([glob])?.matches(subject)).toBe(expected);
  });
});

describe('compileGlobs: bounded work', () => {
  const bound = (glob: string, subject: string) => (compileGlob(glob).length + 1) * (subject.length + 2);
  const id255 = fc
    .array(fc.constantFrom('a', 'b', '_', '.'), { minLength: 255, maxLength: 255 })
    .map((chars) => chars.join(''));

  /** Runs of `*` (with `?`, letters, sets between them) ending in a character no generated id has. */
  const hostile = fc
    .array(fc.constantFrom('*', '**', '*?', '*a', '*[ab]'), { minLength: 1, maxLength: 40 })
    .map((parts) => `${parts.join('')}Z`);

  it('runs of `*` then a character the id lacks cost a linear number of steps on 255-character ids', () => {
    fc.assert(
      fc.property(hostile, id255, (glob, subject) => {
        const run = steps(glob, subject);
        expect(run.matched).toBe(false);
        expect(run.steps).toBeLessThanOrEqual(bound(glob, subject));
      }),
      { numRuns: 300 },
    );
    // The example: 12 stars and a `Z` (minutes per id through a backtracking regex).
    const example = steps('************Z', `sensor.${'a'.repeat(248)}`);
    expect(example.matched).toBe(false);
    expect(example.steps).toBeLessThanOrEqual(2 * 256); // `*Z`: two tokens
  });

  it('any generated glob stays within (tokens + 1) × (characters + 2) steps', () => {
    fc.assert(
      fc.property(pattern(64), id255, (glob, subject) => {
        expect(steps(glob, subject).steps).toBeLessThanOrEqual(bound(glob, subject));
      }),
      { numRuns: 500 },
    );
  });

  it('a list costs at most the sum of its globs', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(pattern(32), hostile), { minLength: 1, maxLength: 8 }),
        id255,
        (globs, subject) => {
          const meter: StepMeter = { steps: 0 };
          matchesAny(globs.map(compileGlob), subject, meter);
          const total = globs.reduce((sum, glob) => sum + bound(glob, subject), 0);
          expect(meter.steps).toBeLessThanOrEqual(total);
        },
      ),
      { numRuns: 300 },
    );
  });
});
