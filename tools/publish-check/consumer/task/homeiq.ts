// The consumer task of issue 19 with @homeiq/ha-client and @homeiq/event-normalizer: connect, follow
// state_changed, read the entity registry, turn a light on, survive an HA restart, encode each event to line
// protocol. Written from the two READMEs and the published types only.
import { createHaClient, isHaClientError } from '@homeiq/ha-client';
import { createEventNormalizer } from '@homeiq/event-normalizer';

const url = process.env['HA_URL'] ?? 'http://homeassistant.local:8123';
const accessToken = process.env['HA_TOKEN'];
if (accessToken === undefined) throw new Error('Set HA_TOKEN');

const normalizer = createEventNormalizer();
const lines: string[] = [];
let restarted = false;
let afterRestart = 0;

const client = createHaClient({ url, accessToken });
client.subscribeEvents('state_changed', (event) => {
  const result = normalizer.process(event);
  if (!result.ok) return;
  lines.push(result.line);
  if (restarted) afterRestart += 1;
});
client.on('gap', () => {
  restarted = true;
  console.log('reconnected');
});

client.start();
try {
  await client.whenConnected();
} catch (error) {
  if (isHaClientError(error) && error.code === 'ERR_AUTH_INVALID')
    console.log(`token rejected: ${error.haMessage}`);
  await client.close();
  throw error;
}

const entities = await client.sendCommand('config/entity_registry/list');
const light = entities.find((entry) => entry.entity_id.startsWith('light.') && entry.disabled_by === null);
if (light !== undefined) {
  await client.callService('light', 'turn_on', { brightness_pct: 60 }, { entity_id: light.entity_id });
}
console.log(`ready: ${entities.length} entities, light ${light?.entity_id ?? 'none'}`);

while (afterRestart === 0) await new Promise((resolve) => setTimeout(resolve, 20));
console.log(`${lines.length} lines, ${afterRestart} after the restart`);
await client.close();
