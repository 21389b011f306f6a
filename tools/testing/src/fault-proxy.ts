import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';

/** Options of {@link startFaultProxy}. */
export interface FaultProxyOptions {
  /** Base URL of the real InfluxDB every request is forwarded to, e.g. `influxd2.url`. */
  readonly target: string;
  /** Port on 127.0.0.1. @default a free port */
  readonly port?: number;
}

/** A fault the proxy plays instead of (or before) forwarding the next write requests. */
export interface InfluxFault {
  /** Answer with this status and do not forward. */
  readonly status?: number;
  /** `Retry-After` header to send with `status`. */
  readonly retryAfter?: string;
  /** Body to send with `status`. @default an InfluxDB 2.x JSON error */
  readonly body?: string;
  /** Wait this long first (then apply `status`, or forward). */
  readonly delayMs?: number;
  /** Destroy the connection without an answer. */
  readonly reset?: boolean;
  /**
   * Forward the write with its body mangled into bytes that are not gzip while `Content-Encoding: gzip` stays, as a
   * broken middlebox would: the real server answers (InfluxDB 2.8: 500 "internal error"), not the proxy.
   */
  readonly corruptBody?: boolean;
  /** Apply only to writes whose line protocol (gzip decoded) contains this text. @default every write */
  readonly match?: string;
  /** How many write requests it applies to. @default 1 */
  readonly times?: number;
}

/** A running proxy. */
export interface FaultProxy {
  /** Base URL to give the client instead of the server's. */
  readonly url: string;
  /** Queues a fault for the next write request(s); faults apply in the order injected. */
  inject(fault: InfluxFault): void;
  clearFaults(): void;
  /** Write requests received, and their statuses in order (0: the connection was reset or the target was down). */
  readonly writes: readonly number[];
  /** When each of `writes` was answered (`Date.now()`), index for index. */
  readonly writeTimes: readonly number[];
  close(): Promise<void>;
}

/** Write paths of InfluxDB 1.x, 2.x and 3 (the 2.x- and 1.x-compatible ones included). */
const WRITE_PATHS = new Set(['/write', '/api/v2/write', '/api/v3/write_lp']);

/**
 * A fault-injecting forwarder for tests: every request goes to a real InfluxDB unchanged (method, path, query,
 * headers, body) and its answer comes back unchanged. Injected faults replace or delay that for write requests:
 * statuses with `Retry-After`, delays (stalls), resets, a mangled body. It never answers a write on its own
 * otherwise; when the target is unreachable the client's connection is reset, as the server's own would be.
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const faults: { fault: InfluxFault; remaining: number }[] = [];
  const writes: number[] = [];
  const writeTimes: number[] = [];
  const record = (status: number): void => {
    writes.push(status);
    writeTimes.push(Date.now());
  };

  async function handle(req: IncomingMessage, res: ServerResponse, isWrite: boolean): Promise<void> {
    const body = await readBody(req);
    let fault: InfluxFault | undefined;
    const at = isWrite ? faults.findIndex((f) => applies(f.fault, req, body)) : -1;
    const next = faults[at];
    if (next) {
      fault = next.fault;
      if (--next.remaining <= 0) faults.splice(at, 1);
    }
    if (fault?.delayMs !== undefined) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault?.reset) {
      req.socket.destroy();
      record(0);
      return;
    }
    if (fault?.status !== undefined) {
      const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
      if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
      res.writeHead(fault.status, headers);
      res.end(fault.body ?? JSON.stringify({ code: 'internal error', message: 'injected fault' }));
      record(fault.status);
      return;
    }
    const forwarded = fault?.corruptBody ? Buffer.from(`not gzip: ${body.toString('base64')}`) : body;
    const status = await forward(req, res, forwarded);
    if (isWrite) record(status);
  }

  function forward(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<number> {
    return new Promise((resolve) => {
      const headers = { ...req.headers, host: target.host, 'content-length': String(body.length) };
      const upstream = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on('end', () => {
            resolve(answer.statusCode ?? 0);
          });
          answer.on('error', () => {
            res.destroy();
            resolve(0);
          });
        },
      );
      upstream.on('error', () => {
        req.socket.destroy();
        resolve(0);
      });
      upstream.end(body);
    });
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://proxy').pathname;
    handle(req, res, req.method === 'POST' && WRITE_PATHS.has(path)).catch(() => {
      req.socket.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    inject(fault) {
      faults.push({ fault, remaining: fault.times ?? 1 });
    },
    clearFaults() {
      faults.length = 0;
    },
    get writes() {
      return writes;
    },
    get writeTimes() {
      return writeTimes;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    },
  };
}

function applies(fault: InfluxFault, req: IncomingMessage, body: Buffer): boolean {
  if (fault.match === undefined) return true;
  let text: string;
  try {
    text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8');
  } catch {
    text = body.toString('utf8');
  }
  return text.includes(fault.match);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}
