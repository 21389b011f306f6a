import { MAX_DURATION_MS } from '@homeiq/runtime';
import fc from 'fast-check';
import { HaInvalidArgumentError } from './errors.js';
import { createHarness } from './testing-internal/harness.js';

/**
 * A rejected token must never be retried quickly: Home Assistant bans an IP after repeated failed logins. Node fires
 * a timer longer than 2^31 − 1 ms after 1 ms, and so does the harness's manual clock; `retryMaxDelayMs: 2147484000`
 * (WEBSOCKET_MAX_RETRY_DELAY=2147484) once gave 754 failed logins in 4 s.
 */
describe('a rejected token with a huge maximum retry delay', () => {
  const hugeDelays = fc.oneof(
    fc.constantFrom(2_147_484_000, 2 ** 31, 2 ** 31 - 1, MAX_DURATION_MS, MAX_DURATION_MS + 1, 1e12, 1e21),
    fc.integer({ min: 10_001, max: Number.MAX_SAFE_INTEGER }),
  );

  it('is refused at construction, or is not retried before the maximum delay', async () => {
    await fc.assert(
      fc.asyncProperty(hugeDelays, async (retryMaxDelayMs) => {
        let h: ReturnType<typeof createHarness>;
        try {
          h = createHarness({ retryMaxDelayMs });
        } catch (error) {
          expect(error).toBeInstanceOf(HaInvalidArgumentError);
          expect(String(error)).toContain('`retryMaxDelayMs`');
          expect(retryMaxDelayMs).toBeGreaterThan(MAX_DURATION_MS);
          return;
        }
        h.ha.authMode = 'reject';
        await h.connect();
        // Two steps: a delay that overflowed retries after 1 ms, and would loop 10,000 times in the second.
        await h.clock.advance(100);
        expect(h.ha.connections.length).toBe(1);
        await h.clock.advance(9_900);
        expect(h.ha.connections.length).toBe(1);
        expect(h.client.state).toBe('auth_invalid');
        await h.clock.advance(retryMaxDelayMs - 10_001);
        expect(h.ha.connections.length).toBe(1);
        await h.clock.advance(1);
        expect(h.ha.connections.length).toBe(2);
        await h.client.close();
      }),
      { numRuns: 40, examples: [[2_147_484_000]] },
    );
  });
});

describe('a per-command timeoutMs', () => {
  it('outside [1, 86400000] rejects with ERR_INVALID_ARGUMENT before anything is sent', async () => {
    const h = createHarness();
    await h.connect();
    const frames = h.ha.last.received.length;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.constantFrom(0, -1, 2_147_484_000, Infinity, Number.NaN, 1.5),
          fc.integer({ min: MAX_DURATION_MS + 1, max: Number.MAX_SAFE_INTEGER }),
        ),
        async (timeoutMs) => {
          const sent = h.client.sendCommand('get_states', undefined, { timeoutMs });
          const error = await sent.then(
            () => undefined,
            (reason: unknown) => reason,
          );
          expect(error).toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
          expect(String(error)).toContain('`timeoutMs` to be an integer from 1 to 86400000 (ms)');
        },
      ),
      { examples: [[2_147_484_000]] },
    );
    expect(h.ha.last.received).toHaveLength(frames);
    await h.client.close();
  });
});
