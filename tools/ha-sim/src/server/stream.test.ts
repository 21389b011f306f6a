import { ManualTimers } from '../testing-internal/manual-timers.js';
import { startStream, type StreamDriver } from './stream.js';

function driver(ready: () => boolean = () => true) {
  const timers = new ManualTimers();
  const batches: number[] = [];
  const fake: StreamDriver = {
    timers,
    now: () => timers.now,
    emit: (count) => {
      batches.push(count);
      return count;
    },
    clientsReady: ready,
    hasSubscribers: () => true,
  };
  return { timers, batches, fake };
}

describe('startStream', () => {
  it('emits at the rate, catching up on late timers', async () => {
    const { timers, batches, fake } = driver();
    const handle = startStream(fake, { ratePerSecond: 50, total: 100 });
    timers.advance(1000);
    expect(batches.reduce((sum, count) => sum + count, 0)).toBe(50);
    timers.advance(1000);
    expect(await handle.done).toBe(100);
  });

  it('runs 200,000/s as 1 ms ticks of 200', () => {
    const { timers, batches, fake } = driver();
    const handle = startStream(fake, { ratePerSecond: 200_000 });
    timers.advance(10);
    expect(batches).toEqual(Array.from({ length: 10 }, () => 200));
    handle.stop();
    timers.advance(10);
    expect(batches).toHaveLength(10);
  });

  it('catches up on a late tick over several ticks, not in one burst', () => {
    const { timers, batches, fake } = driver();
    let clock = 0;
    const handle = startStream({ ...fake, now: () => clock }, { ratePerSecond: 1000 });
    clock = 100; // the loop was busy for 100 ms: 100 events are due at the next tick
    timers.advance(1);
    timers.advance(1);
    expect(batches).toEqual([8, 8]);
    timers.advance(20);
    expect(batches.reduce((sum, count) => sum + count, 0)).toBe(100);
    handle.stop();
  });

  it('in closed loop, emits a batch whenever the clients are ready', async () => {
    let ready = false;
    const { timers, batches, fake } = driver(() => ready);
    const handle = startStream(fake, { ratePerSecond: Number.POSITIVE_INFINITY, total: 2500 });
    timers.turn();
    expect(batches).toEqual([]);
    ready = true;
    timers.settle();
    expect(batches).toEqual([1000, 1000, 500]);
    expect(await handle.done).toBe(2500);
  });

  it('in closed loop, idles on a timer while nobody subscribes', () => {
    const { timers, batches, fake } = driver();
    let subscribers = false;
    const handle = startStream(
      { ...fake, hasSubscribers: () => subscribers },
      { ratePerSecond: Number.POSITIVE_INFINITY },
    );
    timers.settle();
    timers.advance(50);
    expect(batches).toEqual([]);
    expect(timers.pendingImmediates).toBe(0);
    subscribers = true;
    timers.advance(10);
    timers.turn();
    expect(batches).toEqual([1000, 1000]);
    handle.stop();
  });

  it('keeps going when changes are invisible (no state_changed)', async () => {
    const { timers, fake } = driver();
    let calls = 0;
    const handle = startStream(
      { ...fake, emit: (count) => (calls++ % 2 === 0 ? 0 : count) },
      { ratePerSecond: 100, total: 10 },
    );
    timers.advance(200);
    expect(await handle.done).toBe(10);
  });

  it('validates the rate and total', () => {
    const { fake } = driver();
    expect(() => startStream(fake, { ratePerSecond: 0 })).toThrow(
      'Expected `ratePerSecond` to be a number > 0 or Infinity, got `0` (number)',
    );
    expect(() => startStream(fake, { ratePerSecond: 1, total: 1.5 })).toThrow(
      'Expected `total` to be an integer >= 0',
    );
  });
});
