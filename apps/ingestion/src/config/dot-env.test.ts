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
  unit: fc.constantFrom(...Array.from('aZ9#= \'"`\\nr'), '\n', '\r', ...Array.from('-:$')),
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

  it("finds exactly the variables dotenv's own parse finds, each on a line that names it, in any text", () => {
    const units = [...Array.from('AB_.=:# \'"`\\nrx'), '\n', '\r', 'export '];
    const text = fc.string({ unit: fc.constantFrom(...units), maxLength: 60 });
    fc.assert(
      fc.property(text, (t) => {
        const file = readDotEnv(t);
        expect([...file.lines.keys()].sort()).toEqual(Object.keys(parse(t)).sort());
        const rows = t.replace(/\r\n?/g, '\n').split('\n');
        for (const [key, line] of file.lines) expect(rows[line - 1]).toContain(key);
      }),
      { numRuns: 2000 },
    );
  });
});

/** Rows of a generated file with what dotenv reads from them and the guesses it makes, known by construction. */
interface Piece {
  readonly rows: readonly string[];
  readonly key?: string;
  readonly value?: string;
  /** Reported on the piece's first row; naming `key`, or no variable when there is none. */
  readonly kinds: readonly DotEnvFinding['kind'][];
}

const poolKey = fc.constantFrom('HA_TOKEN', 'LOG_LEVEL', 'a.b', 'c-d', 'X');
const word = fc.stringMatching(/^[a-z0-9]{1,8}$/);
/** One assignment row: `row` writes it, `value` is what dotenv reads from it. */
const assign = (
  row: (key: string, v: string) => string,
  kinds: readonly DotEnvFinding['kind'][],
  value = (v: string) => v,
): fc.Arbitrary<Piece> =>
  fc.tuple(poolKey, word).map(([key, v]) => ({ rows: [row(key, v)], key, value: value(v), kinds }));
/** Only the unclosed piece holds a backtick, and a word follows it there: no backtick can close it. */
const pieceArb: fc.Arbitrary<Piece> = fc.oneof(
  assign((k, v) => `${k}=${v}`, []),
  assign(
    (k, v) => `${k} = "${v} ${v}" # a note`,
    [],
    (v) => `${v} ${v}`,
  ),
  assign((k, v) => `${k}=${v}#${v}`, ['hash-in-value']),
  assign(
    (k, v) => `${k}=\`${v}`,
    ['unterminated-quote'],
    (v) => `\`${v}`,
  ),
  assign((k, v) => `export ${k}=${v}`, ['export-prefix']),
  assign((k, v) => `${k}: ${v}`, ['colon-separator']),
  fc.tuple(poolKey, fc.array(word, { minLength: 2, maxLength: 4 })).map(([key, parts]): Piece => ({
    rows: parts.map((p, i) => (i === 0 ? `${key}='${p}` : i === parts.length - 1 ? `${p}'` : p)),
    key,
    value: parts.join('\n'),
    kinds: ['multi-line'],
  })),
  fc
    .tuple(poolKey, word)
    .map(([key, v]): Piece => ({ rows: [key, `=${v}`], key, value: v, kinds: ['not-key-value'] })),
  word.map((w): Piece => ({ rows: [`just ${w}`], kinds: ['not-key-value'] })),
  fc
    .constantFrom('', '   ', '# a comment', '  # KEY=not-read')
    .map((row): Piece => ({ rows: [row], kinds: [] })),
);

describe('readDotEnv on generated files', () => {
  it('reports each guess on its line and nothing else, and places each variable on the line that wins', () => {
    fc.assert(
      fc.property(fc.array(pieceArb, { maxLength: 10 }), eolArb, fc.boolean(), (pieces, eol, last) => {
        const expected: { kind: DotEnvFinding['kind']; line: number; key: string | undefined }[] = [];
        const lines = new Map<string, number>();
        const values: Record<string, string> = {};
        let line = 1;
        for (const piece of pieces) {
          if (piece.key !== undefined && lines.has(piece.key))
            expected.push({ kind: 'duplicate', line, key: piece.key });
          for (const kind of piece.kinds) expected.push({ kind, line, key: piece.key });
          if (piece.key !== undefined) {
            lines.set(piece.key, line);
            values[piece.key] = piece.value ?? '';
          }
          line += piece.rows.length;
        }
        const text = pieces.flatMap((p) => p.rows).join(eol) + (last ? eol : '');
        const file = readDotEnv(text);
        const order = (a: { line: number; kind: string }, b: { line: number; kind: string }) =>
          a.line - b.line || a.kind.localeCompare(b.kind);
        expect(file.findings.map(({ kind, line: l, key }) => ({ kind, line: l, key })).sort(order)).toEqual(
          expected.sort(order),
        );
        expect(file.lines).toEqual(lines);
        expect(file.values).toEqual(values);
      }),
      { numRuns: 1000 },
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

  it('follows dotenv across rows: a quote after a backslash closes only when no later one can, and an `=` or value on the next row', () => {
    const escaped = readDotEnv("A='x\\'y\nB=2' \nC='x\\' # c\n");
    expect(escaped.values).toEqual({ A: "x\\'y\nB=2", C: 'x\\' });
    expect([...escaped.lines]).toEqual([
      ['A', 1],
      ['C', 3],
    ]);
    expect(escaped.findings.map((f) => [f.kind, f.line])).toEqual([['multi-line', 1]]);
    const split = readDotEnv("A=\n'x'\nB:\nC=1\nD\n=2\nexport\nE=3\n");
    expect(split.values).toEqual({ A: 'x', B: 'C=1', D: '2', E: '3' });
    expect([...split.lines]).toEqual([
      ['A', 1],
      ['B', 3],
      ['D', 5],
      ['E', 8],
    ]);
    expect(split.findings.map((f) => [f.kind, f.line, f.key])).toEqual([
      ['not-key-value', 1, 'A'],
      ['colon-separator', 3, 'B'],
      ['not-key-value', 3, 'B'],
      ['not-key-value', 5, 'D'],
      ['not-key-value', 7, undefined],
    ]);
  });
});
