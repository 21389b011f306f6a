import fc from 'fast-check';
import { WebSocket } from 'ws';
import { createApp, type AppDeps } from './app.js';
import { createLiveStream } from './live-stream.js';
import { startHttpServer, type HttpServer } from './server.js';

function deps(overrides: Partial<AppDeps> = {}): AppDeps {
  return {
    health: () => ({ status: 'healthy' }),
    metrics: { contentType: 'text/plain', metrics: () => Promise.resolve('x 1\n') },
    liveStream: createLiveStream(),
    registry: {
      devices: () => ({ ok: true, body: { devices: [] } }),
      entities: () => ({ ok: true, body: { entities: [] } }),
      areas: () => ({ ok: true, body: { areas: [] } }),
    },
    apiToken: 'tok',
    corsAllowedOrigins: ['http://dash.local'],
    allowedHosts: [],
    ...overrides,
  };
}

const ROUTES = ['/', '/health', '/metrics', '/api/devices', '/api/entities', '/api/areas'];
const auth = { Authorization: 'Bearer tok' };
const rebinding = fc.domain().filter((d) => d.includes('.') && !/\.(local|localhost)$/i.test(d));

describe('the Host and Origin checks on every route', () => {
  const app = createApp(deps());

  it("refuses a rebinding name on every route, token or not (the issue's evil.example:8001 among them)", async () => {
    const res = await app.request('/api/devices', {
      headers: { ...auth, Host: 'evil.example:8001', Origin: 'http://evil.example:8001' },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'Host evil.example is not allowed: add it to ALLOWED_HOSTS' });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        rebinding,
        fc.integer({ min: 1, max: 65535 }),
        fc.boolean(),
        fc.boolean(),
        async (route, name, port, withToken, withOrigin) => {
          const host = `${name}:${String(port)}`;
          const headers: Record<string, string> = { Host: host, ...(withToken ? auth : {}) };
          if (withOrigin) headers['Origin'] = `http://${host.toLowerCase()}`;
          const refused = await app.request(route, { headers });
          expect(refused.status).toBe(403);
          expect(refused.headers.get('x-refused-reason')).toMatch(/^Host .* is not allowed/);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('serves LAN names on every route, and a foreign Origin is refused there', async () => {
    const lan = fc.oneof(fc.ipV4(), fc.constantFrom('localhost', 'homeiq-websocket', 'nas.local', '[::1]'));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), lan, rebinding, async (route, name, evil) => {
        const headers = { ...auth, Host: `${name}:8001` };
        expect((await app.request(route, { headers })).status).toBe(200);
        const same = await app.request(route, { headers: { ...headers, Origin: `http://${name}:8001` } });
        expect(same.status).toBe(200);
        const foreign = await app.request(route, { headers: { ...headers, Origin: `http://${evil}` } });
        expect(foreign.status).toBe(403);
      }),
      { numRuns: 60 },
    );
  });

  it('serves names listed in ALLOWED_HOSTS', async () => {
    const listed = createApp(deps({ allowedHosts: ['ingest.example.com', '*.home.example'] }));
    const ok = (host: string) => listed.request('/health', { headers: { Host: host } });
    expect((await ok('Ingest.Example.COM.:8001')).status).toBe(200);
    expect((await ok('pi.home.example')).status).toBe(200);
    expect((await ok('home.example.evil.example')).status).toBe(403);
  });
});

describe('the token', () => {
  const app = createApp(deps());

  it('accepts the Bearer scheme in any case (RFC 7235 §2.1), and nothing else', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        fc.constantFrom(' ', '  ', '\t'),
        async (flips, gap) => {
          const scheme = 'bearer'.replace(/./g, (ch, i: number) =>
            flips[i] === true ? ch.toUpperCase() : ch,
          );
          const res = await app.request('/api/areas', { headers: { Authorization: `${scheme}${gap}tok` } });
          expect(res.status).toBe(200);
          const wrong = await app.request('/api/areas', {
            headers: { Authorization: `${scheme}${gap}tok2` },
          });
          expect(wrong.status).toBe(401);
        },
      ),
    );
    for (const header of ['Basic dG9r', 'tok', 'Bearer', 'Bearertok'])
      expect((await app.request('/api/areas', { headers: { Authorization: header } })).status).toBe(401);
  });

  it('refuses ?token= on /api, saying where it is accepted', async () => {
    const res = await app.request('/api/devices?token=tok');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: '?token= is accepted on /ws only: send Authorization: Bearer <token>',
    });
  });
});

describe('the /ws upgrade over a real socket', () => {
  let server: HttpServer;
  const liveStream = createLiveStream({ flushIntervalMs: 10 });
  beforeAll(async () => {
    server = await startHttpServer(createApp(deps({ liveStream })), 0, '127.0.0.1');
  });
  afterAll(async () => {
    liveStream.close();
    await server.close();
  });

  /** Resolves with 'open' or the refusing status and reason. */
  function connect(path: string, headers: Record<string, string>): Promise<string> {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path}`, { headers });
    return new Promise((resolve) => {
      // A refused handshake ends in 'unexpected-response' first; an 'error' after it changes nothing.
      ws.once('error', (error) => {
        resolve(`error ${error.message}`);
      });
      ws.once('open', () => {
        ws.close();
        resolve('open');
      });
      ws.once('unexpected-response', (_req, res) => {
        resolve(`${String(res.statusCode)} ${String(res.headers['x-refused-reason'])}`);
        res.resume();
      });
    });
  }

  it("refuses the issue's rebinding upgrade with its reason, and accepts ?token= and lower-case bearer", async () => {
    const evil = { Host: 'evil.example:8001', Origin: 'http://evil.example:8001' };
    expect(await connect('/ws?token=tok', evil)).toBe(
      '403 Host evil.example is not allowed: add it to ALLOWED_HOSTS',
    );
    expect(await connect('/ws', evil)).toBe('403 Host evil.example is not allowed: add it to ALLOWED_HOSTS');
    expect(await connect('/ws?token=tok', { Origin: 'http://evil.example:8001' })).toMatch(/^403 Origin /);
    expect(await connect('/ws?token=tok', {})).toBe('open');
    expect(await connect('/ws', { Authorization: 'bearer tok' })).toBe('open');
    expect(
      await connect('/ws', {
        Host: 'homeiq-websocket:8001',
        Origin: 'http://homeiq-websocket:8001',
        Authorization: 'BEARER tok',
      }),
    ).toBe('open');
    expect(await connect('/ws?token=bad', {})).toBe('401 wrong token');
  });
});
