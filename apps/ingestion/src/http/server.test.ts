import { Hono } from 'hono';
import { startHttpServer } from './server.js';

describe('startHttpServer', () => {
  it("rejects with Node's listen error when the port is taken, instead of throwing it uncaught", async () => {
    const app = new Hono();
    const first = await startHttpServer(app, 0, '127.0.0.1');
    try {
      await expect(startHttpServer(app, first.port, '127.0.0.1')).rejects.toMatchObject({
        code: 'EADDRINUSE',
        syscall: 'listen',
      });
    } finally {
      await first.close();
    }
  });

  // WEBSOCKET_INGESTION_HOST: the service answers on the address it binds, and nowhere else (both are loopback).
  it.each([
    ['127.0.0.1', 'http://127.0.0.1', 'http://[::1]'],
    ['::1', 'http://[::1]', 'http://127.0.0.1'],
  ])('bound to %s, answers there and refuses the other address', async (host, bound, other) => {
    const app = new Hono();
    app.get('/health', (c) => c.text('ok'));
    const server = await startHttpServer(app, 0, host);
    try {
      expect(await (await fetch(`${bound}:${String(server.port)}/health`)).text()).toBe('ok');
      await expect(fetch(`${other}:${String(server.port)}/health`)).rejects.toMatchObject({
        cause: { code: 'ECONNREFUSED' },
      });
    } finally {
      await server.close();
    }
  });
});
