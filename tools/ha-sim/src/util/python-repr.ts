/**
 * Python's `repr()` of a JSON value, because HA's validation messages end in `Got <repr>`
 * (voluptuous `humanize_error`): `'abc'`, `None`, `True`, `[1, 2]`, `{'a': 1}`.
 */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number')
    return Number.isFinite(value) ? String(value) : value > 0 ? 'inf' : value < 0 ? '-inf' : 'nan';
  if (typeof value === 'string') return stringRepr(value);
  if (Array.isArray(value)) return '[' + value.map(pythonRepr).join(', ') + ']';
  if (typeof value === 'object') {
    return (
      '{' +
      Object.entries(value)
        .map(([key, item]) => `${stringRepr(key)}: ${pythonRepr(item)}`)
        .join(', ') +
      '}'
    );
  }
  return typeof value === 'bigint' ? value.toString() : 'None';
}

function stringRepr(text: string): string {
  // Python prefers single quotes and switches to double quotes when only single quotes occur inside.
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '\\') out += '\\\\';
    else if (char === quote) out += '\\' + quote;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += char;
  }
  return out + quote;
}
