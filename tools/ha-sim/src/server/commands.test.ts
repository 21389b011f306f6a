import { startHaSim, type HaSim } from '../index.js';
import { TestClient, type Message } from '../testing-internal/test-client.js';

const error = (id: unknown, code: string, message: string): Message => ({
  id,
  type: 'result',
  success: false,
  error: { code, message },
});
const ok = (id: number, result: unknown = null): Message => ({ id, type: 'result', success: true, result });

describe('command phase (HA ActiveConnection.async_handle and commands)', () => {
  let sim: HaSim;
  let client: TestClient;
  beforeEach(async () => {
    sim = await startHaSim({ home: { entities: 60, seed: 3 } });
    client = await TestClient.authed(sim.wsUrl, sim.token);
  });
  afterEach(async () => {
    await client.close();
    await sim.close();
  });

  it('answers ping with pong (no success field)', async () => {
    expect(await client.command({ id: 3, type: 'ping' })).toEqual({ id: 3, type: 'pong' });
  });

  it('requires strictly increasing ids (gaps allowed)', async () => {
    expect(await client.command({ id: 10, type: 'ping' })).toEqual({ id: 10, type: 'pong' });
    expect(await client.command({ id: 10, type: 'ping' })).toEqual(
      error(10, 'id_reuse', 'Identifier values have to increase.'),
    );
    expect(await client.command({ id: 7, type: 'ping' })).toEqual(
      error(7, 'id_reuse', 'Identifier values have to increase.'),
    );
    expect(await client.command({ id: 30, type: 'ping' })).toEqual({ id: 30, type: 'pong' });
  });

  it('does not advance last_id on unknown_command, but does on a schema error', async () => {
    expect(await client.command({ id: 5, type: 'no/such' })).toEqual(
      error(5, 'unknown_command', 'Unknown command.'),
    );
    expect(await client.command({ id: 5, type: 'ping' })).toEqual({ id: 5, type: 'pong' });
    expect(await client.command({ id: 6, type: 'ping', foo: 1 })).toEqual(
      error(6, 'invalid_format', "extra keys not allowed @ data['foo']. Got 1"),
    );
    expect(await client.command({ id: 6, type: 'ping' })).toEqual(
      error(6, 'id_reuse', 'Identifier values have to increase.'),
    );
  });

  it.each([
    [{ id: 0, type: 'ping' }, 0],
    [{ id: '4', type: 'ping' }, '4'],
    [{ id: 4.5, type: 'ping' }, 4.5],
    [{ id: true, type: 'ping' }, true],
    [{ type: 'ping' }, null],
    [{ id: 4 }, 4],
    [{ id: 4, type: 7 }, 4],
    [{ id: 4, type: '' }, 4],
  ])('rejects %j as invalid_format, echoing the id', async (message, id) => {
    client.send(message);
    expect(await client.next((reply) => reply.type === 'result')).toEqual(
      error(id, 'invalid_format', 'Message incorrectly formatted.'),
    );
  });

  it('answers a non-object message with id 0', async () => {
    client.send('[1]');
    expect(await client.next((reply) => reply.type === 'result')).toEqual(
      error(0, 'invalid_format', 'Message incorrectly formatted.'),
    );
  });

  it('treats a negative id as reused', async () => {
    expect(await client.command({ id: -2, type: 'ping' })).toEqual(
      error(-2, 'id_reuse', 'Identifier values have to increase.'),
    );
  });

  it('handles a JSON array of commands in order', async () => {
    client.send([
      { id: 1, type: 'ping' },
      { id: 2, type: 'subscribe_events' },
      { id: 2, type: 'ping' },
    ]);
    await client.waitFor(3, (message) => message.type !== 'auth_required' && message.type !== 'auth_ok');
    expect(client.messages.slice(2)).toEqual([
      { id: 1, type: 'pong' },
      ok(2),
      error(2, 'id_reuse', 'Identifier values have to increase.'),
    ]);
  });

  it('sends one message per frame without coalescing, arrays once supported_features asks for it', async () => {
    client.send([
      { id: 1, type: 'ping' },
      { id: 2, type: 'ping' },
    ]);
    await client.waitFor(2, (message) => message.type === 'pong');
    expect(client.frames.slice(-2)).toEqual(['{"id":1,"type":"pong"}', '{"id":2,"type":"pong"}']);
    expect(
      await client.command({ id: 3, type: 'supported_features', features: { coalesce_messages: 1 } }),
    ).toEqual(ok(3));
    client.send([
      { id: 4, type: 'ping' },
      { id: 5, type: 'ping' },
    ]);
    await client.waitFor(4, (message) => message.type === 'pong');
    expect(client.frames.at(-1)).toBe('[{"id":4,"type":"pong"},{"id":5,"type":"pong"}]');
    client.send({ id: 6, type: 'ping' });
    await client.next((message) => message.id === 6);
    expect(client.frames.at(-1)).toBe('{"id":6,"type":"pong"}');
  });

  it('validates supported_features', async () => {
    expect(
      await client.command({ id: 1, type: 'supported_features', features: { coalesce_messages: 'yes' } }),
    ).toEqual(error(1, 'invalid_format', "expected int @ data['features']['coalesce_messages']. Got 'yes'"));
    expect(await client.command({ id: 2, type: 'supported_features' })).toEqual(
      error(2, 'invalid_format', "required key not provided @ data['features']. Got None"),
    );
  });

  it('subscribe_events with a type gets only that type; without one gets everything but state_reported', async () => {
    expect(await client.command({ id: 1, type: 'subscribe_events', event_type: 'state_changed' })).toEqual(
      ok(1),
    );
    expect(await client.command({ id: 2, type: 'subscribe_events' })).toEqual(ok(2));
    expect(await client.command({ id: 3, type: 'subscribe_events', event_type: 'my_event' })).toEqual(ok(3));
    sim.fireEvent('my_event', { n: 1 });
    sim.setState('sun.sun', 'below_horizon');
    await client.waitFor(4, (message) => message.type === 'event');
    const events = client.messages.filter((message) => message.type === 'event');
    const seen = events.map((message) => [
      message.id,
      (message['event'] as { event_type: string }).event_type,
    ]);
    expect(seen).toEqual([
      [3, 'my_event'],
      [2, 'my_event'],
      [1, 'state_changed'],
      [2, 'state_changed'],
    ]);
    expect(
      client.frames.some(
        (frame) =>
          frame.endsWith(',"id":1}') &&
          frame.startsWith('{"type":"event","event":{"event_type":"state_changed"'),
      ),
    ).toBe(true);
  });

  it('refuses an unfiltered state_reported subscription as HA core does', async () => {
    expect(await client.command({ id: 1, type: 'subscribe_events', event_type: 'state_reported' })).toEqual(
      error(1, 'home_assistant_error', 'Event filter is required for event state_reported'),
    );
  });

  it('unsubscribes, and answers not_found for an unknown subscription', async () => {
    await client.command({ id: 1, type: 'subscribe_events', event_type: 'state_changed' });
    expect(await client.command({ id: 2, type: 'unsubscribe_events', subscription: 1 })).toEqual(ok(2));
    expect(await client.command({ id: 3, type: 'unsubscribe_events', subscription: 1 })).toEqual(
      error(3, 'not_found', 'Subscription not found.'),
    );
    expect(await client.command({ id: 4, type: 'unsubscribe_events', subscription: 'x' })).toEqual(
      error(4, 'invalid_format', "expected int for dictionary value @ data['subscription']. Got 'x'"),
    );
    expect(sim.emitStateChanges(20)).toBe(0);
    expect(await client.command({ id: 5, type: 'ping' })).toEqual({ id: 5, type: 'pong' });
    expect(client.messages.some((message) => message.type === 'event')).toBe(false);
  });

  it('closes the connection on invalid JSON in the command phase, without a reply', async () => {
    client.send('{"id": 1,');
    expect(await client.closed).toBe(1000);
    expect(client.messages.filter((message) => message.type === 'result')).toEqual([]);
  });

  it('closes when a message exceeds 4 MiB (aiohttp max_msg_size)', async () => {
    client.send(JSON.stringify({ id: 1, type: 'ping', pad: 'x'.repeat(4 * 1024 * 1024) }));
    expect(await client.closed).toBe(1009);
  });
});
