import type { RegistryConnection, RegistryEventMessage } from '../discovery/connection.js';

type Raw = Record<string, unknown>;

/** An HA-style command failure, shaped like ha-client's HaCommandError (`haCode`). */
export class FakeCommandError extends Error {
  constructor(
    readonly haCode: string,
    message = haCode,
  ) {
    super(message);
  }
}

interface Held {
  readonly type: string;
  resolve(): void;
  fail(error: Error): void;
}

/**
 * A fake HA connection over in-memory registries. It records every command, can hold replies (to keep a fetch
 * in flight), answer with errors or odd payloads, and deliver registry events to subscribers.
 */
export class FakeConnection implements RegistryConnection {
  registries: { floors: Raw[]; areas: Raw[]; devices: Raw[]; entities: Raw[]; configEntries: Raw[] };
  /** Every command type sent, in order. */
  readonly sent: string[] = [];
  /** Commands answered with these results instead of the registries (by type). */
  readonly overrides = new Map<string, () => unknown>();
  /** While true, replies wait until `releaseAll()` (or `release(type)`). */
  hold = false;
  readonly held: Held[] = [];
  readonly #handlers = new Map<string, Set<(event: RegistryEventMessage) => void>>();
  /** In-flight count per command type, and the highest seen. */
  readonly inFlight = new Map<string, number>();
  readonly maxInFlight = new Map<string, number>();

  constructor(registries: FakeConnection['registries']) {
    this.registries = registries;
  }

  sendCommand(type: string): Promise<unknown> {
    this.sent.push(type);
    const now = (this.inFlight.get(type) ?? 0) + 1;
    this.inFlight.set(type, now);
    this.maxInFlight.set(type, Math.max(now, this.maxInFlight.get(type) ?? 0));
    const answer = (): unknown => {
      const override = this.overrides.get(type);
      if (override !== undefined) return override();
      const lists: Record<string, unknown> = {
        'config/floor_registry/list': this.registries.floors,
        'config/area_registry/list': this.registries.areas,
        'config/device_registry/list': this.registries.devices,
        'config/entity_registry/list': this.registries.entities,
        'config_entries/get': this.registries.configEntries,
      };
      if (!(type in lists)) throw new FakeCommandError('unknown_command', `Unknown command ${type}`);
      return structuredClone(lists[type]);
    };
    const done = (): void => {
      this.inFlight.set(type, (this.inFlight.get(type) ?? 1) - 1);
    };
    return new Promise((resolve, reject) => {
      const reply = (): void => {
        done();
        try {
          resolve(answer());
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      };
      if (!this.hold) {
        queueMicrotask(reply);
        return;
      }
      this.held.push({
        type,
        resolve: reply,
        fail: (error) => {
          done();
          reject(error);
        },
      });
    });
  }

  subscribeEvents(eventType: string, handler: (event: RegistryEventMessage) => void): () => void {
    let set = this.#handlers.get(eventType);
    if (set === undefined) this.#handlers.set(eventType, (set = new Set()));
    set.add(handler);
    return () => {
      set.delete(handler);
    };
  }

  /** Subscribers of an event type now. */
  subscribers(eventType: string): number {
    return this.#handlers.get(eventType)?.size ?? 0;
  }

  /** Delivers one event to its subscribers. */
  fire(eventType: string, data: unknown): void {
    for (const handler of this.#handlers.get(eventType) ?? []) handler({ eventType, data });
  }

  /** Answers every held command now (with the registries as they are now). */
  releaseAll(): void {
    for (const held of this.held.splice(0)) held.resolve();
  }

  /** Fails every held command (a lost connection). */
  failAll(error: Error): void {
    for (const held of this.held.splice(0)) held.fail(error);
  }

  /** Commands sent of one type. */
  count(type: string): number {
    return this.sent.filter((sent) => sent === type).length;
  }
}
