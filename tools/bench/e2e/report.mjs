// From the suites' raw runs to the summary (medians with their spread, ratios within each round, the issue's
// targets) and to the Markdown tables that `npm run bench` prints and the README quotes.
import { summary } from './stats.mjs';

const NAMES = {
  service: 'HomeIQ Ingest',
  naive: 'naive (HAWS + Point/WriteApi)',
  parseOnly: 'parse-only ceiling',
};
const pick = (runs, key) => summary(runs.map((r) => r[key]));
const perRound = (a, b, key) => summary(a.map((run, i) => run[key] / (b[i]?.[key] ?? Number.NaN)));

function saturationFigures(runs) {
  return {
    eventsPerSecond: pick(runs, 'eventsPerSecond'),
    eventsPerCpuSecond: pick(runs, 'eventsPerCpuSecond'),
    cpuSecondsPer100k: pick(runs, 'cpuSecondsPer100k'),
    peakRssMb: pick(runs, 'peakRssMb'),
    written: runs.map((r) => `${r.written}/${r.events}`),
    ...(runs[0]?.maxSpooled !== undefined && {
      maxSpooled: Math.max(...runs.map((r) => r.maxSpooled)),
      maxQueuedInMemory: Math.max(...runs.map((r) => r.maxQueuedInMemory)),
    }),
  };
}

/** Medians, spreads and same-round ratios of every suite that ran. */
export function summarize(raw) {
  const out = {};
  if (raw.throughput) {
    const { discard, influxd } = raw.throughput;
    out.saturation = {};
    if (discard) {
      Object.assign(out.saturation, {
        discard: Object.fromEntries(Object.entries(discard).map(([k, runs]) => [k, saturationFigures(runs)])),
        ratios: {
          wall: {
            vsNaive: perRound(discard.service, discard.naive, 'eventsPerSecond'),
            vsParseOnly: perRound(discard.service, discard.parseOnly, 'eventsPerSecond'),
          },
          cpu: {
            vsNaive: perRound(discard.service, discard.naive, 'eventsPerCpuSecond'),
            vsParseOnly: perRound(discard.service, discard.parseOnly, 'eventsPerCpuSecond'),
          },
        },
      });
    }
    if (influxd) {
      out.saturation.influxd = {
        service: saturationFigures(influxd.service),
        naive: saturationFigures(influxd.naive),
        ratios: {
          wall: perRound(influxd.service, influxd.naive, 'eventsPerSecond'),
          cpu: perRound(influxd.service, influxd.naive, 'eventsPerCpuSecond'),
        },
        naiveLostPoints: influxd.naive.some((r) => r.storedInInfluxd < r.events),
        stored: Object.fromEntries(
          ['service', 'naive'].map((k) => [k, influxd[k].map((r) => `${r.storedInInfluxd}/${r.events}`)]),
        ),
      };
    }
  }
  if (raw.latency) {
    out.latency = {};
    for (const [rate, byPipeline] of Object.entries(raw.latency)) {
      out.latency[rate] = {};
      for (const [name, runs] of Object.entries(byPipeline)) {
        const lat = (key) => summary(runs.map((r) => r.latencyMs?.[key] ?? Number.NaN));
        out.latency[rate][name] = {
          p50Ms: lat('p50'),
          p99Ms: lat('p99'),
          maxMs: lat('max'),
          maxRssMb: pick(runs, 'maxRssMb'),
          cpuSecondsPer100k: pick(runs, 'cpuSecondsPer100k'),
          slowClientCloses: runs.reduce((n, r) => n + r.slowClientCloses, 0),
          written: runs.map((r) => `${r.written}/${r.events}`),
        };
      }
    }
  }
  if (raw.scale) {
    const runs = raw.scale.runs;
    out.scale = {
      entities: raw.scale.entities,
      devices: raw.scale.devices,
      startRate: raw.scale.startRate,
      healthMs: pick(runs, 'healthMs'),
      subscribedMs: pick(runs, 'subscribedMs'),
      registriesMs: pick(runs, 'registriesMs'),
      firstWriteMs: pick(runs, 'firstWriteMs'),
      idleRssMb: pick(runs, 'idleRssMb'),
      naiveIdleRssMb: raw.scale.naiveIdleRssMb,
      idleMemoryMb: runs.at(-1)?.idleMemoryMb,
      queries: raw.scale.queries,
    };
  }
  return out;
}

/** The targets against the summary: `{ name, target, value, met }` (met: null when not measured). */
export function targets(s, { batchTimeoutMs }) {
  const list = [];
  const add = (name, target, value, met, note = '') => list.push({ name, target, value, met, note });
  const sat = s.saturation;
  if (sat?.discard) {
    const { wall, cpu } = sat.ratios;
    add(
      'throughput vs naive',
      '≥ 1.6×',
      `${x(wall.vsNaive.median)} wall, ${x(cpu.vsNaive.median)} per CPU-s`,
      wall.vsNaive.median >= 1.6 && cpu.vsNaive.median >= 1.6,
    );
    add(
      'throughput vs parse-only ceiling',
      '≥ 75%',
      `${pc(wall.vsParseOnly.median)} wall, ${pc(cpu.vsParseOnly.median)} per CPU-s`,
      wall.vsParseOnly.median >= 0.75 && cpu.vsParseOnly.median >= 0.75,
    );
    const perCpu = sat.discard.service.eventsPerCpuSecond.median;
    add(
      'events/s on one core',
      '≥ 85,000',
      `${n(perCpu)} per CPU-second (${n(sat.discard.service.eventsPerSecond.median)} wall)`,
      perCpu >= 85_000,
    );
  }
  const at10k = s.latency?.['10000']?.service;
  if (at10k) {
    const limit = batchTimeoutMs + 100;
    add(
      'p99 latency at 10,000 events/s',
      `≤ ${n(limit)} ms`,
      `${ms(at10k.p99Ms.median)} ms`,
      at10k.p99Ms.median <= limit,
    );
    add(
      'RSS at 10,000 events/s',
      '≤ 150 MB',
      `${mb(at10k.maxRssMb.median)} MB`,
      at10k.maxRssMb.median <= 150,
    );
  }
  if (s.scale) {
    add(
      `idle RSS, ${n(s.scale.entities)} entities`,
      '≤ 100 MB',
      `${mb(s.scale.idleRssMb.median)} MB`,
      s.scale.idleRssMb.median <= 100,
    );
  }
  return list;
}

const n = (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en') : '–');
const x = (v) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : '–');
const pc = (v) => (Number.isFinite(v) ? `${Math.round(v * 100)}%` : '–');
const mb = (v) => (Number.isFinite(v) ? v.toFixed(0) : '–');
const ms = (v) => (!Number.isFinite(v) ? '–' : v < 10 ? v.toFixed(1) : Math.round(v).toLocaleString('en'));
/** `median (min–max)` when there was more than one run. */
const spread = (s, f) => (s.runs > 1 ? `${f(s.median)} (${f(s.min)}–${f(s.max)})` : f(s.median));

function table(header, rows) {
  const lines = [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
  ];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

/** The Markdown the runner prints (and the README quotes). */
export function formatReport(s, meta, targetList) {
  const parts = [];
  const sat = s.saturation;
  if (sat?.discard) {
    parts.push(
      `**Saturation** — ${n(meta.options.events)} events per run in closed loop (${n(meta.options.entities)}-entity home, ` +
        `~${n(meta.eventBytes)} B/event), to the discard endpoint; median (min–max) of ${meta.options.runs} run(s)`,
    );
    const rows = Object.entries(sat.discard).map(([k, f]) => [
      NAMES[k],
      spread(f.eventsPerSecond, n),
      spread(f.eventsPerCpuSecond, n),
      spread(f.cpuSecondsPer100k, (v) => v.toFixed(2)),
      spread(f.peakRssMb, mb),
    ]);
    parts.push(
      table(
        ['pipeline', 'events/s (wall)', 'events per CPU-second', 'CPU-s per 100k events', 'peak RSS MB'],
        rows,
      ),
    );
    const service = sat.discard.service;
    if (service?.maxQueuedInMemory !== undefined) {
      parts.push(
        `The service's queue held up to ${n(service.maxQueuedInMemory)} points in memory (bound: 20,000) and ` +
          `${n(service.maxSpooled)} in its on-disk spool (/health read every 100 ms).`,
      );
    }
    const { wall, cpu } = sat.ratios;
    parts.push(
      `HomeIQ Ingest ÷ naive: ${spread(wall.vsNaive, x)} wall, ${spread(cpu.vsNaive, x)} per CPU-second. ` +
        `HomeIQ Ingest ÷ parse-only: ${spread(wall.vsParseOnly, pc)} wall, ${spread(cpu.vsParseOnly, pc)} per CPU-second ` +
        '(ratios taken within each round, then the median).',
    );
  }
  if (sat?.influxd) {
    const i = sat.influxd;
    parts.push(
      `**Into a real influxd ${meta.influxdVersion ?? ''}** (through a relay that times acknowledgements), ${meta.options.influxdRuns} run(s)`,
    );
    parts.push(
      table(
        [
          'pipeline',
          'events/s (wall)',
          'events per CPU-second',
          'CPU-s per 100k events',
          'peak RSS MB',
          'points stored / events',
        ],
        ['service', 'naive'].map((k) => [
          NAMES[k],
          spread(i[k].eventsPerSecond, n),
          spread(i[k].eventsPerCpuSecond, n),
          spread(i[k].cpuSecondsPer100k, (v) => v.toFixed(2)),
          spread(i[k].peakRssMb, mb),
          i.stored[k].join(', '),
        ]),
      ),
    );
    parts.push(
      `HomeIQ Ingest ÷ naive into influxd: ${spread(i.ratios.wall, x)} wall, ${spread(i.ratios.cpu, x)} per CPU-second.`,
    );
    if (i.naiveLostPoints) {
      parts.push(
        'The naive client stamps points with `new Date(time_fired)` (milliseconds): two changes of one entity ' +
          'within a millisecond get the same series and time, and InfluxDB keeps only the last one (frequent in ' +
          "the simulator's 1,000-event bursts, rarer but real in a home). The service writes microseconds.",
      );
    }
  }
  if (s.latency) {
    parts.push(
      `**Latency** — \`time_fired\` → write acknowledged, at fixed rates for ${meta.options.latencySeconds} s, ` +
        `median (min–max) of ${meta.options.runs} run(s); service defaults (BATCH_SIZE 100, BATCH_TIMEOUT 5 s), ` +
        'naive with the client defaults (batches of 1000, flush every 60 s)',
    );
    const rows = [];
    for (const [rate, byPipeline] of Object.entries(s.latency)) {
      for (const [k, f] of Object.entries(byPipeline)) {
        rows.push([
          NAMES[k],
          n(Number(rate)),
          spread(f.p50Ms, ms),
          spread(f.p99Ms, ms),
          spread(f.maxRssMb, mb),
          spread(f.cpuSecondsPer100k, (v) => v.toFixed(2)),
        ]);
      }
    }
    parts.push(table(['pipeline', 'events/s', 'p50 ms', 'p99 ms', 'RSS MB (max)', 'CPU-s per 100k'], rows));
  }
  if (s.scale) {
    const sc = s.scale;
    parts.push(
      `**Scale** — ${n(sc.entities)} entities, ${n(sc.devices)} devices; times from the service's spawn ` +
        `(the simulator streams ${n(sc.startRate)} events/s throughout), ${sc.idleRssMb.runs} run(s)`,
    );
    parts.push(
      table(
        [
          '/health answers',
          'subscribed',
          'registries loaded',
          'first write acknowledged',
          'idle RSS MB',
          'naive idle RSS MB',
        ],
        [
          [
            spread(sc.healthMs, n) + ' ms',
            spread(sc.subscribedMs, n) + ' ms',
            spread(sc.registriesMs, n) + ' ms',
            spread(sc.firstWriteMs, n) + ' ms',
            spread(sc.idleRssMb, mb),
            mb(sc.naiveIdleRssMb),
          ],
        ],
      ),
    );
    const m = sc.idleMemoryMb;
    if (m) {
      parts.push(
        `Idle RSS of the last run by mapping: the node executable ${mb(m.nodeBinary)} MB, anonymous (mostly the V8 ` +
          `heap; ${mb(m.v8HeapUsed)} MB of it in use) ${mb(m.anonymous)} MB, malloc heap (SQLite, zlib, buffers) ` +
          `${mb(m.mallocHeap)} MB, other ${mb(m.other)} MB.`,
      );
    }
    if (sc.queries) {
      parts.push(
        table(
          ['registry query', 'median ms', 'p95 ms', 'response KB'],
          Object.entries(sc.queries).map(([path, q]) => [
            `\`GET ${path}\``,
            ms(q.median),
            ms(q.p95),
            (q.bytes / 1024).toFixed(0),
          ]),
        ),
      );
    }
  }
  if (targetList.length > 0) {
    parts.push('**Targets** (issue 8)');
    parts.push(
      table(
        ['target', 'wanted', 'measured', 'met'],
        targetList.map((t) => [t.name, t.target, t.value, t.met === null ? '–' : t.met ? 'yes' : '**no**']),
      ),
    );
  }
  parts.push(
    `Node ${meta.node}, ${meta.cpus} × ${meta.cpuModel}; pipeline pinned to CPU 0, simulator and sink on CPU 1 ` +
      `(taskset: ${meta.taskset ? 'yes' : 'no'}); load average ${meta.loadBefore} before, ${meta.loadAfter} after. ` +
      'The machine is shared: wall-clock figures move with other load; the per-CPU-second figures are steadier.',
  );
  return parts.join('\n\n');
}
