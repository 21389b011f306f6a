import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { createHttpTransport, type InfluxTransport, type TransportRequest } from './transport.js';

/** What the server saw of one request. */
interface Seen {
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

let server: Server;
let url: string;
let seen: Seen[];
let answer: (req: IncomingMessage, res: ServerResponse) => void;
let transport: InfluxTransport | undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      answer(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
});

beforeEach(() => {
  seen = [];
  answer = (_req, res) => res.writeHead(204).end();
});

afterEach(() => {
  transport?.close();
  transport = undefined;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const request = (overrides: Partial<TransportRequest> = {}): TransportRequest => ({
  path: '/api/v2/write?org=o&bucket=b&precision=ns',
  body: 'm v=1 1',
  headers: { authorization: 'Token t' },
  gzipThresholdBytes: -1,
  signal: new AbortController().signal,
  ...overrides,
});

const lines = Array.from(
  { length: 200 },
  (_, i) => `m,entity_id=sensor.t${String(i % 7)} v=${String(i)} ${String(i)}`,
);

describe('createHttpTransport', () => {
  it('posts the body with its headers under the URL path, and resolves a 2xx without a body', async () => {
    transport = createHttpTransport(`${url}/influx/`);
    const response = await transport.post(request());
    expect(response).toEqual({ status: 204, body: '', retryAfter: undefined });
    expect(seen[0]?.path).toBe('/influx/api/v2/write?org=o&bucket=b&precision=ns');
    expect(seen[0]?.headers).toMatchObject({
      authorization: 'Token t',
      'content-type': 'text/plain; charset=utf-8',
      'content-length': '7',
    });
    expect(seen[0]?.headers['content-encoding']).toBeUndefined();
    expect(seen[0]?.body.toString()).toBe('m v=1 1');
  });

  it('gzips a body above the threshold at the chosen level (a higher level makes it smaller)', async () => {
    const body = lines.join('\n');
    const sizes: number[] = [];
    for (const gzipLevel of [1, 9]) {
      transport = createHttpTransport(url, { gzipLevel });
      await transport.post(request({ body, gzipThresholdBytes: 1000 }));
      transport.close();
      const last = seen.at(-1);
      expect(last?.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(last?.body ?? Buffer.alloc(0)).toString()).toBe(body);
      sizes.push(last?.body.length ?? 0);
    }
    expect(sizes[1]).toBeLessThan(sizes[0] ?? 0);
    transport = createHttpTransport(url);
    await transport.post(request({ body: 'm v=1 1', gzipThresholdBytes: 1000 }));
    expect(seen.at(-1)?.headers['content-encoding']).toBeUndefined();
  });

  it('resolves an error status with its body and Retry-After; a header reason when the body is empty', async () => {
    transport = createHttpTransport(url);
    answer = (_req, res) =>
      res
        .writeHead(429, { 'retry-after': '7', 'content-type': 'application/json' })
        .end('{"code":"too many requests","message":"slow down"}');
    expect(await transport.post(request())).toEqual({
      status: 429,
      body: '{"code":"too many requests","message":"slow down"}',
      retryAfter: '7',
    });
    answer = (_req, res) => res.writeHead(500, { 'x-influxdb-error': 'engine: disk full' }).end();
    expect(await transport.post(request())).toMatchObject({ status: 500, body: 'engine: disk full' });
  });

  it('rejects on a reset connection, past its deadline, and when aborted', async () => {
    transport = createHttpTransport(url, { requestTimeoutMs: 200 });
    answer = (req) => req.socket.destroy();
    await expect(transport.post(request())).rejects.toThrow(/socket hang up|ECONNRESET/);

    answer = () => undefined; // never answers
    await expect(transport.post(request())).rejects.toThrow('Request timed out after 200 ms');

    const controller = new AbortController();
    const pending = transport.post(request({ signal: controller.signal }));
    controller.abort(new Error('closing'));
    await expect(pending).rejects.toThrow();
    const aborted = new AbortController();
    aborted.abort();
    await expect(transport.post(request({ signal: aborted.signal }))).rejects.toThrow();
  });
});
