import type { HaSocket, HaSocketFactory, HaSocketHandlers } from '../transport/socket.js';

/** How the fake answers a new socket. */
export type FakeAuthMode = 'accept' | 'reject' | 'silent' | 'no-auth-reply' | 'no-upgrade' | 'refuse';

/** A command as the fake received it. */
export type WireMessage = Readonly<Record<string, unknown>>;

/** Handles one command type on one connection; answer with `conn.result(…)`/`conn.error(…)` now or later. */
export type CommandHandler = (message: WireMessage, conn: FakeConnection) => void;

/**
 * A scripted Home Assistant for unit tests, behind the client's socket seam. It speaks the real protocol
 * (auth phase, ids, results, events, pong, coalesced arrays) and records every frame the client sends, so tests
 * assert on the wire. Deliveries are asynchronous (microtasks), as they are on a real socket.
 */
export class FakeHa {
  readonly connections: FakeConnection[] = [];
  readonly handlers = new Map<string, CommandHandler>();
  /** Errors to answer the next commands of a type with, consumed in order. */
  readonly failNext = new Map<string, { code: string; message: string }[]>();
  authMode: FakeAuthMode = 'accept';
  token: string;
  haVersion: string;
  haState = 'RUNNING';
  answerPings = true;

  constructor(options: { token?: string; haVersion?: string } = {}) {
    this.token = options.token ?? 'fake-token';
    this.haVersion = options.haVersion ?? '2025.1.2';
  }

  /** The socket factory to pass as `createSocket`. */
  readonly factory: HaSocketFactory = (url, handlers) => {
    const conn = new FakeConnection(this, url, handlers);
    this.connections.push(conn);
    conn.begin(this.authMode);
    return conn;
  };

  /** The most recent connection. */
  get last(): FakeConnection {
    const conn = this.connections.at(-1);
    if (conn === undefined) throw new Error('no connection yet');
    return conn;
  }

  /** Connections not closed. */
  get open(): FakeConnection[] {
    return this.connections.filter((c) => !c.closed);
  }

  /** Sends an event to every subscription for `eventType` (or for all events) on open connections. */
  emit(eventType: string, data: unknown, extra: Partial<WireMessage> = {}): number {
    let sent = 0;
    for (const conn of this.open) {
      for (const [id, subscribed] of conn.subscriptions) {
        if (subscribed !== undefined && subscribed !== eventType) continue;
        conn.push({ type: 'event', event: eventEnvelope(eventType, data, extra), id });
        sent += 1;
      }
    }
    return sent;
  }

  /** Answers every default command the way HA does. */
  handle(message: WireMessage, conn: FakeConnection): void {
    const type = String(message['type']);
    const id = Number(message['id']);
    const failures = this.failNext.get(type);
    const failure = failures?.shift();
    if (failure !== undefined) {
      conn.error(id, failure.code, failure.message);
      return;
    }
    const custom = this.handlers.get(type);
    if (custom !== undefined) {
      custom(message, conn);
      return;
    }
    switch (type) {
      case 'supported_features':
        conn.coalesce = true;
        conn.result(id, null);
        return;
      case 'get_config':
        conn.result(id, { version: this.haVersion, state: this.haState, location_name: 'Home' });
        return;
      case 'subscribe_events':
        conn.subscriptions.set(id, message['event_type'] as string | undefined);
        conn.result(id, null);
        return;
      case 'unsubscribe_events':
        if (conn.subscriptions.delete(Number(message['subscription']))) conn.result(id, null);
        else conn.error(id, 'not_found', 'Subscription not found.');
        return;
      case 'ping':
        if (this.answerPings) conn.push({ id, type: 'pong' });
        return;
      default:
        conn.error(id, 'unknown_command', 'Unknown command.');
    }
  }
}

/** One fake socket: the client's `HaSocket` on one side, server controls on the other. */
export class FakeConnection implements HaSocket {
  readonly received: WireMessage[] = [];
  readonly subscriptions = new Map<number, string | undefined>();
  /** Ids that did not increase strictly (HA would answer `id_reuse`). */
  readonly idViolations: number[] = [];
  coalesce = false;
  /** Half-open: the server neither reads nor writes anything any more. */
  silent = false;
  closed = false;
  closedBy: 'client' | 'client-terminate' | 'server' | undefined;
  authed = false;
  #lastId = 0;
  #outbox: (WireMessage | string)[] = [];
  #flushQueued = false;

  constructor(
    readonly ha: FakeHa,
    readonly url: string,
    readonly handlers: HaSocketHandlers,
  ) {}

  /** Ids of the commands received, in order. */
  get ids(): number[] {
    return this.received.filter((m) => m['type'] !== 'auth').map((m) => Number(m['id']));
  }

  /** Commands of one type received. */
  commands(type: string): WireMessage[] {
    return this.received.filter((m) => m['type'] === type);
  }

  begin(mode: FakeAuthMode): void {
    queueMicrotask(() => {
      if (this.closed || mode === 'no-upgrade') return;
      if (mode === 'refuse') {
        this.handlers.onError(
          Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), { code: 'ECONNREFUSED' }),
        );
        this.#closeNow('server', 1006, '');
        return;
      }
      this.handlers.onOpen();
      if (mode !== 'silent') this.push({ type: 'auth_required', ha_version: this.ha.haVersion });
    });
  }

  // --- HaSocket (client side) ---
  send(text: string): void {
    if (this.closed) throw new Error('send on a closed fake socket');
    if (this.silent) return;
    const message = JSON.parse(text) as WireMessage;
    this.received.push(message);
    if (!this.authed) {
      this.#onAuth(message);
      return;
    }
    const id = Number(message['id']);
    if (!(id > this.#lastId)) this.idViolations.push(id);
    this.#lastId = Math.max(this.#lastId, id);
    this.ha.handle(message, this);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    queueMicrotask(() => {
      this.#closeNow('client', code, reason);
    });
  }

  terminate(): void {
    if (this.closed) return;
    this.closedBy = 'client-terminate';
    queueMicrotask(() => {
      this.#closeNow('client-terminate', 1006, '');
    });
  }

  // --- server controls ---
  result(id: number, result: unknown): void {
    this.push({ id, type: 'result', success: true, result });
  }

  error(id: number, code: string, message: string): void {
    this.push({ id, type: 'result', success: false, error: { code, message } });
  }

  /** Queues a message; all messages queued in one tick go out together (one array frame when coalescing). */
  push(message: WireMessage | string): void {
    if (this.closed || this.silent) return;
    this.#outbox.push(message);
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    queueMicrotask(() => {
      this.#flush();
    });
  }

  /** The server closes the socket (HA restart, slow-client limit, …). */
  drop(code = 1000, reason = ''): void {
    this.#closeNow('server', code, reason);
  }

  #flush(): void {
    this.#flushQueued = false;
    const batch = this.#outbox;
    this.#outbox = [];
    if (this.closed || this.silent || batch.length === 0) return;
    const objects = batch.filter((m): m is WireMessage => typeof m !== 'string');
    for (const raw of batch.filter((m): m is string => typeof m === 'string')) this.handlers.onMessage(raw);
    if (this.coalesce && objects.length > 1) this.handlers.onMessage(JSON.stringify(objects));
    else for (const m of objects) this.handlers.onMessage(JSON.stringify(m));
  }

  #onAuth(message: WireMessage): void {
    if (this.ha.authMode === 'silent' || this.ha.authMode === 'no-auth-reply') return;
    if (this.ha.authMode === 'reject' || message['access_token'] !== this.ha.token) {
      this.push({ type: 'auth_invalid', message: 'Invalid access token or password' });
      queueMicrotask(() => {
        queueMicrotask(() => {
          this.#closeNow('server', 1000, '');
        });
      });
      return;
    }
    this.authed = true;
    this.push({ type: 'auth_ok', ha_version: this.ha.haVersion });
  }

  #closeNow(by: 'client' | 'client-terminate' | 'server', code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.closedBy ??= by;
    this.subscriptions.clear();
    this.handlers.onClose(code, reason);
  }
}

function eventEnvelope(eventType: string, data: unknown, extra: Partial<WireMessage>): WireMessage {
  return {
    event_type: eventType,
    data,
    origin: 'LOCAL',
    time_fired: '2025-01-15T10:05:00.654321+00:00',
    context: { id: '01JHKQ3Z8M6V0XW2R7T1Y5B9CD', parent_id: null, user_id: null },
    ...extra,
  };
}
