import type { ServiceProcess } from '@homeiq/testing';

/** The parts of the service's `/health` body the scenarios read (snake_case, as the service sends it). */
export interface Health {
  readonly status: 'healthy' | 'degraded' | 'unhealthy';
  readonly reasons: readonly string[];
  readonly connection: {
    readonly current_state: string;
    readonly connection_attempts: number;
    readonly successful_connections: number;
    readonly failed_connections: number;
    /** When the last connection was set up: a gap's `to` (ha-client's `onGap`). */
    readonly last_successful: string | null;
    readonly last_error: { readonly code: string; readonly message: string; readonly at: string } | null;
    readonly next_attempt: string | null;
    readonly gaps_resynced: number;
  };
  readonly subscription: {
    readonly is_subscribed: boolean;
    readonly total_events_received: number;
    readonly events_rejected_by_reason: Readonly<Record<string, number>>;
  };
  readonly sink: {
    readonly pending: number;
    readonly spooled: number;
    readonly written: number;
    readonly dropped_by_reason: Readonly<Record<string, number>>;
    readonly circuit_state: string | null;
    readonly last_error: { readonly code: string; readonly message: string } | null;
  };
  /** What the recorder filled (gap-backfill.ts); `enabled: false` with HA_RECORDER_BACKFILL=false. */
  readonly backfill:
    | { readonly enabled: false }
    | {
        readonly enabled: true;
        /** Gaps whose fill started (counted before the recorder is read). */
        readonly gaps_filled: number;
        readonly points_recovered: number;
        readonly fallbacks_by_reason: Readonly<Record<string, number>>;
        /** Set once a fill is over. */
        readonly last_gap: {
          readonly from: string;
          readonly to: string;
          readonly entities_changed: number;
          readonly points_recovered: number;
          readonly fallbacks_by_reason: Readonly<Record<string, number>>;
          readonly requests: number;
          readonly duration_ms: number;
          readonly error: string | null;
        } | null;
        /** Points the queue dropped, read back from the recorder once it was empty (gap-resync.ts). */
        readonly lost: {
          readonly holes_filled: number;
          readonly points_recovered: number;
          readonly points_unrecovered: number;
          readonly read_failures: number;
          /** Known lost and not queued again yet (the hole being read included). */
          readonly pending_points: number;
          readonly pending_window: boolean;
        };
      };
  readonly live_stream: {
    readonly clients: number;
    readonly eventsSent: number;
    readonly refused: number;
    readonly droppedSlowClients: number;
  };
  readonly performance: { readonly memory_mb: number; readonly heap_used_mb: number };
}

/** One sample of a Prometheus text exposition: name, labels, value. */
export interface MetricSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** The service's `/metrics`, parsed. */
export interface Metrics {
  readonly samples: readonly MetricSample[];
  /** Sum of every sample of `name` whose labels include `labels`; 0 when there is none. */
  value(name: string, labels?: Readonly<Record<string, string>>): number;
  /** `{ label value: sample value }` of `name`, keyed by one label (e.g. `reason`), zero values left out. */
  byLabel(name: string, label: string): Record<string, number>;
}

/** Reads `/health` (any status: 503 answers carry the same body). */
export function readHealth(service: ServiceProcess): Promise<Health> {
  return service.get<Health>('/health');
}

/** Reads and parses `/metrics`. */
export async function readMetrics(service: ServiceProcess): Promise<Metrics> {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  return parseMetrics(text);
}

const SAMPLE = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/;
const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;

/** Parses the Prometheus text format (the subset prom-client writes). */
export function parseMetrics(text: string): Metrics {
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key = '', value = ''] of (match[2] ?? '').matchAll(LABEL)) labels[key] = value;
    samples.push({ name: match[1] ?? '', labels, value: Number(match[3]) });
  }
  const matching = (name: string, labels: Readonly<Record<string, string>>) =>
    samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return {
    samples,
    value: (name, labels = {}) => matching(name, labels).reduce((sum, s) => sum + s.value, 0),
    byLabel(name, label) {
      const out: Record<string, number> = {};
      for (const s of matching(name, {})) {
        const key = s.labels[label] ?? '';
        if (s.value !== 0) out[key] = (out[key] ?? 0) + s.value;
      }
      return out;
    },
  };
}
