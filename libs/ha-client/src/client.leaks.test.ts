import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createHarness } from './testing-internal/harness.js';
import { flush } from './testing-internal/manual-clock.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function collect(): Promise<void> {
  // WeakRef targets are kept alive until the current job ends: let it end, then collect twice.
  await flush();
  gc();
  await flush();
  gc();
}

describe('100 reconnect cycles', () => {
  it('leave no growth in timers, subscriptions, pending commands, sockets or heap', async () => {
    const h = createHarness({ commandTimeoutMs: 5_000 });
    const handlers = ['state_changed', undefined, 'device_registry_updated'].map((type) =>
      h.client.subscribeEvents(type, () => undefined),
    );
    expect(handlers).toHaveLength(3);
    await h.connect();
    const sockets: WeakRef<object>[] = [];
    const cycle = async (i: number): Promise<void> => {
      const conn = h.ha.last;
      // Leave work in flight at the moment of the drop: a command, a ping, an unanswered subscribe.
      h.client.sendCommand('slow_unanswered').catch(() => undefined);
      if (i % 3 === 0) await h.clock.advance(30_000);
      sockets.push(new WeakRef(conn));
      conn.drop(i % 2 === 0 ? 1006 : 1000);
      h.ha.connections.length = 0; // the fake forgets old sockets; only the client could keep them alive
      await h.clock.advance(0);
      await h.clock.advance(h.clock.nextDelayMs() ?? 0);
      expect(h.client.state).toBe('connected');
    };
    h.ha.handlers.set('slow_unanswered', () => undefined);

    for (let i = 0; i < 10; i += 1) await cycle(i); // warm up (JIT, lazily built structures)
    await collect();
    const heapBefore = process.memoryUsage().heapUsed;
    const timersBefore = h.clock.activeTimers;
    for (let i = 10; i < 110; i += 1) await cycle(i);
    await collect();
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;

    expect(h.clock.activeTimers).toBe(timersBefore);
    expect(h.client.stats()).toMatchObject({
      subscriptions: { total: 3, active: 3, retrying: 0 },
      pendingCommands: 0,
      successfulConnections: 111,
    });
    expect(h.ha.last.subscriptions.size).toBe(3);
    expect(h.ha.last.commands('subscribe_events')).toHaveLength(3);
    // Every socket but the live one was garbage collected: nothing in the client still references it.
    const alive = sockets.filter((ref) => ref.deref() !== undefined).length;
    expect(alive).toBe(0);
    // A leak of even 1 KiB per cycle would show as 100 KiB; allow for allocator noise well below that.
    expect(heapGrowth).toBeLessThan(512 * 1024);
    await h.client.close();
    expect(h.clock.activeTimers).toBe(0);
  });
});
