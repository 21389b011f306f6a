import { CircuitBreaker, type CircuitState } from './circuit-breaker.js';
import { ManualClock } from './testing/index.js';

function setup(maxCooldownMs?: number) {
  const clock = new ManualClock();
  const changes: CircuitState[] = [];
  const breaker = new CircuitBreaker({
    failureThreshold: 3,
    cooldownMs: 1000,
    ...(maxCooldownMs === undefined ? {} : { maxCooldownMs }),
    clock,
    onStateChange: (state) => changes.push(state),
  });
  return { clock, breaker, changes };
}

const failure = { code: 'ECONNREFUSED', message: 'refused' };

describe('CircuitBreaker', () => {
  it('opens after the threshold of consecutive failures, and a success in between resets the count', () => {
    const { breaker, changes } = setup();
    breaker.recordFailure(failure);
    breaker.recordFailure(failure);
    breaker.recordSuccess();
    breaker.recordFailure(failure);
    breaker.recordFailure(failure);
    expect(breaker.state).toBe('closed');
    breaker.recordFailure(failure);
    expect(breaker.state).toBe('open');
    expect(changes).toEqual(['open']);
    expect(breaker.stats()).toMatchObject({
      state: 'open',
      failureCount: 3,
      opens: 1,
      lastFailure: failure,
    });
  });

  it('reads half_open once the cool-down passed, lets one trial through, and closes on its success', async () => {
    const { clock, breaker, changes } = setup();
    for (let i = 0; i < 3; i++) breaker.recordFailure();
    expect(breaker.tryPass()).toBe(false);
    expect(breaker.remainingCooldownMs()).toBe(1000);
    await clock.advance(1000);
    expect(breaker.state).toBe('half_open');
    expect(breaker.tryPass()).toBe(true);
    expect(breaker.tryPass()).toBe(false); // one trial at a time
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed');
    expect(changes).toEqual(['open', 'half_open', 'closed']);
  });

  it('a failed trial opens again at once, for twice as long up to maxCooldownMs', async () => {
    const { clock, breaker } = setup(3000);
    for (let i = 0; i < 3; i++) breaker.recordFailure();
    const cooldowns: number[] = [];
    for (let trial = 0; trial < 3; trial++) {
      await clock.advance(breaker.remainingCooldownMs());
      expect(breaker.tryPass()).toBe(true);
      breaker.recordFailure();
      cooldowns.push(breaker.remainingCooldownMs());
    }
    expect(cooldowns).toEqual([2000, 3000, 3000]);
    expect(breaker.opens).toBe(4);
  });

  it('without maxCooldownMs the open period stays the cool-down', async () => {
    const { clock, breaker } = setup();
    for (let i = 0; i < 3; i++) breaker.recordFailure();
    await clock.advance(1000);
    breaker.tryPass();
    breaker.recordFailure();
    expect(breaker.remainingCooldownMs()).toBe(1000);
  });

  it('trip(minMs) opens for at least a server-given time, clamped to a day', () => {
    const { breaker } = setup();
    breaker.trip(30_000);
    expect(breaker.remainingCooldownMs()).toBe(30_000);
    breaker.trip(Number.POSITIVE_INFINITY);
    expect(breaker.remainingCooldownMs()).toBe(86_400_000);
  });

  it('ready() waits for the end of the cool-down with a timer only while someone waits, and honours abort', async () => {
    const { clock, breaker } = setup();
    await breaker.ready(new AbortController().signal); // closed: at once
    breaker.trip();
    expect(clock.pendingTimers).toBe(0);
    let ready = false;
    void breaker.ready(new AbortController().signal).then(() => (ready = true));
    expect(clock.pendingTimers).toBe(1);
    await clock.advance(999);
    expect(ready).toBe(false);
    await clock.advance(1);
    expect(ready).toBe(true);
    expect(clock.pendingTimers).toBe(0);

    breaker.tryPass();
    breaker.recordFailure();
    const abort = new AbortController();
    const waiting = breaker.ready(abort.signal);
    abort.abort(new Error('closing'));
    await expect(waiting).rejects.toThrow('closing');
    expect(clock.pendingTimers).toBe(0);
  });

  it('a late failure after the circuit opened does not re-open it before the threshold', () => {
    const { breaker } = setup();
    for (let i = 0; i < 3; i++) breaker.recordFailure();
    breaker.recordFailure(); // an answer to a request sent before the circuit opened
    expect(breaker.opens).toBe(1);
    expect(breaker.stats().failureCount).toBe(4);
  });
});
