import { MAX_DURATION_MS, describeDurationRange, isDurationMs } from '@homeiq/runtime';

/**
 * The `/ws` live stream: normalized events fanned out to dashboard clients, each with its own filter. Events are
 * buffered for a short interval and sent as one JSON array per client, so a burst of 10,000 events costs a few
 * frames rather than 10,000 per client. A client that does not read fast enough is disconnected and counted once
 * its socket buffer passes `maxBufferedBytes`: the server never buffers without bound for anybody. A subscribe
 * message over the filter bounds (live-stream-filter.ts) closes its client with 1008 and is counted, so no
 * client can make a flush expensive.
 */
import {
  compileFilter,
  MATCH_ALL,
  parseSubscribe,
  passes,
  type CompiledFilter,
} from './live-stream-filter.js';

export type { LiveFilter } from './live-stream-filter.js';

/** A bad option of {@link createLiveStream}, e.g. a flush interval no timer can hold. */
export class LiveStreamOptionError extends Error {
  readonly code = 'ERR_INVALID_OPTION';
  override readonly name = 'LiveStreamOptionError';
}

/** What the hub needs of a client socket (a `ws` WebSocket satisfies it). */
export interface LiveSocket {
  readonly bufferedAmount: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** The fields of an event the hub filters on; the rest is sent as is. */
export interface LiveEvent {
  readonly entityId: string;
  readonly domain: string;
}

/** The bounds of the options the configuration sets (WS_MAX_CLIENTS reads them). */
export const LIVE_STREAM_LIMITS = {
  /** Fewest `maxClients`: one. */
  minClients: 1,
  /** Most `maxClients`: each client may hold `maxBufferedBytes` (1 MiB) before it is dropped, so 10,000 is 10 GiB. */
  maxClients: 10_000,
} as const;

export interface LiveStreamOptions {
  /** Most clients at once (1 to 10,000); further connections are refused with close code 1013. @default 100 */
  readonly maxClients?: number;
  /** A client whose unsent bytes exceed this is dropped as too slow. @default 1_048_576 */
  readonly maxBufferedBytes?: number;
  /** Largest message a client may send (a subscribe message), in bytes. @default 4096 */
  readonly maxMessageBytes?: number;
  /** How long events gather before a flush: 1 to 86400000 (one day; Node runs a longer timer at once). @default 100 */
  readonly flushIntervalMs?: number;
  /** @default globalThis.setInterval / clearInterval */
  readonly setInterval?: (fn: () => void, ms: number) => unknown;
  readonly clearInterval?: (handle: unknown) => void;
}

export interface LiveStreamStats {
  readonly clients: number;
  readonly eventsSent: number;
  readonly refused: number;
  readonly droppedSlowClients: number;
  /** Messages that were not a subscribe message (or too large): answered with an error, the client kept. */
  readonly rejectedMessages: number;
  /** Subscribe messages over a filter bound: their client was closed with 1008. */
  readonly refusedFilters: number;
}

export interface LiveStream {
  /** Registers a client; returns the handlers its socket must call. `null` when the hub is full (already closed). */
  connect(socket: LiveSocket): { onMessage(data: string): void; onClose(): void } | null;
  /** Queues an event for every client whose filter it passes. Costs nothing when nobody is connected. */
  publish(event: LiveEvent): void;
  stats(): LiveStreamStats;
  close(): void;
}

interface Client {
  readonly socket: LiveSocket;
  filter: CompiledFilter;
}

export function createLiveStream(options: LiveStreamOptions = {}): LiveStream {
  const maxClients = clientLimit(options.maxClients ?? 100);
  const maxBufferedBytes = options.maxBufferedBytes ?? 1_048_576;
  const maxMessageBytes = options.maxMessageBytes ?? 4096;
  const setIntervalFn = options.setInterval ?? ((fn, ms) => setInterval(fn, ms).unref());
  const clearIntervalFn =
    options.clearInterval ??
    ((h) => {
      clearInterval(h as NodeJS.Timeout);
    });
  const clients = new Set<Client>();
  let pending: LiveEvent[] = [];
  let eventsSent = 0;
  let refused = 0;
  let droppedSlowClients = 0;
  let rejectedMessages = 0;
  let refusedFilters = 0;
  const timer = setIntervalFn(flush, flushIntervalMs(options.flushIntervalMs ?? 100));

  function flush(): void {
    if (pending.length === 0) return;
    const events = pending;
    pending = [];
    let everything: string | undefined; // serialized once for all unfiltered clients
    for (const client of clients) {
      if (client.socket.bufferedAmount > maxBufferedBytes) {
        droppedSlowClients++;
        clients.delete(client);
        client.socket.close(4008, 'too slow: the server will not buffer more for this client');
        continue;
      }
      if (client.filter === MATCH_ALL) {
        everything ??= JSON.stringify({ type: 'events', events });
        client.socket.send(everything);
        eventsSent += events.length;
        continue;
      }
      const selected = events.filter((e) => passes(client.filter, e));
      if (selected.length === 0) continue;
      client.socket.send(JSON.stringify({ type: 'events', events: selected }));
      eventsSent += selected.length;
    }
  }

  function reply(client: Client, message: object): void {
    client.socket.send(JSON.stringify(message));
  }

  return {
    connect(socket) {
      if (clients.size >= maxClients) {
        refused++;
        socket.close(1013, 'too many clients');
        return null;
      }
      const client: Client = { socket, filter: MATCH_ALL };
      clients.add(client);
      reply(client, { type: 'connected', filter: {} });
      return {
        onMessage(data) {
          if (!clients.has(client)) return; // refused or dropped: its socket is closing
          const parsed =
            Buffer.byteLength(data) > maxMessageBytes
              ? ({ kind: 'malformed' } as const)
              : parseSubscribe(data);
          if (parsed.kind === 'over_limit') {
            // RFC 6455 §7.4.1: 1008 is a policy violation; the reason names the bound (well under 123 bytes).
            refusedFilters++;
            clients.delete(client);
            client.socket.close(1008, `subscribe refused: ${parsed.reason}`);
            return;
          }
          if (parsed.kind === 'malformed') {
            rejectedMessages++;
            reply(client, {
              type: 'error',
              message: `expected {"type":"subscribe","domains"?:[],"entity_ids"?:[],"entity_globs"?:[]} under ${maxMessageBytes} bytes`,
            });
            return;
          }
          client.filter = compileFilter(parsed.filter);
          reply(client, { type: 'subscribed', filter: parsed.filter });
        },
        onClose() {
          clients.delete(client);
        },
      };
    },
    publish(event) {
      if (clients.size > 0) pending.push(event);
    },
    stats: () => ({
      clients: clients.size,
      eventsSent,
      refused,
      droppedSlowClients,
      rejectedMessages,
      refusedFilters,
    }),
    close() {
      clearIntervalFn(timer);
      flush();
      for (const client of clients) client.socket.close(1001, 'server shutting down');
      clients.clear();
    },
  };
}

const FLUSH_INTERVAL = { min: 1, max: MAX_DURATION_MS };

function flushIntervalMs(value: unknown): number {
  if (!isDurationMs(value, FLUSH_INTERVAL)) {
    const got = `\`${String(value)}\` (${typeof value})`;
    throw new LiveStreamOptionError(
      `Expected \`flushIntervalMs\` to be ${describeDurationRange(FLUSH_INTERVAL)}, got ${got}`,
    );
  }
  return value;
}

function clientLimit(value: unknown): number {
  const { minClients, maxClients } = LIVE_STREAM_LIMITS;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minClients || value > maxClients) {
    const got = typeof value === 'number' ? String(value) : typeof value;
    throw new LiveStreamOptionError(
      `Expected \`maxClients\` to be an integer from ${minClients} to ${maxClients}, got ${got}`,
    );
  }
  return value;
}
