// From the suites' raw runs to the summary (medians with their spread, ratios within each round) and the issues'
// targets; format.mjs turns both into the Markdown tables that `npm run bench` prints and the README quotes.
import { counts, mb, ms, n, pc, x } from './format-values.mjs';
import { summary } from './stats.mjs';

export const NAMES = {
  service: 'HomeIQ Ingest, defaults',
  serviceLarge: 'HomeIQ Ingest, large batches + queue',
  naive: 'naive (HAWS + Point/WriteApi, our schema)',
  minimal: 'minimal (HAWS + Point/WriteApi, 4 tags, 4 fields)',
  parseOnly: 'parse-only ceiling',
};
/** The service's variants, and what each is compared with (ratios within each round). */
export const SERVICES = ['service', 'serviceLarge'];
const BASES = ['naive', 'minimal', 'parseOnly'];
const VS = { naive: 'vsNaive', minimal: 'vsMinimal', parseOnly: 'vsParseOnly' };
/** INFLUXDB_MAX_PENDING_POINTS of each variant (apps/ingestion/src/config/variables.ts, pipelines.mjs). */
export const QUEUE_BOUND = { service: 20_000, serviceLarge: 1_000_000 };

const pick = (runs, key) => summary(runs.map((r) => r[key]));
const perRound = (a, b, key) => summary(a.map((run, i) => run[key] / (b[i]?.[key] ?? Number.NaN)));

function saturationFigures(runs) {
  return {
    eventsPerSecond: pick(runs, 'eventsPerSecond'),
    eventsPerCpuSecond: pick(runs, 'eventsPerCpuSecond'),
    cpuSecondsPer100k: pick(runs, 'cpuSecondsPer100k'),
    peakRssMb: pick(runs, 'peakRssMb'),
    busyShare: pick(runs, 'busyShare'),
    cpuWaitShare: pick(runs, 'cpuWaitShare'),
    simBusyShare: pick(runs, 'simBusyShare'),
    simCpuWaitShare: pick(runs, 'simCpuWaitShare'),
    written: runs.map((r) => `${r.written}/${r.events}`),
    allWritten: runs.every((r) => r.written >= r.events),
    ...(runs[0]?.maxSpooled !== undefined && {
      maxSpooled: Math.max(...runs.map((r) => r.maxSpooled)),
      maxQueuedInMemory: Math.max(...runs.map((r) => r.maxQueuedInMemory)),
    }),
  };
}

/**
 * Same-round ratios of each service variant to each baseline that ran: events/s (`wall`) and events per
 * CPU-second (`cpu`), and peak RSS to minimal's. `{ service: { vsNaive: { wall, cpu }, …, rssVsMinimal }, … }`.
 */
function ratiosOf(byPipeline, bases) {
  const out = {};
  for (const name of SERVICES) {
    const runs = byPipeline[name];
    if (runs === undefined) continue;
    out[name] = {};
    for (const base of bases) {
      const other = byPipeline[base];
      if (other === undefined) continue;
      out[name][VS[base]] = {
        wall: perRound(runs, other, 'eventsPerSecond'),
        cpu: perRound(runs, other, 'eventsPerCpuSecond'),
      };
    }
    if (byPipeline.minimal) out[name].rssVsMinimal = perRound(runs, byPipeline.minimal, 'peakRssMb');
  }
  return out;
}

const mapValues = (object, f) => Object.fromEntries(Object.entries(object).map(([k, v]) => [k, f(v)]));

/** Medians, spreads and same-round ratios of every suite that ran. */
export function summarize(raw) {
  const out = {};
  if (raw.throughput) {
    const { discard, influxd } = raw.throughput;
    out.saturation = {};
    if (discard) {
      out.saturation.discard = mapValues(discard, saturationFigures);
      out.saturation.ratios = ratiosOf(discard, BASES);
    }
    if (influxd) {
      out.saturation.influxd = {
        pipelines: mapValues(influxd, saturationFigures),
        ratios: ratiosOf(influxd, ['naive', 'minimal']),
        naiveLostPoints: influxd.naive?.some((r) => r.storedInInfluxd < r.events) ?? false,
        stored: mapValues(influxd, (runs) => runs.map((r) => `${r.storedInInfluxd}/${r.events}`)),
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
    const scaleOf = (home) => ({
      entities: home.entities,
      devices: home.devices,
      startRate: home.startRate,
      healthMs: pick(home.runs, 'healthMs'),
      subscribedMs: pick(home.runs, 'subscribedMs'),
      registriesMs: pick(home.runs, 'registriesMs'),
      firstWriteMs: pick(home.runs, 'firstWriteMs'),
      idleRssMb: pick(home.runs, 'idleRssMb'),
      naiveIdleRssMb: home.naiveIdleRssMb,
      minimalIdleRssMb: home.minimalIdleRssMb,
      idleMemoryMb: home.runs.at(-1)?.idleMemoryMb,
      queries: home.queries,
    });
    out.scale = { ...scaleOf(raw.scale), small: raw.scale.small ? scaleOf(raw.scale.small) : null };
  }
  return out;
}

/**
 * The issues' targets against the summary: `{ issue, name, target, value, met, note }` (met: null when not
 * measured). Issue 20's first; issue 8's where issue 20 did not replace them with a stricter or newer figure.
 */
export function targets(s) {
  const list = [];
  const add = (issue, name, target, value, met) => list.push({ issue, name, target, value, met });
  const sat = s.saturation;
  const defaults = sat?.ratios?.service;
  if (defaults?.vsMinimal) {
    const { cpu, wall } = defaults.vsMinimal;
    add(
      20,
      'events per CPU-second ÷ minimal, defaults',
      '≥ 1.6×',
      `${x(cpu.median)} (${x(wall.median)} wall)`,
      cpu.median >= 1.6,
    );
  }
  if (defaults?.vsParseOnly) {
    const { wall, cpu } = defaults.vsParseOnly;
    add(
      20,
      'events/s ÷ parse-only ceiling, defaults',
      '≥ 80%',
      `${pc(wall.median)} (${pc(cpu.median)} per CPU-s)`,
      wall.median >= 0.8,
    );
  }
  const large = sat?.ratios?.serviceLarge?.rssVsMinimal;
  if (large) {
    const mine = sat.discard.serviceLarge.peakRssMb.median;
    add(
      20,
      'peak RSS at saturation ÷ minimal, large queue',
      '≤ 1.3×',
      `${x(large.median)} (${mb(mine)} MB vs ${mb(sat.discard.minimal.peakRssMb.median)} MB)`,
      large.median <= 1.3,
    );
  }
  for (const name of SERVICES) {
    const f = sat?.discard?.[name];
    if (!f) continue;
    add(
      20,
      `every event written at saturation, ${name === 'service' ? 'defaults' : 'large queue'}`,
      'all, none dropped',
      f.written.map(counts).join(', '),
      f.allWritten,
    );
  }
  if (s.scale) {
    add(
      20,
      `idle RSS, ${n(s.scale.entities)} entities`,
      '≤ 110 MB',
      `${mb(s.scale.idleRssMb.median)} MB`,
      s.scale.idleRssMb.median <= 110,
    );
  }
  if (s.scale?.small) {
    add(
      20,
      `idle RSS, ${n(s.scale.small.entities)} entities`,
      '≤ 70 MB',
      `${mb(s.scale.small.idleRssMb.median)} MB`,
      s.scale.small.idleRssMb.median <= 70,
    );
  }
  const at10k = s.latency?.['10000']?.service;
  if (at10k) {
    add(
      20,
      'p99 latency at 10,000 events/s, defaults',
      '≤ 24 ms',
      `${ms(at10k.p99Ms.median)} ms`,
      at10k.p99Ms.median <= 24,
    );
  }
  if (defaults?.vsNaive) {
    const { wall, cpu } = defaults.vsNaive;
    add(
      8,
      'throughput ÷ naive, defaults',
      '≥ 1.6×',
      `${x(wall.median)} wall, ${x(cpu.median)} per CPU-s`,
      wall.median >= 1.6 && cpu.median >= 1.6,
    );
  }
  if (sat?.discard?.service) {
    const perCpu = sat.discard.service.eventsPerCpuSecond.median;
    add(
      8,
      'events/s on one core, defaults',
      '≥ 85,000',
      `${n(perCpu)} per CPU-second (${n(sat.discard.service.eventsPerSecond.median)} wall)`,
      perCpu >= 85_000,
    );
  }
  if (at10k) {
    add(
      8,
      'RSS at 10,000 events/s',
      '≤ 150 MB',
      `${mb(at10k.maxRssMb.median)} MB`,
      at10k.maxRssMb.median <= 150,
    );
  }
  return list;
}
