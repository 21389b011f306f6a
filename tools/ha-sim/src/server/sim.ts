import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { homeInternals } from '../model/home-model.js';
import { SimConnection } from './connection.js';
import { resolveSimOptions, type HaSimOptions } from './options.js';
import type { HaSim, HaSimConnectionInfo, RestartOptions } from './sim-api.js';
import { SimState, type AuthMode, type CoreState } from './sim-state.js';
import { startStream, type StreamHandle, type StreamOptions } from './stream.js';

const WS_PATH = '/api/websocket';

/** Starts a simulated Home Assistant on a real socket. */
export async function startHaSim(options: HaSimOptions = {}): Promise<HaSim> {
  const sim = new Simulator(resolveSimOptions(options));
  await sim.listen();
  return sim;
}

class Simulator implements HaSim {
  readonly #state: SimState;
  readonly #home;
  readonly #connections = new Set<SimConnection>();
  readonly #streams = new Set<StreamHandle>();
  readonly #wss: WebSocketServer;
  #server: Server;
  #port: number;
  #delivered = 0;
  readonly #unlisten: () => void;
  #halfOpenIds = new Set<number>();

  constructor(options: ReturnType<typeof resolveSimOptions>) {
    this.#state = new SimState(options);
    this.#port = options.port;
    this.#home = homeInternals(options.home);
    this.#unlisten = this.#home.listen((event) => {
      const sent = this.#state.subscriptions.dispatch(event);
      this.#state.counters.eventsSent += sent;
      this.#delivered += sent;
    });
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxIncomingBytes,
      perMessageDeflate: options.perMessageDeflate,
      autoPong: false,
      clientTracking: false,
    });
    this.#server = this.#createServer();
  }

  get url(): string {
    return `http://${this.#state.options.host}:${this.#port}`;
  }
  get wsUrl(): string {
    return `ws://${this.#state.options.host}:${this.#port}${WS_PATH}`;
  }
  get port(): number {
    return this.#port;
  }
  get haVersion(): string {
    return this.#state.haVersion;
  }
  get token(): string {
    return this.#state.token;
  }
  get home() {
    return this.#state.options.home;
  }

  #createServer(): Server {
    const server = createServer((request, response) => {
      const authorized = request.headers.authorization === `Bearer ${this.#state.token}`;
      if (request.url === '/api/' && request.method === 'GET') {
        response.writeHead(authorized ? 200 : 401, { 'content-type': 'application/json' });
        response.end(authorized ? '{"message":"API running."}' : '401: Unauthorized');
      } else if (request.url === WS_PATH) {
        response.writeHead(400, { 'content-type': 'text/plain' });
        response.end('Expected WebSocket upgrade');
      } else {
        response.writeHead(404, { 'content-type': 'text/plain' });
        response.end('404: Not Found');
      }
    });
    server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
      if (request.url?.split('?')[0] !== WS_PATH) {
        socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        return;
      }
      this.#wss.handleUpgrade(request, socket, head, (ws) => {
        this.#state.counters.connectionsAccepted++;
        const connection = new SimConnection(ws, socket, this.#state, this.#home, (closed) =>
          this.#connections.delete(closed),
        );
        this.#connections.add(connection);
        connection.start();
      });
    });
    return server;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#port, this.#state.options.host, () => {
        this.#server.off('error', reject);
        const address = this.#server.address();
        if (address !== null && typeof address === 'object') this.#port = address.port;
        resolve();
      });
    });
  }

  clients(): number {
    let count = 0;
    for (const connection of this.#connections) if (connection.authenticated) count++;
    return count;
  }

  connections(): HaSimConnectionInfo[] {
    return [...this.#connections].map((connection) => ({
      id: connection.id,
      authenticated: connection.authenticated,
      pendingMessages: connection.writer?.pending ?? 0,
      writerBlocked: connection.writer?.blocked ?? false,
      bufferedBytes: connection.ws.bufferedAmount,
      subscriptions: connection.subscriptions.size,
      coalescing: connection.coalesce,
      halfOpen: connection.halfOpen,
      remotePort: connection.socket.remotePort,
    }));
  }

  emitStateChanges(count: number): number {
    const before = this.#delivered;
    this.#home.randomChanges(count);
    return this.#delivered - before;
  }

  stream(options: StreamOptions): StreamHandle {
    const handle = startStream(
      {
        timers: this.#state.options.timers,
        now: this.#state.options.now,
        emit: (count) => this.#home.randomChanges(count),
        // Closed loop: the next batch is made while the socket still drains the last frame, so that
        // event generation overlaps the transfer; a client that cannot keep up holds the stream back.
        hasSubscribers: () => {
          for (const connection of this.#connections) if (connection.subscriptions.size > 0) return true;
          return false;
        },
        clientsReady: () => {
          for (const connection of this.#connections) {
            const writer = connection.writer;
            if (connection.subscriptions.size > 0 && writer !== null && writer.pending > 0) return false;
          }
          return true;
        },
      },
      options,
    );
    this.#streams.add(handle);
    void handle.done.then(() => this.#streams.delete(handle));
    return handle;
  }

  setState(entityId: string, state: string, attributes?: Readonly<Record<string, unknown>>): boolean {
    return this.#home.setState(entityId, state, attributes);
  }

  fireEvent(eventType: string, data: unknown): void {
    this.#home.fireEvent(eventType, data);
  }

  dropConnections(code = 1000): void {
    for (const connection of [...this.#connections]) connection.close(code);
  }

  terminateConnections(): void {
    for (const connection of [...this.#connections]) connection.terminate();
  }

  setHalfOpen(on: boolean): void {
    if (on) {
      for (const connection of this.#connections) {
        connection.setHalfOpen(true);
        this.#halfOpenIds.add(connection.id);
      }
      return;
    }
    for (const connection of this.#connections)
      if (this.#halfOpenIds.has(connection.id)) connection.setHalfOpen(false);
    this.#halfOpenIds = new Set();
  }

  setAuthMode(mode: AuthMode): void {
    if (!['accept', 'reject', 'silent', 'no-auth-required'].includes(mode))
      throw new TypeError(
        `Expected \`mode\` to be accept, reject, silent or no-auth-required, got \`${mode as string}\``,
      );
    this.#state.authMode = mode;
  }

  setToken(token: string): void {
    if (typeof token !== 'string' || token === '')
      throw new TypeError('Expected `token` to be a non-empty string');
    this.#state.token = token;
  }

  delayAuth(ms: number): void {
    this.#state.authDelayMs = Math.max(0, ms);
  }

  delayReplies(ms: number, types: readonly string[] = ['*']): void {
    for (const type of types) {
      if (ms > 0) this.#state.replyDelays.set(type, ms);
      else this.#state.replyDelays.delete(type);
    }
  }

  dropReplies(types: readonly string[]): void {
    this.#state.replyDrops.clear();
    for (const type of types) this.#state.replyDrops.add(type);
  }

  sendRaw(frame: string | Buffer, options: { readonly binary?: boolean } = {}): number {
    let sent = 0;
    for (const connection of this.#connections) {
      if (!connection.authenticated || connection.halfOpen) continue;
      connection.sendDirect(frame, options.binary ?? false);
      sent++;
    }
    return sent;
  }

  setCoreState(state: CoreState): void {
    this.#state.coreState = state;
  }

  pauseReading(on: boolean): void {
    this.#state.readingPaused = on;
    for (const connection of this.#connections) connection.setReadingPaused(on);
  }

  async restart(options: RestartOptions = {}): Promise<void> {
    await this.#shutdown();
    const downMs = options.downMs ?? 0;
    if (downMs > 0)
      await new Promise((resolve) =>
        this.#state.options.timers.setTimeout(() => {
          resolve(undefined);
        }, downMs),
      );
    if (options.haVersion !== undefined) this.#state.haVersion = options.haVersion;
    this.#server = this.#createServer();
    await this.listen();
  }

  stats() {
    return this.#state.snapshot();
  }

  async close(): Promise<void> {
    for (const stream of [...this.#streams]) stream.stop();
    await this.#shutdown();
    this.#wss.close();
    // A model passed in may outlive this simulator.
    this.#unlisten();
  }

  /** Stops listening, closes every connection (close frame, then cut after a grace period), waits for the port. */
  async #shutdown(): Promise<void> {
    const server = this.#server;
    const closed = new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
    for (const connection of [...this.#connections]) connection.close(1000);
    server.closeAllConnections();
    const grace = Math.min(this.#state.options.closeTimeoutMs, 1000);
    const timer = this.#state.options.timers.setTimeout(() => {
      for (const connection of [...this.#connections]) connection.terminate();
    }, grace);
    await closed;
    this.#state.options.timers.clearTimeout(timer);
  }
}
