import {
  backoffDelayMs,
  type BackoffSettings,
  type Clock,
  type Random,
  type TimerHandle,
} from '@homeiq/runtime';
import { REGISTRY_KINDS, type RegistryKind } from '../model/types.js';

/** What the scheduler needs from its owner. */
export interface SchedulerDeps {
  readonly clock: Clock;
  readonly random: Random;
  readonly debounceMs: number;
  readonly maxDebounceMs: number;
  /** Backoff of a failed fetch, by consecutive failures of that registry (or of the full refresh). */
  readonly retry: BackoffSettings;
  /** Refetches one registry; resolves true on success. Must not reject. */
  readonly runKind: (kind: RegistryKind) => Promise<boolean>;
  /** Refetches every registry as one picture; resolves true on success. Must not reject. */
  readonly runFull: () => Promise<boolean>;
}

const BACKGROUND = { keepAlive: false } as const;

interface Slot {
  dirty: boolean;
  firstDirtyAtMs: number | undefined;
  timer: TimerHandle | undefined;
  timerIsRetry: boolean;
  running: boolean;
  failures: number;
}

/**
 * Decides when to refetch. A registry event marks its registry dirty; a trailing debounce (`debounceMs`, but
 * never later than `maxDebounceMs` after the first unserved event) turns a storm into a few refetches — HA
 * crashed under a client that refetched on every event of a 1,200-entity storm
 * (docs/ha-websocket-protocol.md#slow-clients).
 * At most one fetch per registry is in flight: a full refresh occupies every registry, waits for running
 * refetches, and events that arrive during a fetch are served by one more fetch after it. Failures retry with
 * backoff; a new full refresh (a reconnect) resets the backoff.
 *
 * Every timer here is background work (`keepAlive: false`): nobody awaits a debounce or a retry — `requestFull()`
 * resolves with the outcome of the refresh it asked for, before any retry is set — so none may hold a process open.
 */
export class RefetchScheduler {
  readonly #deps: SchedulerDeps;
  readonly #slots = new Map<RegistryKind, Slot>();
  #fullRequested = false;
  #fullRunning = false;
  #fullFailures = 0;
  #fullRetryTimer: TimerHandle | undefined;
  #fullWaiters: ((ok: boolean) => void)[] = [];
  #nextWaiters: ((ok: boolean) => void)[] = [];
  #closed = false;

  constructor(deps: SchedulerDeps) {
    this.#deps = deps;
    for (const kind of REGISTRY_KINDS) {
      this.#slots.set(kind, {
        dirty: false,
        firstDirtyAtMs: undefined,
        timer: undefined,
        timerIsRetry: false,
        running: false,
        failures: 0,
      });
    }
  }

  /** Registries with a fetch in flight now (all of them during a full refresh). */
  inFlight(): RegistryKind[] {
    return REGISTRY_KINDS.filter((kind) => this.#fullRunning || this.#slot(kind).running);
  }

  /** A registry changed: refetch it after the debounce. */
  markDirty(kind: RegistryKind): void {
    if (this.#closed) return;
    const slot = this.#slot(kind);
    slot.dirty = true;
    slot.firstDirtyAtMs ??= this.#deps.clock.now();
    // Served after the running fetch, by the coming full refresh, or by the pending retry.
    if (slot.running || this.#fullRunning || this.#fullRequested || slot.timerIsRetry) return;
    this.#debounce(kind, slot);
  }

  /** Refetches everything as one picture, after any fetch in flight; resolves when that refresh ends. */
  requestFull(): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    const done = new Promise<boolean>((resolve) => this.#nextWaiters.push(resolve));
    this.#fullRequested = true;
    this.#fullFailures = 0;
    this.#clear(this.#fullRetryTimer);
    this.#fullRetryTimer = undefined;
    for (const slot of this.#slots.values()) {
      this.#clear(slot.timer);
      slot.timer = undefined;
      slot.timerIsRetry = false;
      slot.failures = 0;
    }
    this.#startFullIfFree();
    return done;
  }

  /** Cancels every timer; pending `requestFull` promises resolve false. Running fetches finish on their own. */
  close(): void {
    this.#closed = true;
    this.#clear(this.#fullRetryTimer);
    for (const slot of this.#slots.values()) this.#clear(slot.timer);
    for (const resolve of [...this.#fullWaiters, ...this.#nextWaiters]) resolve(false);
    this.#fullWaiters = [];
    this.#nextWaiters = [];
  }

  #slot(kind: RegistryKind): Slot {
    const slot = this.#slots.get(kind);
    if (slot === undefined) throw new Error(`unknown registry kind ${kind}`);
    return slot;
  }

  #debounce(kind: RegistryKind, slot: Slot): void {
    const now = this.#deps.clock.now();
    const deadline = (slot.firstDirtyAtMs ?? now) + this.#deps.maxDebounceMs;
    const delayMs = Math.max(0, Math.min(this.#deps.debounceMs, deadline - now));
    this.#clear(slot.timer);
    slot.timerIsRetry = false;
    slot.timer = this.#deps.clock.setTimeout(
      () => {
        this.#fire(kind, slot);
      },
      delayMs,
      BACKGROUND,
    );
  }

  #fire(kind: RegistryKind, slot: Slot): void {
    slot.timer = undefined;
    slot.timerIsRetry = false;
    if (this.#closed || slot.running || this.#fullRunning || this.#fullRequested || !slot.dirty) return;
    slot.dirty = false;
    slot.firstDirtyAtMs = undefined;
    slot.running = true;
    void this.#deps.runKind(kind).then((ok) => {
      slot.running = false;
      if (ok) slot.failures = 0;
      else {
        slot.failures += 1;
        slot.dirty = true;
        slot.firstDirtyAtMs ??= this.#deps.clock.now();
      }
      if (this.#closed) return;
      if (this.#fullRequested) this.#startFullIfFree();
      else if (!ok) this.#retry(kind, slot);
      else if (slot.dirty) this.#debounce(kind, slot);
    });
  }

  #retry(kind: RegistryKind, slot: Slot): void {
    const { retry, random } = this.#deps;
    this.#clear(slot.timer);
    slot.timerIsRetry = true;
    slot.timer = this.#deps.clock.setTimeout(
      () => {
        this.#fire(kind, slot);
      },
      backoffDelayMs(slot.failures, retry, random()),
      BACKGROUND,
    );
  }

  #startFullIfFree(): void {
    if (this.#closed || this.#fullRunning || !this.#fullRequested) return;
    if ([...this.#slots.values()].some((slot) => slot.running)) return;
    this.#fullRequested = false;
    this.#fullRunning = true;
    this.#fullWaiters = this.#nextWaiters;
    this.#nextWaiters = [];
    // Everything that was dirty up to now is served by this refresh.
    for (const slot of this.#slots.values()) {
      slot.dirty = false;
      slot.firstDirtyAtMs = undefined;
    }
    void this.#deps.runFull().then((ok) => {
      this.#fullRunning = false;
      const waiters = this.#fullWaiters;
      this.#fullWaiters = [];
      for (const resolve of waiters) resolve(ok);
      if (this.#closed) return;
      this.#fullFailures = ok ? 0 : this.#fullFailures + 1;
      if (this.#fullRequested) {
        this.#startFullIfFree();
        return;
      }
      if (!ok) this.#retryFull();
      for (const [kind, slot] of this.#slots) if (slot.dirty) this.#debounce(kind, slot);
    });
  }

  #retryFull(): void {
    const { retry, random } = this.#deps;
    this.#fullRetryTimer = this.#deps.clock.setTimeout(
      () => {
        this.#fullRetryTimer = undefined;
        this.#fullRequested = true;
        this.#startFullIfFree();
      },
      backoffDelayMs(this.#fullFailures, retry, random()),
      BACKGROUND,
    );
  }

  #clear(timer: TimerHandle | undefined): void {
    if (timer !== undefined) this.#deps.clock.clearTimeout(timer);
  }
}
