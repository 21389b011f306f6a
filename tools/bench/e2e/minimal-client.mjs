// The minimal pipeline (issue 20): what a Node user writes in thirty lines. The official HA client
// (home-assistant-js-websocket, over `ws`) subscribed to state_changed, and the official InfluxDB client's `Point`
// API and `WriteApi`: tags entity_id, domain, device_class, unit_of_measurement; fields state, value (when the
// state is a number), friendly_name, previous_state; microsecond timestamps taken exactly from `time_fired`; large
// batches. No registry reads. Prints `{"ready":true}` once subscribed; on SIGTERM it flushes what it holds and exits.
// Usage: node minimal-client.mjs --url http://ha --token T --influx http://… --bucket B
import { InfluxDB, Point } from '@influxdata/influxdb-client';
import { createConnection, createLongLivedTokenAuth } from 'home-assistant-js-websocket';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    token: { type: 'string' },
    influx: { type: 'string' },
    bucket: { type: 'string', default: 'bench' },
  },
});

// home-assistant-js-websocket expects a browser WebSocket; `ws` is the same API on Node 20.
globalThis.WebSocket = WebSocket;

// Large batches, as a user tuning for throughput sets them: 5,000 lines (the service's own BATCH_SIZE maximum, so
// both write alike), flushed at least every second (the client's default, 60 s, leaves a quiet home's last change
// unwritten for a minute). maxBufferLines bounds only the client's retry buffer (lines of failed writes); 1,000,000
// is the large queue the service is given beside it, so neither drops before the other.
const writeApi = new InfluxDB({ url: values.influx, token: 'bench' }).getWriteApi(
  'homeiq',
  values.bucket,
  'us',
  {
    batchSize: 5000,
    flushInterval: 1000,
    maxBufferLines: 1_000_000,
  },
);
const connection = await createConnection({ auth: createLongLivedTokenAuth(values.url, values.token) });

await connection.subscribeEvents((event) => {
  const { entity_id: entityId, old_state: oldState, new_state: newState } = event.data;
  // A removed entity has no new state; HA's own influxdb integration writes nothing for it either
  // (docs/ha-influxdb-integration.md#which-events).
  if (!newState) return;
  const { attributes, state } = newState;
  const point = new Point('home_assistant_events')
    .tag('entity_id', entityId)
    .tag('domain', entityId.slice(0, entityId.indexOf('.')));
  if (attributes.device_class) point.tag('device_class', String(attributes.device_class));
  if (attributes.unit_of_measurement)
    point.tag('unit_of_measurement', String(attributes.unit_of_measurement));
  point.stringField('state', state);
  const value = Number(state);
  if (state.trim() !== '' && Number.isFinite(value)) point.floatField('value', value);
  if (attributes.friendly_name) point.stringField('friendly_name', String(attributes.friendly_name));
  if (oldState) point.stringField('previous_state', oldState.state);
  writeApi.writePoint(point.timestamp(micros(event.time_fired)));
}, 'state_changed');
process.stdout.write('{"ready":true}\n');

process.on('SIGTERM', () => {
  connection.close();
  void writeApi.close().finally(() => process.exit(0));
});

/**
 * Epoch microseconds of HA's `time_fired`: Python's `isoformat()` of a UTC datetime, `2025-01-15T10:05:00.654321+00:00`
 * (no fraction when the microsecond is 0). `new Date()` would cut it to the millisecond, so the digits are read:
 * days from the civil date (H. Hinnant's days_from_civil), then the time of day and the fraction, all exact.
 */
function micros(iso) {
  let y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + Number(iso.slice(8, 10)) - 1;
  const days = era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
  const seconds = days * 86_400 + Number(iso.slice(11, 13)) * 3600 + Number(iso.slice(14, 16)) * 60;
  const fraction = iso[19] === '.' ? Number(iso.slice(20, 26).padEnd(6, '0')) : 0;
  return (seconds + Number(iso.slice(17, 19))) * 1_000_000 + fraction;
}
