import { serve, type ServerType, type WebSocketServerLike } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Hono } from 'hono';
import { WebSocketServer } from 'ws';

/** A listening HTTP server for the app, with WebSocket upgrades (for `/ws`) enabled. */
export interface HttpServer {
  readonly port: number;
  /** Stops accepting connections and closes the open ones. */
  close(): Promise<void>;
}

/**
 * Binds the app to `host:port` (port 0 picks a free one) and resolves once it listens; rejects with Node's listen
 * error (`code` EADDRINUSE, EACCES, …, `syscall` 'listen') when it cannot.
 */
export async function startHttpServer(app: Hono, port: number, host = '0.0.0.0'): Promise<HttpServer> {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  // ws types `noServer?: boolean | undefined`; under exactOptionalPropertyTypes that differs from
  // @hono/node-server's `noServer?: boolean` only in spelling, not in behaviour.
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve(
      {
        fetch: app.fetch,
        port,
        hostname: host,
        websocket: { server: wss as unknown as WebSocketServerLike },
      },
      () => {
        s.removeAllListeners('error');
        resolve(s);
      },
    );
    // A port in use (EADDRINUSE) or not ours to bind (EACCES) is emitted as 'error' instead of listening; without
    // a listener Node would throw it as an uncaught exception, stack trace and all.
    s.once('error', (error: Error) => {
      wss.close();
      reject(error);
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
      }),
  };
}
