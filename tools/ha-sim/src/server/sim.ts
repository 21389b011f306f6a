import type { Server } from 'node:http';
import { WebSocketServer } from 'ws';
import { homeInternals } from '../model/home-model.js';
import { SimConnection } from './connection.js';
import { ConnectionSet } from './connection-set.js';
import { createHaHttpServer, WS_PATH } from './http-server.js';
import { resolveSimOptions, type HaSimOptions } from './options.js';
import type { HaSim, HaSimConnectionInfo, RestartOptions } from './sim-api.js';
import { Recorder } from './recorder/recorder.js';
import type { HaSimRecorder } from './recorder/recorder-options.js';
import { SimState, type AuthMode, type CoreState } from './sim-state.js';
import { startStream, type StreamHandle, type StreamOptions } from './stream.js';

/** Starts a simulated Home Assistant on a real socket. */
export async function startHaSim(options: HaSimOptions = {}): Promise<HaSim> {
  const sim = new Simulator(resolveSimOptions(options));
  await sim.listen();
  return sim;
}

class Simulator implements HaSim {
  readonly #state: SimState;
  readonly #home;
  readonly #connections = new ConnectionSet();
  readonly #streams = new Set<StreamHandle>();
  readonly #wss: WebSocketServer;
  #server: Server;
  #port: number;
  #delivered = 0;
  readonly #unlisten: () => void;

  constructor(options: ReturnType<typeof resolveSimOptions>) {
    this.#state = new SimState(options);
    this.#port = options.port;
    this.#home = homeInternals(options.home);
    if (options.recorder !== null)
      this.#state.recorder = new Recorder(this.#home.machine, options.recorder, options.now, options.timers);
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
  get recorder(): HaSimRecorder | null {
    return this.#state.recorder;
  }

  #createServer(): Server {
    return createHaHttpServer(
      this.#wss,
      () => this.#state.token,
      (ws, socket) => {
        this.#state.counters.connectionsAccepted++;
        const connection = new SimConnection(ws, socket, this.#state, this.#home, (closed) => {
          this.#connections.delete(closed);
        });
        this.#connections.add(connection);
        connection.start();
      },
    );
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
    return this.#connections.authenticated();
  }

  connections(): HaSimConnectionInfo[] {
    return this.#connections.info();
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
        hasSubscribers: () => this.#connections.hasSubscribers(),
        clientsReady: () => this.#connections.subscribersIdle(),
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
    for (const connection of this.#connections.all()) connection.close(code);
  }

  terminateConnections(): void {
    for (const connection of this.#connections.all()) connection.terminate();
  }

  setHalfOpen(on: boolean): void {
    this.#connections.setHalfOpen(on);
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
    for (const connection of this.#connections.all()) {
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
    for (const connection of this.#connections.all()) connection.setReadingPaused(on);
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
    this.#state.recorder?.close();
  }

  /** Stops listening, closes every connection (close frame, then cut after a grace period), waits for the port. */
  async #shutdown(): Promise<void> {
    const server = this.#server;
    const closed = new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
    for (const connection of this.#connections.all()) connection.close(1000);
    server.closeAllConnections();
    const grace = Math.min(this.#state.options.closeTimeoutMs, 1000);
    const timer = this.#state.options.timers.setTimeout(() => {
      for (const connection of this.#connections.all()) connection.terminate();
    }, grace);
    await closed;
    this.#state.options.timers.clearTimeout(timer);
  }
}
