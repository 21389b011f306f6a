/** What a `.env` line made the reader guess; `key` is undefined for a line that names no variable. */
export interface DotEnvFinding {
  readonly kind:
    | 'hash-in-value'
    | 'unterminated-quote'
    | 'multi-line'
    | 'duplicate'
    | 'not-key-value'
    | 'export-prefix'
    | 'colon-separator';
  /** 1-based, counted after CRLF and lone CR are read as line breaks (as dotenv does). */
  readonly line: number;
  readonly key: string | undefined;
  /** Names the variable and the line, never the value. */
  readonly message: string;
}

/** A `.env` file as dotenv reads it, and every place where that reading was a guess. */
export interface DotEnvFile {
  readonly values: Readonly<Record<string, string>>;
  /** The line each variable was read from (the last one when it is set twice: that one wins). */
  readonly lines: ReadonlyMap<string, number>;
  readonly findings: readonly DotEnvFinding[];
}

/**
 * dotenv's line pattern and value rules (motdotla/dotenv lib/main.js `parse`, 17.x), with the separator captured and
 * `d` for match indices. The service does not depend on dotenv at run time; dot-env.test.ts compares this reader
 * with dotenv's own `parse` on generated files, so a rule that differs fails there.
 */
const LINE =
  /(?:^|^)\s*(?:export\s+)?([\w.-]+)(\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/dgm;

const QUOTES = ['"', "'", '`'];

/** Reads `.env` text with dotenv's rules and reports what those rules had to guess. */
export function readDotEnv(text: string): DotEnvFile {
  const normalized = text.replace(/\r\n?/g, '\n');
  const lineOf = lineIndex(normalized);
  const findings: DotEnvFinding[] = [];
  const values: Record<string, string> = {};
  const lines = new Map<string, number>();
  const covered = new Set<number>();
  const note = (kind: DotEnvFinding['kind'], line: number, key: string | undefined, message: string) => {
    findings.push({ kind, line, key, message: `.env line ${line}: ${message}` });
  };

  for (const match of normalized.matchAll(LINE)) {
    const [keyStart, keyEnd] = match.indices?.[1] ?? [0, 0];
    const key = match[1] ?? '';
    const line = lineOf(keyStart);
    const end = match.index + match[0].length;
    for (let l = line; l <= lineOf(Math.max(keyStart, end - 1)); l++) covered.add(l);

    const previous = lines.get(key);
    if (previous !== undefined)
      note('duplicate', line, key, `${key} is also set on line ${previous}; this line wins`);
    lines.set(key, line);

    const lineStart = normalized.lastIndexOf('\n', keyStart - 1) + 1;
    if (/^\s*export\s/.test(normalized.slice(lineStart, keyStart)))
      note('export-prefix', line, key, `${key} has an \`export \` prefix, which is ignored`);

    const separatorEnd = match.indices?.[2]?.[1] ?? keyEnd;
    const raw = match[3] ?? '';
    const valueStart = match.indices?.[3]?.[0] ?? separatorEnd;
    if (!(match[2] ?? '').includes('='))
      note(
        'colon-separator',
        line,
        key,
        `${key} uses \`:\` instead of \`=\` (dotenv accepts it, Compose does not)`,
      );
    if (lineOf(valueStart + raw.length - raw.trimStart().length) !== line)
      note(
        'not-key-value',
        line,
        key,
        `${key} has its \`=\` or value on a later line; write KEY=VALUE on one line`,
      );

    const value = raw.trim();
    values[key] = unquote(value);
    const quote = QUOTES.find((q) => value.startsWith(q));
    if (quote !== undefined) {
      if (value.length < 2 || !value.endsWith(quote)) {
        note(
          'unterminated-quote',
          line,
          key,
          `${key}'s value opens a ${quote} quote that is not closed at the end of the value; it is taken as written, quote included`,
        );
      } else if (value.includes('\n')) {
        note(
          'multi-line',
          line,
          key,
          `${key}'s quoted value runs to line ${lineOf(valueStart + raw.length - 1)}; check that the quote on line ${line} is closed where you meant`,
        );
      }
    } else {
      const cut = valueStart + raw.length;
      const before = normalized[cut - 1] ?? '';
      if (normalized[cut] === '#' && !/\s/.test(before))
        note(
          'hash-in-value',
          line,
          key,
          `${key}'s value contains \`#\` with no space before it: dotenv ends the value there (Docker Compose keeps it); quote the value, e.g. ${key}='…'`,
        );
    }
  }

  normalized.split('\n').forEach((content, index) => {
    const trimmed = content.trim();
    if (!covered.has(index + 1) && trimmed !== '' && !trimmed.startsWith('#'))
      note('not-key-value', index + 1, undefined, 'is not KEY=VALUE and is ignored');
  });
  findings.sort((a, b) => a.line - b.line);
  return { values, lines, findings };
}

/** dotenv's value rule: surrounding quotes go; in double quotes `\\n` and `\\r` are a line feed and a return. */
function unquote(value: string): string {
  const bare = value.replace(/^(['"`])([\s\S]*)\1$/gm, '$2');
  return value.startsWith('"') ? bare.replace(/\\n/g, '\n').replace(/\\r/g, '\r') : bare;
}

/** Maps an offset in `text` to its 1-based line number. */
function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
}
