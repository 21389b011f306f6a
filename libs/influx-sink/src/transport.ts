import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { finished } from 'node:stream/promises';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { check } from './options.js';

const gzipAsync = promisify(gzip);

/** Error bodies are kept up to this many characters: enough for InfluxDB's JSON, bounded against a proxy page. */
const MAX_ERROR_BODY_CHARS = 64 * 1024;

/** One write request, already addressed and authorized. */
export interface TransportRequest {
  /** Path and query, e.g. `/api/v2/write?org=o&bucket=b&precision=ns`. */
  readonly path: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Gzip the body when it is larger than this; `-1` never. */
  readonly gzipThresholdBytes: number;
  readonly signal: AbortSignal;
}

/** InfluxDB's answer. Any status is a response; only a failure to get one (network, timeout, abort) rejects. */
export interface TransportResponse {
  readonly status: number;
  /** The error body for a status >= 300 (InfluxDB's JSON or text), `''` otherwise. */
  readonly body: string;
  /** The raw `Retry-After` header, if any. */
  readonly retryAfter: string | undefined;
}

/** The HTTP layer of the sink; tests replace it with a fake. */
export interface InfluxTransport {
  post(request: TransportRequest): Promise<TransportResponse>;
  /** Releases sockets. */
  close(): void;
}

/** Options of {@link createHttpTransport}. */
export interface HttpTransportOptions {
  /** Deadline of one request, from sending to the end of the answer, in ms. @default 10000 */
  readonly requestTimeoutMs?: number;
  /**
   * zlib level of gzipped bodies, 1 (fastest) to 9 (smallest). @default 1: 0.43–0.47× the CPU of zlib's
   * default 6 for a body 14–21% larger, and 0.85–0.87× the CPU of level 3 for 4–5% more bytes
   * (`node tools/bench/sink/gzip-levels.mjs`): the core, not the link to InfluxDB, is what ingestion runs out of.
   */
  readonly gzipLevel?: number;
}

/**
 * The default transport: Node's `http`/`https` with a keep-alive agent, gzip (at a chosen level, on libuv's pool)
 * and one deadline per request. An answer with any status resolves; the body is read only for errors.
 */
export function createHttpTransport(url: string, options: HttpTransportOptions = {}): InfluxTransport {
  const base = new URL(url);
  const secure = base.protocol === 'https:';
  const agent = secure
    ? new HttpsAgent({ keepAlive: true, maxSockets: 16 })
    : new HttpAgent({ keepAlive: true, maxSockets: 16 });
  const send = secure ? httpsRequest : httpRequest;
  const prefix = base.pathname.replace(/\/+$/, '');
  const timeoutMs = check.duration('requestTimeoutMs', options.requestTimeoutMs ?? 10_000, 1);
  const level = options.gzipLevel ?? 1;

  async function post(request: TransportRequest): Promise<TransportResponse> {
    const raw = Buffer.from(request.body, 'utf8');
    const zipped = request.gzipThresholdBytes >= 0 && raw.length > request.gzipThresholdBytes;
    // On libuv's pool, in one go: the output buffer (`chunkSize`) fits the whole compressed body, so the
    // compression takes one trip to the pool, not one per 16 KiB of output, each waiting for a turn of an event
    // loop that is busy with HA's frames (https://nodejs.org/api/zlib.html#class-options).
    const body = zipped ? await gzipAsync(raw, { level, chunkSize: gzipChunkBytes(raw.length) }) : raw;
    request.signal.throwIfAborted();
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = AbortSignal.any([request.signal, deadline]);
    try {
      const response = await new Promise<IncomingMessage>((resolve, reject) => {
        const outgoing = send(
          base,
          {
            agent,
            method: 'POST',
            path: prefix + request.path,
            signal,
            headers: {
              ...request.headers,
              'content-type': 'text/plain; charset=utf-8',
              'content-length': body.length,
              ...(zipped ? { 'content-encoding': 'gzip' } : {}),
            },
          },
          resolve,
        );
        outgoing.on('error', reject);
        outgoing.end(body);
      });
      return await readResponse(response);
    } catch (error) {
      if (deadline.aborted && !request.signal.aborted) {
        throw new Error(`Request timed out after ${String(timeoutMs)} ms`, { cause: error });
      }
      throw error;
    }
  }

  return {
    post,
    close() {
      agent.destroy();
    },
  };
}

async function readResponse(response: IncomingMessage): Promise<TransportResponse> {
  const status = response.statusCode ?? 0;
  if (status < 300) {
    response.resume();
    await finished(response);
    return { status, body: '', retryAfter: undefined };
  }
  response.setEncoding('utf8');
  let body = '';
  for await (const chunk of response as AsyncIterable<string>) {
    if (body.length < MAX_ERROR_BODY_CHARS) body += chunk;
  }
  return {
    status,
    // InfluxDB 1.x behind some proxies says why only in a header.
    body: body.slice(0, MAX_ERROR_BODY_CHARS) || (headerValue(response.headers['x-influxdb-error']) ?? ''),
    retryAfter: headerValue(response.headers['retry-after']),
  };
}

/**
 * Line protocol compresses 5–20× at level 1, so a quarter of the body holds its output; a body that compresses less
 * takes a second trip. Never below zlib's own 16 KiB: a small batch allocates no more than before.
 */
function gzipChunkBytes(rawBytes: number): number {
  return Math.max(16 * 1024, rawBytes >> 2);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
