import { ManualClock } from './manual-clock.js';

describe('ManualClock', () => {
  it('fires due timers in order, ties in the order set, including timers set by timers', async () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b'), 20);
    clock.setTimeout(() => {
      fired.push('a');
      clock.setTimeout(() => fired.push('a+5'), 5);
    }, 10);
    clock.setTimeout(() => fired.push('b2'), 20);
    await clock.advance(25);
    expect(fired).toEqual(['a', 'a+5', 'b', 'b2']);
    expect(clock.now()).toBe(25);
  });

  it('lets promise callbacks run between timers in advance(), not in advanceSync()', async () => {
    const clock = new ManualClock(0);
    const seen: number[] = [];
    clock.setTimeout(() => void Promise.resolve().then(() => seen.push(clock.now())), 10);
    clock.setTimeout(() => seen.push(-clock.now()), 20);
    await clock.advance(30);
    expect(seen).toEqual([10, -20]);

    const sync: string[] = [];
    clock.setTimeout(() => void Promise.resolve().then(() => sync.push('promise')), 1);
    clock.setTimeout(() => sync.push('timer'), 2);
    clock.advanceSync(5);
    expect(sync).toEqual(['timer']);
  });

  it('counts and lists pending timers, with whether they keep a process alive', () => {
    const clock = new ManualClock(0);
    const a = clock.setTimeout(() => undefined, 50);
    clock.setTimeout(() => undefined, 10, { keepAlive: false });
    expect(clock.pendingTimers).toBe(2);
    expect(clock.pending()).toEqual([
      { delayMs: 10, dueInMs: 10, keepAlive: false },
      { delayMs: 50, dueInMs: 50, keepAlive: true },
    ]);
    expect(clock.nextDelayMs()).toBe(10);
    clock.clearTimeout(a);
    clock.clearTimeout(a);
    expect(clock.pendingTimers).toBe(1);
  });

  it('fires a delay no Node timer can hold after 1 ms, as Node does', () => {
    const clock = new ManualClock(0);
    const fired = jest.fn();
    clock.setTimeout(fired, 2 ** 31);
    clock.setTimeout(fired, Number.NaN);
    clock.advanceSync(1);
    expect(fired).toHaveBeenCalledTimes(2);
  });

  it('whenTimer resolves for a pending timer or the next matching one set', async () => {
    const clock = new ManualClock(0);
    clock.setTimeout(() => undefined, 100);
    await expect(clock.whenTimer((ms) => ms === 100)).resolves.toBe(100);
    const later = clock.whenTimer((ms) => ms > 1000);
    clock.setTimeout(() => undefined, 5);
    clock.setTimeout(() => undefined, 5000);
    await expect(later).resolves.toBe(5000);
  });
});
