import fc from 'fast-check';
import { createBackpressureQueue } from './index.js';
import { QUEUE_LIMITS } from './limits.js';
import { INITIAL_RING_CAPACITY, LineRing } from './ring-buffer.js';

describe('LineRing: memory as it is used', () => {
  it('allocates a few slots for a limit of 100 million lines, not the limit', () => {
    const ring = new LineRing(QUEUE_LIMITS.maxPending);
    expect(ring.capacity).toBe(INITIAL_RING_CAPACITY);
  });

  it('a queue allowed 100 million lines is built without the 1.6 GB its slots would take', () => {
    const before = process.memoryUsage();
    const queue = createBackpressureQueue({ maxPending: QUEUE_LIMITS.maxPending });
    const after = process.memoryUsage();
    const grown = after.heapUsed - before.heapUsed + (after.arrayBuffers - before.arrayBuffers);
    // 100e6 slots of a pointer and a float64 would be 1.6e9 bytes; allow a generous 64 MB of noise.
    expect(grown).toBeLessThan(64 * 1024 * 1024);
    expect(queue.stats().maxPending).toBe(QUEUE_LIMITS.maxPending);
  });

  it('keeps FIFO order through growths and wraps, with fewer than two copies per pushed line (amortized O(1))', () => {
    // Commands: push k lines, or shift k lines; checked against a plain array as the model.
    const command = fc.oneof(
      fc.record({ push: fc.integer({ min: 1, max: 3000 }) }),
      fc.record({ shift: fc.integer({ min: 1, max: 3000 }) }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.array(command, { maxLength: 30 }),
        (limit, commands) => {
          const ring = new LineRing(limit, 4);
          const model: string[] = [];
          let next = 0;
          let pushed = 0;
          for (const c of commands) {
            if ('push' in c) {
              for (let i = 0; i < c.push && model.length < limit; i++) {
                const line = `l${next++}`;
                ring.push(line, next);
                model.push(line);
                pushed++;
              }
            } else {
              expect(ring.shift(c.shift)).toEqual(model.splice(0, c.shift));
            }
            expect(ring.length).toBe(model.length);
            expect(ring.capacity).toBeLessThanOrEqual(limit);
            expect(ring.capacity).toBeGreaterThanOrEqual(model.length);
            expect(ring.headTimeMs()).toBe(model.length === 0 ? undefined : Number(model[0]?.slice(1)) + 1);
          }
          expect(ring.peek(model.length)).toEqual(model);
          expect(ring.slotsCopied).toBeLessThan(2 * Math.max(1, pushed));
        },
      ),
    );
  });

  it('refuses a push past its limit, as before', () => {
    const ring = new LineRing(3, 2);
    ring.push('a', 1);
    ring.push('b', 2);
    ring.push('c', 3);
    expect(ring.capacity).toBe(3);
    expect(() => {
      ring.push('d', 4);
    }).toThrow(RangeError);
    expect(ring.shift(3)).toEqual(['a', 'b', 'c']);
  });
});
