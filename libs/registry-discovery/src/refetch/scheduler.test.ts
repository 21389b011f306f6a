import { ManualClock, settle } from '@homeiq/runtime/testing';
import type { RegistryKind } from '../model/types.js';
import { RefetchScheduler } from './scheduler.js';

interface Run {
  readonly what: RegistryKind | 'full';
  readonly startedAtMs: number;
  finish(ok: boolean): void;
}

function setup(overrides: { debounceMs?: number; maxDebounceMs?: number; autoFinishAfterMs?: number } = {}) {
  const clock = new ManualClock(0);
  const runs: Run[] = [];
  const running = new Map<string, number>();
  let maxConcurrentPerKind = 0;
  const start = (what: RegistryKind | 'full'): Promise<boolean> =>
    new Promise((resolve) => {
      const keys = what === 'full' ? ['devices', 'entities', 'areas', 'floors'] : [what];
      for (const key of keys) {
        running.set(key, (running.get(key) ?? 0) + 1);
        maxConcurrentPerKind = Math.max(maxConcurrentPerKind, running.get(key) ?? 0);
      }
      const run: Run = {
        what,
        startedAtMs: clock.now(),
        finish(ok) {
          for (const key of keys) running.set(key, (running.get(key) ?? 1) - 1);
          resolve(ok);
        },
      };
      runs.push(run);
      if (overrides.autoFinishAfterMs !== undefined) {
        clock.setTimeout(() => {
          run.finish(true);
        }, overrides.autoFinishAfterMs);
      }
    });
  const scheduler = new RefetchScheduler({
    clock,
    random: () => 0.5,
    debounceMs: overrides.debounceMs ?? 500,
    maxDebounceMs: overrides.maxDebounceMs ?? 5000,
    retry: { initialDelayMs: 1000, maxDelayMs: 60_000, jitterRatio: 0.5 },
    runKind: (kind) => start(kind),
    runFull: () => start('full'),
  });
  return { clock, runs, scheduler, maxConcurrent: () => maxConcurrentPerKind };
}

describe('RefetchScheduler', () => {
  it('turns a burst of 1,000 events into one refetch, after the debounce', async () => {
    const { clock, runs, scheduler } = setup();
    for (let i = 0; i < 1000; i++) scheduler.markDirty('entities');
    await clock.advance(499);
    expect(runs).toHaveLength(0);
    await clock.advance(1);
    expect(runs.map((r) => r.what)).toEqual(['entities']);
  });

  it('bounds a 1,000-event storm spread over 10 s to a few refetches, never two in flight per registry', async () => {
    const { clock, runs, scheduler, maxConcurrent } = setup({ autoFinishAfterMs: 300 });
    for (let i = 0; i < 1000; i++) {
      scheduler.markDirty(i % 2 === 0 ? 'entities' : 'devices');
      await clock.advance(10);
    }
    await clock.advance(10_000);
    const entityRuns = runs.filter((r) => r.what === 'entities').length;
    const deviceRuns = runs.filter((r) => r.what === 'devices').length;
    // maxDebounceMs 5 s over a 10 s storm: about one per 5 s, plus the trailing one.
    expect(entityRuns).toBeGreaterThanOrEqual(2);
    expect(entityRuns).toBeLessThanOrEqual(3);
    expect(deviceRuns).toBeGreaterThanOrEqual(2);
    expect(deviceRuns).toBeLessThanOrEqual(3);
    expect(maxConcurrent()).toBe(1);
  });

  it('serves events that arrive during a fetch with exactly one more fetch after it', async () => {
    const { clock, runs, scheduler, maxConcurrent } = setup();
    scheduler.markDirty('areas');
    await clock.advance(500);
    expect(runs).toHaveLength(1);
    for (let i = 0; i < 50; i++) scheduler.markDirty('areas');
    await clock.advance(10_000);
    expect(runs).toHaveLength(1);
    runs[0]?.finish(true);
    await clock.advance(0);
    // Events waited longer than maxDebounceMs: the next fetch starts at once.
    expect(runs).toHaveLength(2);
    runs[1]?.finish(true);
    await clock.advance(10_000);
    expect(runs).toHaveLength(2);
    expect(maxConcurrent()).toBe(1);
  });

  it('runs a full refresh only after running refetches end, and lets it serve events seen before it', async () => {
    const { clock, runs, scheduler, maxConcurrent } = setup();
    scheduler.markDirty('devices');
    await clock.advance(500);
    scheduler.markDirty('entities');
    let refreshed: boolean | undefined;
    void scheduler.requestFull().then((ok) => (refreshed = ok));
    await clock.advance(1000);
    expect(runs.map((r) => r.what)).toEqual(['devices']);
    runs[0]?.finish(false);
    await clock.advance(0);
    expect(runs.map((r) => r.what)).toEqual(['devices', 'full']);
    runs[1]?.finish(true);
    await clock.advance(60_000);
    expect(refreshed).toBe(true);
    // The dirty entities (and the failed devices fetch) were served by the full refresh.
    expect(runs).toHaveLength(2);
    expect(maxConcurrent()).toBe(1);
  });

  it('queues one more full refresh when asked during one (a reconnect while refreshing)', async () => {
    const { clock, runs, scheduler } = setup();
    const first = scheduler.requestFull();
    await settle();
    const second = scheduler.requestFull();
    const third = scheduler.requestFull();
    expect(runs).toHaveLength(1);
    runs[0]?.finish(false);
    expect(await first).toBe(false);
    await clock.advance(0);
    expect(runs).toHaveLength(2);
    runs[1]?.finish(true);
    expect(await second).toBe(true);
    expect(await third).toBe(true);
  });

  it('retries a failed refetch with growing backoff, and a full refresh resets it', async () => {
    const { clock, runs, scheduler } = setup();
    scheduler.markDirty('floors');
    await clock.advance(500);
    runs[0]?.finish(false);
    await clock.advance(0);
    // base 1000 ms, jitter 0.5 → 750; a background timer: nobody awaits a refetch's retry
    expect(clock.pending()).toEqual([{ delayMs: 750, dueInMs: 750, keepAlive: false }]);
    // A new event does not cut the retry delay short.
    scheduler.markDirty('floors');
    await clock.advance(749);
    expect(runs).toHaveLength(1);
    await clock.advance(1);
    expect(runs).toHaveLength(2);
    runs[1]?.finish(false);
    await clock.advance(0);
    expect(clock.pending()).toEqual([{ delayMs: 1500, dueInMs: 1500, keepAlive: false }]);
    void scheduler.requestFull();
    await clock.advance(0);
    expect(runs.map((r) => r.what)).toEqual(['floors', 'floors', 'full']);
    expect(clock.pending()).toEqual([]);
  });

  it('sets the debounce as a background timer, which holds no process open', async () => {
    const { clock, scheduler } = setup();
    scheduler.markDirty('entities');
    await clock.advance(100);
    expect(clock.pending()).toEqual([{ delayMs: 500, dueInMs: 400, keepAlive: false }]);
  });

  it('retries a failed full refresh with backoff until it succeeds', async () => {
    const { clock, runs, scheduler } = setup();
    const refreshed = scheduler.requestFull();
    await settle();
    runs[0]?.finish(false);
    // The caller has its answer before the retry is set: the retry is background work.
    expect(await refreshed).toBe(false);
    expect(clock.pending()).toEqual([{ delayMs: 750, dueInMs: 750, keepAlive: false }]);
    await clock.advance(749);
    expect(runs).toHaveLength(1);
    await clock.advance(1);
    expect(runs.map((r) => r.what)).toEqual(['full', 'full']);
    runs[1]?.finish(true);
    await clock.advance(120_000);
    expect(runs).toHaveLength(2);
  });

  it('stops scheduling after close and resolves waiting full refreshes with false', async () => {
    const { clock, runs, scheduler } = setup();
    scheduler.markDirty('devices');
    scheduler.close();
    await clock.advance(10_000);
    expect(runs).toHaveLength(0);
    expect(await scheduler.requestFull()).toBe(false);
  });
});
