// The naive pipeline: what a Node user would write in an afternoon. The official HA client
// (home-assistant-js-websocket, with `ws` as its WebSocket) subscribed to state_changed, the registries read once
// at start for the tags, and the official InfluxDB client's `Point` API and `WriteApi` with its default
// options (batches of 1000, gzip). It writes the same tags and fields as our default `homeiq` schema
// (libs/event-normalizer/src/homeiq-schema.ts). Prints `{"ready":true}` once subscribed.
// Usage: node naive-client.mjs --url http://ha --token T --influx http://… --bucket B
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

const BINARY = {
  on: 1,
  open: 1,
  home: 1,
  locked: 1,
  above_horizon: 1,
  off: 0,
  closed: 0,
  not_home: 0,
  unlocked: 0,
  below_horizon: 0,
};

const writeApi = new InfluxDB({ url: values.influx, token: 'bench' }).getWriteApi(
  'homeiq',
  values.bucket,
  'ns',
);
const connection = await createConnection({ auth: createLongLivedTokenAuth(values.url, values.token) });

const [entities, devices, areas] = await Promise.all(
  ['entity', 'device', 'area'].map((kind) =>
    connection.sendMessagePromise({ type: `config/${kind}_registry/list` }),
  ),
);
const entityById = new Map(entities.map((e) => [e.entity_id, e]));
const deviceById = new Map(devices.map((d) => [d.id, d]));
const areaById = new Map(areas.map((a) => [a.area_id, a]));

await connection.subscribeEvents((event) => {
  const { entity_id: entityId, old_state: oldState, new_state: newState } = event.data;
  const entity = entityById.get(entityId);
  const device = entity?.device_id ? deviceById.get(entity.device_id) : undefined;
  const areaId = entity?.area_id ?? device?.area_id ?? null;
  const attributes = newState?.attributes ?? oldState?.attributes ?? {};
  const point = new Point('home_assistant_events')
    .tag('domain', entityId.split('.')[0])
    .tag('entity_id', entityId);
  if (areaId) point.tag('area_id', areaId).tag('area', areaById.get(areaId)?.name ?? '');
  if (attributes.device_class) point.tag('device_class', String(attributes.device_class));
  if (entity?.device_id) point.tag('device_id', entity.device_id);
  if (entity?.entity_category) point.tag('entity_category', entity.entity_category);
  if (entity?.platform) point.tag('platform', entity.platform);
  if (attributes.unit_of_measurement)
    point.tag('unit_of_measurement', String(attributes.unit_of_measurement));

  const state = newState?.state ?? '<removed>';
  point.stringField('state', state).stringField('attributes', JSON.stringify(attributes));
  const number = Number.parseFloat(state);
  if (Number.isFinite(number)) point.floatField('value', number);
  else if (state in BINARY) point.floatField('value', BINARY[state]);
  if (oldState) {
    point.stringField('previous_state', oldState.state);
    const newChanged = newState ? Date.parse(newState.last_changed) : Date.parse(event.time_fired);
    point.floatField(
      'duration_in_state_seconds',
      Math.max(0, (newChanged - Date.parse(oldState.last_changed)) / 1000),
    );
  }
  if (attributes.friendly_name) point.stringField('friendly_name', String(attributes.friendly_name));
  if (event.context.id) point.stringField('context_id', event.context.id);
  if (event.context.parent_id) point.stringField('context_parent_id', event.context.parent_id);
  if (event.context.user_id) point.stringField('context_user_id', event.context.user_id);
  point.timestamp(new Date(event.time_fired));
  writeApi.writePoint(point);
}, 'state_changed');
process.stdout.write('{"ready":true}\n');

process.on('SIGTERM', () => {
  connection.close();
  void writeApi.close().finally(() => process.exit(0));
});
