import { createConnection, createServer, type Socket } from 'node:net';

/** Options of {@link startTcpProxy}. */
export interface TcpProxyOptions {
  /** `host:port` every accepted connection is forwarded to, e.g. `127.0.0.1:8123` (IPv6 as `[::1]:8123`). */
  readonly target: string;
  /** Port on 127.0.0.1. @default a free port */
  readonly port?: number;
}

/** What the proxy did so far. */
export interface TcpProxyStats {
  /** Connections accepted and forwarded to the target. */
  readonly forwarded: number;
  /** Connections closed on arrival because the link was cut. */
  readonly refused: number;
  /** Forwarded connections still open. */
  readonly open: number;
}

/** A running TCP forwarder whose link can be cut and restored. */
export interface TcpProxy {
  /** The loopback port clients connect to. */
  readonly port: number;
  /** `127.0.0.1:<port>`, to put in a URL instead of the target's host and port. */
  readonly host: string;
  /** Whether the link is cut. */
  readonly isCut: boolean;
  stats(): TcpProxyStats;
  /** Destroys every open connection (both sides) and closes new ones on arrival until {@link restore}. */
  cut(): void;
  /** Forwards new connections again. */
  restore(): void;
  /** Closes every connection and the listening socket. */
  dispose(): Promise<void>;
}

/**
 * A plain TCP forwarder for tests: bytes go both ways unchanged, so it carries any protocol (HA's WebSocket
 * included; fault-proxy.ts is the HTTP-aware one for InfluxDB). `cut()` plays a broken link the peers notice at
 * once: both sides of every connection are closed, and new connections are accepted and closed immediately, as
 * a refusing host would, until `restore()`.
 */
export async function startTcpProxy(options: TcpProxyOptions): Promise<TcpProxy> {
  const target = parseTarget(options.target);
  if (
    options.port !== undefined &&
    (!Number.isInteger(options.port) || options.port < 0 || options.port > 65_535)
  )
    throw new TypeError(
      `Expected \`port\` to be an integer from 0 to 65535, got \`${String(options.port)}\` (${typeof options.port})`,
    );
  const pairs = new Set<readonly [Socket, Socket]>();
  let isCut = false;
  let forwarded = 0;
  let refused = 0;

  const server = createServer((client) => {
    if (isCut) {
      refused++;
      client.destroy();
      return;
    }
    forwarded++;
    const upstream = createConnection({ host: target.host, port: target.port });
    const pair = [client, upstream] as const;
    pairs.add(pair);
    // Either side failing or closing ends both: a half-open forwarder would hide the break from the other peer.
    const end = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of pair) {
      socket.on('error', end);
      socket.on('close', end);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const destroyAll = (): void => {
    for (const [client, upstream] of [...pairs]) {
      client.destroy();
      upstream.destroy();
    }
    pairs.clear();
  };

  return {
    port,
    host: `127.0.0.1:${port}`,
    get isCut() {
      return isCut;
    },
    stats: () => ({ forwarded, refused, open: pairs.size }),
    cut() {
      isCut = true;
      destroyAll();
    },
    restore() {
      isCut = false;
    },
    async dispose() {
      isCut = true;
      destroyAll();
      if (!server.listening) return;
      await new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
      });
    },
  };
}

function parseTarget(target: unknown): { host: string; port: number } {
  const match = typeof target === 'string' ? /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(target) : null;
  const port = Number(match?.[3]);
  const host = match?.[1] ?? match?.[2];
  if (host === undefined || !(port >= 1 && port <= 65_535))
    throw new TypeError(
      `Expected \`target\` to be "host:port" with a port from 1 to 65535, got \`${String(target)}\` (${typeof target})`,
    );
  return { host, port };
}
