import {
  backoffDelayMs,
  type BackoffSettings,
  type Clock,
  type Logger,
  type Random,
  type TimerHandle,
} from '@homeiq/runtime';
import type { DropReason, Session } from '../correlation/session.js';
import { describeError, type HaClientError } from '../errors.js';

/** What to subscribe: one command that starts a subscription, and where its raw events go. */
export interface SubscriptionSpec {
  readonly commandType: string;
  readonly payload: Readonly<Record<string, unknown>>;
  /** Shown in hooks and logs, e.g. the event type; undefined for "all events". */
  readonly label: string | undefined;
  readonly onEvent: (event: unknown) => void;
}

/** A failed (re)subscribe that will be retried. */
export interface SubscribeFailure {
  readonly label: string | undefined;
  readonly error: HaClientError;
  /** Consecutive failures of this subscription on this connection. */
  readonly attempt: number;
  readonly retryInMs: number;
}

/** What the registry needs from its owner. */
export interface RegistryDeps {
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  readonly retry: BackoffSettings;
  readonly commandTimeoutMs: number;
  readonly onFailed: (failure: SubscribeFailure) => void;
  readonly onDrop: (reason: DropReason, detail: string) => void;
}

type Status = 'offline' | 'subscribing' | 'active' | 'retrying';

interface Descriptor {
  readonly spec: SubscriptionSpec;
  status: Status;
  removed: boolean;
  failures: number;
  wireId: number | null;
  subscribed: Promise<unknown> | undefined;
  retryTimer: TimerHandle | undefined;
  unsubscribed: Promise<void> | undefined;
}

/** Counts for stats. */
export interface SubscriptionCounts {
  readonly total: number;
  readonly active: number;
  readonly retrying: number;
}

/**
 * Subscriptions as descriptors that outlive any socket. Each connection gets every descriptor subscribed exactly
 * once (subscribing twice would deliver every event twice: docs/decisions.md#bugs-we-do-not-repeat); wire ids are
 * per connection (docs/ha-websocket-protocol.md#events) and never used as keys across connections (a resubscribe
 * map keyed by old ids grows without bound). Each descriptor is independent: one rejected resubscribe is retried
 * with backoff and reported while the others carry on (a loop that aborts on its first failure loses every later
 * subscription).
 */
export class SubscriptionRegistry {
  readonly #deps: RegistryDeps;
  readonly #descriptors = new Set<Descriptor>();
  #session: Session | undefined;

  constructor(deps: RegistryDeps) {
    this.#deps = deps;
  }

  /** Adds a subscription; it goes live now if connected, else on the next connection. */
  add(spec: SubscriptionSpec): () => Promise<void> {
    const descriptor: Descriptor = {
      spec,
      status: 'offline',
      removed: false,
      failures: 0,
      wireId: null,
      subscribed: undefined,
      retryTimer: undefined,
      unsubscribed: undefined,
    };
    this.#descriptors.add(descriptor);
    if (this.#session?.alive === true) this.#subscribe(this.#session, descriptor);
    return () => (descriptor.unsubscribed ??= this.#remove(descriptor));
  }

  /** A new authenticated connection: subscribe every descriptor on it, once. */
  attach(session: Session): void {
    this.#session = session;
    // A snapshot: one added meanwhile is subscribed by add() itself and must not be sent twice.
    for (const descriptor of [...this.#descriptors]) this.#subscribe(session, descriptor);
  }

  /** The connection died; HA forgot every subscription with it. Clears retry timers. */
  detach(): void {
    this.#session = undefined;
    for (const descriptor of this.#descriptors) this.#reset(descriptor);
  }

  /** Removes every descriptor (client closed). */
  clear(): void {
    this.#session = undefined;
    for (const descriptor of this.#descriptors) {
      descriptor.removed = true;
      this.#reset(descriptor);
    }
    this.#descriptors.clear();
  }

  /** Counts for stats. */
  counts(): SubscriptionCounts {
    let active = 0;
    let retrying = 0;
    for (const { status } of this.#descriptors) {
      if (status === 'active') active += 1;
      else if (status === 'retrying') retrying += 1;
    }
    return { total: this.#descriptors.size, active, retrying };
  }

  #subscribe(session: Session, descriptor: Descriptor): void {
    const { spec } = descriptor;
    const route = (event: unknown): void => {
      if (descriptor.removed) this.#deps.onDrop('unsubscribed', `event for a removed ${spec.commandType}`);
      else spec.onEvent(event);
    };
    const { id, result } = session.subscribe(spec.commandType, spec.payload, route, {
      timeoutMs: this.#deps.commandTimeoutMs,
    });
    descriptor.status = 'subscribing';
    descriptor.wireId = id;
    descriptor.subscribed = result;
    result.then(
      () => {
        if (this.#session !== session || descriptor.removed) return;
        descriptor.status = 'active';
        descriptor.failures = 0;
      },
      (error: unknown) => {
        // A lost connection is not this subscription's failure: the next connection subscribes it again.
        if (this.#session !== session || !session.alive || descriptor.removed) return;
        this.#retryLater(session, descriptor, error as HaClientError);
      },
    );
  }

  #retryLater(session: Session, descriptor: Descriptor, error: HaClientError): void {
    descriptor.failures += 1;
    descriptor.status = 'retrying';
    descriptor.wireId = null;
    const retryInMs = backoffDelayMs(descriptor.failures, this.#deps.retry, this.#deps.random());
    // A background timer: nobody awaits a resubscribe, and it lives only while this session's socket (which keeps
    // the process alive) is open; detach() clears it with the session.
    descriptor.retryTimer = this.#deps.clock.setTimeout(
      () => {
        descriptor.retryTimer = undefined;
        if (this.#session === session && session.alive && !descriptor.removed)
          this.#subscribe(session, descriptor);
      },
      retryInMs,
      { keepAlive: false },
    );
    this.#deps.onFailed({ label: descriptor.spec.label, error, attempt: descriptor.failures, retryInMs });
  }

  #reset(descriptor: Descriptor): void {
    if (descriptor.retryTimer !== undefined) this.#deps.clock.clearTimeout(descriptor.retryTimer);
    descriptor.retryTimer = undefined;
    descriptor.status = 'offline';
    descriptor.wireId = null;
    descriptor.subscribed = undefined;
    descriptor.failures = 0;
  }

  async #remove(descriptor: Descriptor): Promise<void> {
    descriptor.removed = true;
    this.#descriptors.delete(descriptor);
    const session = this.#session;
    const { wireId, subscribed } = descriptor;
    this.#reset(descriptor);
    if (session === undefined || wireId === null || subscribed === undefined) return;
    try {
      // A subscribe still in flight must be answered before it can be ended; a failed one left nothing to end.
      await subscribed;
    } catch {
      return;
    }
    try {
      await session.unsubscribe(wireId, { timeoutMs: this.#deps.commandTimeoutMs });
    } catch (error) {
      // The subscription is gone either way: HA did not know it, or the socket (and with it every subscription)
      // died. Its events, if any still arrive, are counted as drops.
      this.#deps.logger.debug('unsubscribe_events did not succeed', { error: describeError(error) });
    }
  }
}
