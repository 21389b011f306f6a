import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { HttpError, InfluxDB } from '@influxdata/influxdb-client';

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

/**
 * The default transport: `@influxdata/influxdb-client`'s Node transport (its gzip, timeouts, abort handling and
 * error-body parsing) with a keep-alive agent, and none of its WriteApi (which drops its retry buffer on close
 * and retries on its own schedule). Its `HttpError.retryAfter()` reads the header as milliseconds; InfluxDB
 * sends seconds, so the raw header is passed on instead.
 */
export function createClientTransport(url: string, requestTimeoutMs: number): InfluxTransport {
  const agent = url.startsWith('https:')
    ? new HttpsAgent({ keepAlive: true, maxSockets: 16 })
    : new HttpAgent({ keepAlive: true, maxSockets: 16 });
  const client = new InfluxDB({ url, timeout: requestTimeoutMs, transportOptions: { agent } });
  return {
    async post(request) {
      // The client's transport adds an abort listener per request and never removes it: give it a signal of
      // its own, linked to the caller's for this request only, so a long-lived signal does not collect them.
      const perRequest = new AbortController();
      const forward = (): void => {
        perRequest.abort(request.signal.reason);
      };
      if (request.signal.aborted) forward();
      request.signal.addEventListener('abort', forward, { once: true });
      try {
        return await send(request, perRequest.signal);
      } finally {
        request.signal.removeEventListener('abort', forward);
      }
    },
    close() {
      agent.destroy();
    },
  };

  function send(request: TransportRequest, signal: AbortSignal): Promise<TransportResponse> {
    return new Promise<TransportResponse>((resolve, reject) => {
      let status = 0;
      client.transport.send(
        request.path,
        request.body,
        {
          method: 'POST',
          headers: { ...request.headers },
          signal,
          ...(request.gzipThresholdBytes >= 0 ? { gzipThreshold: request.gzipThresholdBytes } : {}),
        },
        {
          responseStarted(_headers, statusCode) {
            status = statusCode ?? 0;
          },
          error(error) {
            if (error instanceof HttpError) {
              resolve({
                status: error.statusCode,
                body: error.body ?? '',
                retryAfter: headerValue(error.headers?.['retry-after']),
              });
            } else {
              reject(error);
            }
          },
          complete() {
            resolve({ status, body: '', retryAfter: undefined });
          },
        },
      );
    });
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
