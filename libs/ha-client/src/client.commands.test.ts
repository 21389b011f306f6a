import { getEventListeners } from 'node:events';
import { HaAbortError, HaCommandError, HaConnectionError, HaTimeoutError } from './errors.js';
import { createHarness } from './testing-internal/harness.js';
import type { FakeConnection, WireMessage } from './testing-internal/fake-ha.js';

/** Holds answers to `slow` commands until the test releases them, to play out-of-order and drop scenarios. */
function deferSlowCommands(h: ReturnType<typeof createHarness>): WireMessage[] {
  const held: WireMessage[] = [];
  h.ha.handlers.set('slow', (message) => held.push(message));
  return held;
}

describe('commands', () => {
  it('resolves with HA result correlated by id, in whatever order HA answers', async () => {
    const h = createHarness();
    await h.connect();
    const held = deferSlowCommands(h);
    const first = h.client.sendCommand('slow', { n: 1 });
    const second = h.client.sendCommand('slow', { n: 2 });
    const third = h.client.sendCommand('slow', { n: 3 });
    await h.clock.advance(0);
    expect(held.map((m) => m['n'])).toEqual([1, 2, 3]);
    const conn = h.ha.last;
    // HA runs async handlers as tasks: answers come back 3, 1, 2 — and in one coalesced array frame.
    for (const i of [2, 0, 1]) conn.result(Number(held[i]?.['id']), `answer ${i + 1}`);
    await h.clock.advance(0);
    await expect(Promise.all([first, second, third])).resolves.toEqual(['answer 1', 'answer 2', 'answer 3']);
  });

  it('accepts coalesced array frames mixing results and events, and bare objects, with stray spaces', async () => {
    const h = createHarness();
    await h.connect();
    const events: string[] = [];
    h.client.subscribeEvents<{ n: number }>('state_changed', (e) => events.push(String(e.data.n)));
    await h.clock.advance(0);
    const held = deferSlowCommands(h);
    const answer = h.client.sendCommand('slow');
    await h.clock.advance(0);
    const subId = [...h.ha.last.subscriptions.keys()][0];
    const event = (n: number): string =>
      `{"type":"event","event":{"event_type":"state_changed","data":{"n":${n}},"origin":"LOCAL","time_fired":"2025-01-15T10:05:00+00:00","context":{"id":"c${n}","parent_id":null,"user_id":null}},"id":${subId}}`;
    h.ha.last.push(
      `[${event(1)},{"id":${String(held[0]?.['id'])},"type": "result","success":true,"result": [ 1, 2 ]},${event(2)}]`,
    );
    h.ha.last.push(event(3));
    await h.clock.advance(0);
    await expect(answer).resolves.toEqual([1, 2]);
    expect(events).toEqual(['1', '2', '3']);
  });

  it('rejects with a typed HaCommandError carrying HA code and message', async () => {
    const h = createHarness();
    await h.connect();
    const result = h.client.sendCommand('no_such_command');
    result.catch(() => undefined); // asserted below, after the clock has run
    await h.clock.advance(0);
    await expect(result).rejects.toBeInstanceOf(HaCommandError);
    await expect(result).rejects.toMatchObject({
      code: 'ERR_COMMAND_FAILED',
      haCode: 'unknown_command',
      haMessage: 'Unknown command.',
      commandType: 'no_such_command',
      retryable: false,
    });
  });

  it('times out per command (default and per call) and counts a late answer as a drop', async () => {
    const h = createHarness({ commandTimeoutMs: 30_000 });
    await h.connect();
    const held = deferSlowCommands(h);
    const defaulted = h.client.sendCommand('slow');
    const short = h.client.sendCommand('slow', undefined, { timeoutMs: 500 });
    defaulted.catch(() => undefined);
    short.catch(() => undefined);
    await h.clock.advance(500);
    await expect(short).rejects.toBeInstanceOf(HaTimeoutError);
    await expect(short).rejects.toMatchObject({
      code: 'ERR_COMMAND_TIMEOUT',
      timeoutMs: 500,
      retryable: true,
    });
    await h.clock.advance(29_499);
    expect(h.client.stats().pendingCommands).toBe(1);
    await h.clock.advance(1);
    await expect(defaulted).rejects.toMatchObject({ code: 'ERR_COMMAND_TIMEOUT', timeoutMs: 30_000 });
    h.ha.last.result(Number(held[1]?.['id']), 'too late');
    await h.clock.advance(0);
    expect(h.client.stats().drops.unexpected_result).toBe(1);
    expect(h.calls('onDrop')).toEqual([expect.objectContaining({ reason: 'unexpected_result' })]);
    expect(h.client.state).toBe('connected'); // a slow command is not a dead link
  });

  it('supports AbortSignal before and after sending, and releases its abort listener', async () => {
    const h = createHarness();
    await h.connect();
    deferSlowCommands(h);
    const sentBefore = h.ha.last.received.length;
    const early = new AbortController();
    early.abort(new Error('not needed'));
    await expect(h.client.sendCommand('slow', undefined, { signal: early.signal })).rejects.toBeInstanceOf(
      HaAbortError,
    );
    await h.clock.advance(0);
    expect(h.ha.last.received).toHaveLength(sentBefore); // never sent

    const late = new AbortController();
    const pending = h.client.sendCommand('slow', undefined, { signal: late.signal });
    pending.catch(() => undefined);
    await h.clock.advance(0);
    late.abort('changed my mind');
    await expect(pending).rejects.toMatchObject({ code: 'ERR_ABORTED', cause: 'changed my mind' });
    expect(h.client.stats().pendingCommands).toBe(0);

    const settled = new AbortController();
    const ok = h.client.sendCommand('get_config', undefined, { signal: settled.signal });
    expect(getEventListeners(settled.signal, 'abort')).toHaveLength(1);
    await h.clock.advance(0);
    await ok;
    expect(getEventListeners(settled.signal, 'abort')).toHaveLength(0);
    expect(getEventListeners(late.signal, 'abort')).toHaveLength(0);
  });

  it('drop mid-command: in-flight commands reject with a typed connection-lost error at once', async () => {
    const h = createHarness();
    await h.connect();
    deferSlowCommands(h);
    const inFlight = [h.client.sendCommand('slow'), h.client.sendCommand('slow')];
    for (const p of inFlight) p.catch(() => undefined); // asserted below
    await h.clock.advance(0);
    h.ha.last.drop(1006, 'network');
    await h.clock.advance(0);
    for (const p of inFlight) {
      await expect(p).rejects.toBeInstanceOf(HaConnectionError);
      await expect(p).rejects.toMatchObject({ code: 'ERR_CONNECTION_LOST', retryable: true });
    }
    expect(h.client.stats().pendingCommands).toBe(0);
    // While disconnected, commands fail fast instead of queueing without bound.
    await expect(h.client.sendCommand('get_config')).rejects.toMatchObject({ code: 'ERR_NOT_CONNECTED' });
  });

  it('ids increase strictly on each socket and across reconnects, starting again nowhere', async () => {
    const h = createHarness();
    await h.connect();
    const all: number[][] = [];
    for (let cycle = 0; cycle < 5; cycle += 1) {
      h.client.subscribeEvents(`event_${cycle}`, () => undefined);
      await h.client.sendCommand('get_config').catch(() => undefined);
      const conn: FakeConnection = h.ha.last;
      await h.clock.advance(0);
      all.push(conn.ids);
      conn.drop();
      await h.clock.advance(0);
      await h.clock.advance(h.clock.nextDelayMs() ?? 0);
    }
    for (const conn of h.ha.connections) expect(conn.idViolations).toEqual([]);
    const flat = all.flat();
    expect(flat).toEqual([...flat].sort((a, b) => a - b));
    expect(new Set(flat).size).toBe(flat.length);
    expect(all[1]?.[0]).toBeGreaterThan(all[0]?.at(-1) ?? Infinity);
  });

  it('validates its arguments and rejects without sending', async () => {
    const h = createHarness();
    await h.connect();
    await expect(h.client.sendCommand('')).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(h.client.sendCommand('x', { id: 5 })).rejects.toThrow('no `id` or `type` key');
    await expect(h.client.sendCommand('x', [] as unknown as Record<string, unknown>)).rejects.toThrow(
      'Expected `payload` to be an object or undefined',
    );
    await expect(h.client.sendCommand('x', undefined, { timeoutMs: 0 })).rejects.toThrow(
      'Expected `timeoutMs` to be an integer from 1 to 86400000 (ms), got `0` (number)',
    );
  });

  it('rejects with ERR_CLIENT_CLOSED after close()', async () => {
    const h = createHarness();
    await h.connect();
    deferSlowCommands(h);
    const inFlight = h.client.sendCommand('slow');
    inFlight.catch(() => undefined);
    await h.clock.advance(0);
    await h.client.close();
    await expect(inFlight).rejects.toMatchObject({ code: 'ERR_CLIENT_CLOSED' });
    await expect(h.client.sendCommand('get_config')).rejects.toMatchObject({ code: 'ERR_CLIENT_CLOSED' });
  });
});
