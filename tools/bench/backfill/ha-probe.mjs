// A minimal Home Assistant WebSocket client for the import benchmark: auth, then commands by id, nothing else
// (no library, so that what it measures is HA's answer and not a client's work). Used as the baseline reader of
// the recorder and as the probe that times `ping` and `get_states` while an import runs.
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

/** Connects and authenticates; resolves with `{ command(type, fields) → { result, ms, bytes }, close() }`. */
export function connectHa(wsUrl, token) {
  return new Promise((resolve, reject) => {
    // HA's own bound on what a client receives is the client's business; the baseline's answers are large.
    const socket = new WebSocket(wsUrl, { maxPayload: 1024 * 1024 * 1024 });
    const waiting = new Map();
    let nextId = 1;
    socket.once('error', reject);
    socket.on('message', (data) => {
      const text = data.toString();
      const message = JSON.parse(text);
      if (message.type === 'auth_required') {
        socket.send(JSON.stringify({ type: 'auth', access_token: token }));
        return;
      }
      if (message.type === 'auth_invalid') {
        reject(new Error(`auth_invalid: ${message.message}`));
        return;
      }
      if (message.type === 'auth_ok') {
        resolve({ command, close: () => socket.close() });
        return;
      }
      const entry = waiting.get(message.id);
      if (entry === undefined) return;
      waiting.delete(message.id);
      const ms = performance.now() - entry.startedMs;
      if (message.type === 'pong' || message.success === true)
        entry.resolve({ result: message.result, ms, bytes: data.length });
      else entry.reject(new Error(`${entry.type}: ${JSON.stringify(message.error)}`));
    });
    function command(type, fields = {}) {
      return new Promise((ok, fail) => {
        const id = nextId++;
        waiting.set(id, { type, resolve: ok, reject: fail, startedMs: performance.now() });
        socket.send(JSON.stringify({ id, type, ...fields }));
      });
    }
  });
}

/**
 * Times a `ping` every `pingEveryMs` and a `get_states` every `statesEveryMs` on its own connection, one at a time,
 * until `stop()`, which returns the latencies in ms: `{ ping: number[], getStates: number[] }`.
 */
export async function startProbe(wsUrl, token, { pingEveryMs = 200, statesEveryMs = 1000 } = {}) {
  const ha = await connectHa(wsUrl, token);
  const samples = { ping: [], getStates: [] };
  let running = true;
  const loop = async (type, everyMs, into) => {
    while (running) {
      const started = performance.now();
      const { ms } = await ha.command(type);
      into.push(ms);
      const wait = everyMs - (performance.now() - started);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  };
  const loops = [
    loop('ping', pingEveryMs, samples.ping),
    loop('get_states', statesEveryMs, samples.getStates),
  ];
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      ha.close();
      return samples;
    },
  };
}

/** p50, p99 and max of latencies, ms. */
export function latencySummary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return sorted.length === 0
    ? { count: 0 }
    : { count: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) };
}
