import WebSocket from 'ws';

/** A message from the simulator, loosely typed for assertions. */
export type Message = Record<string, unknown> & { id?: unknown; type?: unknown };

/**
 * A raw `ws` client for the simulator's tests: records every frame (text as received) and every
 * message (array frames flattened), and waits for messages by predicate — event-driven, no sleeps.
 */
export class TestClient {
  readonly frames: string[] = [];
  readonly messages: Message[] = [];
  closeCode: number | null = null;
  readonly closed: Promise<number>;
  #waiters: { predicate: (message: Message) => boolean; resolve: (message: Message) => void }[] = [];
  readonly #consumed = new Set<Message>();
  readonly #listeners = new Set<(message: Message) => void>();

  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => {
      ws.on('close', (code) => {
        this.closeCode = code;
        resolve(code);
      });
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const text = isBinary ? `<binary:${data.length}>` : data.toString('utf8');
      this.frames.push(text);
      if (isBinary) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = { type: '<invalid-json>', raw: text };
      }
      for (const message of Array.isArray(parsed) ? (parsed as Message[]) : [parsed as Message])
        this.#add(message);
    });
  }

  #add(message: Message): void {
    this.messages.push(message);
    for (const listener of this.#listeners) listener(message);
    const waiter = this.#waiters.find((candidate) => candidate.predicate(message));
    if (waiter === undefined) return;
    this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
    this.#consumed.add(message);
    waiter.resolve(message);
  }

  static connect(url: string, options: WebSocket.ClientOptions = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false, ...options });
      const client = new TestClient(ws);
      ws.once('open', () => {
        resolve(client);
      });
      ws.once('error', reject);
    });
  }

  /** Connects, waits for auth_required, authenticates, optionally turns on coalescing (id 1). */
  static async authed(url: string, token: string, coalesce = false): Promise<TestClient> {
    const client = await TestClient.connect(url);
    await client.next((message) => message.type === 'auth_required');
    client.send({ type: 'auth', access_token: token });
    const reply = await client.next(
      (message) => message.type === 'auth_ok' || message.type === 'auth_invalid',
    );
    if (reply.type !== 'auth_ok') throw new Error(`auth failed: ${JSON.stringify(reply)}`);
    if (coalesce)
      await client.command({ id: 1, type: 'supported_features', features: { coalesce_messages: 1 } });
    return client;
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The first message not yet returned by `next` that matches, waiting for it if needed. */
  next(predicate: (message: Message) => boolean, timeoutMs = 5000): Promise<Message> {
    const found = this.messages.find((message) => !this.#consumed.has(message) && predicate(message));
    if (found !== undefined) {
      this.#consumed.add(found);
      return Promise.resolve(found);
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        predicate,
        resolve: (message: Message) => {
          clearTimeout(timer);
          resolve(message);
        },
      };
      const timer = setTimeout(() => {
        // A timed-out wait must not swallow a later message.
        this.#waiters = this.#waiters.filter((candidate) => candidate !== waiter);
        reject(new Error(`no matching message within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  /** Sends a command and returns the reply with its id (result or pong). */
  command(message: Message): Promise<Message> {
    const id = message.id;
    this.send(message);
    return this.next((reply) => reply.id === id && (reply.type === 'result' || reply.type === 'pong'));
  }

  /** Waits until `count` messages matching `predicate` arrived (counting those already here). */
  waitFor(count: number, predicate: (message: Message) => boolean, timeoutMs = 5000): Promise<Message[]> {
    const found = this.messages.filter(predicate);
    if (found.length >= count) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const listener = (message: Message): void => {
        if (!predicate(message)) return;
        found.push(message);
        if (found.length < count) return;
        clearTimeout(timer);
        this.#listeners.delete(listener);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.#listeners.delete(listener);
        reject(new Error(`only ${found.length} of ${count} messages within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#listeners.add(listener);
    });
  }

  close(): Promise<number> {
    if (this.closeCode === null) this.ws.close();
    return this.closed;
  }
}
