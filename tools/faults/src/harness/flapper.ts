import type { HaSim } from '@homeiq/ha-sim';
import { between } from './random.js';
import { writersIdle } from './sim.js';

/** How a flap ends the connection. */
export type FlapKind = 'close_1000' | 'close_1001' | 'terminate' | 'restart';

/** Options of {@link createFlapper}. */
export interface FlapperOptions {
  readonly sim: HaSim;
  readonly random: () => number;
  /** Time between flaps, drawn uniformly from this range. */
  readonly intervalMs: readonly [min: number, max: number];
  /** Port-refused time of a `restart` flap, drawn uniformly from this range. */
  readonly restartDownMs: readonly [min: number, max: number];
  /** Extra condition for a flap, e.g. "the client has resynced the last gap". @default always */
  readonly ready?: () => boolean;
  readonly now?: () => number;
}

/** Drops HA's connections on a seeded schedule; call {@link Flapper.tick} between emissions. */
export interface Flapper {
  /** Flaps if one is due and the moment is clean (see below); returns the kind when it flapped. */
  tick(): FlapKind | undefined;
  /** Flaps by kind, so far. */
  readonly counts: Readonly<Record<FlapKind, number>>;
  readonly total: number;
  /** Resolves once a `restart` in progress is over. */
  idle(): Promise<void>;
}

const KINDS: readonly FlapKind[] = ['close_1000', 'close_1001', 'terminate', 'restart'];

/**
 * A seeded flapping HA: close frames (1000, 1001), a cut TCP connection (no close frame: 1006), and restarts
 * that refuse connections for a while. A flap waits for a clean moment: a client connected and every writer of
 * the simulator empty (nothing queued, nothing buffered in user space), so everything HA queued before the flap
 * was handed to the kernel and reaches the client; what HA fires after it is what the client missed. Without
 * this, the count of events "HA emitted while connected" would include events cut off inside HA itself.
 */
export function createFlapper(options: FlapperOptions): Flapper {
  const { sim, random } = options;
  const now = options.now ?? Date.now;
  const counts: Record<FlapKind, number> = { close_1000: 0, close_1001: 0, terminate: 0, restart: 0 };
  let total = 0;
  let dueAt = now() + between(random, ...options.intervalMs);
  let restarting: Promise<void> = Promise.resolve();
  // Every kind once per round of four, in a seeded order: even a short run sees each kind of failure.
  const order: FlapKind[] = [];
  let busy = false;

  function clean(): boolean {
    const authenticated = sim.connections().some((c) => c.authenticated);
    return authenticated && (options.ready?.() ?? true) && writersIdle(sim);
  }

  return {
    tick() {
      if (busy || now() < dueAt || !clean()) return undefined;
      if (order.length === 0) order.push(...shuffled(KINDS, random));
      const kind = order.shift() ?? 'terminate';
      if (kind === 'close_1000') sim.dropConnections(1000);
      else if (kind === 'close_1001') sim.dropConnections(1001);
      else if (kind === 'terminate') sim.terminateConnections();
      else {
        busy = true;
        restarting = sim.restart({ downMs: between(random, ...options.restartDownMs) }).finally(() => {
          busy = false;
        });
      }
      counts[kind]++;
      total++;
      dueAt = now() + between(random, ...options.intervalMs);
      return kind;
    },
    get counts() {
      return { ...counts };
    },
    get total() {
      return total;
    },
    idle: () => restarting,
  };
}

/** A seeded Fisher–Yates shuffle. */
function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const a = out[i];
    const b = out[j];
    if (a !== undefined && b !== undefined) {
      out[i] = b;
      out[j] = a;
    }
  }
  return out;
}
