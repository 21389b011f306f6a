import { describeError, HaInvalidArgumentError } from '../errors.js';

const WEBSOCKET_PATH = '/api/websocket';
/**
 * A path that already names a WebSocket endpoint: HA's own `/api/websocket`, or the Supervisor's proxy of it,
 * `ws://supervisor/core/websocket`, which an add-on uses (developers.home-assistant.io/docs/add-ons/communication).
 */
const ENDPOINT_PATH = /\/websocket$/;
const SCHEMES: Readonly<Record<string, string>> = {
  'http:': 'ws:',
  'https:': 'wss:',
  'ws:': 'ws:',
  'wss:': 'wss:',
};

/**
 * Turns what a user types (`http://ha.local:8123`, `https://ha.example/`, `ws://…/api/websocket`) into the
 * WebSocket endpoint HA serves at `/api/websocket`. A path prefix (HA behind a reverse proxy) is kept, and a path
 * that ends in `/websocket` (`ws://supervisor/core/websocket`) is the endpoint already.
 *
 * @throws HaInvalidArgumentError (`ERR_INVALID_OPTION`) for anything that is not an http(s)/ws(s) URL.
 */
export function normalizeHaUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch (error) {
    throw new HaInvalidArgumentError(
      'ERR_INVALID_OPTION',
      `Expected \`url\` to be an http(s):// or ws(s):// URL, got \`${redactUrl(input)}\` (${describeError(error).message})`,
    );
  }
  const scheme = SCHEMES[url.protocol];
  if (scheme === undefined) {
    throw new HaInvalidArgumentError(
      'ERR_INVALID_OPTION',
      `Expected \`url\` to use http, https, ws or wss, got \`${url.protocol}\``,
    );
  }
  url.protocol = scheme;
  url.hash = '';
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = ENDPOINT_PATH.test(path) ? path : `${path}${WEBSOCKET_PATH}`;
  return url.toString();
}

/** The URL with any `user:password@` removed, for messages and stats. */
export function redactUrl(input: string): string {
  try {
    const url = new URL(input);
    if (url.username === '' && url.password === '') return url.toString();
    url.username = 'redacted';
    url.password = '';
    return url.toString();
  } catch {
    // Not a URL at all: show only its head, so a secret pasted into the wrong setting cannot leak into a log.
    return input.length > 12 ? `${input.slice(0, 12)}… (${input.length} chars)` : input;
  }
}
