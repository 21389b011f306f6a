// The processes every scenario shares, on CPU 1 (the pipeline under test has CPU 0 to itself): the simulator,
// the sink endpoint (discard, or a relay to influxd) and influxd.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from './paths.mjs';
import { getJson, HAS_TASKSET, nextJsonLine, spawnNode } from './processes.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
export const SUPPORT_CPU = 1;

/** A simulator process with a home of `entities` (and `devices`); `stream()` resolves when the stream ended. */
export async function startSim({ entities, devices, deflate = true }) {
  const args = ['--entities', String(entities), '--deflate', String(deflate)];
  if (devices !== undefined) args.push('--devices', String(devices));
  const proc = spawnNode(SUPPORT_CPU, join(HERE, 'sim-process.mjs'), args);
  const info = await nextJsonLine(proc, 120_000);
  return {
    ...info,
    pid: proc.pid,
    stream: (rate, total) =>
      getJson(`${info.control}/stream?rate=${rate}&total=${total}`, { method: 'POST' }),
    stopStreams: () => getJson(`${info.control}/stop`, { method: 'POST' }),
    stats: () => getJson(`${info.control}/stats`),
    stop: () => proc.stop(),
  };
}

/** The sink endpoint: discards, or relays to `forward` (an influxd URL). */
export async function startSink(forward) {
  const args = forward === undefined ? [] : ['--forward', forward];
  const proc = spawnNode(SUPPORT_CPU, join(HERE, 'sink-server.mjs'), args);
  const { url } = await nextJsonLine(proc, 30_000);
  return {
    url,
    reset: (latency = false) => getJson(`${url}/reset?latency=${latency ? 1 : 0}`, { method: 'POST' }),
    stats: () => getJson(`${url}/stats`),
    stop: () => proc.stop(),
  };
}

export const INFLUXD_HELP =
  'influxd (InfluxDB 1.x) was not found: install it with `sudo apt-get install influxdb` (Debian/Ubuntu), ' +
  'or set INFLUXD_BIN to its path; the influxd rows are skipped meanwhile.';

/** Whether an influxd binary can run here. */
export function hasInfluxd() {
  return spawnSync(process.env.INFLUXD_BIN ?? 'influxd', ['version']).status === 0;
}

/** A real influxd 1.x on a loopback port, pinned to CPU 1, with a `bench` database. */
export async function startBenchInfluxd(database) {
  // Imported from its own file: the package index also loads the service harness, which only runs under CommonJS.
  const { startInfluxd } = await import(join(ROOT, 'tools/testing/dist/influxd.js'));
  const binary = process.env.INFLUXD_BIN ?? 'influxd';
  let pinned = binary;
  let wrapperDir;
  if (HAS_TASKSET) {
    // influxd would otherwise inherit this process's affinity; a wrapper pins it to the support CPU.
    wrapperDir = mkdtempSync(join(tmpdir(), 'homeiq-bench-influxd-'));
    pinned = join(wrapperDir, 'influxd');
    writeFileSync(pinned, `#!/bin/sh\nexec taskset -c ${SUPPORT_CPU} ${binary} "$@"\n`, { mode: 0o755 });
  }
  const influxd = await startInfluxd({ binary: pinned });
  await influxd.query(`CREATE DATABASE ${database}`);
  const dispose = influxd.dispose;
  influxd.dispose = async () => {
    await dispose();
    if (wrapperDir !== undefined) rmSync(wrapperDir, { recursive: true, force: true });
  };
  return influxd;
}
