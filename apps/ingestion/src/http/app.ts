import { upgradeWebSocket } from '@hono/node-server';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { bearerGuard, hostGuard, ingressGuard, ingressPath } from './guards.js';
import type { LiveStream } from './live-stream.js';
import type { ChartSample } from './status-page-model.js';
import { STATUS_PAGE_HTML, statusPageHtml } from './status-page.js';

/** The `/health` body: at least a status; the rest is the service's own report. */
export interface HealthBody {
  readonly status: 'healthy' | 'degraded' | 'unhealthy';
  readonly [key: string]: unknown;
}

/**
 * A registry query: the request's query parameters in; a JSON body out (an object, or already-serialized JSON
 * text), or the problem with its HTTP status (422 for a bad parameter, as the data-api answered:
 * docs/decisions.md#the-data-api-contract).
 */
export type RegistryQuery = (
  params: Readonly<Record<string, string>>,
) =>
  | { readonly ok: true; readonly body: unknown }
  | { readonly ok: false; readonly status: 400 | 422; readonly error: string };

/** Everything the HTTP layer needs, built by `main.ts` (or by a test). */
export interface AppDeps {
  readonly health: () => HealthBody;
  readonly metrics: { readonly contentType: string; metrics(): Promise<string> };
  readonly liveStream: LiveStream;
  /** The data-api's query routes: `createRegistryApi` (registry-api/) over registry-discovery's view. */
  readonly registry: {
    readonly devices: RegistryQuery;
    readonly entities: RegistryQuery;
    readonly areas: RegistryQuery;
  };
  /** When set, `/api/*` and `/ws` require it as a Bearer token (or `?token=` on `/ws`, for browsers' WebSockets). */
  readonly apiToken: string | undefined;
  readonly corsAllowedOrigins: readonly string[];
  /** `ALLOWED_HOSTS`: `Host` names served besides the built-in ones (see host-policy.ts); `*` turns the check off. */
  readonly allowedHosts: readonly string[];
  /**
   * `INGRESS_PROXY_ADDRESSES` (Home Assistant add-on mode): when non-empty, only these peers are served, as
   * authenticated, and the status page honours `X-Ingress-Path` (see `ingressGuard`). @default []
   */
  readonly ingressProxies?: readonly string[];
  /** The status page's chart samples of the last minutes (status-history.ts), served at `/status/history`. */
  readonly statusHistory?: { samples(): readonly ChartSample[] };
}

/**
 * The service's HTTP API as a pure Hono app: no port, no globals, so tests call `app.request()` in-process.
 * `/health` answers 503 when unhealthy (so Docker's HEALTHCHECK and load balancers see it) and 200 otherwise.
 */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  const ingress = (deps.ingressProxies ?? []).length > 0;
  // Behind HA's ingress the proxy's address is the only way in, and HA has authenticated the user: no token.
  const apiToken = ingress ? undefined : deps.apiToken;
  const guard = bearerGuard(apiToken);
  if (ingress) {
    app.use('*', ingressGuard(deps.ingressProxies ?? []));
  } else {
    // Every route, /health and /metrics included: the built-in names cover monitors that use an IP, localhost or
    // the container name, and a rebinding page must not read the service's state either.
    app.use('*', hostGuard({ allowedHosts: deps.allowedHosts, corsAllowedOrigins: deps.corsAllowedOrigins }));
    app.use('/api/*', cors({ origin: [...deps.corsAllowedOrigins], allowMethods: ['GET'] }));
  }

  app.get('/', (c) => {
    const basePath = ingress ? ingressPath(c.req.header('X-Ingress-Path')) : undefined;
    return c.html(basePath === undefined ? STATUS_PAGE_HTML : statusPageHtml({ basePath }));
  });
  // What /metrics says, sampled: no token, as for /metrics itself.
  app.get('/status/history', (c) => c.json({ samples: deps.statusHistory?.samples() ?? [] }));
  app.get('/health', (c) => {
    const body = deps.health();
    return c.json(body, body.status === 'unhealthy' ? 503 : 200);
  });
  app.get('/metrics', async (c) => {
    c.header('Content-Type', deps.metrics.contentType);
    return c.body(await deps.metrics.metrics());
  });

  for (const [name, query] of Object.entries(deps.registry)) {
    app.get(`/api/${name}`, guard, (c) => {
      const result = query(c.req.query());
      if (!result.ok) return c.json({ error: result.error }, result.status);
      if (typeof result.body === 'string')
        return c.body(result.body, 200, { 'Content-Type': 'application/json' });
      return c.json(result.body);
    });
  }

  app.get(
    '/ws',
    bearerGuard(apiToken, { queryToken: true }),
    upgradeWebSocket(() => {
      let handlers: ReturnType<LiveStream['connect']> = null;
      return {
        onOpen(_event, ws) {
          const raw = ws.raw as { bufferedAmount: number } | undefined;
          handlers = deps.liveStream.connect({
            get bufferedAmount() {
              return raw?.bufferedAmount ?? 0;
            },
            send: (data) => {
              ws.send(data);
            },
            close: (code, reason) => {
              ws.close(code, reason);
            },
          });
        },
        // hono types the event as the DOM MessageEvent, which Node's types do not declare; only `data` is used.
        onMessage(event: { readonly data: unknown }) {
          handlers?.onMessage(typeof event.data === 'string' ? event.data : '');
        },
        onClose() {
          handlers?.onClose();
        },
      };
    }),
  );
  return app;
}
