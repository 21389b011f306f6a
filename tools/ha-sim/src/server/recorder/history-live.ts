import type { HomeModelImpl } from '../../model/home-model.js';
import type { StateWrite } from '../../model/state-machine.js';
import { pyFloat } from '../../util/py-json.js';
import { wireJson, wireString } from '../../util/wire-text.js';
import type { CommandConnection } from '../commands.js';
import { resultMessage } from '../commands.js';
import { significantStates, streamEvent, type PeriodQuery } from './history-query.js';
import { microsFromSeconds, recordedSeconds } from './history-time.js';
import type { Recorder } from './recorder.js';

/** HA core `components/history/const.py`: live events are sent in batches this far apart… */
export const EVENT_COALESCE_MS = 350;
/** …and at most this many may wait; one more ends the stream without a word (websocket_api.py). */
export const MAX_PENDING_HISTORY_STATES = 2048;

const SIGNIFICANT_DOMAINS = new Set([
  'climate',
  'device_tracker',
  'humidifier',
  'thermostat',
  'water_heater',
]);
const NEED_ATTRIBUTE_DOMAINS = new Set([
  'climate',
  'humidifier',
  'input_datetime',
  'thermostat',
  'water_heater',
]);

/**
 * `history/stream` without an end or with one in the future (HA `ws_stream`): subscribe first, answer, send the
 * recorded history up to the subscription, then (after the recorder committed, `async_block_till_done`) what
 * was not committed yet, then live changes every 0.35 s as `{states}` events with the live attributes. A
 * client that lets more than 2048 changes pile up between two batches loses the stream silently.
 */
export function startLiveStream(
  connection: CommandConnection,
  home: HomeModelImpl,
  recorder: Recorder,
  id: number,
  query: PeriodQuery,
  setupMicros: number,
  send: (message: string) => void,
): void {
  const timers = connection.state.options.timers;
  const entityIds = new Set(query.entityIds);
  const dropUnchanged = query.significantChangesOnly || query.minimalResponse;
  let pending: { entityId: string; row: string }[] = [];
  let batchTimer: unknown = null;
  let endTimer: unknown = null;
  let ended = false;

  const end = (): void => {
    if (ended) return;
    ended = true;
    home.machine.writes.delete(observe);
    if (batchTimer !== null) timers.clearTimeout(batchTimer);
    if (endTimer !== null) timers.clearTimeout(endTimer);
    pending = [];
  };

  const flush = (): void => {
    batchTimer = null;
    const byEntity = new Map<string, string[]>();
    for (const { entityId, row } of pending) {
      let rows = byEntity.get(entityId);
      if (rows === undefined) byEntity.set(entityId, (rows = []));
      rows.push(row);
    }
    pending = [];
    const states = [...byEntity].map(([entityId, rows]) => wireJson(entityId) + ':[' + rows.join(',') + ']');
    connection.reply(
      'history/stream',
      '{"id":' + String(id) + ',"type":"event","event":{"states":{' + states.join(',') + '}}}',
    );
  };

  function observe(write: StateWrite): void {
    const record = write.record;
    if (!entityIds.has(write.entityId) || record === null || write.oldState === null) return;
    const domain = write.entityId.slice(0, write.entityId.indexOf('.'));
    if (dropUnchanged && record.state === write.oldState && !SIGNIFICANT_DOMAINS.has(domain)) return;
    // The consumer holds the first of a batch; the queue behind it holds 2048.
    if (pending.length >= MAX_PENDING_HISTORY_STATES + 1) {
      end();
      return;
    }
    const attributes =
      query.noAttributes && !NEED_ATTRIBUTE_DOMAINS.has(domain) ? '' : ',"a":' + record.attributesJson;
    const lc = record.lastChanged === record.lastUpdated ? '' : ',"lc":' + pyFloat(record.lastChanged / 1e6);
    pending.push({
      entityId: write.entityId,
      row:
        '{"s":' +
        wireString(record.state) +
        attributes +
        ',"lu":' +
        pyFloat(recordedSeconds(record.lastUpdated)) +
        lc +
        '}',
    });
    batchTimer ??= timers.setTimeout(flush, EVENT_COALESCE_MS);
  }

  home.machine.writes.add(observe);
  connection.subscribeHandler(id, end);
  if (query.endMicros !== null)
    endTimer = timers.setTimeout(end, Math.max(0, (query.endMicros - setupMicros) / 1000));
  send(resultMessage(id, 'null'));
  const first = significantStates(recorder, { ...query, endMicros: setupMicros });
  send(streamEvent(id, first.json, query.startMicros, first.lastLu === 0 ? setupMicros / 1e6 : first.lastLu));
  timers.setImmediate(() => {
    if (ended) return;
    recorder.commit();
    // From just after the last row sent (HA adds a microsecond), without start-time rows.
    const fromMicros = (first.lastLu === 0 ? query.startMicros : microsFromSeconds(first.lastLu)) + 1;
    const rest = significantStates(recorder, {
      ...query,
      startMicros: fromMicros,
      endMicros: setupMicros,
      includeStartTimeState: false,
    });
    if (rest.lastLu !== 0 || first.lastLu === 0)
      send(streamEvent(id, rest.json, fromMicros, rest.lastLu === 0 ? setupMicros / 1e6 : rest.lastLu));
  });
}
