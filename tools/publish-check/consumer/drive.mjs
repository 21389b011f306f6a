/**
 * Runs one compiled README example in a consumer's project, against the published simulator, and prints what
 * happened as JSON: `node drive.mjs <scenario> <example.js>`. It lives in the scratch project next to the
 * examples, so `@homeiq/ha-sim` is the packed one from that project's node_modules. Each scenario plays the part
 * of Home Assistant (or of the person at the terminal) that the example needs: events, a dropped connection,
 * a rejected token, Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { startHaSim } from '@homeiq/ha-sim';

const [scenario, file] = process.argv.slice(2);
const TIMEOUT_MS = 30_000;

/** Runs `node <args>`; `onLine(line, child)` sees each stdout line as it comes. */
function run(args, env, onLine = () => undefined) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let pending = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) onLine(line, child);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

const scenarios = {
  /** No Home Assistant needed. */
  offline: () => run([file], {}),
  /** A test file that starts its own simulator. */
  'node-test': () => run(['--test', '--test-reporter=spec', file], {}),
  /** Connect, read, call a service, with a good token. */
  async live(sim) {
    const result = await run([file], { HA_URL: sim.url, HA_TOKEN: sim.token });
    return { ...result, sim: sim.stats() };
  },
  /** A token HA rejects. */
  async 'rejected-token'(sim) {
    const result = await run([file], { HA_URL: sim.url, HA_TOKEN: `${sim.token}-revoked` });
    return { ...result, sim: sim.stats() };
  },
  /** Events keep coming while the example runs for RUN_MS. */
  async stream(sim) {
    const timer = setInterval(() => sim.emitStateChanges(20), 50);
    const result = await run([file], { HA_URL: sim.url, HA_TOKEN: sim.token, RUN_MS: '1500' });
    clearInterval(timer);
    return { ...result, sim: sim.stats() };
  },
  /** HA restarts once the example is ready; events keep coming after it is back. */
  async restart(sim) {
    let timer;
    const result = await run([file], { HA_URL: sim.url, HA_TOKEN: sim.token }, (line) => {
      if (!line.startsWith('ready')) return;
      void sim.restart({ downMs: 300 }).then(() => {
        timer = setInterval(() => sim.emitStateChanges(20), 50);
      });
    });
    clearInterval(timer);
    return { ...result, sim: sim.stats() };
  },
  /** 2000 changes, then a dropped connection, then Ctrl-C once the example resynced. */
  async 'drop-then-sigint'(sim) {
    let sent = 0;
    let stored = 0;
    let dropped = false;
    const result = await run([file], { HA_URL: sim.url, HA_TOKEN: sim.token }, (line, child) => {
      if (line.startsWith('connected to Home Assistant')) {
        // whenConnected() resolved: the subscribe is sent; get_states after it makes sure HA has handled it.
        setTimeout(() => {
          sent = sim.emitStateChanges(2000);
        }, 200);
      }
      const batch = /^stored (\d+) events$/.exec(line);
      if (batch) stored += Number(batch[1]);
      if (sent > 0 && stored >= sent && !dropped) {
        dropped = true;
        sim.dropConnections(1012);
      }
      if (line.startsWith('resynced')) child.kill('SIGINT');
    });
    return { ...result, sent, stored };
  },
};

const play = scenarios[scenario];
if (play === undefined || file === undefined) {
  console.error(`usage: drive.mjs <${Object.keys(scenarios).join('|')}> <example.js>`);
  process.exit(2);
}
const needsSim = !['offline', 'node-test'].includes(scenario);
const sim = needsSim ? await startHaSim({ home: { entities: 80, seed: 19 } }) : undefined;
try {
  console.log(JSON.stringify(await play(sim)));
} finally {
  await sim?.close();
}
