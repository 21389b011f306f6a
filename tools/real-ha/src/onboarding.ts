import { openWsSession } from './ws-session.js';

/** The owner account the harness creates; a test instance on loopback only, so fixed credentials are fine. */
export const OWNER = { name: 'HomeIQ Owner', username: 'owner', password: 'homeiq-real-ha-owner' } as const;

/** Tokens from onboarding. */
export interface OnboardedTokens {
  /** A 30-minute access token from the auth-code exchange. */
  readonly accessToken: string;
  /** Long-lived access token (10 years), created over the WebSocket API: what the service is given. */
  readonly longLivedToken: string;
}

/** POSTs JSON (or a form) to HA, returning the parsed answer; throws with the body on a non-2xx status. */
export async function postHa<T>(
  baseUrl: string,
  path: string,
  body: Record<string, unknown> | URLSearchParams,
  token?: string,
): Promise<T> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
  if (!(body instanceof URLSearchParams)) headers['content-type'] = 'application/json';
  const res = await fetch(baseUrl + path, {
    method: 'POST',
    headers,
    body: body instanceof URLSearchParams ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${path}: HTTP ${res.status}: ${text}`);
  return (text === '' ? null : JSON.parse(text)) as T;
}

/**
 * Completes HA's onboarding without a browser, as the frontend does: the `user` step creates the owner and
 * returns an auth code (HA also creates the areas Living Room, Kitchen and Bedroom here), the code is exchanged
 * at `/auth/token` for an access token, the `analytics` and `integration` steps are marked done, and a
 * long-lived token is created with the WebSocket command `auth/long_lived_access_token`. The `core_config` step
 * is left open on purpose: completing it sets up config flows for `met`, `radio_browser` and others, which
 * fetch from the internet (and, with `--skip-pip`, fail with HTTP 500 for want of their requirements).
 */
export async function onboard(baseUrl: string): Promise<OnboardedTokens> {
  const clientId = `${baseUrl}/`;
  const { auth_code: userCode } = await postHa<{ auth_code: string }>(baseUrl, '/api/onboarding/users', {
    client_id: clientId,
    name: OWNER.name,
    username: OWNER.username,
    password: OWNER.password,
    language: 'en',
  });
  const tokens = await postHa<{ access_token: string }>(
    baseUrl,
    '/auth/token',
    new URLSearchParams({ grant_type: 'authorization_code', code: userCode, client_id: clientId }),
  );
  const accessToken = tokens.access_token;
  await postHa(baseUrl, '/api/onboarding/analytics', {}, accessToken);
  await postHa(
    baseUrl,
    '/api/onboarding/integration',
    { client_id: clientId, redirect_uri: `${baseUrl}/?auth_callback=1` },
    accessToken,
  );
  const session = await openWsSession(wsUrlOf(baseUrl), accessToken);
  try {
    const answer = await session.command({
      id: 1,
      type: 'auth/long_lived_access_token',
      client_name: 'homeiq-real-ha',
      lifespan: 3650,
    });
    if (answer['success'] !== true || typeof answer['result'] !== 'string')
      throw new Error(`auth/long_lived_access_token failed: ${JSON.stringify(answer)}`);
    return { accessToken, longLivedToken: answer['result'] };
  } finally {
    await session.close();
  }
}

/** `http://host:port` → `ws://host:port/api/websocket`. */
export function wsUrlOf(baseUrl: string): string {
  return baseUrl.replace(/^http/, 'ws') + '/api/websocket';
}
