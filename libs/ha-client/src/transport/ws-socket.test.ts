import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { silentLogger } from '@homeiq/runtime';
import { ManualClock } from '@homeiq/runtime/testing';
import { WebSocketServer, type WebSocket } from 'ws';
import { createHaClient } from '../create-client.js';
import type { HaClientOptions } from '../options.js';
import { HookRecorder } from '../testing-internal/recorder.js';
import type { HaClient } from '../types.js';

/*
 * Purpose-built servers for what the simulator cannot do: a TCP port that never answers the upgrade, a socket that
 * upgrades and then says nothing, frames beyond the payload limit, TLS with a self-signed certificate (a throwaway
 * key pair for 127.0.0.1 in testing-internal/fixtures, valid until 2126), and the upgrade request's headers.
 */

const TOKEN = 'tiny-server-token';
const fixtures = join(__dirname, '../testing-internal/fixtures');
const cert = readFileSync(join(fixtures, 'localhost-cert.pem'));
const key = readFileSync(join(fixtures, 'localhost-key.pem'));

type Behaviour = (ws: WebSocket, request: { headers: Record<string, unknown> }) => void;

/** A minimal HA: auth_required, auth_ok for TOKEN, then whatever `after` does. */
function haBehaviour(after: (ws: WebSocket) => void = () => undefined): Behaviour {
  return (ws) => {
    ws.send(JSON.stringify({ type: 'auth_required', ha_version: '2025.1.2' }));
    ws.once('message', (data: Buffer) => {
      const auth = JSON.parse(data.toString()) as { access_token?: string };
      if (auth.access_token !== TOKEN) {
        ws.send(JSON.stringify({ type: 'auth_invalid', message: 'Invalid access token or password' }));
        ws.close();
        return;
      }
      ws.send(JSON.stringify({ type: 'auth_ok', ha_version: '2025.1.2' }));
      ws.on('message', (raw: Buffer) => {
        const m = JSON.parse(raw.toString()) as { id: number; type: string };
        if (m.type === 'ping') ws.send(JSON.stringify({ id: m.id, type: 'pong' }));
        else ws.send(JSON.stringify({ id: m.id, type: 'result', success: true, result: null }));
      });
      after(ws);
    });
  };
}

interface Tiny {
  readonly url: string;
  readonly connections: () => number;
  close(): Promise<void>;
}

async function startWs(behaviour: Behaviour, tls = false): Promise<Tiny> {
  let https: HttpsServer | undefined;
  let wss: WebSocketServer;
  if (tls) {
    https = createHttpsServer({ cert, key });
    wss = new WebSocketServer({ server: https });
    await new Promise<void>((resolve) => https?.listen(0, '127.0.0.1', resolve));
  } else {
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((resolve) => wss.once('listening', resolve));
  }
  let count = 0;
  wss.on('connection', (ws, request) => {
    count += 1;
    behaviour(ws, request);
  });
  const address = (https ?? wss).address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    connections: () => count,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => {
        wss.close(() => {
          resolve();
        });
      });
      const server = https;
      if (server !== undefined)
        await new Promise<void>((resolve) =>
          server.close(() => {
            resolve();
          }),
        );
    },
  };
}

/** Accepts TCP connections and never answers: the WebSocket upgrade never completes. */
async function startBlackHole(): Promise<
  Tiny & { readonly sockets: Set<Socket>; readonly closed: Promise<void> }
> {
  const sockets = new Set<Socket>();
  let noteClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (noteClosed = resolve));
  const server: NetServer = createNetServer((socket) => {
    sockets.add(socket);
    socket.resume(); // read and discard, so the server notices when the client goes away
    socket.on('close', () => {
      sockets.delete(socket);
      noteClosed();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  let accepted = 0;
  server.on('connection', () => (accepted += 1));
  return {
    url: `http://127.0.0.1:${port}`,
    sockets,
    closed,
    connections: () => accepted,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    },
  };
}

describe('the ws socket factory on real sockets', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  function client(url: string, recorder: HookRecorder, options: Partial<HaClientOptions> = {}): HaClient {
    const c = createHaClient({
      url,
      accessToken: TOKEN,
      logger: silentLogger,
      retryInitialDelayMs: 50,
      ...recorder.hooks(),
      ...options,
    });
    cleanups.push(() => c.close());
    c.start();
    return c;
  }

  it('no upgrade reply: the connect deadline destroys the TCP connection', async () => {
    const hole = await startBlackHole();
    cleanups.push(() => hole.close());
    const recorder = new HookRecorder();
    client(hole.url, recorder, { connectTimeoutMs: 200, retryInitialDelayMs: 10_000 });
    const attempt = (await recorder.next('onReconnectAttempt')) as { error: { code: string } };
    expect(attempt.error.code).toBe('ERR_CONNECT_TIMEOUT');
    await hole.closed;
    expect(hole.connections()).toBe(1);
    expect(hole.sockets.size).toBe(0); // our side destroyed it: nothing lingers on the server
  });

  it('close() while the upgrade hangs resolves at once and leaves no socket behind', async () => {
    const hole = await startBlackHole();
    cleanups.push(() => hole.close());
    // A manual clock never fires the 1 s grace timer: close() can only resolve through the socket's own close.
    const clock = new ManualClock();
    const c = createHaClient({ url: hole.url, accessToken: TOKEN, logger: silentLogger, clock });
    c.start();
    while (hole.connections() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await c.close();
    expect(clock.pendingTimers).toBe(0); // the grace timer was cleared, never needed
    await hole.closed;
    expect(hole.sockets.size).toBe(0);
  });

  it('upgrade but no auth_required: the auth deadline terminates the socket', async () => {
    const tiny = await startWs(() => undefined);
    cleanups.push(() => tiny.close());
    const recorder = new HookRecorder();
    client(tiny.url, recorder, { authTimeoutMs: 150 });
    const attempt = (await recorder.next('onReconnectAttempt')) as {
      error: { code: string; message: string };
    };
    expect(attempt.error).toMatchObject({ code: 'ERR_AUTH_TIMEOUT' });
    expect(attempt.error.message).toContain('auth_required');
  });

  it('connection refused is ERR_CANNOT_CONNECT with the cause, and retried', async () => {
    const hole = await startBlackHole();
    const url = hole.url;
    await hole.close();
    const recorder = new HookRecorder();
    client(url, recorder);
    const attempt = (await recorder.next('onReconnectAttempt')) as {
      error: { code: string; message: string };
    };
    expect(attempt.error.code).toBe('ERR_CANNOT_CONNECT');
    expect(attempt.error.message).toContain('ECONNREFUSED');
  });

  it('accepts frames larger than 4 MiB by default and closes on frames above maxPayloadBytes', async () => {
    const big = JSON.stringify({ id: 99, type: 'event', event: { pad: 'x'.repeat(5 * 1024 * 1024) } });
    const tiny = await startWs(
      haBehaviour((ws) => {
        ws.send(big);
      }),
    );
    cleanups.push(() => tiny.close());
    const recorder = new HookRecorder();
    const roomy = client(tiny.url, recorder);
    await recorder.next('onDrop'); // the 5 MiB frame arrived whole (an event for an unknown subscription)
    expect(roomy.stats().drops.unknown_subscription).toBe(1);

    const strict = new HookRecorder();
    client(tiny.url, strict, { maxPayloadBytes: 1024 * 1024 });
    const lost = (await strict.next('onDisconnected')) as { error: { code: string; message: string } };
    expect(lost.error.code).toBe('ERR_CONNECTION_LOST');
    expect(lost.error.message).toContain('Max payload size exceeded');
  });

  it('sends extra upgrade headers', async () => {
    let seen: unknown;
    const tiny = await startWs((ws, request) => {
      seen = request.headers['x-proxy-auth'];
      haBehaviour()(ws, request);
    });
    cleanups.push(() => tiny.close());
    const recorder = new HookRecorder();
    await client(tiny.url, recorder, { headers: { 'X-Proxy-Auth': 'let-me-in' } }).whenConnected();
    expect(seen).toBe('let-me-in');
  });

  describe('wss with a self-signed certificate', () => {
    it('is rejected by default (certificates are verified)', async () => {
      const tiny = await startWs(haBehaviour(), true);
      cleanups.push(() => tiny.close());
      const recorder = new HookRecorder();
      client(tiny.url, recorder);
      const attempt = (await recorder.next('onReconnectAttempt')) as {
        error: { code: string; message: string };
      };
      expect(attempt.error.code).toBe('ERR_CANNOT_CONNECT');
      expect(attempt.error.message).toMatch(/self[- ]signed/i);
    });

    it('connects when its CA is given', async () => {
      const tiny = await startWs(haBehaviour(), true);
      cleanups.push(() => tiny.close());
      const recorder = new HookRecorder();
      await client(tiny.url, recorder, { tls: { ca: cert } }).whenConnected();
    });

    it('connects when verification is explicitly turned off', async () => {
      const tiny = await startWs(haBehaviour(), true);
      cleanups.push(() => tiny.close());
      const recorder = new HookRecorder();
      await client(tiny.url, recorder, { tls: { rejectUnauthorized: false } }).whenConnected();
    });
  });
});
