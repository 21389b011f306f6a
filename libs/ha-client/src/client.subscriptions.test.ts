import type { HaEvent } from './protocol/event.js';
import { createHarness } from './testing-internal/harness.js';

type H = ReturnType<typeof createHarness>;

/** Drops the current socket and lets the client reconnect (waits out the backoff on the manual clock). */
async function reconnect(h: H): Promise<void> {
  h.ha.last.drop(1006);
  await h.clock.advance(0);
  await h.clock.advance(h.clock.nextDelayMs() ?? 0);
}

describe('subscriptions', () => {
  it('delivers camelCase envelopes with HA data unchanged, and counts events', async () => {
    const h = createHarness();
    await h.connect();
    const seen: HaEvent[] = [];
    h.client.subscribeEvents('state_changed', (e) => seen.push(e));
    await h.clock.advance(0);
    const data = { entity_id: 'sensor.t', old_state: null, new_state: { state: '21.5' } };
    expect(h.ha.emit('state_changed', data)).toBe(1);
    await h.clock.advance(0);
    expect(seen).toEqual([
      {
        eventType: 'state_changed',
        data,
        origin: 'LOCAL',
        timeFired: '2025-01-15T10:05:00.654321+00:00',
        context: { id: '01JHKQ3Z8M6V0XW2R7T1Y5B9CD', parentId: null, userId: null },
      },
    ]);
    expect(h.client.stats()).toMatchObject({
      eventsReceived: 1,
      eventRatePerMinute: 1,
      lastEventAtMs: h.clock.now(),
    });
    await h.clock.advance(61_000);
    expect(h.client.stats().eventRatePerMinute).toBe(0);
  });

  it('subscribes all events when eventType is undefined (no event_type key on the wire)', async () => {
    const h = createHarness();
    await h.connect();
    h.client.subscribeEvents(undefined, () => undefined);
    await h.clock.advance(0);
    expect(h.ha.last.commands('subscribe_events').at(-1)).toEqual({ id: 3, type: 'subscribe_events' });
  });

  it('re-issues each subscription exactly once per reconnect, for 10 reconnects', async () => {
    const h = createHarness();
    h.client.subscribeEvents('state_changed', () => undefined);
    h.client.subscribeEvents(undefined, () => undefined);
    h.client.subscribeEvents('device_registry_updated', () => undefined);
    await h.connect();
    for (let i = 0; i < 10; i += 1) await reconnect(h);
    expect(h.ha.connections).toHaveLength(11);
    for (const conn of h.ha.connections) {
      const subscribed = conn.commands('subscribe_events').map((m) => m['event_type'] ?? '*');
      expect(subscribed).toEqual(['state_changed', '*', 'device_registry_updated']);
      expect(conn.subscriptions.size).toBe(conn.closed ? 0 : 3);
    }
    // and each event is delivered once, not once per reconnect so far
    const count: number[] = [];
    h.client.subscribeEvents('once', () => count.push(1));
    await h.clock.advance(0);
    h.ha.emit('once', {});
    await h.clock.advance(0);
    expect(count).toEqual([1]);
  });

  it('drop mid-subscribe: the subscribe is re-sent on the next socket, once, and events flow', async () => {
    const h = createHarness();
    await h.connect();
    h.ha.handlers.set('subscribe_events', () => undefined); // HA never answers on this socket
    const seen: unknown[] = [];
    h.client.subscribeEvents('state_changed', (e) => seen.push(e.data));
    await h.clock.advance(0);
    expect(h.client.stats().subscriptions).toEqual({ total: 1, active: 0, retrying: 0 });
    h.ha.handlers.delete('subscribe_events');
    await reconnect(h);
    expect(h.ha.last.commands('subscribe_events')).toHaveLength(1);
    expect(h.client.stats().subscriptions).toEqual({ total: 1, active: 1, retrying: 0 });
    h.ha.emit('state_changed', { n: 1 });
    await h.clock.advance(0);
    expect(seen).toEqual([{ n: 1 }]);
    expect(h.calls('onResubscribeFailed')).toEqual([]); // a lost socket is not a failed subscribe
  });

  it('a resubscribe rejected once is retried with backoff and reported, while others carry on', async () => {
    const h = createHarness({ resubscribeInitialDelayMs: 2_000 });
    const a: unknown[] = [];
    const b: unknown[] = [];
    h.client.subscribeEvents('a', (e) => a.push(e.data));
    h.client.subscribeEvents('b', (e) => b.push(e.data));
    await h.connect();
    h.ha.failNext.set('subscribe_events', [
      { code: 'home_assistant_error', message: 'integration not loaded' },
    ]);
    await reconnect(h);

    const [failure] = h.calls('onResubscribeFailed') as {
      eventType: string;
      error: { code: string; haCode: string };
      attempt: number;
      retryInMs: number;
    }[];
    expect(failure).toMatchObject({ eventType: 'a', attempt: 1, retryInMs: 2_000 });
    expect(failure?.error).toMatchObject({ code: 'ERR_COMMAND_FAILED', haCode: 'home_assistant_error' });
    expect(h.logs.filter((l) => l.level !== 'debug')).toEqual([]); // the hook only: the app words it
    expect(h.client.stats().subscriptions).toEqual({ total: 2, active: 1, retrying: 1 });
    h.ha.emit('b', 'b1');
    await h.clock.advance(1_999);
    expect(h.ha.last.commands('subscribe_events')).toHaveLength(2);
    await h.clock.advance(1);
    expect(h.ha.last.commands('subscribe_events').map((m) => m['event_type'])).toEqual(['a', 'b', 'a']);
    expect(h.client.stats().subscriptions).toEqual({ total: 2, active: 2, retrying: 0 });
    h.ha.emit('a', 'a1');
    await h.clock.advance(0);
    expect(a).toEqual(['a1']);
    expect(b).toEqual(['b1']);
  });

  it('keeps retrying a subscribe that keeps failing, with growing capped delays, and stops on unsubscribe', async () => {
    const h = createHarness({ resubscribeInitialDelayMs: 1_000, resubscribeMaxDelayMs: 4_000 });
    await h.connect();
    h.ha.handlers.set('subscribe_events', (m, conn) => {
      conn.error(Number(m['id']), 'unauthorized', 'Unauthorized');
    });
    const unsubscribe = h.client.subscribeEvents('secret_event', () => undefined);
    await h.clock.advance(20_000);
    const delays = (h.calls('onResubscribeFailed') as { retryInMs: number }[]).map((f) => f.retryInMs);
    expect(delays.slice(0, 5)).toEqual([1_000, 2_000, 4_000, 4_000, 4_000]);
    await unsubscribe();
    const attempts = h.ha.last.commands('subscribe_events').length;
    await h.clock.advance(60_000);
    expect(h.ha.last.commands('subscribe_events')).toHaveLength(attempts);
    expect(h.client.stats().subscriptions.total).toBe(0);
  });

  it('unsubscribe is idempotent, sends unsubscribe_events once, and stops delivery', async () => {
    const h = createHarness();
    await h.connect();
    const seen: unknown[] = [];
    const unsubscribe = h.client.subscribeEvents('x', (e) => seen.push(e.data));
    await h.clock.advance(0);
    const first = unsubscribe();
    expect(unsubscribe()).toBe(first);
    await h.clock.advance(0);
    await first;
    expect(h.ha.last.commands('unsubscribe_events')).toEqual([
      { id: 4, type: 'unsubscribe_events', subscription: 3 },
    ]);
    h.ha.emit('x', 1);
    await h.clock.advance(0);
    expect(seen).toEqual([]);
  });

  it('unsubscribing while offline removes the descriptor: nothing is re-sent on reconnect', async () => {
    const h = createHarness();
    await h.connect();
    const unsubscribe = h.client.subscribeEvents('x', () => undefined);
    h.client.subscribeEvents('y', () => undefined);
    await h.clock.advance(0);
    h.ha.last.drop(1006);
    await h.clock.advance(0);
    await unsubscribe(); // resolves while offline
    await h.clock.advance(h.clock.nextDelayMs() ?? 0);
    expect(h.client.state).toBe('connected');
    expect(h.ha.last.commands('subscribe_events').map((m) => m['event_type'])).toEqual(['y']);
    expect(h.ha.last.commands('unsubscribe_events')).toEqual([]);
  });

  it('unsubscribing while the subscribe is in flight ends it once HA confirmed it; events in between are dropped', async () => {
    const h = createHarness();
    await h.connect();
    const held: number[] = [];
    h.ha.handlers.set('subscribe_events', (m) => held.push(Number(m['id'])));
    const seen: unknown[] = [];
    const unsubscribe = h.client.subscribeEvents('x', (e) => seen.push(e.data));
    await h.clock.advance(0);
    const done = unsubscribe();
    const conn = h.ha.last;
    const id = held[0] ?? 0;
    conn.subscriptions.set(id, 'x');
    conn.result(id, null);
    h.ha.emit('x', 'between');
    await h.clock.advance(0);
    await done;
    expect(conn.commands('unsubscribe_events')).toEqual([expect.objectContaining({ subscription: id })]);
    expect(seen).toEqual([]);
    expect(h.client.stats().drops.unsubscribed).toBe(1);
  });

  it('ends a subscription nobody routes (e.g. its subscribe timed out, then HA accepted it)', async () => {
    const h = createHarness();
    await h.connect();
    h.ha.last.subscriptions.set(999, 'orphan');
    h.ha.emit('orphan', 1);
    h.ha.emit('orphan', 2);
    await h.clock.advance(0);
    expect(h.ha.last.commands('unsubscribe_events')).toEqual([
      expect.objectContaining({ subscription: 999 }),
    ]);
    expect(h.client.stats().drops).toMatchObject({ unknown_subscription: 1, unsubscribed: 1 });
  });

  it('a throwing handler is counted and reported; other events and handlers go on', async () => {
    const h = createHarness();
    await h.connect();
    const ok: unknown[] = [];
    h.client.subscribeEvents('x', () => {
      throw new Error('consumer bug');
    });
    h.client.subscribeEvents('x', (e) => ok.push(e.data));
    await h.clock.advance(0);
    h.ha.emit('x', 1);
    h.ha.emit('x', 2);
    await h.clock.advance(0);
    expect(ok).toEqual([1, 2]);
    expect(h.client.stats().drops.handler_error).toBe(2);
    expect(h.calls('onDrop')[0]).toMatchObject({ reason: 'handler_error', error: new Error('consumer bug') });
  });

  it('an async handler is not awaited, and its rejection is counted instead of going unhandled', async () => {
    const h = createHarness();
    await h.connect();
    const releases: (() => void)[] = [];
    const order: string[] = [];
    h.client.subscribeEvents('x', async (e) => {
      order.push(`start ${String(e.data)}`);
      await new Promise<void>((resolve) => releases.push(resolve));
      throw new Error('async consumer bug');
    });
    await h.clock.advance(0);
    h.ha.emit('x', 1);
    h.ha.emit('x', 2);
    await h.clock.advance(0);
    expect(order).toEqual(['start 1', 'start 2']); // the second event did not wait for the first handler
    for (const release of releases) release();
    await h.clock.advance(0);
    expect(h.client.stats().drops.handler_error).toBe(2);
  });

  it('malformed events and frames are counted by reason, never thrown', async () => {
    const h = createHarness();
    await h.connect();
    h.client.subscribeEvents('x', () => undefined);
    await h.clock.advance(0);
    h.ha.emit('x', 1, { context: 'not an object' });
    h.ha.last.push('{not json');
    h.ha.last.push({ type: 'mystery' });
    h.ha.last.push('[1, {"type":"result"}]');
    await h.clock.advance(0);
    expect(h.client.stats().drops).toMatchObject({ invalid_event: 1, invalid_frame: 4 });
    expect(h.client.state).toBe('connected');
  });

  it('validates subscribeEvents arguments', () => {
    const h = createHarness();
    expect(() => h.client.subscribeEvents('', () => undefined)).toThrow(
      'Expected `eventType` to be a non-empty string or undefined, got `""` (string)',
    );
    expect(() => h.client.subscribeEvents('x', 5 as unknown as () => void)).toThrow(
      'Expected `handler` to be a function',
    );
  });
});
