import WebSocket from 'ws';

/** One message from a Home Assistant WebSocket (real or simulated), loosely typed for recording and assertions. */
export type WsMessage = Record<string, unknown>;

/** Options of {@link openWsSession}. */
export interface WsSessionOptions {
  /** Upper bound of every wait (open, a reply, an event). @default 15000 */
  readonly timeoutMs?: number;
}

/**
 * A raw WebSocket client that keeps every frame as received and every message (array frames flattened) in
 * order, and waits for messages by predicate. It speaks no protocol of its own: the caller sends exactly the
 * bytes it wants to record HA's answer to.
 */
export interface WsSession {
  /** Every text frame as received. */
  readonly frames: readonly string[];
  /** Every message, in arrival order. */
  readonly messages: readonly WsMessage[];
  /** Sends an object as JSON, or a string as-is. */
  send(message: WsMessage | readonly WsMessage[] | string): void;
  /** Resolves with the next message (from the current read position on) that matches. */
  next(predicate?: (message: WsMessage) => boolean): Promise<WsMessage>;
  /** Sends a command and resolves with the first non-event answer carrying its id. */
  command(message: WsMessage & { readonly id: number }): Promise<WsMessage>;
  /** Resolves with the close code once the socket closed. */
  closed(): Promise<number>;
  close(): Promise<void>;
}

/** Connects to `wsUrl`; with `token`, completes the auth phase (auth_required → auth → auth_ok) first. */
export async function openWsSession(
  wsUrl: string,
  token?: string,
  options: WsSessionOptions = {},
): Promise<WsSession> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const ws = new WebSocket(wsUrl, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
  const session = new Session(ws, timeoutMs);
  await withTimeout(
    new Promise<void>((resolve, reject) => {
      ws.once('open', () => {
        resolve();
      });
      ws.once('error', reject);
    }),
    timeoutMs,
    `connect to ${wsUrl}`,
  );
  if (token !== undefined) {
    await session.next((m) => m['type'] === 'auth_required');
    session.send({ type: 'auth', access_token: token });
    const answer = await session.next((m) => m['type'] === 'auth_ok' || m['type'] === 'auth_invalid');
    if (answer['type'] !== 'auth_ok') throw new Error(`auth failed: ${JSON.stringify(answer)}`);
  }
  return session;
}

class Session implements WsSession {
  readonly frames: string[] = [];
  readonly messages: WsMessage[] = [];
  readonly #ws: WebSocket;
  readonly #timeoutMs: number;
  readonly #closed: Promise<number>;
  /** Indexes of messages already returned by next(): each message is handed out once. */
  readonly #taken = new Set<number>();
  readonly #wakers = new Set<() => void>();

  constructor(ws: WebSocket, timeoutMs: number) {
    this.#ws = ws;
    this.#timeoutMs = timeoutMs;
    this.#closed = new Promise((resolve) => {
      ws.once('close', (code) => {
        this.#wakeAll();
        resolve(code);
      });
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) throw new Error('Home Assistant sent a binary frame');
      const text = data.toString('utf8');
      this.frames.push(text);
      const parsed = JSON.parse(text) as WsMessage | WsMessage[];
      for (const message of Array.isArray(parsed) ? parsed : [parsed]) this.messages.push(message);
      this.#wakeAll();
    });
  }

  send(message: WsMessage | readonly WsMessage[] | string): void {
    this.#ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  async next(predicate: (message: WsMessage) => boolean = () => true): Promise<WsMessage> {
    const deadline = Date.now() + this.#timeoutMs;
    for (;;) {
      const index = this.messages.findIndex((m, i) => !this.#taken.has(i) && predicate(m));
      const found = this.messages[index];
      if (found !== undefined) {
        this.#taken.add(index);
        return found;
      }
      if (this.#ws.readyState === WebSocket.CLOSED)
        throw new Error('socket closed while waiting for a message');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching message within ${this.#timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.#wakers.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.#wakers.add(wake);
      });
    }
  }

  async command(message: WsMessage & { readonly id: number }): Promise<WsMessage> {
    this.send(message);
    return this.next((m) => m['id'] === message.id && m['type'] !== 'event');
  }

  closed(): Promise<number> {
    return withTimeout(this.#closed, this.#timeoutMs, 'socket close');
  }

  async close(): Promise<void> {
    if (this.#ws.readyState === WebSocket.CLOSED) return;
    this.#ws.close();
    await this.closed().catch(() => {
      this.#ws.terminate();
    });
  }

  #wakeAll(): void {
    for (const wake of [...this.#wakers]) wake();
  }
}

/** Rejects when `promise` has not settled within `ms`, naming what was awaited. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error(`${what}: no answer within ${ms} ms`));
        }, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
