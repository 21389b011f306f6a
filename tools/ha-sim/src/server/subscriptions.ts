import type { BusEvent } from '../model/events.js';

/** HA `EVENTS_EXCLUDED_FROM_MATCH_ALL`: a `*` subscription never sees these. */
const EXCLUDED_FROM_MATCH_ALL: ReadonlySet<string> = new Set(['homeassistant_close', 'state_reported']);

/** The receiving end of a subscription: a connection's writer (or a drop when half-open). */
export interface EventSink {
  /** Queues a message given as wire text, whole or as head + tail. */
  deliver(head: string, tail?: string): void;
}

export interface Subscription {
  readonly sink: EventSink;
  /** The event type, or `*`; `subscribe_entities` subscriptions have an entity filter instead. */
  readonly eventType: string;
  readonly entityFilter?: (entityId: string) => boolean;
  /** `,"id":N}` — appended to the cached event prefix, as HA's `cached_event_message` does. */
  readonly suffix: string;
}

/** Every live `subscribe_events`, indexed by event type so a fan-out touches only its listeners. */
export class SubscriptionIndex {
  readonly #byType = new Map<string, Set<Subscription>>();
  readonly #matchAll = new Set<Subscription>();
  readonly #entities = new Set<Subscription>();

  /** Live `subscribe_entities` subscriptions (the model builds compressed diffs only while there are any). */
  get entitySubscriptions(): number {
    return this.#entities.size;
  }

  addEntities(sink: EventSink, id: number, entityFilter: (entityId: string) => boolean): Subscription {
    const subscription: Subscription = {
      sink,
      eventType: 'state_changed',
      entityFilter,
      suffix: ',"id":' + String(id) + '}',
    };
    this.#entities.add(subscription);
    return subscription;
  }

  add(sink: EventSink, id: number, eventType: string): Subscription {
    const subscription: Subscription = { sink, eventType, suffix: ',"id":' + String(id) + '}' };
    if (eventType === '*') {
      this.#matchAll.add(subscription);
    } else {
      let set = this.#byType.get(eventType);
      if (set === undefined) this.#byType.set(eventType, (set = new Set()));
      set.add(subscription);
    }
    return subscription;
  }

  remove(subscription: Subscription): void {
    if (subscription.entityFilter !== undefined) {
      this.#entities.delete(subscription);
      return;
    }
    if (subscription.eventType === '*') {
      this.#matchAll.delete(subscription);
      return;
    }
    const set = this.#byType.get(subscription.eventType);
    set?.delete(subscription);
    if (set?.size === 0) this.#byType.delete(subscription.eventType);
  }

  /** Sends an event to its subscribers; returns how many messages were handed to sinks. */
  dispatch(event: BusEvent): number {
    let sent = 0;
    const prefix = event.messagePrefix;
    const typed = this.#byType.get(event.eventType);
    if (typed !== undefined) {
      for (const subscription of typed) {
        subscription.sink.deliver(prefix, subscription.suffix);
        sent++;
      }
    }
    if (this.#matchAll.size > 0 && !EXCLUDED_FROM_MATCH_ALL.has(event.eventType)) {
      for (const subscription of this.#matchAll) {
        subscription.sink.deliver(prefix, subscription.suffix);
        sent++;
      }
    }
    const compressed = event.compressedPrefix;
    if (compressed !== undefined && event.entityId !== undefined) {
      for (const subscription of this.#entities) {
        if (subscription.entityFilter?.(event.entityId) !== true) continue;
        subscription.sink.deliver(compressed, subscription.suffix);
        sent++;
      }
    }
    return sent;
  }
}
