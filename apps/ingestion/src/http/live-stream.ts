import { MAX_DURATION_MS, describeDurationRange, isDurationMs } from '@homeiq/runtime';

/**
 * The `/ws` live stream: normalized events fanned out to dashboard clients, each with its own filter. Events are
 * buffered for a short interval and sent as one JSON array per client, so a burst of 10,000 events costs a few
 * frames rather than 10,000 per client. A client that does not read fast enough is disconnected and counted once
 * its socket buffer passes `maxBufferedBytes`: the server never buffers without bound for anybody.
 */

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

/** A client's filter: an event passes when every given list has a match (empty or absent lists match all). */
export interface LiveFilter {
  readonly domains?: readonly string[];
  readonly entityIds?: readonly string[];
  /** fnmatch-style patterns on the entity id, e.g. `sensor.*_temperature`. */
  readonly entityGlobs?: readonly string[];
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
  readonly rejectedMessages: number;
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

interface CompiledFilter {
  readonly domains: ReadonlySet<string> | undefined;
  readonly entityIds: ReadonlySet<string> | undefined;
  readonly globs: readonly RegExp[] | undefined;
}

const MATCH_ALL: CompiledFilter = { domains: undefined, entityIds: undefined, globs: undefined };

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
          const parsed = Buffer.byteLength(data) > maxMessageBytes ? undefined : parseSubscribe(data);
          if (!parsed) {
            rejectedMessages++;
            reply(client, {
              type: 'error',
              message: `expected {"type":"subscribe","domains"?:[],"entity_ids"?:[],"entity_globs"?:[]} under ${maxMessageBytes} bytes`,
            });
            return;
          }
          client.filter = compile(parsed);
          reply(client, { type: 'subscribed', filter: parsed });
        },
        onClose() {
          clients.delete(client);
        },
      };
    },
    publish(event) {
      if (clients.size > 0) pending.push(event);
    },
    stats: () => ({ clients: clients.size, eventsSent, refused, droppedSlowClients, rejectedMessages }),
    close() {
      clearIntervalFn(timer);
      flush();
      for (const client of clients) client.socket.close(1001, 'server shutting down');
      clients.clear();
    },
  };
}

function parseSubscribe(data: string): LiveFilter | undefined {
  let message: unknown;
  try {
    message = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (
    typeof message !== 'object' ||
    message === null ||
    (message as { type?: unknown }).type !== 'subscribe'
  ) {
    return undefined;
  }
  const m = message as Record<string, unknown>;
  const domains = stringList(m['domains']);
  const entityIds = stringList(m['entity_ids']);
  const entityGlobs = stringList(m['entity_globs']);
  if (domains === null || entityIds === null || entityGlobs === null) return undefined;
  return {
    ...(domains && { domains }),
    ...(entityIds && { entityIds }),
    ...(entityGlobs && { entityGlobs }),
  };
}

/** undefined when absent, null when present but not a list of strings. */
function stringList(value: unknown): string[] | undefined | null {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string') || value.length > 1000)
    return null;
  return value;
}

function compile(filter: LiveFilter): CompiledFilter {
  const set = (list: readonly string[] | undefined) => (list && list.length > 0 ? new Set(list) : undefined);
  const globs =
    filter.entityGlobs && filter.entityGlobs.length > 0 ? filter.entityGlobs.map(globToRegExp) : undefined;
  const compiled = { domains: set(filter.domains), entityIds: set(filter.entityIds), globs };
  return compiled.domains || compiled.entityIds || compiled.globs ? compiled : MATCH_ALL;
}

function passes(filter: CompiledFilter, event: LiveEvent): boolean {
  if (filter.domains && !filter.domains.has(event.domain)) return false;
  if (filter.entityIds && !filter.entityIds.has(event.entityId)) return false;
  if (filter.globs && !filter.globs.some((re) => re.test(event.entityId))) return false;
  return true;
}

/** fnmatch semantics as Home Assistant's entity globs use them: `*` any run, `?` one character. */
function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
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
