import { parse } from 'dotenv';
import fc from 'fast-check';
import { readDotEnv, type DotEnvFinding } from './dot-env.js';

/** The quotings the README documents, each with what it cannot hold; undefined when the value does not fit. */
const QUOTINGS: Record<string, (value: string) => string | undefined> = {
  unquoted: (v) => (/^[^\s'"`#][^#\r\n]*$/.test(v) && v.trim() === v ? v : undefined),
  // dotenv reads `\'` as a quote that does not close: a quoted value cannot end with a backslash.
  single: (v) => (/['\r]|\\$/.test(v) ? undefined : `'${v}'`),
  backtick: (v) => (/[`\r]|\\$/.test(v) ? undefined : `\`${v}\``),
  // In double quotes \n and \r are the only escapes: a value holding `"` or a literal `\n`/`\r` needs another quoting.
  double: (v) => (/"|\\[nr]|\\$/.test(v) ? undefined : `"${v.replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`),
};

const keyArb = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,12}$/);
const valueArb = fc.string({
  unit: fc.constantFrom(
    'a',
    'Z',
    '9',
    '#',
    '=',
    ' ',
    "'",
    '"',
    '`',
    '\\',
    'n',
    'r',
    '\n',
    '\r',
    '-',
    ':',
    '$',
  ),
  maxLength: 24,
});
const eolArb = fc.constantFrom('\n', '\r\n');
const spaceArb = fc.constantFrom('', ' ', '  ', '\t');

describe('readDotEnv', () => {
  it("refuses to guess silently on the issue's example: the value is cut at #, and it says so without the value", () => {
    const file = readDotEnv('INGESTION_API_TOKEN=ab#Xk29-very-long-random-secret\n');
    expect(file.values).toEqual({ INGESTION_API_TOKEN: 'ab' });
    expect(file.findings).toEqual([expect.objectContaining({ kind: 'hash-in-value', line: 1 })]);
    expect(file.findings[0]?.message).not.toContain('Xk29');
    expect(readDotEnv("INGESTION_API_TOKEN='ab#Xk29-very-long-random-secret'").values).toEqual({
      INGESTION_API_TOKEN: 'ab#Xk29-very-long-random-secret',
    });
  });

  it('round-trips every value written with a documented quoting, with comments, spaces and CRLF around it', () => {
    const entry = fc
      .record({
        key: keyArb,
        value: valueArb,
        quoting: fc.constantFrom(...Object.keys(QUOTINGS)),
        before: spaceArb,
        after: spaceArb,
        comment: fc.option(fc.constantFrom(' # note', '\t#', ' #x=1 "y"'), { nil: undefined }),
        eol: eolArb,
        blank: fc.constantFrom('', '# a comment line', '   '),
      })
      .filter((e) => QUOTINGS[e.quoting]?.(e.value) !== undefined);
    fc.assert(
      fc.property(
        fc.uniqueArray(entry, { selector: (e) => e.key, minLength: 1, maxLength: 8 }),
        (entries) => {
          const text = entries
            .map((e) => {
              const written = QUOTINGS[e.quoting]?.(e.value) ?? '';
              const blank = e.blank === '' ? '' : `${e.blank}${e.eol}`;
              return `${blank}${e.key}${e.before}=${e.after}${written}${e.comment ?? ''}${e.eol}`;
            })
            .join('');
          const file = readDotEnv(text);
          expect(file.values).toEqual(Object.fromEntries(entries.map((e) => [e.key, e.value])));
          const unexpected = file.findings.filter((f) => f.kind !== 'multi-line');
          expect(unexpected).toEqual([]);
        },
      ),
      { numRuns: 400 },
    );
  });

  /** One line that dotenv reads by guessing, and the findings that may report it. */
  const ambiguous: fc.Arbitrary<{ line: string; kinds: readonly DotEnvFinding['kind'][] }> = fc.oneof(
    fc
      .tuple(keyArb, fc.stringMatching(/^([^\s#'"`][^#\n\r]*[^\s#])?$/), fc.stringMatching(/^[^\n\r]*$/))
      .map(([k, a, b]) => ({ line: `${k}=${a}#${b}`, kinds: ['hash-in-value'] as const })),
    fc
      .tuple(keyArb, fc.constantFrom("'", '"', '`'), fc.stringMatching(/^[a-z #=]{0,10}$/))
      .map(([k, q, rest]) => ({
        line: `${k}=${q}${rest}`,
        kinds: ['unterminated-quote', 'multi-line'] as const,
      })),
    fc
      .tuple(keyArb, fc.stringMatching(/^[a-z]{1,8}$/))
      .map(([k, v]) => ({ line: `export ${k}=${v}`, kinds: ['export-prefix'] as const })),
    fc
      .tuple(keyArb, fc.stringMatching(/^[a-z]{1,8}$/))
      .map(([k, v]) => ({ line: `${k}: ${v}`, kinds: ['colon-separator'] as const })),
    fc
      .stringMatching(/^(=[a-z ]*|[a-z]+ [a-z ]*|[A-Z]+|[!@%]+[a-z= ]*)$/)
      .map((line) => ({ line, kinds: ['not-key-value'] as const })),
  );

  it('reports every ambiguous line, on its line, wherever it sits among plain ones', () => {
    const plain = fc.tuple(keyArb, fc.stringMatching(/^[a-z0-9]{0,8}$/)).map(([k, v]) => `${k}=${v}`);
    fc.assert(
      fc.property(fc.array(plain, { maxLength: 6 }), ambiguous, fc.nat(), eolArb, (plains, bad, at, eol) => {
        const lines = [...plains];
        const index = at % (lines.length + 1);
        lines.splice(index, 0, bad.line);
        const file = readDotEnv(lines.join(eol) + eol);
        const kinds = file.findings.filter((f) => f.line === index + 1).map((f) => f.kind);
        expect(kinds.some((k) => bad.kinds.includes(k))).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('reports a key set twice, naming the line that wins', () => {
    fc.assert(
      fc.property(keyArb, fc.nat(4), (key, gap) => {
        const filler = Array.from({ length: gap }, (_, i) => `OTHER_${i}=x`);
        const file = readDotEnv([`${key}=1`, ...filler, `${key}=2`].join('\n'));
        expect(file.values[key]).toBe('2');
        expect(file.findings).toContainEqual(
          expect.objectContaining({ kind: 'duplicate', key, line: gap + 2 }),
        );
      }),
    );
  });

  it("reads every text exactly as dotenv's own parse does", () => {
    const text = fc.string({
      unit: fc.constantFrom(
        'A',
        'B',
        '_',
        '.',
        '=',
        ':',
        '#',
        ' ',
        "'",
        '"',
        '`',
        '\\',
        'n',
        'r',
        '\n',
        '\r',
        'x',
      ),
      maxLength: 60,
    });
    fc.assert(
      fc.property(text, (t) => {
        const file = readDotEnv(t);
        expect(file.values).toEqual(parse(t));
        expect([...file.lines.keys()].sort()).toEqual(Object.keys(parse(t)).sort());
      }),
      { numRuns: 2000 },
    );
  });
});

describe('readDotEnv on hand-written files', () => {
  it('names the lines of a multi-line value, an unclosed quote and a stray line', () => {
    const file = readDotEnv("A='one\ntwo'\nB=\"open\njust words\nC=3\n");
    expect(file.values).toEqual({ A: 'one\ntwo', B: '"open', C: '3' });
    expect(file.findings.map((f) => f.message)).toEqual([
      ".env line 1: A's quoted value runs to line 2; check that the quote on line 1 is closed where you meant",
      `.env line 3: B's value opens a " quote that is not closed at the end of the value; it is taken as written, quote included`,
      '.env line 4: is not KEY=VALUE and is ignored',
    ]);
  });
});
