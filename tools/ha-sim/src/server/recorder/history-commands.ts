import type { HomeModelImpl } from '../../model/home-model.js';
import type { CommandConnection } from '../commands.js';
import { errorMessage, resultMessage } from '../commands.js';
import { dictSchema, isBool, isStr, literal, optional, positiveInt, required, strList } from '../schema.js';
import { parseHaDatetime, validEntityId } from './history-time.js';
import { significantStates, streamEvent, type PeriodQuery } from './history-query.js';
import { startLiveStream } from './history-live.js';
import type { Recorder } from './recorder.js';

/**
 * `history/history_during_period` and `history/stream` (HA core `components/history/websocket_api.py`,
 * `helpers.py`), answered from the simulated recorder. Both run as HA's `@async_response` tasks: their
 * answers (errors too) come one event-loop turn later.
 */

class HistoryError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const historySchema = (type: string) =>
  dictSchema({
    id: required(positiveInt),
    type: required(literal(type)),
    start_time: required(isStr),
    end_time: optional(isStr),
    entity_ids: required(strList),
    include_start_time_state: optional(isBool),
    significant_changes_only: optional(isBool),
    minimal_response: optional(isBool),
    no_attributes: optional(isBool),
  });

type Handler = (
  connection: CommandConnection,
  home: HomeModelImpl,
  message: Record<string, unknown>,
  id: number,
) => void;

/** The parsed request, defaults applied as HA's schema applies them. */
function queryOf(
  message: Record<string, unknown>,
  startMicros: number,
  endMicros: number | null,
): PeriodQuery {
  const flag = (key: string, fallback: boolean): boolean =>
    typeof message[key] === 'boolean' ? message[key] : fallback;
  return {
    startMicros,
    endMicros,
    entityIds: message['entity_ids'] as string[],
    includeStartTimeState: flag('include_start_time_state', true),
    significantChangesOnly: flag('significant_changes_only', true),
    minimalResponse: flag('minimal_response', false),
    noAttributes: flag('no_attributes', false),
  };
}

/** An entity without a state must at least be a valid id, or the whole request fails. */
function checkEntityIds(home: HomeModelImpl, entityIds: readonly string[]): void {
  for (const entityId of entityIds)
    if (!home.machine.records.has(entityId) && !validEntityId(entityId))
      throw new HistoryError('invalid_entity_ids', 'Invalid entity_ids');
}

/** `entities_may_have_state_changes_after` (history/helpers.py), from the current states. */
export function mayHaveChangesAfter(home: HomeModelImpl, query: PeriodQuery): boolean {
  return query.entityIds.some((entityId) => {
    const record = home.machine.records.get(entityId);
    if (record === undefined) return true;
    return (query.noAttributes ? record.lastChanged : record.lastUpdated) > query.startMicros;
  });
}

function endOf(message: Record<string, unknown>): number | null {
  const text = message['end_time'];
  if (typeof text !== 'string' || text === '') return null;
  const micros = parseHaDatetime(text);
  if (micros === null) throw new HistoryError('invalid_end_time', 'Invalid end_time');
  return micros;
}

/** Runs `body` as an `@async_response` task: errors become error results, all one turn later. */
function task(
  type: string,
  body: (recorder: Recorder, nowMicros: number, send: (message: string) => void) => void,
): Handler {
  return (connection, _home, _message, id) => {
    const recorder = connection.state.recorder;
    if (recorder === null) return;
    recorder.countRequest();
    const send = (message: string): void => {
      recorder.countAnswer(message);
      connection.reply(type, message, true);
    };
    try {
      body(recorder, Math.floor(connection.state.options.now() * 1000), send);
    } catch (error) {
      const [code, text] =
        error instanceof HistoryError ? [error.code, error.message] : ['unknown_error', 'Unknown error'];
      connection.state.count(connection.state.counters.errorsByCode, code);
      send(errorMessage(id, code, text));
    }
  };
}

const PERIOD = 'history/history_during_period';
const STREAM = 'history/stream';

const duringPeriod: Handler = (connection, home, message, id) => {
  task(PERIOD, (recorder, nowMicros, send) => {
    const startMicros = parseHaDatetime(String(message['start_time']));
    if (startMicros === null) throw new HistoryError('invalid_start_time', 'Invalid start_time');
    const query = queryOf(message, startMicros, endOf(message));
    if (startMicros > nowMicros) {
      send(resultMessage(id, '{}'));
      return;
    }
    checkEntityIds(home, query.entityIds);
    const oldest = recorder.oldestTs();
    // HA answers `{}` without a query when nothing can be there (websocket_api.py, has_states_before).
    const nothingBeforeEnd = query.endMicros !== null && (oldest === null || query.endMicros / 1e6 < oldest);
    const nothingChanged =
      !query.includeStartTimeState && query.entityIds.length > 0 && !mayHaveChangesAfter(home, query);
    if (nothingBeforeEnd || nothingChanged) {
      send(resultMessage(id, '{}'));
      return;
    }
    send(resultMessage(id, significantStates(recorder, query).json));
  })(connection, home, message, id);
};

const stream: Handler = (connection, home, message, id) => {
  task(STREAM, (recorder, nowMicros, send) => {
    const startMicros = parseHaDatetime(String(message['start_time']));
    if (startMicros === null || startMicros > nowMicros)
      throw new HistoryError('invalid_start_time', 'Invalid start_time');
    const endMicros = endOf(message);
    if (endMicros !== null && endMicros < startMicros)
      throw new HistoryError('invalid_end_time', 'Invalid end_time');
    const query = queryOf(message, startMicros, endMicros);
    checkEntityIds(home, query.entityIds);
    if (endMicros === null || endMicros > nowMicros) {
      startLiveStream(connection, home, recorder, id, query, nowMicros, send);
      return;
    }
    // A finished window: the result, one event, nothing after. Its `end_time` is the newest row's `lu`.
    if (!query.includeStartTimeState && query.entityIds.length > 0 && !mayHaveChangesAfter(home, query)) {
      send(resultMessage(id, 'null'));
      send(streamEvent(id, '{}', startMicros, endMicros / 1e6));
      return;
    }
    connection.subscribeHandler(id, () => undefined);
    send(resultMessage(id, 'null'));
    const answer = significantStates(recorder, query);
    send(streamEvent(id, answer.json, startMicros, answer.lastLu === 0 ? endMicros / 1e6 : answer.lastLu));
  })(connection, home, message, id);
};

/** The history commands, for the command table. */
export const HISTORY_COMMANDS: readonly (readonly [string, ReturnType<typeof historySchema>, Handler])[] = [
  [PERIOD, historySchema(PERIOD), duringPeriod],
  [STREAM, historySchema(STREAM), stream],
];
