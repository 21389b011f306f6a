import { createHarness } from './testing-internal/harness.js';

type Attempt = { attempt: number; maxRetries: number; delayMs: number; error: { code: string } };

describe('reconnect policy', () => {
  it('backs off 1 s doubling to the 300 s cap, forever by default, and says so through the hook only', async () => {
    const h = createHarness({ circuitFailureThreshold: 1_000 });
    h.ha.authMode = 'refuse';
    await h.connect();
    for (let i = 0; i < 12; i += 1) await h.clock.advance(h.clock.nextDelayMs() ?? 0);
    const attempts = h.calls('onReconnectAttempt') as Attempt[];
    expect(attempts.map((a) => a.delayMs)).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000, 300_000,
      300_000,
    ]);
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(attempts.every((a) => a.maxRetries === -1 && a.error.code === 'ERR_CANNOT_CONNECT')).toBe(true);
    // The app words onReconnectAttempt; a log line here too would make every attempt appear twice.
    expect(h.logs.filter((l) => l.level !== 'debug')).toEqual([]);
    expect(h.client.stats()).toMatchObject({
      connectionAttempts: 13,
      failedConnections: 13,
      isRunning: true,
    });
  });

  it('with every default, an open breaker stretches the 16 s step to its 30 s cool-down, and nothing else', async () => {
    const h = createHarness();
    h.ha.authMode = 'refuse';
    await h.connect();
    for (let i = 0; i < 9; i += 1) await h.clock.advance(h.clock.nextDelayMs() ?? 0);
    expect((h.calls('onReconnectAttempt') as Attempt[]).map((a) => a.delayMs / 1000)).toEqual([
      1, 2, 4, 8, 30, 32, 64, 128, 256, 300,
    ]);
  });

  it('jitter comes from the injected random and only ever shortens the delay', async () => {
    const h = createHarness({ retryJitterRatio: 0.5 }, () => 0.5);
    h.ha.authMode = 'refuse';
    await h.connect();
    await h.clock.advance(h.clock.nextDelayMs() ?? 0);
    expect((h.calls('onReconnectAttempt') as Attempt[]).map((a) => a.delayMs)).toEqual([750, 1_500]);
  });

  it('gives up after a finite maxRetries: state failed, waiters rejected; start() tries again', async () => {
    const h = createHarness({ maxRetries: 2 });
    h.ha.authMode = 'refuse';
    await h.connect();
    const waiting = h.client.whenConnected();
    waiting.catch(() => undefined);
    await h.clock.advance(10_000);
    expect(h.ha.connections).toHaveLength(3);
    expect(h.client.state).toBe('failed');
    await expect(waiting).rejects.toMatchObject({ code: 'ERR_RETRIES_EXHAUSTED' });
    expect(h.client.stats().isRunning).toBe(false);
    expect(h.calls('onReconnectAttempt').map((a) => (a as Attempt).attempt)).toEqual([1, 2]);
    expect(h.calls('onStateChange').at(-1)).toMatchObject({
      to: 'failed',
      error: { code: 'ERR_RETRIES_EXHAUSTED' },
    });
    expect(h.logs.filter((l) => l.level !== 'debug')).toEqual([]);
    await expect(h.client.whenConnected()).rejects.toMatchObject({ code: 'ERR_RETRIES_EXHAUSTED' });
    h.ha.authMode = 'accept';
    h.client.start();
    await h.clock.advance(0);
    expect(h.client.state).toBe('connected');
  });

  it('resets the retry counter only after a connection stayed up for stableConnectionMs', async () => {
    const h = createHarness({ stableConnectionMs: 60_000 });
    await h.connect();
    h.ha.authMode = 'refuse';
    h.ha.last.drop();
    await h.clock.advance(0);
    await h.clock.advance(1_000); // attempt 1 fails
    await h.clock.advance(2_000); // attempt 2 fails
    h.ha.authMode = 'accept';
    await h.clock.advance(4_000); // attempt 3 connects
    expect(h.client.state).toBe('connected');
    await h.clock.advance(5_000);
    h.ha.last.drop(); // flapping: up only 5 s, the counter continues
    await h.clock.advance(0);
    expect((h.calls('onReconnectAttempt').at(-1) as Attempt).attempt).toBe(4);
    await h.clock.advance(8_000);
    await h.clock.advance(60_000);
    h.ha.last.drop(); // stable for 60 s: counter starts over
    await h.clock.advance(0);
    expect(h.calls('onReconnectAttempt').at(-1)).toMatchObject({ attempt: 1, delayMs: 1_000 });
  });

  it('circuit breaker: opens after 5 consecutive failures, holds attempts for the cool-down, half-open trial, closes', async () => {
    const h = createHarness({
      circuitFailureThreshold: 5,
      circuitCooldownMs: 100_000,
      retryInitialDelayMs: 1_000,
    });
    h.ha.authMode = 'refuse';
    await h.connect();
    for (let i = 0; i < 4; i += 1) {
      expect(h.client.stats().circuitBreaker.state).toBe('closed');
      await h.clock.advance(h.clock.nextDelayMs() ?? 0);
    }
    const breaker = h.client.stats().circuitBreaker;
    expect(breaker).toMatchObject({ state: 'open', failureCount: 5, lastFailureAtMs: h.clock.now() });
    expect(breaker.lastFailure?.code).toBe('ERR_CANNOT_CONNECT');
    // Backoff says 16 s, the open breaker says 100 s: the longer wins.
    expect((h.calls('onReconnectAttempt').at(-1) as Attempt).delayMs).toBe(100_000);
    await h.clock.advance(99_999);
    expect(h.ha.connections).toHaveLength(5);
    expect(h.client.stats().circuitBreaker.state).toBe('open');
    await h.clock.advance(1);
    expect(h.ha.connections).toHaveLength(6); // the half-open trial, which fails: open again
    expect(h.client.stats().circuitBreaker).toMatchObject({ state: 'open', failureCount: 6 });
    h.ha.authMode = 'accept';
    await h.clock.advance(h.clock.nextDelayMs() ?? 0);
    expect(h.client.state).toBe('connected');
    expect(h.client.stats().circuitBreaker).toMatchObject({ state: 'closed', failureCount: 0 });
  });
});
