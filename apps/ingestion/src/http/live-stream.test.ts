import { createLiveStream, type LiveSocket } from './live-stream.js';

class FakeSocket implements LiveSocket {
  bufferedAmount = 0;
  sent: unknown[] = [];
  closed: { code?: number; reason?: string } | undefined;
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(code?: number, reason?: string): void {
    this.closed = { ...(code !== undefined && { code }), ...(reason !== undefined && { reason }) };
  }
}

function setup(options: Parameters<typeof createLiveStream>[0] = {}) {
  let tick: (() => void) | undefined;
  const hub = createLiveStream({
    ...options,
    setInterval: (fn) => {
      tick = fn;
      return 1;
    },
    clearInterval: () => {
      tick = undefined;
    },
  });
  return { hub, flush: () => tick?.() };
}

const ev = (entityId: string) => ({ entityId, domain: entityId.split('.')[0]!, state: 'on' });

describe('createLiveStream', () => {
  it('greets a client, then sends buffered events as one array per flush', () => {
    const { hub, flush } = setup();
    const socket = new FakeSocket();
    hub.connect(socket);
    hub.publish(ev('light.a'));
    hub.publish(ev('sensor.b'));
    expect(socket.sent).toEqual([{ type: 'connected', filter: {} }]);
    flush();
    expect(socket.sent[1]).toEqual({ type: 'events', events: [ev('light.a'), ev('sensor.b')] });
    expect(hub.stats().eventsSent).toBe(2);
  });

  it('filters by domain, entity id and glob once a client subscribes', () => {
    const { hub, flush } = setup();
    const socket = new FakeSocket();
    const handlers = hub.connect(socket)!;
    handlers.onMessage(
      JSON.stringify({ type: 'subscribe', domains: ['sensor'], entity_globs: ['sensor.*_temp?'] }),
    );
    expect(socket.sent[1]).toEqual({
      type: 'subscribed',
      filter: { domains: ['sensor'], entityGlobs: ['sensor.*_temp?'] },
    });
    for (const id of [
      'sensor.kitchen_temp1',
      'sensor.kitchen_humidity',
      'light.kitchen_temp1',
      'sensor.x_temp12',
    ]) {
      hub.publish(ev(id));
    }
    flush();
    expect(socket.sent[2]).toEqual({ type: 'events', events: [ev('sensor.kitchen_temp1')] });
  });

  it('answers a malformed or oversized message with an error and counts it, keeping the client', () => {
    const { hub } = setup({ maxMessageBytes: 64 });
    const socket = new FakeSocket();
    const handlers = hub.connect(socket)!;
    handlers.onMessage('not json');
    handlers.onMessage(JSON.stringify({ type: 'subscribe', domains: 'sensor' }));
    handlers.onMessage(JSON.stringify({ type: 'subscribe', domains: ['x'.repeat(100)] }));
    expect(socket.sent.slice(1).map((m) => (m as { type: string }).type)).toEqual([
      'error',
      'error',
      'error',
    ]);
    expect(hub.stats()).toMatchObject({ clients: 1, rejectedMessages: 3 });
  });

  it('drops a client whose unsent bytes pass the limit, and keeps serving the others', () => {
    const { hub, flush } = setup({ maxBufferedBytes: 1000 });
    const slow = new FakeSocket();
    const fast = new FakeSocket();
    hub.connect(slow);
    hub.connect(fast);
    slow.bufferedAmount = 1001;
    hub.publish(ev('light.a'));
    flush();
    expect(slow.closed?.code).toBe(4008);
    expect(fast.sent).toHaveLength(2);
    expect(hub.stats()).toMatchObject({ clients: 1, droppedSlowClients: 1 });
  });

  it('refuses clients past maxClients, and buffers nothing when nobody listens', () => {
    const { hub, flush } = setup({ maxClients: 1 });
    hub.publish(ev('light.before'));
    const first = new FakeSocket();
    const handlers = hub.connect(first)!;
    const second = new FakeSocket();
    expect(hub.connect(second)).toBeNull();
    expect(second.closed?.code).toBe(1013);
    flush();
    expect(first.sent).toHaveLength(1); // the greeting only: nothing was buffered before it connected
    handlers.onClose();
    expect(hub.stats()).toMatchObject({ clients: 0, refused: 1 });
  });

  it('flushes and closes every client on close', () => {
    const { hub } = setup();
    const socket = new FakeSocket();
    hub.connect(socket);
    hub.publish(ev('light.a'));
    hub.close();
    expect(socket.sent).toHaveLength(2);
    expect(socket.closed?.code).toBe(1001);
  });
});
