import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { silentLogger } from '@homeiq/runtime';
import { ManualClock, settle } from '@homeiq/runtime/testing';
import { createHaClient } from './create-client.js';
import { FakeHa } from './testing-internal/fake-ha.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function collect(): Promise<void> {
  // WeakRef targets are kept alive until the current job ends: let it end, then collect twice.
  await settle();
  gc();
  await settle();
  gc();
}

describe('300 reconnect cycles', () => {
  it('leave no growth in timers, subscriptions, pending commands, sockets or heap', async () => {
    // No recording logger or hooks here: the heap must show what the client keeps, not what a test records.
    const clock = new ManualClock();
    const ha = new FakeHa();
    const client = createHaClient({
      url: 'http://ha.local:8123',
      accessToken: ha.token,
      createSocket: ha.factory,
      clock,
      random: () => 0,
      logger: silentLogger,
      commandTimeoutMs: 5_000,
    });
    const h = { client, clock, ha };
    for (const type of ['state_changed', undefined, 'device_registry_updated']) {
      client.subscribeEvents(type, () => undefined);
    }
    client.start();
    await settle();
    const sockets: WeakRef<object>[] = [];
    const cycle = async (i: number): Promise<void> => {
      const conn = h.ha.last;
      // Leave work in flight at the moment of the drop: always a command, every third cycle a ping too.
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
    const timersBefore = h.clock.pendingTimers;
    for (let i = 10; i < 310; i += 1) await cycle(i);
    await collect();
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;

    expect(h.clock.pendingTimers).toBe(timersBefore);
    expect(h.client.stats()).toMatchObject({
      subscriptions: { total: 3, active: 3, retrying: 0 },
      pendingCommands: 0,
      successfulConnections: 311,
    });
    expect(h.ha.last.subscriptions.size).toBe(3);
    expect(h.ha.last.commands('subscribe_events')).toHaveLength(3);
    // Every socket but the live one was garbage collected: nothing in the client still references it.
    const alive = sockets.filter((ref) => ref.deref() !== undefined).length;
    expect(alive).toBe(0);
    // The exact check is the WeakRef one above. The heap figure is a coarse guard on top: V8's own noise here is
    // up to about 0.5 MiB, while keeping even 4 KiB per cycle would add 1.2 MiB over 300 cycles.
    expect(heapGrowth).toBeLessThan(1024 * 1024);
    await h.client.close();
    expect(h.clock.pendingTimers).toBe(0);
  });
});
