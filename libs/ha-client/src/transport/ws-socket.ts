import WebSocket from 'ws';
import type { RawData } from 'ws';
import { optionCheck } from '../errors.js';
import type { HaSocket, HaSocketFactory, HaSocketHandlers } from './socket.js';

/** 64 MiB: HA's supervisor proxy was raised to this after big installs' registries broke the 4 MiB default. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;

/** TLS settings for `wss://`. Certificates are verified unless `rejectUnauthorized` is explicitly `false`. */
export interface HaTlsOptions {
  /**
   * Extra trusted CA certificate(s) in PEM, e.g. for a self-signed HA certificate.
   * @default undefined (Node's bundled CAs)
   */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  /**
   * Verify the server certificate. Turning this off accepts any certificate (man-in-the-middle risk).
   * @default true
   */
  readonly rejectUnauthorized?: boolean;
  /**
   * Server name for SNI and certificate checks when it differs from the URL's host.
   * @default the URL's host
   */
  readonly servername?: string;
}

/** Options of {@link createWsSocketFactory}. */
export interface WsSocketFactoryOptions {
  /**
   * Largest inbound frame accepted, in bytes. `get_states` and the registry lists of big installs exceed 4 MiB.
   * @default 67108864 (64 MiB)
   */
  readonly maxPayloadBytes?: number;
  /**
   * TLS settings for `wss://` URLs.
   * @default {} (verify against Node's CAs)
   */
  readonly tls?: HaTlsOptions;
  /**
   * Extra HTTP headers for the upgrade request (e.g. for an authenticating reverse proxy).
   * @default {}
   */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The production socket factory, over the `ws` package. Every listener it adds to a `ws` instance is removed
 * when that socket closes, so reconnect cycles never accumulate listeners.
 */
export function createWsSocketFactory(options: WsSocketFactoryOptions = {}): HaSocketFactory {
  const { maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES, tls = {}, headers = {} } = options;
  optionCheck.integer('maxPayloadBytes', maxPayloadBytes, 1024);
  const ca = tls.ca === undefined ? {} : { ca: toCaList(tls.ca) };
  return (url, handlers) => {
    const ws = new WebSocket(url, {
      maxPayload: maxPayloadBytes,
      headers: { ...headers },
      rejectUnauthorized: tls.rejectUnauthorized ?? true,
      ...(tls.servername === undefined ? {} : { servername: tls.servername }),
      ...ca,
    });
    return adapt(ws, handlers);
  };
}

function adapt(ws: WebSocket, handlers: HaSocketHandlers): HaSocket {
  let closed = false;
  const onOpen = (): void => {
    handlers.onOpen();
  };
  const onMessage = (data: RawData): void => {
    // HA only sends TEXT frames; anything else decodes to text that the protocol layer rejects and counts.
    handlers.onMessage(rawToString(data));
  };
  const onError = (error: Error): void => {
    // The error listener stays for the socket's life: an EventEmitter without one throws 'error' as an uncaught
    // exception. After 'close' the client has moved on, so late errors have nothing left to affect.
    if (!closed) handlers.onError(error);
  };
  const onClose = (code: number, reason: Buffer): void => {
    closed = true;
    ws.off('open', onOpen);
    ws.off('message', onMessage);
    ws.off('close', onClose);
    handlers.onClose(code, reason.toString('utf8'));
  };
  ws.on('open', onOpen);
  ws.on('message', onMessage);
  ws.on('error', onError);
  ws.on('close', onClose);
  return {
    send: (text) => {
      ws.send(text);
    },
    close: (code, reason) => {
      ws.close(code, reason);
    },
    terminate: () => {
      ws.terminate();
    },
  };
}

function rawToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

function toCaList(ca: NonNullable<HaTlsOptions['ca']>): string | Buffer | (string | Buffer)[] {
  return typeof ca === 'string' || Buffer.isBuffer(ca) ? ca : Array.from(ca);
}
