import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { HomeModelImpl } from '../model/home-model.js';
import { AuthPhase } from './auth-phase.js';
import { handleCommandFrame, type CommandConnection } from './commands.js';
import { Heartbeat } from './heartbeat.js';
import type { SimState } from './sim-state.js';
import type { Subscription } from './subscriptions.js';
import { writerForSocket } from './socket-writer.js';
import type { CoalescingWriter, OverflowReason } from './writer.js';

type Phase = 'auth' | 'command' | 'closed';

/**
 * One client socket, as HA's `WebSocketHandler` + `ActiveConnection` handle it: the auth phase, then
 * commands (arrays of commands too) with HA's validation order, replies and events through the
 * coalescing writer, aiohttp's heartbeat, and the faults the control API can inject.
 */
export class SimConnection implements CommandConnection {
  static #nextId = 1;
  readonly id = SimConnection.#nextId++;
  phase: Phase = 'auth';
  lastId = 0;
  coalesce = false;
  halfOpen = false;
  readonly subscriptions = new Map<number, Subscription>();
  /** Subscriptions that are not on the event bus (`history/stream`): how to end each. */
  readonly #handlerSubscriptions = new Map<number, () => void>();
  writer: CoalescingWriter | null = null;
  readonly #backlog: { data: Buffer; isBinary: boolean }[] = [];
  readonly #auth: AuthPhase;
  readonly #heartbeat: Heartbeat;
  #closeTimer: unknown = null;

  constructor(
    readonly ws: WebSocket,
    readonly socket: Socket,
    readonly state: SimState,
    readonly home: HomeModelImpl,
    readonly onClosed: (connection: SimConnection) => void,
  ) {
    this.#auth = new AuthPhase(this, state);
    this.#heartbeat = new Heartbeat(
      state.options.timers,
      state.options.heartbeatMs,
      () => {
        ws.ping();
      },
      () => {
        state.counters.heartbeatTimeouts++;
        this.terminate();
      },
    );
  }

  get userId(): string {
    return this.home.core.userIds[0] ?? '';
  }

  get authenticated(): boolean {
    return this.phase === 'command';
  }

  start(): void {
    const ws = this.ws;
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      this.#onFrame(data, isBinary);
    });
    ws.on('ping', (data: Buffer) => {
      this.#armHeartbeat();
      // autoPong is off so that a half-open connection can stay silent.
      if (!this.halfOpen) ws.pong(data);
    });
    ws.on('pong', () => {
      this.#armHeartbeat();
    });
    ws.on('close', () => {
      this.#cleanup();
    });
    ws.on('error', () => {
      this.#cleanup();
    });
    if (this.state.readingPaused) this.socket.pause();
    this.#armHeartbeat();
    this.#auth.begin();
  }

  /** Auth succeeded: start the writer (HA creates it only now) and replay what arrived meanwhile. */
  enterCommandPhase(): void {
    this.phase = 'command';
    this.writer = writerForSocket(
      this.ws,
      this.state,
      () => this.coalesce,
      (reason, pending) => {
        this.#onOverflow(reason, pending);
      },
    );
    this.#drainBacklog();
  }

  /** Sends a message outside the writer (auth messages, injected raw frames). */
  sendDirect(frame: string | Buffer, binary = false): void {
    if (this.phase === 'closed' || this.halfOpen) return;
    this.ws.send(frame, { binary });
    this.state.counters.framesSent++;
  }

  /** Queues a message through the writer (HA `send_message`). */
  deliver(head: string, tail = ''): void {
    const writer = this.writer;
    if (writer === null || this.phase !== 'command') {
      this.state.drop('closed', 1);
      return;
    }
    if (this.halfOpen) {
      this.state.drop('half_open', 1);
      return;
    }
    writer.enqueue(head, tail);
  }

  /** Replies to a command, applying injected reply faults; `later` models HA's `@async_response` tasks. */
  reply(commandType: string, message: string, later = false): void {
    const policy = this.state.replyPolicy(commandType);
    if (policy.drop) {
      this.state.drop('reply_dropped', 1);
      return;
    }
    const timers = this.state.options.timers;
    if (policy.delayMs > 0)
      timers.setTimeout(() => {
        this.deliver(message);
      }, policy.delayMs);
    else if (later)
      timers.setImmediate(() => {
        this.deliver(message);
      });
    else this.deliver(message);
  }

  subscribe(id: number, eventType: string): void {
    this.subscriptions.set(id, this.state.subscriptions.add(this, id, eventType));
  }

  subscribeEntities(id: number, filter: (entityId: string) => boolean): void {
    this.subscriptions.set(id, this.state.subscriptions.addEntities(this, id, filter));
    this.home.machine.compressed = true;
  }

  subscribeHandler(id: number, cancel: () => void): void {
    this.#handlerSubscriptions.set(id, cancel);
  }

  unsubscribe(id: number): boolean {
    const cancel = this.#handlerSubscriptions.get(id);
    if (cancel !== undefined) {
      this.#handlerSubscriptions.delete(id);
      cancel();
      return true;
    }
    const subscription = this.subscriptions.get(id);
    if (subscription === undefined) return false;
    this.subscriptions.delete(id);
    this.state.subscriptions.remove(subscription);
    this.home.machine.compressed = this.state.subscriptions.entitySubscriptions > 0;
    return true;
  }

  setReadingPaused(paused: boolean): void {
    if (paused) {
      this.socket.pause();
      return;
    }
    this.socket.resume();
    this.#drainBacklog();
  }

  setHalfOpen(on: boolean): void {
    this.halfOpen = on;
    this.#armHeartbeat();
  }

  /** A clean close (HA: cancel, then `wsock.close()`), cut if the client does not answer in time. */
  close(code = 1000): void {
    if (this.phase === 'closed') return;
    this.#shutdown();
    this.ws.close(code);
    this.#closeTimer = this.state.options.timers.setTimeout(() => {
      this.ws.terminate();
    }, this.state.options.closeTimeoutMs);
  }

  /** Drops the TCP connection without a close frame. */
  terminate(): void {
    this.#shutdown();
    this.ws.terminate();
  }

  #onFrame(data: Buffer, isBinary: boolean): void {
    if (this.phase === 'closed') return;
    this.#armHeartbeat();
    if (this.halfOpen) {
      this.state.drop('half_open', 1);
      return;
    }
    if (this.state.readingPaused || (this.phase === 'auth' && this.#auth.busy)) {
      this.#backlog.push({ data, isBinary });
      return;
    }
    this.#process(data, isBinary);
  }

  #process(data: Buffer, isBinary: boolean): void {
    if (this.phase === 'auth') {
      this.#auth.handle(data, isBinary);
      return;
    }
    if (this.phase === 'command' && !handleCommandFrame(this, this.home, data, isBinary)) this.close();
  }

  #drainBacklog(): void {
    while (
      this.#backlog.length > 0 &&
      !this.state.readingPaused &&
      this.phase !== 'closed' &&
      !(this.phase === 'auth' && this.#auth.busy)
    ) {
      const next = this.#backlog.shift();
      if (next !== undefined) this.#process(next.data, next.isBinary);
    }
  }

  #onOverflow(reason: OverflowReason, pending: number): void {
    const counters = this.state.counters;
    counters.slowClientCloses++;
    this.state.drop('slow_client', pending);
    this.close();
  }

  #armHeartbeat(): void {
    if (this.phase === 'closed' || this.halfOpen) this.#heartbeat.stop();
    else this.#heartbeat.arm();
  }

  #shutdown(): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    this.#auth.cancel();
    this.#heartbeat.stop();
    const dropped = this.writer?.close() ?? 0;
    if (dropped > 0) this.state.drop('closed', dropped);
    for (const id of [...this.subscriptions.keys(), ...this.#handlerSubscriptions.keys()])
      this.unsubscribe(id);
    this.#backlog.length = 0;
  }

  #cleanup(): void {
    this.#shutdown();
    if (this.#closeTimer !== null) this.state.options.timers.clearTimeout(this.#closeTimer);
    this.#closeTimer = null;
    this.onClosed(this);
  }
}
