// The InfluxDB endpoint of the end-to-end benchmarks, in its own process. Accepts `/api/v2/write` and `/write`,
// gunzips and counts lines, then either answers 204 and keeps nothing ("discard": the ceiling of a pipeline's own
// code, no storage), or with `--forward <influxd url>` passes the write on to a real influxd 1.x (a v2 write
// becomes `/write?db=<bucket>`, as InfluxDB 1.8's compatibility API does) and answers with influxd's answer.
// Either way it records when each write was acknowledged, so every pipeline is timed at the same place.
// With latency on, it reads each line's timestamp (at the request's `precision`) and records
// `arrival − timestamp` in ms: for our points the timestamp is the event's `time_fired`, so this is the
// end-to-end latency up to the write being acknowledged (both clocks are this machine's).
// Prints `{ url }` as one JSON line; control paths:
//   POST /reset?latency=0|1   zero the counters (and the samples), turn latency sampling on or off
//   GET  /stats               { requests, lines, bytes, timeline: [[ms, lines], …], latencyMs: {…} }
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';

const { values } = parseArgs({ options: { forward: { type: 'string' } } });
const forward = values.forward === undefined ? undefined : new URL(values.forward);
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
const V1_PRECISION = { ns: 'n', us: 'u', ms: 'ms', s: 's' };

const TO_MS = { ns: 1e-6, us: 1e-3, ms: 1, s: 1e3 };
let state = fresh(false);

function fresh(latency) {
  return {
    latency,
    requests: 0,
    failed: 0,
    lines: 0,
    bytes: 0,
    // One entry per write: when it was acknowledged and the lines acknowledged so far.
    timeline: [],
    samples: new Float64Array(latency ? 1 << 20 : 0),
    sampleCount: 0,
  };
}

function now() {
  return performance.timeOrigin + performance.now();
}

/** Counts lines; with latency on, records each line's age. No string is made: it scans the bytes. */
function consume(body, precision, arrivedMs) {
  let lines = 0;
  let start = 0;
  const end = body.length;
  const scale = TO_MS[precision] ?? TO_MS.ns;
  while (start < end) {
    let eol = body.indexOf(10, start);
    if (eol === -1) eol = end;
    if (eol > start) {
      lines++;
      if (state.latency) sample(body, start, eol, scale, arrivedMs);
    }
    start = eol + 1;
  }
  return lines;
}

function sample(body, start, eol, scale, arrivedMs) {
  const space = body.lastIndexOf(32, eol - 1);
  if (space < start) return;
  let ts = 0;
  for (let i = space + 1; i < eol; i++) {
    const digit = body[i] - 48;
    if (digit < 0 || digit > 9) return;
    ts = ts * 10 + digit;
  }
  if (state.sampleCount === state.samples.length) {
    const grown = new Float64Array(state.samples.length * 2);
    grown.set(state.samples);
    state.samples = grown;
  }
  state.samples[state.sampleCount++] = arrivedMs - ts * scale;
}

function acknowledged(lines) {
  state.requests++;
  state.lines += lines;
  state.timeline.push([now(), state.lines]);
}

/** Forwards a write to influxd 1.x; a v2 write goes to `/write` with the bucket as the database. */
function relay(url, body, gzip, done) {
  const target = new URL('/write', forward);
  if (url.pathname === '/write') target.search = url.search;
  else {
    const [db, rp] = (url.searchParams.get('bucket') ?? '').split('/');
    target.searchParams.set('db', db ?? '');
    if (rp) target.searchParams.set('rp', rp);
    target.searchParams.set('precision', V1_PRECISION[url.searchParams.get('precision') ?? 'ns'] ?? 'n');
  }
  const headers = { 'content-type': 'text/plain; charset=utf-8', 'content-length': body.length };
  if (gzip) headers['content-encoding'] = 'gzip';
  const out = http.request(target, { method: 'POST', agent, headers }, (answer) => {
    const parts = [];
    answer.on('data', (chunk) => parts.push(chunk));
    answer.on('end', () =>
      done(answer.statusCode ?? 502, { 'content-type': 'application/json' }, Buffer.concat(parts)),
    );
  });
  out.on('error', (error) => done(502, { 'content-type': 'text/plain' }, String(error)));
  out.end(body);
}

function latencySummary() {
  const n = state.sampleCount;
  if (n === 0) return null;
  const sorted = state.samples.slice(0, n).sort();
  const at = (q) => sorted[Math.min(n - 1, Math.floor(q * n))];
  return { count: n, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[n - 1] };
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/api/v2/write' || url.pathname === '/write') {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const precision = url.searchParams.get('precision') ?? 'ns';
      const gzip = req.headers['content-encoding'] === 'gzip';
      const count = (arrivedMs) => {
        state.bytes += raw.length;
        return consume(gzip ? zlib.gunzipSync(raw) : raw, precision, arrivedMs);
      };
      if (forward === undefined) {
        acknowledged(count(now()));
        res.writeHead(204);
        res.end();
      } else {
        relay(url, raw, gzip, (status, headers, answer) => {
          // Timed when influxd answered: that is when the write is acknowledged.
          if (status === 204) acknowledged(count(now()));
          else state.failed++;
          res.writeHead(status, headers);
          res.end(answer);
        });
      }
    });
    return;
  }
  if (url.pathname === '/ping') {
    res.writeHead(204);
    res.end();
    return;
  }
  if (url.pathname === '/reset' && req.method === 'POST') {
    state = fresh(url.searchParams.get('latency') === '1');
    res.writeHead(204);
    res.end();
    return;
  }
  if (url.pathname === '/stats') {
    const { requests, failed, lines, bytes, timeline } = state;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ requests, failed, lines, bytes, timeline, latencyMs: latencySummary() }));
    return;
  }
  res.writeHead(404);
  res.end();
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${address.port}` }) + '\n');
});
process.on('SIGTERM', () => process.exit(0));
