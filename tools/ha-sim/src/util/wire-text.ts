/**
 * "Wire text": a string holding UTF-8 bytes, one byte per char (latin1), the way Python holds `bytes`.
 * Everything queued to a client is kept in this form, so that a coalesced frame becomes a Buffer with a
 * plain copy (`Buffer.from(frame, 'latin1')`) instead of a UTF-8 encode of a megabyte per frame — the
 * largest single cost of pushing 200,000 events/s. HA's own messages are bytes too (orjson).
 * ASCII text is already wire text, which is the common case.
 */

const ASCII = /^[\x00-\x7f]*$/;

/** Text → wire text (UTF-8 bytes as latin1 chars). */
export function toWire(text: string): string {
  return ASCII.test(text) ? text : Buffer.from(text, 'utf8').toString('latin1');
}

/** Wire text → text. */
export function fromWire(wire: string): string {
  return ASCII.test(wire) ? wire : Buffer.from(wire, 'latin1').toString('utf8');
}

// Printable ASCII without `"` and `\`: a JSON string of these is the text in quotes.
const PLAIN = /^[ !#-[\]-~]*$/;

/** A JSON string literal as wire text; the common plain-ASCII case skips JSON.stringify. */
export function wireString(text: string): string {
  return PLAIN.test(text) ? '"' + text + '"' : toWire(JSON.stringify(text));
}

/** `JSON.stringify` straight to wire text. */
export function wireJson(value: unknown): string {
  return value === undefined ? 'null' : toWire(JSON.stringify(value));
}
