import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';

const gunzipAsync = promisify(gunzip);

/** Options of {@link startInfluxV2Proxy}. */
export interface InfluxV2ProxyOptions {
  /** Base URL of the InfluxDB 1.x server to forward to, e.g. `influxd.url`. */
  readonly target: string;
  /** The token a write must carry (`Authorization: Token …`); anything else gets 401. @default 'test-token' */
  readonly token?: string;
  /** Port on 127.0.0.1. @default a free port */
  readonly port?: number;
}

/** A fault the proxy plays instead of (or before) forwarding the next write requests. */
export interface InfluxFault {
  /** Answer with this status and do not forward. */
  readonly status?: number;
  /** `Retry-After` header to send with `status`. */
  readonly retryAfter?: string;
  /** Body to send with `status`. @default a v2 JSON error */
  readonly body?: string;
  /** Wait this long first (then apply `status`, or forward). */
  readonly delayMs?: number;
  /** Destroy the connection without an answer. */
  readonly reset?: boolean;
  /** How many write requests it applies to. @default 1 */
  readonly times?: number;
}

/** A running proxy. */
export interface InfluxV2Proxy {
  /** Base URL to give a v2 client, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** Queues a fault for the next write request(s); faults apply in the order injected. */
  inject(fault: InfluxFault): void;
  clearFaults(): void;
  /** Write requests received, and their statuses in order (0: the connection was reset). */
  readonly writes: readonly number[];
  /** When each of `writes` was answered (`Date.now()`), index for index. */
  readonly writeTimes: readonly number[];
  close(): Promise<void>;
}

/** InfluxDB 2.x precision names → 1.x `precision` values (1.x reads `us` as nanoseconds). */
const PRECISION: Readonly<Record<string, string>> = { ns: 'ns', us: 'u', ms: 'ms', s: 's' };

/**
 * A v2 → v1 translating proxy for tests: `POST /api/v2/write?org&bucket&precision` with `Authorization: Token`
 * (gzip bodies decoded) becomes `POST /write?db&rp&precision` on a real InfluxDB 1.x, so a v2 client's real
 * HTTP code runs against a real storage engine. `bucket` is `db` or `db/rp` (the 1.8 convention). Also serves
 * `/health` and `/ping`, and plays injected faults (statuses with `Retry-After`, delays, resets).
 * When the target is down it answers 503, as a v2 server behind a load balancer would.
 */
export async function startInfluxV2Proxy(options: InfluxV2ProxyOptions): Promise<InfluxV2Proxy> {
  const target = options.target.replace(/\/+$/, '');
  const token = options.token ?? 'test-token';
  const faults: { fault: InfluxFault; remaining: number }[] = [];
  const writes: number[] = [];
  const writeTimes: number[] = [];
  const record = (status: number): void => {
    writes.push(status);
    writeTimes.push(Date.now());
  };

  async function handleWrite(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const next = faults[0];
    if (next) {
      const fault = next.fault;
      if (--next.remaining <= 0) faults.shift();
      if (fault.delayMs !== undefined) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault.reset) {
        req.socket.destroy();
        record(0);
        return;
      }
      if (fault.status !== undefined) {
        await readBody(req);
        const headers = fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter };
        send(res, fault.status, fault.body ?? v2Error(fault.status, 'injected fault'), headers);
        record(fault.status);
        return;
      }
    }
    record(await forwardWrite(req, res, url));
  }

  async function forwardWrite(req: IncomingMessage, res: ServerResponse, url: URL): Promise<number> {
    const body = await readBody(req);
    if (req.headers.authorization !== `Token ${token}`) {
      return send(res, 401, v2Error(401, 'unauthorized access'));
    }
    const bucket = url.searchParams.get('bucket') ?? '';
    const precision = PRECISION[url.searchParams.get('precision') ?? 'ns'];
    if (bucket === '' || precision === undefined) {
      return send(res, 400, v2Error(400, bucket === '' ? 'bucket not specified' : 'invalid precision'));
    }
    const [db = '', rp] = bucket.split('/');
    const params = new URLSearchParams({ db, precision });
    if (rp !== undefined && rp !== '') params.set('rp', rp);
    const encoding = req.headers['content-encoding'];
    let lines: Buffer;
    try {
      lines = encoding === 'gzip' ? await gunzipAsync(body) : body;
    } catch {
      return send(res, 400, v2Error(400, 'cannot decode the gzip body'));
    }
    let upstream: Response;
    try {
      upstream = await fetch(`${target}/write?${params.toString()}`, { method: 'POST', body: lines });
    } catch (error) {
      return send(res, 503, v2Error(503, `influxd unreachable: ${String(error)}`));
    }
    if (upstream.status === 204) return send(res, 204, '');
    const text = await upstream.text();
    const message = (JSON.parse(text || '{}') as { error?: string }).error ?? text;
    const v2Message = upstream.status === 404 ? `bucket "${bucket}" not found` : message;
    return send(res, upstream.status, v2Error(upstream.status, v2Message));
  }

  async function handlePing(res: ServerResponse, health: boolean): Promise<void> {
    let up = false;
    try {
      up = (await fetch(`${target}/ping`)).status === 204;
    } catch {
      // The target is down: `up` stays false and the answer says so.
    }
    if (!health) {
      send(res, up ? 204 : 503, '', { 'x-influxdb-version': '1.x-v2-proxy' });
      return;
    }
    send(
      res,
      up ? 200 : 503,
      JSON.stringify({
        name: 'influxdb',
        status: up ? 'pass' : 'fail',
        message: up ? 'ready' : 'down',
        checks: [],
      }),
    );
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    let handled: Promise<void>;
    if (req.method === 'POST' && url.pathname === '/api/v2/write') handled = handleWrite(req, res, url);
    else if (url.pathname === '/ping') handled = handlePing(res, false);
    else if (url.pathname === '/health') handled = handlePing(res, true);
    else handled = Promise.resolve(void send(res, 404, v2Error(404, 'path not found')));
    handled.catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, v2Error(500, String(error)));
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

function send(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): number {
  const type = body === '' ? {} : { 'content-type': 'application/json; charset=utf-8' };
  res.writeHead(status, { ...type, ...headers });
  res.end(body);
  return status;
}

/** The error shape of InfluxDB 2.x: `{"code": "...", "message": "..."}`. */
function v2Error(status: number, message: string): string {
  const code =
    status === 401
      ? 'unauthorized'
      : status === 404
        ? 'not found'
        : status === 429
          ? 'too many requests'
          : status >= 500
            ? 'internal error'
            : 'invalid';
  return JSON.stringify({ code, message });
}
