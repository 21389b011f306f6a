import { createHomeModel, homeInternals } from '../../model/home-model.js';
import { ManualTimers } from '../../testing-internal/manual-timers.js';
import { fromWire } from '../../util/wire-text.js';
import { handleCommand, type CommandConnection } from '../commands.js';
import { resolveSimOptions, type HaSimOptions } from '../options.js';
import { SimState } from '../sim-state.js';
import { Recorder } from './recorder.js';

const T0 = Date.UTC(2026, 0, 15, 10, 0, 0);
const ANY_NUMBER = expect.any(Number) as number;
const ANY_STRING = expect.any(String) as string;
const iso = (ms: number): string => new Date(ms).toISOString();

/** The history commands run through the command dispatcher on a fake connection, in virtual time. */
function setup(options: Pick<HaSimOptions, 'recorder'> = {}) {
  const timers = new ManualTimers();
  timers.now = T0;
  const now = (): number => timers.now;
  const home = createHomeModel({ entities: 30, seed: 2, now });
  const impl = homeInternals(home);
  const state = new SimState(resolveSimOptions({ home, now, timers, ...options }));
  if (state.options.recorder !== null)
    state.recorder = new Recorder(impl.machine, state.options.recorder, now, timers);
  const received: Record<string, unknown>[] = [];
  const handlers = new Map<number, () => void>();
  const connection: CommandConnection = {
    lastId: 0,
    coalesce: false,
    userId: 'owner',
    state,
    reply(_type, message, later = false) {
      const push = (): void => {
        received.push(JSON.parse(fromWire(message)) as Record<string, unknown>);
      };
      if (later) timers.setImmediate(push);
      else push();
    },
    subscribe: () => undefined,
    subscribeEntities: () => undefined,
    subscribeHandler(id, cancel) {
      handlers.set(id, cancel);
    },
    unsubscribe(id) {
      const cancel = handlers.get(id);
      handlers.delete(id);
      cancel?.();
      return cancel !== undefined;
    },
  };
  const send = (message: Record<string, unknown>): Record<string, unknown>[] => {
    const from = received.length;
    handleCommand(connection, impl, message);
    timers.settle();
    return received.slice(from);
  };
  const sensor = home.entityIds().find((id) => id.startsWith('sensor.')) ?? '';
  return { timers, home, state, send, received, connection, sensor };
}

describe('history commands', () => {
  it('answers history_during_period from the committed rows, errors as HA does', () => {
    const { timers, home, send, sensor } = setup();
    timers.advance(1000);
    home.setState(sensor, '1');
    const period = { type: 'history/history_during_period', entity_ids: [sensor], start_time: iso(T0) };
    // Not committed yet (commit_interval 5 s): nothing there.
    expect(send({ id: 1, ...period, include_start_time_state: false })[0]).toMatchObject({ result: {} });
    timers.advance(5000);
    const [answer] = send({ id: 2, ...period, significant_changes_only: false });
    expect((answer?.['result'] as Record<string, { s: string }[]>)[sensor]?.map((r) => r.s)).toEqual([
      ANY_STRING, // the start-time row
      '1',
    ]);
    expect(send({ id: 3, ...period, start_time: 'x' })[0]?.['error']).toEqual({
      code: 'invalid_start_time',
      message: 'Invalid start_time',
    });
    expect(send({ id: 4, ...period, end_time: 'x' })[0]?.['error']).toMatchObject({
      code: 'invalid_end_time',
    });
    expect(send({ id: 5, ...period, entity_ids: ['Bad Id'] })[0]?.['error']).toMatchObject({
      code: 'invalid_entity_ids',
    });
    expect(send({ id: 6, ...period, entity_ids: [] })[0]?.['error']).toMatchObject({ code: 'unknown_error' });
    expect(send({ id: 7, ...period, start_time: iso(T0 + 86_400_000) })[0]).toMatchObject({ result: {} });
    expect(send({ id: 8, type: period.type, start_time: iso(T0) })[0]?.['error']).toEqual({
      code: 'invalid_format',
      message: "required key not provided @ data['entity_ids']. Got None",
    });
  });

  it('counts the requests and the bytes it answered them with, as a benchmark reads the load', () => {
    const { timers, home, state, send, sensor, connection } = setup();
    const sizes: number[] = [];
    const reply = connection.reply.bind(connection);
    connection.reply = (type, message, later) => {
      sizes.push(Buffer.byteLength(fromWire(message)));
      reply(type, message, later);
    };
    timers.advance(1000);
    home.setState(sensor, 'é'.repeat(50));
    timers.advance(5000);
    expect(state.recorder?.answerStats()).toEqual({ requests: 0, messages: 0, bytes: 0, maxMessageBytes: 0 });
    const period = { type: 'history/history_during_period', entity_ids: [sensor], start_time: iso(T0) };
    const [answer] = send({ id: 1, ...period });
    expect(JSON.stringify(answer)).toContain('é');
    send({ id: 2, ...period, start_time: 'x' });
    // Bytes as UTF-8 on the socket: the non-ASCII state counts two a char.
    expect(state.recorder?.answerStats()).toEqual({
      requests: 2,
      messages: 2,
      bytes: (sizes[0] ?? 0) + (sizes[1] ?? 0),
      maxMessageBytes: Math.max(...sizes),
    });
    expect(sizes[0]).toBeGreaterThan(100);
  });

  it('has no history commands without a recorder', () => {
    const { send, sensor } = setup({ recorder: false });
    const [answer] = send({ id: 1, type: 'history/stream', entity_ids: [sensor], start_time: iso(T0) });
    expect(answer?.['error']).toMatchObject({ code: 'unknown_command' });
  });

  it('streams a finished window as one event whose end_time is the last row', () => {
    const { timers, home, state, send, sensor } = setup();
    timers.advance(1000);
    home.setState(sensor, '1');
    timers.advance(1000);
    state.recorder?.commit();
    const messages = send({
      id: 1,
      type: 'history/stream',
      entity_ids: [sensor],
      start_time: iso(T0),
      end_time: iso(T0 + 1500),
      include_start_time_state: false,
    });
    const last = state.recorder?.rows(sensor)?.at(-1)?.lu;
    expect(messages).toEqual([
      { id: 1, type: 'result', success: true, result: null },
      {
        id: 1,
        type: 'event',
        event: {
          states: { [sensor]: [expect.objectContaining({ s: '1' }) as object] },
          start_time: T0 / 1000,
          end_time: last,
        },
      },
    ]);
  });

  it('streams live changes in 350 ms batches with live attributes; past 2048 waiting it ends silently', () => {
    const { timers, home, send, received, connection, sensor } = setup();
    const opened = send({
      id: 1,
      type: 'history/stream',
      entity_ids: [sensor],
      start_time: iso(T0),
      significant_changes_only: false,
    });
    // The start-time row counts as sent, so the catch-up after the commit finds nothing new to send.
    expect(opened.map((m) => m['type'])).toEqual(['result', 'event']);
    const live = (): Record<string, unknown>[] =>
      received.filter((m) => m['type'] === 'event' && !('start_time' in (m['event'] as object)));
    timers.advance(1000);
    home.setState(sensor, '7', { supported_features: 3 });
    home.setState(sensor, '8', { supported_features: 3 });
    timers.advance(349);
    expect(live()).toEqual([]);
    timers.advance(1);
    const row = (s: string) => ({ s, a: { supported_features: 3 }, lu: ANY_NUMBER });
    expect(live()).toEqual([{ id: 1, type: 'event', event: { states: { [sensor]: [row('7'), row('8')] } } }]);
    for (let i = 0; i < 2050; i++) home.setState(sensor, String(i));
    timers.advance(1000);
    home.setState(sensor, 'after');
    timers.advance(1000);
    expect(live()).toHaveLength(1);
    // HA keeps the subscription id: unsubscribing still succeeds.
    expect(connection.unsubscribe(1)).toBe(true);
  });
});
