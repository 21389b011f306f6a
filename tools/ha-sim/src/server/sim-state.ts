import type { ResolvedSimOptions } from './options.js';
import type { Recorder } from './recorder/recorder.js';
import { SubscriptionIndex } from './subscriptions.js';

/**
 * How the auth phase answers: `accept` (a valid token gets auth_ok), `reject` (auth_invalid, then close,
 * whatever the token), `silent` (the auth message is never answered), `no-auth-required` (auth_ok at once
 * with no auth_required, like HA's pre-authenticated Supervisor connections).
 */
export type AuthMode = 'accept' | 'reject' | 'silent' | 'no-auth-required';

/** HA `CoreState` values, as `get_config` reports them. */
export type CoreState = 'NOT_RUNNING' | 'STARTING' | 'RUNNING' | 'STOPPING' | 'FINAL_WRITE' | 'STOPPED';

/**
 * Why messages were dropped: a slow client's queue when it was closed, messages for a half-open
 * connection, replies dropped on purpose (`dropReplies`), messages for a connection already closed.
 */
export type DropReason = 'slow_client' | 'half_open' | 'reply_dropped' | 'closed';

/** Counters since the simulator started. */
export interface HaSimStats {
  readonly connectionsAccepted: number;
  readonly authOk: number;
  readonly authInvalid: number;
  readonly authTimeouts: number;
  readonly commandsByType: Readonly<Record<string, number>>;
  readonly errorsByCode: Readonly<Record<string, number>>;
  /** Event messages queued to clients (one per event per matching subscription). */
  readonly eventsSent: number;
  /** Messages written to sockets, and the frames that carried them (fewer when coalescing). */
  readonly messagesSent: number;
  readonly framesSent: number;
  readonly slowClientCloses: number;
  readonly heartbeatTimeouts: number;
  /** Messages dropped, by {@link DropReason}. */
  readonly dropped: Readonly<Partial<Record<DropReason, number>>>;
}

type Counters = {
  -readonly [K in keyof HaSimStats]: HaSimStats[K] extends number ? number : Record<string, number>;
};

/** Mutable state shared by the simulator and its connections: settings, faults, counters. */
export class SimState {
  token: string;
  haVersion: string;
  coreState: CoreState = 'RUNNING';
  authMode: AuthMode = 'accept';
  authDelayMs = 0;
  readingPaused = false;
  /** Per command type (or `*`): drop the reply, or delay it by ms. */
  readonly replyDrops = new Set<string>();
  readonly replyDelays = new Map<string, number>();
  readonly subscriptions = new SubscriptionIndex();
  /** The recorder behind `history/*`; null when the simulator runs without one. */
  recorder: Recorder | null = null;
  readonly counters: Counters = {
    connectionsAccepted: 0,
    authOk: 0,
    authInvalid: 0,
    authTimeouts: 0,
    commandsByType: {},
    errorsByCode: {},
    eventsSent: 0,
    messagesSent: 0,
    framesSent: 0,
    slowClientCloses: 0,
    heartbeatTimeouts: 0,
    dropped: {},
  };

  constructor(readonly options: ResolvedSimOptions) {
    this.token = options.token;
    this.haVersion = options.haVersion;
  }

  /** Counts dropped messages and reports them through the `onDrop` hook. */
  drop(reason: DropReason, count: number): void {
    this.count(this.counters.dropped, reason, count);
    this.options.onDrop?.(reason, count);
  }

  count(map: Record<string, number>, key: string, by = 1): void {
    map[key] = (map[key] ?? 0) + by;
  }

  snapshot(): HaSimStats {
    const counters = this.counters;
    return {
      ...counters,
      commandsByType: { ...counters.commandsByType },
      errorsByCode: { ...counters.errorsByCode },
      dropped: { ...counters.dropped },
    };
  }

  replyPolicy(type: string): { drop: boolean; delayMs: number } {
    return {
      drop: this.replyDrops.has(type) || this.replyDrops.has('*'),
      delayMs: this.replyDelays.get(type) ?? this.replyDelays.get('*') ?? 0,
    };
  }
}
