import fc from 'fast-check';
import { createApp, type AppDeps } from './app.js';
import { ingressPath } from './guards.js';
import { createLiveStream } from './live-stream.js';

/** Home Assistant ingress (add-on mode): the proxy's address is the only way in, and the page follows its path. */
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
    apiToken: 's3cret',
    corsAllowedOrigins: [],
    allowedHosts: [],
    ingressProxies: ['172.30.32.2'],
    ...overrides,
  };
}

/** What @hono/node-server passes as the app's env: the Node request, whose socket has the peer's address. */
const from = (remoteAddress: string | undefined) => ({ incoming: { socket: { remoteAddress } } });
// HA's ingress proxy forwards the browser's Host and Origin: HA's own name (supervisor/api/ingress.py).
const HA_HEADERS = { Host: 'my-home.duckdns.org', Origin: 'https://my-home.duckdns.org' };

describe('ingress mode', () => {
  it('serves the ingress proxy as authenticated, whatever Host and Origin HA forwards', async () => {
    const app = createApp(deps());
    for (const path of ['/', '/health', '/metrics', '/api/areas']) {
      const res = await app.request(path, { headers: HA_HEADERS }, from('172.30.32.2'));
      expect([path, res.status]).toEqual([path, 200]);
    }
    // An IPv4 peer on a dual-stack socket is reported as IPv4-mapped IPv6.
    expect((await app.request('/health', {}, from('::ffff:172.30.32.2'))).status).toBe(200);
  });

  it('refuses every other peer with 403 and the reason, token or not', async () => {
    const app = createApp(deps());
    const peers = fc.oneof(fc.ipV4(), fc.ipV6()).filter((ip) => ip !== '172.30.32.2');
    await fc.assert(
      fc.asyncProperty(peers, fc.constantFrom('/', '/health', '/api/areas', '/ws'), async (peer, path) => {
        const res = await app.request(
          path,
          { headers: { Authorization: 'Bearer s3cret', Host: 'localhost' } },
          from(peer),
        );
        expect(res.status).toBe(403);
        expect(res.headers.get('X-Refused-Reason')).toContain("only Home Assistant's ingress proxy");
      }),
      { numRuns: 50 },
    );
    expect((await app.request('/health', {}, from(undefined))).status).toBe(403);
    expect((await app.request('/health')).status).toBe(403);
  });

  it('puts X-Ingress-Path into the page as its base, and ignores one that is not a plain path', async () => {
    const app = createApp(deps());
    const page = async (path: string | undefined) =>
      (
        await app.request(
          '/',
          { headers: path === undefined ? {} : { 'X-Ingress-Path': path } },
          from('172.30.32.2'),
        )
      ).text();
    expect(await page('/api/hassio_ingress/AbC-123_x')).toContain(
      '<base href="/api/hassio_ingress/AbC-123_x/">',
    );
    expect(await page('/api/hassio_ingress/tok/')).toContain('<base href="/api/hassio_ingress/tok/">');
    for (const bad of [undefined, 'javascript:alert(1)', '/a"><script>', '//evil.example/x', 'relative/path'])
      expect(await page(bad)).not.toContain('<base');
  });

  it('outside ingress mode, the header changes nothing and the usual guards hold', async () => {
    const app = createApp(deps({ ingressProxies: [] }));
    const res = await app.request('/', { headers: { 'X-Ingress-Path': '/api/hassio_ingress/x' } });
    expect(await res.text()).not.toContain('<base');
    expect((await app.request('/api/areas')).status).toBe(401);
    expect((await app.request('/health', { headers: HA_HEADERS })).status).toBe(403);
  });
});

describe('ingressPath', () => {
  it('keeps plain absolute paths without their trailing slashes', () => {
    expect(ingressPath('/api/hassio_ingress/abc')).toBe('/api/hassio_ingress/abc');
    expect(ingressPath('/api/hassio_ingress/abc//')).toBeUndefined();
    expect(ingressPath('/x/')).toBe('/x');
    fc.assert(
      fc.property(fc.string(), (header) => {
        const path = ingressPath(header);
        if (path !== undefined) expect(path).toMatch(/^(\/[A-Za-z0-9._~-]+)*$/);
      }),
    );
  });
});
