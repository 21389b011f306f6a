import { WebSocket } from 'ws';
import { createApp, type AppDeps } from './app.js';
import { createLiveStream } from './live-stream.js';
import { startHttpServer, type HttpServer } from './server.js';

function deps(overrides: Partial<AppDeps> = {}): AppDeps {
  return {
    health: () => ({ status: 'healthy', service: 'websocket-ingestion' }),
    metrics: { contentType: 'text/plain; version=0.0.4', metrics: () => Promise.resolve('x_total 1\n') },
    liveStream: createLiveStream(),
    registry: {
      devices: (params) => ({
        ok: true,
        body: { devices: [], count: 0, limit: Number(params['limit'] ?? 100) },
      }),
      entities: () => ({ ok: false, status: 422, error: 'limit must be between 1 and 10000' }),
      areas: () => ({ ok: true, body: '{"areas":[]}' }),
    },
    apiToken: undefined,
    corsAllowedOrigins: ['http://dash.local'],
    allowedHosts: [],
    ...overrides,
  };
}

describe('createApp', () => {
  it('serves /health with 200 when healthy or degraded and 503 when unhealthy', async () => {
    const healthy = await createApp(deps()).request('/health');
    expect(healthy.status).toBe(200);
    expect(await healthy.json()).toEqual({ status: 'healthy', service: 'websocket-ingestion' });
    const app = createApp(
      deps({ health: () => ({ status: 'unhealthy', reasons: ['connection: auth_invalid'] }) }),
    );
    expect((await app.request('/health')).status).toBe(503);
  });

  it('serves Prometheus text on /metrics with its content type', async () => {
    const res = await createApp(deps()).request('/metrics');
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4');
    expect(await res.text()).toBe('x_total 1\n');
  });

  it('serves the registry queries, with their 400s, and CORS for allowed origins', async () => {
    const app = createApp(deps());
    const res = await app.request('/api/devices?limit=5', { headers: { Origin: 'http://dash.local' } });
    expect(await res.json()).toEqual({ devices: [], count: 0, limit: 5 });
    expect(res.headers.get('access-control-allow-origin')).toBe('http://dash.local');
    const bad = await app.request('/api/entities?limit=0');
    expect(bad.status).toBe(422);
    expect(await bad.json()).toEqual({ error: 'limit must be between 1 and 10000' });
  });

  it('guards /api with INGESTION_API_TOKEN, leaving /health and /metrics open', async () => {
    const app = createApp(deps({ apiToken: 's3cret' }));
    expect((await app.request('/api/areas')).status).toBe(401);
    expect((await app.request('/api/areas', { headers: { Authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await app.request('/api/areas', { headers: { Authorization: 'Bearer s3cret' } })).status).toBe(
      200,
    );
    expect((await app.request('/health')).status).toBe(200);
  });

  it('serves the status page', async () => {
    const res = await createApp(deps()).request('/');
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('<title>HomeIQ Ingest</title>');
  });
});

describe('/ws over a real socket', () => {
  let server: HttpServer;
  const liveStream = createLiveStream({ flushIntervalMs: 10 });

  beforeAll(async () => {
    server = await startHttpServer(createApp(deps({ liveStream, apiToken: 'tok' })), 0, '127.0.0.1');
  });
  afterAll(async () => {
    liveStream.close();
    await server.close();
  });

  interface Client {
    ws: WebSocket;
    messages: unknown[];
    /** Resolves once `count` messages have arrived. */
    received(count: number): Promise<void>;
  }

  function open(path: string, headers: Record<string, string> = {}): Promise<Client> {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path}`, { headers });
    const messages: unknown[] = [];
    const waiters: { count: number; resolve: () => void }[] = [];
    ws.on('message', (data: Buffer) => {
      messages.push(JSON.parse(data.toString()));
      for (const w of waiters.filter((w) => messages.length >= w.count)) w.resolve();
    });
    const received = (count: number) =>
      messages.length >= count
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ count, resolve }));
    return new Promise((resolve, reject) => {
      ws.once('open', () => {
        resolve({ ws, messages, received });
      });
      ws.once('unexpected-response', (_req, res) => {
        reject(new Error(`HTTP ${String(res.statusCode)}`));
      });
    });
  }
  it('streams filtered events to a client that subscribed', async () => {
    const { ws, messages, received } = await open('/ws?token=tok');
    ws.send(JSON.stringify({ type: 'subscribe', domains: ['light'] }));
    await received(2);
    liveStream.publish({ entityId: 'sensor.x', domain: 'sensor' });
    liveStream.publish({ entityId: 'light.y', domain: 'light' });
    await received(3);
    expect(messages).toEqual([
      { type: 'connected', filter: {} },
      { type: 'subscribed', filter: { domains: ['light'] } },
      { type: 'events', events: [{ entityId: 'light.y', domain: 'light' }] },
    ]);
    ws.close();
  });

  it('refuses a wrong token and a foreign origin before upgrading', async () => {
    await expect(open('/ws?token=bad')).rejects.toThrow('HTTP 401');
    await expect(open('/ws?token=tok', { Origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    const { ws } = await open('/ws?token=tok', { Origin: 'http://dash.local' });
    ws.close();
  });
});
