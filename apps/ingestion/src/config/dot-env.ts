import { parse } from 'dotenv';

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
  /** dotenv's own `parse` of the text. */
  readonly values: Readonly<Record<string, string>>;
  /** The line each variable was read from (the last one when it is set twice: that one wins). */
  readonly lines: ReadonlyMap<string, number>;
  readonly findings: readonly DotEnvFinding[];
}

/** A place in the text: 0-based row and column. */
interface Spot {
  readonly row: number;
  readonly col: number;
}

/** The start of an assignment: the variable's name, and where its value may begin. */
interface Head {
  readonly key: string;
  readonly exported: boolean;
  readonly colon: boolean;
  /** Just after the `=`, or after the `:` and the one blank that must follow it. */
  readonly value: Spot;
}

/** A value as written (quotes included, blanks around it trimmed) and the rows it spans. */
interface Written {
  readonly text: string;
  readonly firstRow: number;
  readonly lastRow: number;
  /** An unquoted value ended at a `#` that has no blank before it. */
  readonly hashGlued: boolean;
}

const QUOTES = new Set(['"', "'", '`']);
const isBlank = (ch: string | undefined) => ch !== undefined && /\s/.test(ch);
const isKeyChar = (ch: string | undefined) => ch !== undefined && /[\w.-]/.test(ch);
const skipBlanks = (row: string, col: number) => {
  let at = col;
  while (isBlank(row[at])) at++;
  return at;
};

/**
 * Reads `.env` text. The values are dotenv's own `parse` (the `dotenv` package, a runtime dependency). Beside it,
 * a scanner of ours walks the text row by row and notes each place where that reading was a guess, after the rules
 * dotenv's README documents ("Comments", "Multiline values", "What rules does the parsing engine follow?" in
 * https://github.com/motdotla/dotenv#readme): `#` starts a comment unless the value is quoted, so an unquoted value
 * ends there; `'`, `"` and `` ` `` quotes are removed, and a quoted value may span rows; blanks around an unquoted
 * value are trimmed. Where the README is silent (`export KEY=…`, `KEY: value`, a `\` before a quote, a line break
 * before `=` or after `:`) the scanner does what dotenv's parse does, as the hand-written cases in dot-env.test.ts
 * show; its generated tests check that the scanner finds exactly the variables dotenv's parse finds.
 */
export function readDotEnv(text: string): DotEnvFile {
  const rows = text.replace(/\r\n?/g, '\n').split('\n');
  const findings: DotEnvFinding[] = [];
  const lines = new Map<string, number>();
  const note = (kind: DotEnvFinding['kind'], line: number, key: string | undefined, message: string) => {
    findings.push({ kind, line, key, message: `.env line ${line}: ${message}` });
  };

  let row = 0;
  while (row < rows.length) {
    const content = (rows[row] ?? '').trim();
    const line = row + 1;
    const head = content === '' || content.startsWith('#') ? undefined : readHead(rows, row);
    if (head === undefined) {
      if (content !== '' && !content.startsWith('#'))
        note('not-key-value', line, undefined, 'is not KEY=VALUE and is ignored');
      row++;
      continue;
    }
    const { key } = head;
    const value = readValue(rows, head.value);
    const previous = lines.get(key);
    if (previous !== undefined)
      note('duplicate', line, key, `${key} is also set on line ${previous}; this line wins`);
    lines.set(key, line);
    if (head.exported) note('export-prefix', line, key, `${key} has an \`export \` prefix, which is ignored`);
    if (head.colon)
      note(
        'colon-separator',
        line,
        key,
        `${key} uses \`:\` instead of \`=\` (dotenv accepts it, Compose does not)`,
      );
    if (value.firstRow !== row)
      note(
        'not-key-value',
        line,
        key,
        `${key} has its \`=\` or value on a later line; write KEY=VALUE on one line`,
      );

    const quote = value.text[0] ?? '';
    if (QUOTES.has(quote)) {
      if (value.text.length < 2 || !value.text.endsWith(quote)) {
        note(
          'unterminated-quote',
          line,
          key,
          `${key}'s value opens a ${quote} quote that is not closed at the end of the value; it is taken as written, quote included`,
        );
      } else if (value.text.includes('\n')) {
        note(
          'multi-line',
          line,
          key,
          `${key}'s quoted value runs to line ${value.lastRow + 1}; check that the quote on line ${line} is closed where you meant`,
        );
      }
    } else if (value.hashGlued) {
      note(
        'hash-in-value',
        line,
        key,
        `${key}'s value contains \`#\` with no space before it: dotenv ends the value there (Docker Compose keeps it); quote the value, e.g. ${key}='…'`,
      );
    }
    row = value.lastRow + 1;
  }
  return { values: parse(text), lines, findings };
}

/**
 * `KEY=`, `export KEY=` or `KEY: ` at the start of `row`. A key alone on its row takes its `=` from the next row
 * that is not blank, when that row starts with one (dotenv lets blanks, line breaks included, stand before `=`).
 */
function readHead(rows: readonly string[], row: number): Head | undefined {
  const text = rows[row] ?? '';
  let col = skipBlanks(text, 0);
  let exported = false;
  if (
    text.startsWith('export', col) &&
    isBlank(text[col + 6]) &&
    isKeyChar(text[skipBlanks(text, col + 6)])
  ) {
    exported = true;
    col = skipBlanks(text, col + 6);
  }
  const start = col;
  while (isKeyChar(text[col])) col++;
  const key = text.slice(start, col);
  if (key === '') return undefined;
  if (text[col] === ':') {
    // The blank after `:` may be the line break itself; then the value starts on the next row.
    if (col + 1 < text.length)
      return isBlank(text[col + 1])
        ? { key, exported, colon: true, value: { row, col: col + 2 } }
        : undefined;
    return row + 1 < rows.length
      ? { key, exported, colon: true, value: { row: row + 1, col: 0 } }
      : undefined;
  }
  const at = skipBlanks(text, col);
  if (text[at] === '=') return { key, exported, colon: false, value: { row, col: at + 1 } };
  if (at < text.length) return undefined;
  for (let next = row + 1; next < rows.length; next++) {
    const later = rows[next] ?? '';
    const first = skipBlanks(later, 0);
    if (first === later.length) continue;
    return later[first] === '='
      ? { key, exported, colon: false, value: { row: next, col: first + 1 } }
      : undefined;
  }
  return undefined;
}

/**
 * The value that starts at `from`. A quote, even on a later row after blank ones, opens a quoted value when a
 * closing quote is followed by nothing but blanks or a `# comment` on its row; otherwise the value is the rest of
 * `from`'s row up to the first `#`, trimmed.
 */
function readValue(rows: readonly string[], from: Spot): Written {
  const first = firstNonBlank(rows, from);
  const open = first === undefined ? undefined : (rows[first.row] ?? '')[first.col];
  if (first !== undefined && open !== undefined && QUOTES.has(open)) {
    const close = closingQuote(rows, first, open);
    if (close !== undefined) {
      const body = [rows[first.row] ?? ''];
      for (let r = first.row + 1; r <= close.row; r++) body.push(rows[r] ?? '');
      const joined = body.join('\n');
      const end = joined.length - (rows[close.row] ?? '').length + close.col + 1;
      return {
        text: joined.slice(first.col, end),
        firstRow: first.row,
        lastRow: close.row,
        hashGlued: false,
      };
    }
  }
  const text = rows[from.row] ?? '';
  const hash = text.indexOf('#', from.col);
  const value = text.slice(from.col, hash === -1 ? text.length : hash).trim();
  const hashGlued = hash !== -1 && hash > 0 && !isBlank(text[hash - 1]);
  return { text: value, firstRow: from.row, lastRow: from.row, hashGlued };
}

/** The first character at or after `from` that is not blank, line breaks skipped. */
function firstNonBlank(rows: readonly string[], from: Spot): Spot | undefined {
  for (let row = from.row, col = from.col; row < rows.length; row++, col = 0) {
    const at = skipBlanks(rows[row] ?? '', col);
    if (at < (rows[row] ?? '').length) return { row, col: at };
  }
  return undefined;
}

/**
 * Where the quote opened at `open` closes. The first `quote` without a backslash before it closes the value; when
 * what follows it on its row is more than blanks or a comment, an earlier `\` + quote is tried as the close, the
 * last one first. Undefined when none fits: then the quote is not a quote, and the value is read unquoted.
 */
function closingQuote(rows: readonly string[], open: Spot, quote: string): Spot | undefined {
  const candidates: Spot[] = [];
  search: for (let row = open.row, col = open.col + 1; row < rows.length; row++, col = 0) {
    const text = rows[row] ?? '';
    for (; col < text.length; col++) {
      if (text[col] !== quote) continue;
      const before = col === 0 ? '\n' : text[col - 1];
      candidates.unshift({ row, col });
      if (before !== '\\') break search;
    }
  }
  return candidates.find(({ row, col }) => {
    const rest = (rows[row] ?? '').slice(col + 1).trim();
    return rest === '' || rest.startsWith('#');
  });
}
