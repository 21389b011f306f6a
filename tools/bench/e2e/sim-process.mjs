// The simulated Home Assistant of the end-to-end benchmarks, in its own process (the runner pins it to CPU 1).
// It prints one JSON line, `{ wsUrl, url, token, control }`, then takes orders on a small HTTP control port:
//   POST /stream?rate=<n|Infinity>&total=<n>  starts a stream; answers when it is done, with the events fired
//   POST /stop                                ends the fixed-rate streams now (their /stream calls answer)
//   GET  /stats                               the simulator's counters and its connections
// Usage: node sim-process.mjs --entities 1000 --devices 250 [--deflate false]
import http from 'node:http';
import { parseArgs } from 'node:util';
import { loadModule } from './paths.mjs';

const { values } = parseArgs({
  options: {
    entities: { type: 'string', default: '1000' },
    devices: { type: 'string' },
    seed: { type: 'string', default: '1' },
    deflate: { type: 'string', default: 'true' },
  },
});
const { startHaSim } = await loadModule('tools/ha-sim');
const entities = Number(values.entities);
const sim = await startHaSim({
  home: {
    entities,
    seed: Number(values.seed),
    ...(values.devices !== undefined && { devices: Number(values.devices) }),
  },
  perMessageDeflate: values.deflate === 'true',
  // Under a saturating stream a client can be slow to answer a ping; the benchmark is not about heartbeats.
  heartbeatMs: 0,
  // The simulator's writer never leaves its drain wait (it treats ws's `null` success as an error), so the
  // benchmark does not let it block: the closed loop below keeps the same bound on what is in flight instead.
  drainLimitBytes: 2 ** 30,
  // No recorder: half a million recorded rows would grow this process's heap and its GC would share the
  // simulator's core with the stream; the live pipelines under test read no history.
  recorder: false,
});

/** Events a closed-loop turn makes, and the most a client may have buffered before the next turn. */
const BATCH = 1000;
const IN_FLIGHT_BYTES = 2 * 1024 * 1024;

/**
 * Closed loop: the next batch of `BATCH` changes is made once every subscribed client has its queue written
 * and less than `IN_FLIGHT_BYTES` unsent, so a batch is always in flight and the client sets the pace.
 */
function closedLoop(total) {
  return new Promise((resolve) => {
    let fired = 0;
    const turn = () => {
      const ready = sim
        .connections()
        .every(
          (c) => c.subscriptions === 0 || (c.pendingMessages === 0 && c.bufferedBytes < IN_FLIGHT_BYTES),
        );
      if (ready) fired += sim.emitStateChanges(Math.min(BATCH, total - fired));
      if (fired >= total) resolve(fired);
      else if (ready) setImmediate(turn);
      else setTimeout(turn, 1);
    };
    setImmediate(turn);
  });
}

const streams = new Set();
const control = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const reply = (status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.method === 'POST' && url.pathname === '/stream') {
    const rate = Number(url.searchParams.get('rate') ?? 'Infinity');
    const total = Number(url.searchParams.get('total') ?? '0');
    const startedMs = Date.now();
    let done;
    if (rate === Infinity) done = closedLoop(total);
    else {
      const handle = sim.stream({ ratePerSecond: rate, total });
      streams.add(handle);
      done = handle.done.finally(() => streams.delete(handle));
    }
    done.then(
      (fired) => reply(200, { fired, ms: Date.now() - startedMs }),
      (error) => reply(500, { error: String(error) }),
    );
    return;
  }
  if (req.method === 'POST' && url.pathname === '/stop') {
    for (const handle of streams) handle.stop();
    reply(200, { stopped: true });
    return;
  }
  if (url.pathname === '/stats') {
    reply(200, { stats: sim.stats(), connections: sim.connections(), clients: sim.clients() });
    return;
  }
  reply(404, { error: 'unknown control path' });
});
control.listen(0, '127.0.0.1', () => {
  const address = control.address();
  process.stdout.write(
    JSON.stringify({
      wsUrl: sim.wsUrl,
      url: sim.url,
      token: sim.token,
      entities: sim.home.entityIds().length,
      devices: sim.home.devices.length,
      control: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    }) + '\n',
  );
});
process.on('SIGTERM', () => {
  control.close();
  void sim.close().then(() => process.exit(0));
});
