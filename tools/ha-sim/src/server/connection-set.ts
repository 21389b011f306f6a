import type { SimConnection } from './connection.js';
import type { HaSimConnectionInfo } from './sim-api.js';

/** The live client connections, and what the simulator asks of all of them at once. */
export class ConnectionSet {
  readonly #connections = new Set<SimConnection>();
  /** Connections frozen by `setHalfOpen(true)` (new ones are not). */
  #halfOpen = new Set<SimConnection>();

  add(connection: SimConnection): void {
    this.#connections.add(connection);
  }

  delete(connection: SimConnection): void {
    this.#connections.delete(connection);
    this.#halfOpen.delete(connection);
  }

  /** A copy, so that closing connections while iterating is safe. */
  all(): SimConnection[] {
    return [...this.#connections];
  }

  authenticated(): number {
    let count = 0;
    for (const connection of this.#connections) if (connection.authenticated) count++;
    return count;
  }

  info(): HaSimConnectionInfo[] {
    return this.all().map((connection) => ({
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

  hasSubscribers(): boolean {
    for (const connection of this.#connections) if (connection.subscriptions.size > 0) return true;
    return false;
  }

  /** No subscribed client has messages queued: a closed-loop stream may make its next batch. */
  subscribersIdle(): boolean {
    for (const connection of this.#connections) {
      if (connection.subscriptions.size > 0 && (connection.writer?.pending ?? 0) > 0) return false;
    }
    return true;
  }

  setHalfOpen(on: boolean): void {
    if (on) {
      for (const connection of this.#connections) {
        connection.setHalfOpen(true);
        this.#halfOpen.add(connection);
      }
      return;
    }
    for (const connection of this.#halfOpen) connection.setHalfOpen(false);
    this.#halfOpen = new Set();
  }
}
