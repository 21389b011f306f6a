import type { HaSocketFactory } from '../transport/socket.js';
import { FakeConnection } from './fake-connection.js';

export { FakeConnection };

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
