import type { HaSocket, HaSocketHandlers } from '../transport/socket.js';
import type { FakeAuthMode, FakeHa, WireMessage } from './fake-ha.js';

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
