// The import benchmark (issue 15): `npm run backfill` imports `--days` days of a `--entities`-entity home from the
// simulator's recorder, as a user runs it (`node apps/ingestion/dist/backfill/cli.js --since … --until …`, the
// command `npm run backfill` runs, with the configuration in the environment), and reports its rate, CPU and peak
// memory and the load it put on the simulated HA. Then, on a real InfluxDB 2.8, an import is SIGKILLed half-way,
// run again, and what InfluxDB holds is compared, entity by entity and microsecond by microsecond, with the
// recorder's rows of the window. Baseline of the same run: a minimal client reading the same rows with the same
// entity chunks but one request per chunk for the whole window and no pause.
//
// Usage (after `npx nx run-many -t build -p ingestion,ha-sim,testing`):
//   node tools/bench/backfill/import.mjs [--entities 300] [--days 10] [--sink discard,influxd2] [--pause-ms N]
//                                        [--kill-at 0.5] [--out FILE]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import { loadModule, ROOT } from '../e2e/paths.mjs';
import {
  cpuSeconds,
  getJson,
  HAS_TASKSET,
  memoryMb,
  nextJsonLine,
  sleep,
  spawnNode,
} from '../e2e/processes.mjs';
import { connectHa, latencySummary, startProbe } from './ha-probe.mjs';

const { values } = parseArgs({
  options: {
    entities: { type: 'string', default: '300' },
    days: { type: 'string', default: '10' },
    sink: { type: 'string', default: 'discard,influxd2' },
    'pause-ms': { type: 'string' },
    'kill-at': { type: 'string', default: '0.5' },
    out: { type: 'string' },
  },
});
const CLI = join(ROOT, 'apps/ingestion/dist/backfill/cli.js');
const PRELOAD = join(ROOT, 'tools/bench/backfill/rusage-preload.cjs');
const SINK_SERVER = join(ROOT, 'tools/bench/e2e/sink-server.mjs');
const SIM = join(ROOT, 'tools/bench/backfill/sim-recorder.mjs');
const ENTITIES_PER_REQUEST = 16; // what the import reads per request (import-history.ts)
const sinks = new Set(values.sink.split(','));
const days = Number(values.days);

for (const file of [CLI, join(ROOT, 'tools/ha-sim/dist/index.js'), join(ROOT, 'tools/testing/dist/index.js')])
  if (!existsSync(file))
    throw new Error(`${file} is missing: run \`npx nx run-many -t build -p ingestion,ha-sim,testing\``);

// Everything but the import runs on CPU 1 (this process, the simulator, the sinks); the import gets CPU 0.
if (HAS_TASKSET) spawnSync('taskset', ['-pc', '1', String(process.pid)]);

const log = (text) => process.stderr.write(`${text}\n`);
const round = (x, digits = 1) => (Number.isFinite(x) ? Number(x.toFixed(digits)) : x);
const mib = (bytes) => round(bytes / 1024 / 1024, 1);

log(`seeding ${days} days of ${values.entities} entities…`);
const sim = spawnNode(1, SIM, ['--entities', values.entities, '--days', values.days]);
const ha = await nextJsonLine(sim, 300_000);
const untilMs = Math.floor(ha.untilUs / 1e6) * 1000;
const sinceMs = untilMs - days * 86_400_000;
const window = { since: new Date(sinceMs).toISOString(), until: new Date(untilMs).toISOString() };
const { perEntity } = await getJson(`${ha.control}/expected?since=${sinceMs * 1000}&until=${untilMs * 1000}`);
const expectedRows = Object.values(perEntity).reduce((n, list) => n + list.length, 0);
log(
  `simulator: ${ha.entities} entities, ${ha.rows} rows seeded, ${expectedRows} in ${window.since} → ${window.until}`,
);

const simLoad = async () => ({ ...(await getJson(`${ha.control}/stats`)), cpuSeconds: cpuSeconds(sim.pid) });
const loadDelta = (before, after) => ({
  historyRequests: after.answers.requests - before.answers.requests,
  answerBytes: after.answers.bytes - before.answers.bytes,
  simCpuSeconds: round(after.cpuSeconds - before.cpuSeconds, 2),
});

/** Runs the import CLI as a user would, pinned to CPU 0, in a clean working directory (no `.env` of the repo). */
async function runCli(env, { killWhen } = {}) {
  const rusageFile = join(env.DATA_DIR, 'rusage.json');
  await rm(rusageFile, { force: true });
  const args = ['--since', window.since, '--until', window.until];
  if (values['pause-ms'] !== undefined) args.push('--pause-ms', values['pause-ms']);
  const started = performance.now();
  const proc = spawnNode(0, CLI, args, {
    nodeArgs: ['--require', PRELOAD],
    cwd: env.DATA_DIR,
    env: { PATH: process.env.PATH, ...env, BENCH_RUSAGE_FILE: rusageFile },
  });
  let stderr = '';
  proc.child.stderr.on('data', (chunk) => (stderr += chunk));
  let killed = false;
  let peakRssMb = 0;
  const watch = setInterval(async () => {
    try {
      peakRssMb = Math.max(peakRssMb, memoryMb(proc.pid).peak);
    } catch {
      // ended
    }
    if (killWhen !== undefined && !killed && (await killWhen())) {
      killed = true;
      proc.child.kill('SIGKILL');
    }
  }, 100);
  const { code, signal } = await proc.exited;
  clearInterval(watch);
  const wallSeconds = (performance.now() - started) / 1000;
  const usage = existsSync(rusageFile) ? JSON.parse(await readFile(rusageFile, 'utf8')) : undefined;
  return {
    code,
    signal,
    wallSeconds: round(wallSeconds, 1),
    cpuSeconds: usage ? round(usage.userSeconds + usage.systemSeconds, 1) : undefined,
    peakRssMb: usage ? mib(usage.peakRssBytes) : round(peakRssMb, 1),
    resumed: stderr.includes('resuming from the checkpoint'),
    output: proc.output(),
  };
}

/** The same rows as the import, read by the minimal client: one request per entity chunk, whole window, no pause. */
async function baseline() {
  const client = await connectHa(ha.wsUrl, ha.token);
  const states = (await client.command('get_states')).result;
  const ids = states.map((s) => s.entity_id).sort();
  const before = await simLoad();
  const started = performance.now();
  let rows = 0;
  let maxBytes = 0;
  for (let i = 0; i < ids.length; i += ENTITIES_PER_REQUEST) {
    const answer = await client.command('history/history_during_period', {
      start_time: window.since,
      end_time: window.until,
      entity_ids: ids.slice(i, i + ENTITIES_PER_REQUEST),
      include_start_time_state: false,
      significant_changes_only: false,
      minimal_response: false,
      no_attributes: false,
    });
    maxBytes = Math.max(maxBytes, answer.bytes);
    for (const list of Object.values(answer.result)) rows += list.length;
  }
  const wallSeconds = (performance.now() - started) / 1000;
  client.close();
  const after = await simLoad();
  return {
    rows,
    wallSeconds: round(wallSeconds, 2),
    rowsPerSecond: Math.round(rows / wallSeconds),
    maxAnswerMib: mib(maxBytes),
    ...loadDelta(before, after),
  };
}

/** Non-empty lines of a line-protocol body. */
function countLines(body) {
  let lines = 0;
  for (let from = 0; from < body.length;) {
    let eol = body.indexOf(10, from);
    if (eol === -1) eol = body.length;
    if (eol > from) lines++;
    from = eol + 1;
  }
  return lines;
}

/** A pass-through to InfluxDB 2.8 that counts the lines written through it (a resumed import rewrites some). */
async function countingRelay(target) {
  const counts = { requests: 0, lines: 0 };
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const out = http.request(
        new URL(req.url, target),
        { method: req.method, headers: { ...req.headers, host: new URL(target).host }, agent },
        (answer) => {
          if (req.url.startsWith('/api/v2/write') && answer.statusCode === 204) {
            const text = req.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(body) : body;
            counts.requests++;
            counts.lines += countLines(text);
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      out.on('error', (error) => {
        res.writeHead(502);
        res.end(String(error));
      });
      out.end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, counts, close: () => server.close() };
}

/** Every (entity, µs) InfluxDB holds as a `state` field in the window, against the recorder's rows. */
async function compareWithRecorder(influx) {
  const rows = await influx.flux(
    `from(bucket: "${influx.bucket}") |> range(start: ${window.since}, stop: ${new Date(untilMs + 1000).toISOString()}) |> filter(fn: (r) => r._field == "state") |> keep(columns: ["_time", "entity_id"])`,
  );
  const held = new Map();
  for (const row of rows) {
    const [base, fraction = ''] = row['_time'].replace('Z', '').split('.');
    const us = Date.parse(`${base}Z`) * 1000 + Number(fraction.padEnd(9, '0').slice(0, 6));
    const id = row['entity_id'];
    held.set(id, [...(held.get(id) ?? []), us]);
  }
  let missing = 0;
  let duplicated = 0;
  let unexpected = 0;
  for (const [id, expected] of Object.entries(perEntity)) {
    const got = held.get(id) ?? [];
    const counts = new Map();
    for (const us of got) counts.set(us, (counts.get(us) ?? 0) + 1);
    for (const us of expected) if (!counts.has(us)) missing++;
    const wanted = new Set(expected);
    for (const [us, n] of counts) {
      if (n > 1) duplicated += n - 1;
      if (!wanted.has(us)) unexpected += n;
    }
  }
  for (const [id, got] of held) if (!(id in perEntity)) unexpected += got.length;
  return { rowsInInflux: rows.length, expectedRows, missing, duplicated, unexpected };
}

const report = {
  command: `node tools/bench/backfill/import.mjs ${process.argv.slice(2).join(' ')}`.trim(),
  date: new Date().toISOString(),
  home: { entities: ha.entities, days, rowsInWindow: expectedRows, window },
  pauseMs: values['pause-ms'] === undefined ? 'default (50)' : Number(values['pause-ms']),
};
const dirs = [];
const newDataDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'homeiq-bench-import-'));
  dirs.push(dir);
  return dir;
};
const haEnv = { HOME_ASSISTANT_URL: ha.url, HOME_ASSISTANT_TOKEN: ha.token };
let influx;
let discard;
try {
  log('probing the simulator idle (30 s)…');
  let probe = await startProbe(ha.wsUrl, ha.token);
  await sleep(30_000);
  const idle = await probe.stop();
  report.idle = { ping: latencySummary(idle.ping), getStates: latencySummary(idle.getStates) };

  if (sinks.has('discard')) {
    discard = spawnNode(1, SINK_SERVER, []);
    const { url } = await nextJsonLine(discard);
    const env = {
      ...haEnv,
      INFLUXDB_URL: url,
      INFLUXDB_TOKEN: 'bench',
      INFLUXDB_ORG: 'bench',
      INFLUXDB_BUCKET: 'bench',
      DATA_DIR: await newDataDir(),
    };
    log('import → discard sink…');
    const before = await simLoad();
    probe = await startProbe(ha.wsUrl, ha.token);
    const run = await runCli(env);
    const during = await probe.stop();
    const after = await simLoad();
    const sink = await getJson(`${url}/stats`);
    if (run.code !== 0) throw new Error(`the import failed (${run.code}):\n${run.output}`);
    report.discard = {
      rowsWritten: sink.lines,
      complete: sink.lines === expectedRows,
      rowsPerSecond: Math.round(sink.lines / run.wallSeconds),
      wallSeconds: run.wallSeconds,
      cpuSeconds: run.cpuSeconds,
      rowsPerCpuSecond: Math.round(sink.lines / run.cpuSeconds),
      peakRssMb: run.peakRssMb,
      writes: sink.requests,
      ha: {
        ...loadDelta(before, after),
        messages: after.answers.messages - before.answers.messages,
        // Before the baseline ran: the largest answer of the import alone.
        maxAnswerKib: round(after.answers.maxMessageBytes / 1024, 1),
        simPeakRssMb: mib(after.peakRssBytes),
      },
      duringImport: { ping: latencySummary(during.ping), getStates: latencySummary(during.getStates) },
    };
    report.discard.ha.meanAnswerKib = round(
      report.discard.ha.answerBytes / report.discard.ha.messages / 1024,
      1,
    );
    log(JSON.stringify(report.discard));
  }

  log('baseline: the minimal client reads the same rows…');
  report.baseline = await baseline();
  log(JSON.stringify(report.baseline));

  if (sinks.has('influxd2')) {
    const { startInfluxd2 } = await loadModule('tools/testing');
    influx = await startInfluxd2();
    const relay = await countingRelay(influx.url);
    const env = {
      ...haEnv,
      INFLUXDB_URL: relay.url,
      INFLUXDB_TOKEN: influx.writeToken,
      INFLUXDB_ORG: influx.org,
      INFLUXDB_BUCKET: influx.bucket,
      DATA_DIR: await newDataDir(),
    };
    const killAt = Number(values['kill-at']);
    const chunks = Math.ceil(ha.entities / ENTITIES_PER_REQUEST);
    const checkpoint = join(env.DATA_DIR, 'backfill-checkpoint.json');
    let killedAtChunk;
    log(`import → InfluxDB 2.8, SIGKILL once ${Math.round(killAt * 100)}% of the entity chunks are written…`);
    const before = await simLoad();
    const first = await runCli(env, {
      killWhen: async () => {
        try {
          const cp = JSON.parse(await readFile(checkpoint, 'utf8'));
          if (cp.chunk + cp.slice / (days * 24) < killAt * chunks) return false;
          killedAtChunk = { chunk: cp.chunk, slice: cp.slice, rowsWritten: cp.rowsWritten };
          return true;
        } catch {
          return false; // not written yet, or being renamed
        }
      },
    });
    const linesBeforeKill = relay.counts.lines;
    log(`killed: ${JSON.stringify({ signal: first.signal, ...killedAtChunk, linesBeforeKill })}; resuming…`);
    const second = await runCli(env);
    const after = await simLoad();
    if (second.code !== 0) throw new Error(`the resumed import failed (${second.code}):\n${second.output}`);
    const comparison = await compareWithRecorder(influx);
    report.influxd2 = {
      killed: {
        signal: first.signal,
        wallSeconds: first.wallSeconds,
        checkpoint: killedAtChunk,
        linesBeforeKill,
      },
      resumed: {
        resumedFromCheckpoint: second.resumed,
        wallSeconds: second.wallSeconds,
        cpuSeconds: second.cpuSeconds,
        peakRssMb: second.peakRssMb,
      },
      linesSentBothRuns: relay.counts.lines,
      // Lines the killed run wrote after its last checkpoint, which the resumed run wrote again (same points).
      linesRewritten: relay.counts.lines - comparison.expectedRows,
      rowsPerSecond: Math.round(relay.counts.lines / (first.wallSeconds + second.wallSeconds)),
      ha: loadDelta(before, after),
      ...comparison,
    };
    relay.close();
    log(JSON.stringify(report.influxd2));
  }

  report.ratios = {
    ...(report.discard && {
      importWallVsBaseline: round(report.discard.wallSeconds / report.baseline.wallSeconds, 1),
      importSimCpuVsBaseline: round(report.discard.ha.simCpuSeconds / report.baseline.simCpuSeconds, 2),
      maxAnswerBaselineVsImport: round(
        (report.baseline.maxAnswerMib * 1024) / report.discard.ha.maxAnswerKib,
        0,
      ),
      pingP99DuringVsIdle: round(report.discard.duringImport.ping.p99 / report.idle.ping.p99, 2),
      getStatesP99DuringVsIdle: round(
        report.discard.duringImport.getStates.p99 / report.idle.getStates.p99,
        2,
      ),
    }),
  };
  const text = JSON.stringify(report, null, 2);
  process.stdout.write(`${text}\n`);
  if (values.out !== undefined) await writeFile(values.out, text);
} finally {
  await discard?.stop();
  await influx?.dispose();
  await sim.stop();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
}
