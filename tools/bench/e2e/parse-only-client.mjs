// The parse-only ceiling: authenticate, ask for coalesced messages, subscribe to state_changed, JSON.parse every
// frame — nothing else. No pipeline that parses HA's JSON can beat it without a faster parser.
// It uses `ws` with its defaults, like the service and the naive client (so all three negotiate the same
// compression). Prints `{"ready":true}` once subscribed, then `{"done":true,…}` after `--total` events.
// Usage: node parse-only-client.mjs --url ws://… --token T --total N
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';

const { values } = parseArgs({
  options: { url: { type: 'string' }, token: { type: 'string' }, total: { type: 'string' } },
});
let total = Number(values.total);
const now = () => performance.timeOrigin + performance.now();
const ws = new WebSocket(values.url);
let subscribed = false;
let events = 0;
let firstMs = 0;
let bytes = 0;

ws.on('message', (data) => {
  if (subscribed) bytes += data.length;
  const message = JSON.parse(data.toString());
  if (!subscribed) {
    // The subscribe result may share a coalesced frame with the first events.
    for (const item of Array.isArray(message) ? message : [message]) {
      if (subscribed) count(item);
      else handshake(item);
    }
  } else if (Array.isArray(message)) {
    for (const item of message) count(item);
  } else count(message);
  if (events > 0 && firstMs === 0) firstMs = now();
  if (events >= total && total > 0) {
    process.stdout.write(JSON.stringify({ done: true, events, bytes, firstMs, lastMs: now() }) + '\n');
    total = 0;
    ws.close();
  }
});

function count(item) {
  if (item.type === 'event') events++;
}
ws.on('close', () => process.exit(0));
ws.on('error', (error) => {
  process.stderr.write(`parse-only client: ${String(error)}\n`);
  process.exit(1);
});

function handshake(message) {
  if (message.type === 'auth_required') ws.send(JSON.stringify({ type: 'auth', access_token: values.token }));
  else if (message.type === 'auth_ok') {
    ws.send(JSON.stringify({ id: 1, type: 'supported_features', features: { coalesce_messages: 1 } }));
    ws.send(JSON.stringify({ id: 2, type: 'subscribe_events', event_type: 'state_changed' }));
  } else if (message.type === 'result' && message.id === 2) {
    subscribed = true;
    process.stdout.write('{"ready":true}\n');
  } else if (message.type === 'auth_invalid') throw new Error('auth_invalid');
}
