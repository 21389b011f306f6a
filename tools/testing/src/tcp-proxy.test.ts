import { once } from 'node:events';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { getFreePort } from './ports.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

/** The TCP forwarder in front of a local echo server: it forwards bytes, and a cut is seen on both sides. */
describe('startTcpProxy', () => {
  let echo: Server;
  /** The echo server's side of every connection that reached it. */
  const reached: Socket[] = [];
  let proxy: TcpProxy;
  const clients: Socket[] = [];

  beforeAll(async () => {
    echo = createServer((socket) => {
      reached.push(socket);
      socket.on('error', () => socket.destroy()); // a reset from the proxy's cut is expected here
      socket.pipe(socket);
    });
    echo.listen(0, '127.0.0.1');
    await once(echo, 'listening');
  });
  beforeEach(async () => {
    const address = echo.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    proxy = await startTcpProxy({ target: `127.0.0.1:${port}` });
  });
  afterEach(async () => {
    await proxy.dispose();
    for (const client of clients.splice(0)) client.destroy();
  });
  afterAll(async () => {
    for (const socket of reached) socket.destroy();
    await new Promise((resolve) => echo.close(resolve));
  });

  const connect = async (port = proxy.port): Promise<Socket> => {
    const socket = createConnection({ host: '127.0.0.1', port });
    clients.push(socket);
    await once(socket, 'connect');
    return socket;
  };
  const roundTrip = async (socket: Socket, text: string): Promise<string> => {
    socket.write(text);
    const [data] = (await once(socket, 'data')) as [Buffer];
    return data.toString('utf8');
  };
  /** Resolves with what the socket received once it closed. */
  const closed = (socket: Socket): Promise<string> =>
    new Promise((resolve) => {
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
      socket.on('error', () => undefined); // the close that follows is what is awaited
      if (socket.destroyed) resolve(received);
      else
        socket.once('close', () => {
          resolve(received);
        });
    });

  it('forwards bytes both ways, connection by connection', async () => {
    const a = await connect();
    const b = await connect();
    expect(await roundTrip(a, 'hello')).toBe('hello');
    expect(await roundTrip(b, 'Grüße 🌍')).toBe('Grüße 🌍');
    expect(proxy.stats()).toEqual({ forwarded: 2, refused: 0, open: 2 });
  });

  it('cut() closes both sides of every connection and refuses new ones until restore()', async () => {
    const a = await connect();
    expect(await roundTrip(a, 'before')).toBe('before');
    const echoSide = reached.at(-1) as Socket;
    const reachedBefore = reached.length;

    proxy.cut();
    expect(proxy.isCut).toBe(true);
    await Promise.all([closed(a), closed(echoSide)]);
    expect(proxy.stats().open).toBe(0);
    // Accepted and closed at once: no byte comes back, and the target never sees the connection.
    const refused = await connect();
    refused.write('while cut');
    expect(await closed(refused)).toBe('');
    expect(reached).toHaveLength(reachedBefore);
    expect(proxy.stats()).toMatchObject({ forwarded: 1, refused: 1, open: 0 });

    proxy.restore();
    expect(await roundTrip(await connect(), 'after')).toBe('after');
    expect(proxy.stats()).toEqual({ forwarded: 2, refused: 1, open: 1 });
  });

  it('closes the client when the target is not listening', async () => {
    const nothing = await startTcpProxy({ target: `127.0.0.1:${await getFreePort()}` });
    try {
      const socket = await connect(nothing.port);
      expect(await closed(socket)).toBe('');
      expect(nothing.stats()).toEqual({ forwarded: 1, refused: 0, open: 0 });
    } finally {
      await nothing.dispose();
    }
  });

  it('dispose() closes open connections and stops listening', async () => {
    const a = await connect();
    expect(await roundTrip(a, 'x')).toBe('x');
    await proxy.dispose();
    await closed(a);
    const late = createConnection({ host: '127.0.0.1', port: proxy.port });
    const [error] = (await once(late, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ECONNREFUSED');
    await proxy.dispose(); // idempotent
  });

  it('validates its options, naming the option and what it got', async () => {
    await expect(startTcpProxy({ target: 'localhost' })).rejects.toThrow(
      'Expected `target` to be "host:port" with a port from 1 to 65535, got `localhost` (string)',
    );
    await expect(startTcpProxy({ target: '127.0.0.1:70000' })).rejects.toThrow('got `127.0.0.1:70000`');
    await expect(startTcpProxy({ target: '127.0.0.1:1', port: 1.5 })).rejects.toThrow(
      'Expected `port` to be an integer from 0 to 65535, got `1.5` (number)',
    );
    const v6 = await startTcpProxy({ target: '[::1]:8123' });
    await v6.dispose();
  });
});
