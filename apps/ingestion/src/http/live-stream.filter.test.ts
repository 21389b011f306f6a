import fc from 'fast-check';
import { createLiveStream, type LiveSocket } from './live-stream.js';
import {
  FILTER_MEMO_SIZE,
  MAX_FILTER_DOMAIN_LENGTH,
  MAX_FILTER_DOMAINS,
  MAX_FILTER_ENTITY_ID_LENGTH,
  MAX_FILTER_ENTITY_IDS,
  MAX_FILTER_GLOB_LENGTH,
  MAX_FILTER_GLOBS,
  MAX_FILTER_TOTAL_GLOB_LENGTH,
} from './live-stream-filter.js';

class FakeSocket implements LiveSocket {
  bufferedAmount = 0;
  sent: { type: string; events?: { entityId: string }[] }[] = [];
  closed: { code: number | undefined; reason: string | undefined } | undefined;
  /** What the client says: set once connected. */
  say: (message: object) => void = () => undefined;
  send(data: string): void {
    this.sent.push(JSON.parse(data) as { type: string });
  }
  close(code?: number, reason?: string): void {
    this.closed = { code, reason };
  }
}

/** A hub with the production defaults and a manual flush (the injectable setInterval). */
function setup() {
  let tick: (() => void) | undefined;
  const hub = createLiveStream({
    setInterval: (fn) => {
      tick = fn;
      return 1;
    },
    clearInterval: () => {
      tick = undefined;
    },
  });
  const connect = () => {
    const socket = new FakeSocket();
    const handlers = hub.connect(socket);
    if (handlers === null) throw new Error('hub full');
    socket.say = (message) => {
      handlers.onMessage(JSON.stringify(message));
    };
    return socket;
  };
  return { hub, connect, flush: () => tick?.() };
}

const chars = (alphabet: readonly string[], min: number, max: number) =>
  fc.array(fc.constantFrom(...alphabet), { minLength: min, maxLength: max }).map((c) => c.join(''));
const word = (min: number, max: number) => chars(['a', 'b', 'z', '_', '1'], min, max);
const globText = (max: number, min = 1) =>
  chars(['*', '?', 'a', 's', '.', '_', '[', ']', '!', '-'], min, max);
const list = (item: fc.Arbitrary<string>, min: number, max: number) =>
  fc.array(item, { minLength: min, maxLength: max });

type Field = 'domains' | 'entity_ids' | 'entity_globs';
/** A subscribe message over exactly one bound, short enough for the 4096-byte message limit. */
const overBound: fc.Arbitrary<{ message: Record<string, unknown>; field: Field }> = fc.oneof(
  list(word(1, 6), MAX_FILTER_DOMAINS + 1, MAX_FILTER_DOMAINS + 20).map((domains) => ({
    message: { domains },
    field: 'domains' as const,
  })),
  word(MAX_FILTER_DOMAIN_LENGTH + 1, MAX_FILTER_DOMAIN_LENGTH + 40).map((long) => ({
    message: { domains: ['sensor', long] },
    field: 'domains' as const,
  })),
  list(word(1, 6), MAX_FILTER_ENTITY_IDS + 1, MAX_FILTER_ENTITY_IDS + 30).map((ids) => ({
    message: { domains: ['sensor'], entity_ids: ids },
    field: 'entity_ids' as const,
  })),
  word(MAX_FILTER_ENTITY_ID_LENGTH + 1, MAX_FILTER_ENTITY_ID_LENGTH + 200).map((long) => ({
    message: { entity_ids: [`sensor.${long}`] },
    field: 'entity_ids' as const,
  })),
  list(globText(8), MAX_FILTER_GLOBS + 1, MAX_FILTER_GLOBS + 20).map((globs) => ({
    message: { entity_globs: globs },
    field: 'entity_globs' as const,
  })),
  globText(MAX_FILTER_GLOB_LENGTH + 200, MAX_FILTER_GLOB_LENGTH + 1).map((glob) => ({
    message: { entity_globs: ['light.*', glob] },
    field: 'entity_globs' as const,
  })),
  // Three to sixteen globs within the per-glob bound, together over the total.
  list(
    globText(MAX_FILTER_GLOB_LENGTH, Math.floor(MAX_FILTER_TOTAL_GLOB_LENGTH / 3) + 1),
    3,
    MAX_FILTER_GLOBS,
  ).map((globs) => ({ message: { entity_globs: globs }, field: 'entity_globs' as const })),
);

/** A subscribe message within every bound: at most 16 globs of 16 characters, `*` runs as in the issue among them. */
const inBound = fc.record(
  {
    domains: list(word(1, MAX_FILTER_DOMAIN_LENGTH), 0, MAX_FILTER_DOMAINS),
    entity_ids: list(word(1, 20), 0, 100),
    entity_globs: list(
      fc.oneof(
        globText(16),
        fc.integer({ min: 1, max: 12 }).map((n) => `${'*'.repeat(n)}Z`),
      ),
      0,
      MAX_FILTER_GLOBS,
    ),
  },
  { requiredKeys: [] },
);

const longId = (n: number) => `sensor.${'a'.repeat(n - 7)}`;
const event = (entityId: string) => ({ entityId, domain: entityId.slice(0, entityId.indexOf('.')) });

describe('live stream: subscribe messages over a bound', () => {
  it('closes the client with 1008 and a reason naming the bound, counts it, and keeps serving the others', () => {
    fc.assert(
      fc.property(overBound, ({ message, field }) => {
        const { hub, connect, flush } = setup();
        const other = connect();
        const client = connect();
        client.say({ type: 'subscribe', ...message });
        expect(client.closed?.code).toBe(1008);
        const reason = client.closed?.reason ?? '';
        expect(reason).toContain(`subscribe refused: ${field}`);
        expect(reason).toMatch(/at most \d+$/);
        expect(Buffer.byteLength(reason)).toBeLessThanOrEqual(123); // RFC 6455 §5.5: 125-byte control frame
        expect(hub.stats()).toMatchObject({ clients: 1, refusedFilters: 1, rejectedMessages: 0 });
        client.say({ type: 'subscribe', ...message }); // frames already in flight change nothing
        expect(hub.stats()).toMatchObject({ clients: 1, refusedFilters: 1, rejectedMessages: 0 });
        hub.publish(event('sensor.a'));
        flush();
        expect(client.sent.map((m) => m.type)).toEqual(['connected']);
        expect(other.sent.map((m) => m.type)).toEqual(['connected', 'events']);
      }),
      { numRuns: 200 },
    );
  });
});

describe('live stream: subscribe messages within the bounds', () => {
  it('are accepted, and every later flush still runs, hostile globs included', () => {
    fc.assert(
      fc.property(inBound, (message) => {
        const { hub, connect, flush } = setup();
        const client = connect();
        const watcher = connect();
        client.say({ type: 'subscribe', ...message });
        expect(client.closed).toBeUndefined();
        expect(client.sent[1]?.type).toBe('subscribed');
        for (let i = 0; i < 5; i++) hub.publish(event(longId(255 - i)));
        flush();
        expect(watcher.sent[1]?.events).toHaveLength(5);
        expect(hub.stats()).toMatchObject({ clients: 2, refusedFilters: 0, rejectedMessages: 0 });
      }),
      { numRuns: 200 },
    );
  });

  it("the issue's `************Z` is accepted and costs every flush nothing like minutes", () => {
    const { hub, connect, flush } = setup();
    const hostile = connect();
    const watcher = connect();
    hostile.say({ type: 'subscribe', entity_globs: ['************Z'] });
    expect(hostile.sent[1]).toEqual({ type: 'subscribed', filter: { entityGlobs: ['************Z'] } });
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 100; i++) hub.publish(event(longId(255 - i)));
      hub.publish(event('sensor.Z'));
      flush();
    }
    expect(hostile.sent.slice(2).map((m) => m.events?.map((e) => e.entityId))).toEqual([
      ['sensor.Z'],
      ['sensor.Z'],
      ['sensor.Z'],
    ]);
    expect(watcher.sent.slice(1).map((m) => m.events?.length)).toEqual([101, 101, 101]);
  });

  it('reads globs as HA does: `[seq]` sets, `?` one character, case-sensitive', () => {
    const { hub, connect, flush } = setup();
    const client = connect();
    client.say({ type: 'subscribe', entity_globs: ['light.[ab]?', 'switch.[!x]*'] });
    for (const id of ['light.a1', 'light.c1', 'light.a12', 'switch.y', 'switch.x', 'Light.a1'])
      hub.publish(event(id));
    flush();
    expect(client.sent[2]?.events?.map((e) => e.entityId)).toEqual(['light.a1', 'switch.y']);
  });

  it('answers the same for every id after its per-client memo fills and starts again', () => {
    const { hub, connect, flush } = setup();
    const client = connect();
    client.say({ type: 'subscribe', entity_globs: ['sensor.*[02468]'] });
    const ids = Array.from({ length: FILTER_MEMO_SIZE + 500 }, (_, i) => `sensor.s${i}`);
    for (const round of [0, 1]) {
      for (const id of ids) hub.publish(event(id));
      flush();
      const sent = client.sent[2 + round]?.events?.map((e) => e.entityId);
      expect(sent).toEqual(ids.filter((id) => /[02468]$/.test(id)));
    }
  });
});
