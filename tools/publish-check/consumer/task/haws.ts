// The same consumer task with home-assistant-js-websocket 9.7.0 (and @homeiq/event-normalizer for the line
// protocol, which is not that library's job). Written from its README and its published types.
import {
  callService,
  createConnection,
  createLongLivedTokenAuth,
  ERR_INVALID_AUTH,
  type Connection,
  type StateChangedEvent,
} from 'home-assistant-js-websocket';
import WebSocket from 'ws';
import { createEventNormalizer } from '@homeiq/event-normalizer';

// Node 20 has no WebSocket; the library's README polyfills the global.
(globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;

/** Not exported by the library: read from HA core (helpers/entity_registry.py). */
interface EntityRegistryEntry {
  readonly entity_id: string;
  readonly disabled_by: string | null;
}

const url = process.env['HA_URL'] ?? 'http://homeassistant.local:8123';
const accessToken = process.env['HA_TOKEN'];
if (accessToken === undefined) throw new Error('Set HA_TOKEN');

const normalizer = createEventNormalizer();
const lines: string[] = [];
let restarted = false;
let afterRestart = 0;

let connection: Connection;
try {
  connection = await createConnection({ auth: createLongLivedTokenAuth(url, accessToken) });
} catch (error) {
  // Errors are numbers (ERR_INVALID_AUTH is 2), without a message.
  if (error === ERR_INVALID_AUTH) console.log('token rejected');
  throw error;
}
connection.addEventListener('ready', () => {
  restarted = true;
  console.log('reconnected');
});

await connection.subscribeEvents<StateChangedEvent>((event) => {
  const result = normalizer.process({
    eventType: event.event_type,
    data: event.data,
    origin: event.origin,
    timeFired: event.time_fired,
    context: { id: event.context.id, parentId: event.context.parent_id, userId: event.context.user_id },
  });
  if (!result.ok) return;
  lines.push(result.line);
  if (restarted) afterRestart += 1;
}, 'state_changed');

const entities = await connection.sendMessagePromise<EntityRegistryEntry[]>({
  type: 'config/entity_registry/list',
});
const light = entities.find((entry) => entry.entity_id.startsWith('light.') && entry.disabled_by === null);
if (light !== undefined) {
  await callService(connection, 'light', 'turn_on', { brightness_pct: 60 }, { entity_id: light.entity_id });
}
console.log(`ready: ${entities.length} entities, light ${light?.entity_id ?? 'none'}`);

while (afterRestart === 0) await new Promise((resolve) => setTimeout(resolve, 20));
console.log(`${lines.length} lines, ${afterRestart} after the restart`);
connection.close();
