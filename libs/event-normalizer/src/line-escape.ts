/**
 * Line-protocol escaping. It matches `@influxdata/influxdb-client`'s `escape` (measurement: `,` space \n \r \t;
 * tag keys/values and field keys: also `=`; string values: `"` and `\`) and fixes the three places where the
 * client can emit a broken or injected line:
 * 1. A string field value with a newline or carriage return: the client writes it raw. InfluxDB 1.x happens to
 *    parse it inside quotes, but its docs forbid newlines in field values and any line-splitting consumer
 *    (batchers, Telegraf, our sink's line counts) would cut the point in two. We write `\n` / `\r`, which
 *    InfluxDB stores as those two characters: a documented, lossy but safe mapping.
 * 2. A backslash run right before an escaped separator in a name (`a\,b`): InfluxDB's key scanners look at
 *    the previous byte while its field scanners and line splitter skip backslash pairs, so an odd run lets
 *    the two disagree and the line breaks. We make such runs even by adding one backslash.
 * 3. A name ending in a backslash escapes the separator that follows it. We make the run even and end the
 *    name with an escaped space (InfluxDB reads back `…\\ `: lossy, but one point with the right keys).
 * A measurement starting with `#` would turn the line into a comment that InfluxDB silently skips, so the `#`
 * gets a backslash. Names without backslashes, newlines or a leading `#` come out exactly like the client's.
 */

/** Escapes a measurement name. */
export function escapeMeasurement(name: string): string {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 0x2c || c === 0x20 || c === 0x5c || c === 0x0a || c === 0x0d || c === 0x09) {
      return clientEscape(fixBackslashes(name, false), false);
    }
  }
  return name.charCodeAt(0) === 0x23 ? '\\' + name : name;
}

/** Escapes a tag key, a tag value or a field key. */
export function escapeKey(key: string): string {
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c === 0x2c || c === 0x20 || c === 0x3d || c === 0x5c || c === 0x0a || c === 0x0d || c === 0x09) {
      return clientEscape(fixBackslashes(key, true), true);
    }
  }
  return key;
}

/**
 * Fixes 2 and 3 above, on the raw name: escaping the result the client's way gives our escaping. Exported
 * so tests can state exactly that against the official client.
 */
export function fixBackslashes(name: string, isKey: boolean): string {
  let out = !isKey && name.charCodeAt(0) === 0x23 ? '\\' : '';
  let run = 0;
  let from = 0;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 0x5c) {
      run++;
      continue;
    }
    if (run % 2 === 1 && (c === 0x2c || c === 0x20 || (isKey && c === 0x3d))) {
      out += name.slice(from, i) + '\\';
      from = i;
    }
    run = 0;
  }
  out += name.slice(from);
  if (run > 0) out += run % 2 === 1 ? '\\ ' : ' ';
  return out;
}

/** `@influxdata/influxdb-client`'s escaper: `,` space (and `=` for keys) get a backslash; \n \r \t become letters. */
function clientEscape(s: string, isKey: boolean): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let replacement: string;
    if (c === 0x2c) replacement = '\\,';
    else if (c === 0x20) replacement = '\\ ';
    else if (c === 0x3d && isKey) replacement = '\\=';
    else if (c === 0x0a) replacement = '\\n';
    else if (c === 0x0d) replacement = '\\r';
    else if (c === 0x09) replacement = '\\t';
    else continue;
    out += s.slice(from, i) + replacement;
    from = i + 1;
  }
  return out + s.slice(from);
}

/** Quotes and escapes a string field value; never emits a raw newline or carriage return. */
export function quoteString(value: string): string {
  return '"' + escapeStringBody(value) + '"';
}

/** The escaped content of a string field value, without the quotes (the input itself when nothing to escape). */
export function escapeStringBody(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x22 || c === 0x5c || c === 0x0a || c === 0x0d) return escapeBodySlow(value, i);
  }
  return value;
}

function escapeBodySlow(value: string, start: number): string {
  let out = value.slice(0, start);
  let from = start;
  for (let i = start; i < value.length; i++) {
    const c = value.charCodeAt(i);
    let replacement: string;
    if (c === 0x22) replacement = '\\"';
    else if (c === 0x5c) replacement = '\\\\';
    else if (c === 0x0a) replacement = '\\n';
    else if (c === 0x0d) replacement = '\\r';
    else continue;
    out += value.slice(from, i) + replacement;
    from = i + 1;
  }
  return out + value.slice(from);
}

/** UTF-8 length of a JS string (lone surrogates count 3, as `TextEncoder` writes U+FFFD). */
export function utf8Length(s: string): number {
  let bytes = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 2; // 4 bytes for 2 code units
        i++;
      } else bytes += 2;
    } else bytes += 2;
  }
  return bytes;
}

/** Whether `s` takes more than `limit` bytes in UTF-8, computing the length only when it could. */
export function exceedsUtf8(s: string, limit: number): boolean {
  if (s.length > limit) return true;
  if (s.length * 3 <= limit) return false;
  return utf8Length(s) > limit;
}
