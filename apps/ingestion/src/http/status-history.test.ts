import { ManualClock } from '@homeiq/runtime/testing';
import { createApp } from './app.js';
import { createLiveStream } from './live-stream.js';
import { createStatusHistory } from './status-history.js';

/** A `/metrics` text whose received and written counters grow by `perSecond` a second of the clock. */
function growingMetrics(clock: ManualClock, perSecond: number): () => Promise<string> {
  const start = clock.now();
  return () => {
    const n = ((clock.now() - start) / 1000) * perSecond;
    return Promise.resolve(`homeiq_events_received_total ${n}\nhomeiq_points_written_total ${n / 2}\n`);
  };
}

describe('createStatusHistory', () => {
  it('samples once right away and then every interval, rates per second from the previous sample', async () => {
    const clock = new ManualClock();
    const history = createStatusHistory({ readMetrics: growingMetrics(clock, 20), clock });
    await clock.advance(0);
    expect(history.samples()).toHaveLength(1);
    expect(history.samples()[0]?.receivedPerS).toBeNull();
    await clock.advance(3000);
    const samples = history.samples();
    expect(samples).toHaveLength(4);
    expect(samples.slice(1).map((s) => [s.receivedPerS, s.writtenPerS])).toEqual([
      [20, 10],
      [20, 10],
      [20, 10],
    ]);
    history.close();
  });

  it('keeps the newest `size` samples, oldest first', async () => {
    const clock = new ManualClock();
    const history = createStatusHistory({ readMetrics: growingMetrics(clock, 1), clock, size: 5 });
    await clock.advance(20_000);
    const times = history.samples().map((s) => s.atMs - clock.now());
    expect(times).toEqual([-4000, -3000, -2000, -1000, 0]);
    history.close();
  });

  it('goes on after a failed read, and stops for good on close', async () => {
    const clock = new ManualClock();
    let fail = true;
    const read = growingMetrics(clock, 10);
    const history = createStatusHistory({
      readMetrics: () => (fail ? Promise.reject(new Error('collect failed')) : read()),
      clock,
    });
    await clock.advance(2000);
    expect(history.samples()).toHaveLength(0);
    fail = false;
    await clock.advance(2000);
    expect(history.samples()).toHaveLength(2);
    history.close();
    history.close();
    await clock.advance(10_000);
    expect(history.samples()).toHaveLength(2);
    expect(clock.pendingTimers).toBe(0);
  });

  it('refuses an interval or size it cannot keep, naming the option', () => {
    const readMetrics = () => Promise.resolve('');
    expect(() => createStatusHistory({ readMetrics, intervalMs: 10 })).toThrow('`intervalMs`');
    expect(() => createStatusHistory({ readMetrics, size: 0 })).toThrow('`size`');
    expect(() => createStatusHistory({ readMetrics, size: 1.5 })).toThrow('`size`');
  });
});

describe('GET /status/history', () => {
  it('serves the kept samples without a token, like /metrics, and an empty list without a history', async () => {
    const clock = new ManualClock();
    const history = createStatusHistory({ readMetrics: growingMetrics(clock, 20), clock });
    await clock.advance(2000);
    const deps = {
      health: () => ({ status: 'healthy' as const }),
      metrics: { contentType: 'text/plain', metrics: () => Promise.resolve('') },
      liveStream: createLiveStream(),
      registry: {
        devices: () => ({ ok: true as const, body: {} }),
        entities: () => ({ ok: true as const, body: {} }),
        areas: () => ({ ok: true as const, body: {} }),
      },
      apiToken: 'secret',
      corsAllowedOrigins: [],
      allowedHosts: [],
    };
    const res = await createApp({ ...deps, statusHistory: history }).request('/status/history');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { samples: unknown[] }).samples).toEqual(history.samples());
    expect(await (await createApp(deps).request('/status/history')).json()).toEqual({ samples: [] });
    history.close();
  });
});
