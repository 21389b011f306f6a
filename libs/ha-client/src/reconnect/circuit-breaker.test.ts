import { ManualClock } from '../testing-internal/manual-clock.js';
import { CircuitBreaker } from './circuit-breaker.js';

const failure = { code: 'ERR_CANNOT_CONNECT', message: 'refused' };

describe('CircuitBreaker', () => {
  it('closed → open at the threshold → half-open after the cool-down → closed on success', async () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker(clock, 3, 10_000);
    breaker.recordFailure(failure);
    breaker.recordFailure(failure);
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', failureCount: 2 });
    breaker.recordFailure(failure);
    expect(breaker.snapshot()).toEqual({
      state: 'open',
      failureCount: 3,
      lastFailureAtMs: clock.now(),
      lastFailure: failure,
    });
    expect(breaker.remainingCooldownMs()).toBe(10_000);
    await clock.advance(9_999);
    expect(breaker.state).toBe('open');
    await clock.advance(1);
    expect(breaker.state).toBe('half_open');
    breaker.beginAttempt();
    breaker.recordSuccess();
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', failureCount: 0 });
  });

  it('a failed half-open trial opens it again for a full cool-down', async () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker(clock, 1, 5_000);
    breaker.recordFailure(failure);
    await clock.advance(5_000);
    breaker.beginAttempt();
    expect(breaker.state).toBe('half_open');
    await clock.advance(1_000);
    breaker.recordFailure(failure);
    expect(breaker.state).toBe('open');
    expect(breaker.remainingCooldownMs()).toBe(5_000);
  });

  it('an attempt before the cool-down passed is not a trial', () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker(clock, 1, 5_000);
    breaker.recordFailure(failure);
    breaker.beginAttempt();
    expect(breaker.state).toBe('open');
  });
});
