// Shared helpers of the sink benchmarks: they run against the built dist of the libs (build first, see README).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');

export async function loadLibs() {
  const queue = await import(join(root, 'libs/backpressure-queue/dist/index.js'));
  const sink = await import(join(root, 'libs/influx-sink/dist/index.js'));
  const testing = await import(join(root, 'tools/testing/dist/index.js'));
  return { ...queue, ...sink, ...testing };
}

export const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** A pool of realistic lines (the event normalizer's shape, ~250 bytes); timestamps made unique per use. */
export function linePool(size = 1000) {
  return Array.from(
    { length: size },
    (_, i) =>
      `home_assistant_events,domain=sensor,entity_id=sensor.bench_${i},event_category=monitoring,event_type=state_changed ` +
      `state="${(i * 0.37).toFixed(2)}",state_value=${(i * 0.37).toFixed(2)},attributes="{\\"unit_of_measurement\\": \\"W\\", \\"friendly_name\\": \\"Bench ${i}\\"}",context_id="01KH7NR7SZD08SGBQKZ6KMB3SC"`,
  );
}

export function line(pool, i) {
  return `${pool[i % pool.length]} ${1_700_000_000_000_000_000n + BigInt(i) * 1000n}`;
}

const hasTaskset = spawnSync('taskset', ['--version']).status === 0;

/** Starts `node -e script` pinned to CPU 1 when `taskset` exists (the pipeline runs on CPU 0). */
export function spawnPinned(script, args = []) {
  const cmd = hasTaskset ? 'taskset' : process.execPath;
  const argv = hasTaskset ? ['-c', '1', process.execPath, '-e', script, ...args] : ['-e', script, ...args];
  return spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
}

/** An HTTP endpoint that accepts any write (gunzipping if asked, as a server must) and discards it. */
export async function startDiscardServer() {
  const child = spawnPinned(`
    const http = require('node:http'); const zlib = require('node:zlib');
    const server = http.createServer((req, res) => {
      const body = req.headers['content-encoding'] === 'gzip' ? req.pipe(zlib.createGunzip()) : req;
      body.on('data', () => {}); body.on('end', () => { res.writeHead(204); res.end(); });
    });
    server.keepAliveTimeout = 60000;
    server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
  `);
  const port = await new Promise((resolve) =>
    child.stdout.once('data', (d) => resolve(Number(String(d).trim()))),
  );
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

export const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);

/** `influxd` pinned to CPU 1 (it would otherwise inherit the pipeline's CPU 0 affinity and compete with it). */
export function influxdBinary() {
  if (!hasTaskset) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'homeiq-bench-'));
  const path = join(dir, 'influxd');
  writeFileSync(path, '#!/bin/sh\nexec taskset -c 1 influxd "$@"\n', { mode: 0o755 });
  return path;
}
