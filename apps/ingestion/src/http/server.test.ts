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
});
