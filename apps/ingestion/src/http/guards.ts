import { timingSafeEqual } from 'node:crypto';
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
