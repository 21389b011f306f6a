// The Markdown that `npm run bench` prints (and the README quotes), from report.mjs's summary and targets.
import { counts, mb, ms, n, pc, spread, x } from './format-values.mjs';
import { NAMES, QUEUE_BOUND, SERVICES } from './report.mjs';

const cpu100k = (v) => v.toFixed(2);

/** A Markdown table; the first `textColumns` columns are left-aligned, the figures after them right-aligned. */
function table(header, rows, textColumns = 1) {
  const lines = [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i < textColumns ? ' --- ' : ' ---: ')).join('|')}|`,
  ];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

const deflateWord = (on) => `permessage-deflate ${on ? 'on' : 'off'}`;

/** One row per pipeline: rates, CPU, memory, the service's queue, and what reached the sink. */
function saturationTable(byPipeline, stored) {
  const header = [
    'pipeline',
    'events/s (wall)',
    'events per CPU-second',
    'CPU-s per 100k events',
    'peak RSS MB',
    'max queued in memory / spooled',
    stored ? 'points stored / events' : 'written / events',
  ];
  const rows = Object.entries(byPipeline).map(([k, f]) => [
    NAMES[k] ?? k,
    spread(f.eventsPerSecond, n),
    spread(f.eventsPerCpuSecond, n),
    spread(f.cpuSecondsPer100k, cpu100k),
    spread(f.peakRssMb, mb),
    f.maxQueuedInMemory === undefined
      ? '–'
      : `${n(f.maxQueuedInMemory)} (bound ${n(QUEUE_BOUND[k])}) / ${n(f.maxSpooled)}`,
    (stored?.[k] ?? f.written).map(counts).join(', '),
  ]);
  return table(header, rows);
}

/** Each service variant ÷ each baseline, per measure; ratios taken within each round, then median (min–max). */
function ratioTable(ratios) {
  const bases = [
    ['vsNaive', 'naive', x],
    ['vsMinimal', 'minimal', x],
    ['vsParseOnly', 'parse-only', pc],
  ].filter(([key]) => Object.values(ratios).some((r) => r[key] !== undefined));
  const rows = [];
  for (const name of SERVICES) {
    const r = ratios[name];
    if (r === undefined) continue;
    const label = NAMES[name];
    rows.push([label, 'events/s', ...bases.map(([key, , f]) => (r[key] ? spread(r[key].wall, f) : '–'))]);
    rows.push([
      label,
      'events per CPU-second',
      ...bases.map(([key, , f]) => (r[key] ? spread(r[key].cpu, f) : '–')),
    ]);
    if (r.rssVsMinimal) {
      rows.push([
        label,
        'peak RSS',
        ...bases.map(([key]) => (key === 'vsMinimal' ? spread(r.rssVsMinimal, x) : '–')),
      ]);
    }
  }
  return table(['HomeIQ Ingest', 'measure', ...bases.map(([, word]) => `÷ ${word}`)], rows, 2);
}

/** Per pipeline: how much of its runs it, and the simulator feeding it, spent on a CPU and waiting for one. */
function cpuShares(byPipeline) {
  const rows = Object.entries(byPipeline).map(([k, f]) => [
    NAMES[k] ?? k,
    spread(f.busyShare, pc),
    spread(f.cpuWaitShare, pc),
    spread(f.simBusyShare, pc),
    spread(f.simCpuWaitShare, pc),
  ]);
  return table(
    [
      'per second of the run (all threads)',
      'pipeline on a CPU',
      'pipeline waiting for one',
      'simulator on a CPU',
      'simulator waiting',
    ],
    rows,
  );
}

function saturationSection(sat, meta) {
  const parts = [];
  const o = meta.options;
  if (sat.discard) {
    parts.push(
      `**Saturation** — ${n(o.events)} events per run in closed loop (${n(o.entities)}-entity home, ` +
        `~${n(meta.eventBytes)} B/event, coalesced frames, ${deflateWord(o.deflate.saturation)}), to the discard ` +
        `endpoint; median (min–max) of ${o.runs} run(s), the pipelines interleaved in each round`,
    );
    parts.push(saturationTable(sat.discard));
    parts.push(
      'Large batches + queue: `BATCH_SIZE=5000 INFLUXDB_MAX_PENDING_POINTS=1000000`. Queue: the most points ' +
        '`/health` showed in memory and in the on-disk spool (read every 100 ms). Written: lines acknowledged once ' +
        'the process stopped (it flushes on SIGTERM). The minimal pipeline writes nothing for a removed entity ' +
        "(new_state null, 0.1% of the simulator's changes), as HA's influxdb integration does.",
    );
    parts.push(
      'Where the time went, from the stream start to the last write: a pipeline well below 100% on a CPU was ' +
        'waiting for its input or its writes; long waits for a CPU mean other load (or its own threads, which ' +
        'share one CPU) held it back, and a simulator near 100% or waiting long set the pace itself.',
    );
    parts.push(cpuShares(sat.discard));
    if (Object.keys(sat.ratios).length > 0) {
      parts.push(
        '**Ratios**, HomeIQ Ingest ÷ each baseline, taken within each round, then median (min–max):',
      );
      parts.push(ratioTable(sat.ratios));
    }
  }
  if (sat.influxd) {
    const { pipelines, ratios, stored, naiveLostPoints } = sat.influxd;
    parts.push(
      `**Into a real influxd ${meta.influxdVersion ?? ''}** (through a relay that times acknowledgements), ` +
        `${o.influxdRuns} run(s), same events`,
    );
    parts.push(saturationTable(pipelines, stored));
    if (Object.keys(ratios).length > 0) {
      parts.push('Into influxd, HomeIQ Ingest ÷ each baseline, within each round, then median (min–max):');
      parts.push(ratioTable(ratios));
    }
    if (naiveLostPoints) {
      parts.push(
        'The naive client stamps points with `new Date(time_fired)` (milliseconds): two changes of one entity ' +
          'within a millisecond get the same series and time, and InfluxDB keeps only the last one (frequent in ' +
          "the simulator's 1,000-event bursts, rarer but real in a home). The service and the minimal pipeline " +
          'write microseconds.',
      );
    }
  }
  return parts;
}

function latencySection(latency, meta) {
  const o = meta.options;
  const rows = [];
  for (const [rate, byPipeline] of Object.entries(latency)) {
    for (const [k, f] of Object.entries(byPipeline)) {
      rows.push([
        NAMES[k] ?? k,
        n(Number(rate)),
        spread(f.p50Ms, ms),
        spread(f.p99Ms, ms),
        spread(f.maxRssMb, mb),
        spread(f.cpuSecondsPer100k, cpu100k),
      ]);
    }
  }
  return [
    `**Latency** — \`time_fired\` → write acknowledged, at fixed rates for ${o.latencySeconds} s ` +
      `(${deflateWord(o.deflate.latency)}), median (min–max) of ${o.runs} run(s); service defaults (BATCH_SIZE ` +
      '100, BATCH_TIMEOUT 5 s), naive with the client defaults (batches of 1000, flush every 60 s)',
    table(['pipeline', 'events/s', 'p50 ms', 'p99 ms', 'RSS MB (max)', 'CPU-s per 100k'], rows),
  ];
}

function scaleSection(scale, meta) {
  const parts = [];
  const homes = [scale, scale.small].filter((home) => home);
  parts.push(
    `**Scale** — times from the service's spawn (the simulator streams ${n(scale.startRate)} events/s ` +
      `throughout, ${deflateWord(meta.options.deflate.scale)}); idle RSS after ${n(meta.options.idleMs / 1000)} s ` +
      `without events; ${scale.idleRssMb.runs} run(s) per home`,
  );
  parts.push(
    table(
      [
        'home',
        '/health answers',
        'subscribed',
        'registries loaded',
        'first write acknowledged',
        'idle RSS MB',
        'naive idle RSS MB',
        'minimal idle RSS MB',
      ],
      homes.map((h) => [
        `${n(h.entities)} entities, ${n(h.devices)} devices`,
        spread(h.healthMs, n) + ' ms',
        spread(h.subscribedMs, n) + ' ms',
        spread(h.registriesMs, n) + ' ms',
        spread(h.firstWriteMs, n) + ' ms',
        spread(h.idleRssMb, mb),
        mb(h.naiveIdleRssMb),
        mb(h.minimalIdleRssMb),
      ]),
    ),
  );
  for (const h of homes) {
    const m = h.idleMemoryMb;
    if (!m) continue;
    parts.push(
      `Idle RSS of the last run with ${n(h.entities)} entities by mapping: the node executable ` +
        `${mb(m.nodeBinary)} MB, anonymous (mostly the V8 heap; ${mb(m.v8HeapUsed)} MB of it in use) ` +
        `${mb(m.anonymous)} MB, malloc heap (SQLite, zlib, buffers) ${mb(m.mallocHeap)} MB, other ${mb(m.other)} MB.`,
    );
  }
  if (scale.queries) {
    parts.push(
      table(
        [`registry query (${n(scale.entities)} entities)`, 'median ms', 'p95 ms', 'response KB'],
        Object.entries(scale.queries).map(([path, q]) => [
          `\`GET ${path}\``,
          ms(q.median),
          ms(q.p95),
          (q.bytes / 1024).toFixed(0),
        ]),
      ),
    );
  }
  return parts;
}

/** The Markdown the runner prints (and the README quotes). */
export function formatReport(s, meta, targetList) {
  const parts = [];
  if (s.saturation) parts.push(...saturationSection(s.saturation, meta));
  if (s.latency) parts.push(...latencySection(s.latency, meta));
  if (s.scale) parts.push(...scaleSection(s.scale, meta));
  if (targetList.length > 0) {
    parts.push('**Targets** (issue 20, then those of issue 8 it did not replace)');
    parts.push(
      table(
        ['issue', 'target', 'wanted', 'measured', 'met'],
        targetList.map((t) => [
          String(t.issue),
          t.name,
          t.target,
          t.value,
          t.met === null ? '–' : t.met ? 'yes' : '**no**',
        ]),
        4,
      ),
    );
  }
  parts.push(
    `Commit ${meta.commit || 'unknown'}${meta.dirty ? ' with uncommitted changes in apps/ or libs/' : ''}. ` +
      `Node ${meta.node}, ${meta.cpus} × ${meta.cpuModel}; pipeline pinned to CPU 0, simulator and sink on CPU 1 ` +
      `(taskset: ${meta.taskset ? 'yes' : 'no'}); load average ${meta.loadBefore} before, ${meta.loadAfter} after. ` +
      'The machine is shared: wall-clock figures move with other load; the per-CPU-second figures are steadier.',
  );
  return parts.join('\n\n');
}
