import type { HomeModel } from '../model/home-model-api.js';
import type { HaSimRecorder } from './recorder/recorder-options.js';
import type { AuthMode, CoreState, HaSimStats } from './sim-state.js';
import type { StreamHandle, StreamOptions } from './stream.js';

/** One client connection as the simulator sees it. */
export interface HaSimConnectionInfo {
  readonly id: number;
  readonly authenticated: boolean;
  /** Messages queued in the writer (HA's "pending"). */
  readonly pendingMessages: number;
  /** The writer waits for the socket to drain (aiohttp's drain limit reached). */
  readonly writerBlocked: boolean;
  readonly bufferedBytes: number;
  readonly subscriptions: number;
  readonly coalescing: boolean;
  readonly halfOpen: boolean;
  readonly remotePort: number | undefined;
}

/** Options of {@link HaSim.restart}. */
export interface RestartOptions {
  /** Version after the restart. @default unchanged */
  readonly haVersion?: string;
  /** How long the port refuses connections. @default 0 */
  readonly downMs?: number;
}

/** A running simulator. Registry and state mutations go through {@link HaSim.home}; clients see their events. */
export interface HaSim {
  /** `http://host:port` */
  readonly url: string;
  /** `ws://host:port/api/websocket` */
  readonly wsUrl: string;
  readonly port: number;
  readonly haVersion: string;
  readonly token: string;
  readonly home: HomeModel;
  /** The recorder behind `history/*` (commit, purge, read, seed); null with `recorder: false`. */
  readonly recorder: HaSimRecorder | null;
  /** Authenticated sockets open now. */
  clients(): number;
  connections(): HaSimConnectionInfo[];

  /** A burst of `count` realistic state changes now; returns the event messages queued to subscribers. */
  emitStateChanges(count: number): number;
  /** Changes at a rate (or closed loop with `Infinity`) until stopped or `total` is reached. */
  stream(options: StreamOptions): StreamHandle;
  /** Sets a state (see {@link HomeModel.setState}); false when nothing changed (no event). */
  setState(entityId: string, state: string, attributes?: Readonly<Record<string, unknown>>): boolean;
  fireEvent(eventType: string, data: unknown): void;

  /** Closes every client socket with a close frame. @param code @default 1000 */
  dropConnections(code?: number): void;
  /** Destroys every client TCP connection (no close frame: the client sees 1006). */
  terminateConnections(): void;
  /** Freezes the open connections: nothing is sent or answered (not even WS pings), nothing read. New ones are normal. */
  setHalfOpen(on: boolean): void;
  setAuthMode(mode: AuthMode): void;
  setToken(token: string): void;
  /** Delays every auth answer. */
  delayAuth(ms: number): void;
  /** Delays replies to these command types (all when omitted); 0 clears. */
  delayReplies(ms: number, types?: readonly string[]): void;
  /** Drops replies to these command types (`'*'` for all); an empty list clears. */
  dropReplies(types: readonly string[]): void;
  /** Writes a frame as-is to every authenticated client, bypassing the writer; returns how many got it. */
  sendRaw(frame: string | Buffer, options?: { readonly binary?: boolean }): number;
  /** What get_config reports as `state`. */
  setCoreState(state: CoreState): void;
  /** Stops reading from client sockets (commands pile up unanswered); new connections too, until turned off. */
  pauseReading(on: boolean): void;
  /** Closes all connections, refuses new ones for `downMs`, and comes back (optionally with a new version). */
  restart(options?: RestartOptions): Promise<void>;

  stats(): HaSimStats;
  close(): Promise<void>;
}
