import { timingSafeEqual } from 'node:crypto';
import { isIPv4 } from 'node:net';
import type { Context, MiddlewareHandler } from 'hono';
import { createHostGuard, type HostPolicy } from './host-policy.js';

/** Refuses a request whose `Host` or `Origin` the policy does not allow (see host-policy.ts), with the reason. */
export function hostGuard(policy: HostPolicy): MiddlewareHandler {
  const guard = createHostGuard(policy);
  return async (c, next) => {
    // No Host header (HTTP/1.0): the URL's host, which @hono/node-server builds from the request line or 'localhost'.
    const host = c.req.header('Host') ?? new URL(c.req.url).host;
    const reason = guard.refusal(host, c.req.header('Origin'));
    return reason === undefined ? next() : refuse(c, 403, reason);
  };
}

/**
 * Home Assistant ingress (an add-on's page inside HA): serves only clients at `proxies` (the Supervisor's ingress
 * proxy, 172.30.32.2) and refuses every other peer with 403. Home Assistant has authenticated the user before it
 * proxies a request, and the add-on documentation asks that such connections be treated as authenticated
 * (developers.home-assistant docs/add-ons/presentation.md, "Ingress"), so the peer check takes the place of the
 * token and of the Host/Origin check: the proxy forwards the browser's `Host` and `Origin`, HA's own name
 * (supervisor/api/ingress.py, `_init_header`), which is no name of this service.
 */
export function ingressGuard(proxies: readonly string[]): MiddlewareHandler {
  const allowed = new Set(proxies.map(canonicalAddress));
  return async (c, next) => {
    const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
    const peer = env?.incoming?.socket?.remoteAddress;
    if (peer !== undefined && allowed.has(canonicalAddress(peer))) return next();
    return refuse(
      c,
      403,
      `only Home Assistant's ingress proxy (${proxies.join(', ')}) may connect, not ${peer ?? 'an unknown peer'}`,
    );
  };
}

/** `::ffff:172.30.32.2` (an IPv4 peer on a dual-stack socket) is `172.30.32.2`; IPv6 in lower case. */
function canonicalAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  return mapped !== undefined && isIPv4(mapped) ? mapped : address.toLowerCase();
}

/**
 * The path prefix Home Assistant's ingress serves the page under (`X-Ingress-Path: /api/hassio_ingress/<token>`),
 * without a trailing slash; undefined when absent or not a plain path (it goes into the page's `<base>`).
 */
export function ingressPath(header: string | undefined): string | undefined {
  if (header === undefined || !/^\/[A-Za-z0-9._~\-/]*$/.test(header) || header.includes('//'))
    return undefined;
  return header.replace(/\/+$/, '');
}

/** Options of {@link bearerGuard}. */
export interface BearerGuardOptions {
  /**
   * Also accept the token as `?token=`: only for `/ws`, because browsers cannot set headers on a WebSocket;
   * elsewhere a token in the URL would end up in logs and browser history.
   * @default false
   */
  readonly queryToken?: boolean;
}

/**
 * Requires `Authorization: Bearer <token>` when a token is configured. The scheme is matched case-insensitively
 * (RFC 7235 §2.1: "a case-insensitive token"), so `bearer` and `BEARER` work too.
 */
export function bearerGuard(
  token: string | undefined,
  { queryToken = false }: BearerGuardOptions = {},
): MiddlewareHandler {
  return async (c, next) => {
    if (token === undefined) return next();
    const header = c.req.header('Authorization');
    const query = c.req.query('token');
    let given: string | undefined;
    if (header !== undefined) {
      given = /^bearer[ \t]+(.*?)[ \t]*$/i.exec(header)?.[1];
      if (given === undefined) return refuse(c, 401, 'Authorization must be "Bearer <token>"');
    } else if (query !== undefined && !queryToken) {
      return refuse(c, 401, '?token= is accepted on /ws only: send Authorization: Bearer <token>');
    } else {
      given = query;
    }
    if (given === undefined) return refuse(c, 401, 'missing token: send Authorization: Bearer <token>');
    return sameSecret(given, token) ? next() : refuse(c, 401, 'wrong token');
  };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A JSON `{error}` answer, the reason also in `X-Refused-Reason`: @hono/node-server drops the body when it
 * refuses a WebSocket upgrade but keeps the headers, so a `/ws` client can read why.
 */
function refuse(c: Context, status: 401 | 403, reason: string): Response {
  const header = reason.replace(/[^\x20-\x7e]/g, '?');
  if (status === 401) c.header('WWW-Authenticate', 'Bearer realm="homeiq"');
  return c.json({ error: reason }, status, { 'X-Refused-Reason': header });
}
