/**
 * Benchmark client, run in a worker thread so that it does not share the simulator's event loop: a raw
 * `ws` client that authenticates, asks for coalescing, subscribes to state_changed and counts events by
 * scanning each frame for `"type":"event"` (cheap, so the client is not the bottleneck).
 */
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';

interface ClientJob {
  readonly url: string;
  readonly token: string;
  readonly events: number;
}

export interface ClientReport {
  readonly received: number;
  readonly frames: number;
  readonly bytes: number;
  /** From the first event to the last counted one. */
  readonly elapsedMs: number;
  readonly closeCode: number | null;
}

const job = workerData as ClientJob;
const port = parentPort;
const NEEDLE = Buffer.from('"type":"event"');
const ws = new WebSocket(job.url, { perMessageDeflate: false });
let phase: 'auth' | 'subscribing' | 'streaming' = 'auth';
let received = 0;
let frames = 0;
let bytes = 0;
let first = 0;
let finished = false;

const finish = (closeCode: number | null): void => {
  if (finished) return;
  finished = true;
  port?.postMessage({
    received,
    frames,
    bytes,
    elapsedMs: first === 0 ? 0 : performance.now() - first,
    closeCode,
  } satisfies ClientReport);
  ws.close();
};

ws.on('message', (data: Buffer) => {
  if (phase === 'auth') {
    const message = JSON.parse(data.toString('utf8')) as { type: string };
    if (message.type === 'auth_required') ws.send(JSON.stringify({ type: 'auth', access_token: job.token }));
    if (message.type === 'auth_ok') {
      phase = 'subscribing';
      ws.send(JSON.stringify({ id: 1, type: 'supported_features', features: { coalesce_messages: 1 } }));
      ws.send(JSON.stringify({ id: 2, type: 'subscribe_events', event_type: 'state_changed' }));
    }
    return;
  }
  frames++;
  bytes += data.length;
  let count = 0;
  for (let at = data.indexOf(NEEDLE); at !== -1; at = data.indexOf(NEEDLE, at + NEEDLE.length)) count++;
  if (count > 0 && first === 0) first = performance.now();
  if (phase === 'subscribing' && data.includes('"id":2,"type":"result"')) {
    phase = 'streaming';
    port?.postMessage('subscribed');
  }
  received += count;
  if (received >= job.events) finish(null);
});
ws.on('close', (code) => {
  finish(code);
});
