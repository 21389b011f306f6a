import { createMetricsRegistry, registerHealthMetrics, type Health } from '@homeiq/health';
import { Counter, Gauge, type Metric, type Registry } from 'prom-client';
import type { Ingestion } from './ingestion.js';

const P = 'homeiq_';

/**
 * The service's Prometheus metrics. Every value is read from the libs' own counters at scrape time (collect
 * callbacks), so the hot path pays nothing for metrics and the figures can never drift from `/health`.
 * Counters are set to the libs' totals on each scrape (reset + inc), which prom-client permits in `collect`.
 */
export function createIngestionMetrics(ingestion: Ingestion, health: Health): Registry {
  const registry = createMetricsRegistry({ prefix: P, defaultLabels: { service: 'websocket-ingestion' } });
  registerHealthMetrics(registry, health, P);
  const registers = [registry];

  type Read = () => [Record<string, string>, number][];
  /** A metric whose values are read from the libs at scrape time; counters take the lib's running total. */
  const collected = (
    kind: 'counter' | 'gauge',
    name: string,
    help: string,
    labelNames: string[],
    read: Read,
  ) => {
    const config = { name: P + name, help, labelNames, registers };
    if (kind === 'counter') {
      return new Counter({
        ...config,
        collect() {
          this.reset();
          for (const [labels, value] of read()) this.inc(labels, value);
        },
      });
    }
    return new Gauge({
      ...config,
      collect() {
        this.reset();
        for (const [labels, value] of read()) this.set(labels, value);
      },
    });
  };
  const counter = (name: string, help: string, labelNames: string[], read: Read) =>
    collected('counter', name, help, labelNames, read);
  const gauge = (name: string, help: string, labelNames: string[], read: Read) =>
    collected('gauge', name, help, labelNames, read);
  const byReason = (counts: Readonly<Record<string, number>>, extra: Record<string, string> = {}) =>
    Object.entries(counts).map(([reason, n]): [Record<string, string>, number] => [{ ...extra, reason }, n]);
  const oneOf = (current: string, all: readonly string[]) =>
    all.map((state): [Record<string, string>, number] => [{ state }, state === current ? 1 : 0]);

  counter('events_received_total', 'Home Assistant events received.', [], () => [
    [{}, ingestion.ha.stats().eventsReceived],
  ]);
  counter('events_normalized_total', 'state_changed events that passed validation and filters.', [], () => [
    [{}, ingestion.normalizer.stats().normalized],
  ]);
  counter('events_rejected_total', 'Events not written, by reason.', ['reason'], () =>
    byReason(ingestion.normalizer.stats().rejected),
  );
  counter('points_written_total', 'Points InfluxDB accepted.', [], () => [
    [{}, ingestion.sink?.stats().pointsWritten ?? 0],
  ]);
  counter('points_dropped_total', 'Points dropped, by stage and reason.', ['stage', 'reason'], () => [
    ...byReason(ingestion.queue.stats().dropped, { stage: 'queue' }),
    [{ stage: 'influxdb', reason: 'rejected' }, ingestion.sink?.stats().dropped.rejected ?? 0],
  ]);
  counter('points_rejected_total', 'Points InfluxDB refused, by the cause it gave.', ['cause'], () =>
    Object.entries(ingestion.sink?.stats().rejectedByCause ?? {}).map(
      ([cause, n]): [Record<string, string>, number] => [{ cause }, n],
    ),
  );
  counter(
    'resync_points_total',
    'Final-state points written for gaps the recorder could not fill.',
    [],
    () => [[{}, ingestion.resyncStats().points]],
  );
  counter(
    'backfill_points_total',
    "Changes read back from Home Assistant's recorder to fill gaps.",
    [],
    () => [[{}, ingestion.resyncStats().backfill?.recovered ?? 0]],
  );
  counter(
    'backfill_fallbacks_total',
    'Entities of a gap written as their final state only, by why the recorder could not fill them.',
    ['reason'],
    () =>
      Object.entries(ingestion.resyncStats().backfill?.fallbacks ?? {}).map(
        ([reason, n]): [Record<string, string>, number] => [{ reason }, n],
      ),
  );
  counter(
    'backfill_lost_recovered_total',
    'Points the queue dropped (memory overflow, spool over its budget, corrupt spool) read back from the recorder.',
    [],
    () => [[{}, ingestion.resyncStats().backfill?.lost.recovered ?? 0]],
  );
  counter(
    'backfill_lost_unrecovered_total',
    'Dropped points the recorder did not have (not recorded, purged, never committed): lost for good.',
    [],
    () => [[{}, ingestion.resyncStats().backfill?.lost.unrecovered ?? 0]],
  );
  gauge(
    'backfill_lost_pending',
    'Dropped points known lost and waiting for the queue to empty to be read back from the recorder.',
    [],
    () => [[{}, ingestion.resyncStats().lostPending.changes]],
  );
  counter(
    'ha_messages_dropped_total',
    'Home Assistant messages received but not delivered, by reason.',
    ['reason'],
    () => byReason(ingestion.ha.stats().drops),
  );
  counter('ha_connection_attempts_total', 'Connection attempts to Home Assistant.', [], () => [
    [{}, ingestion.ha.stats().connectionAttempts],
  ]);
  counter('ha_reconnects_total', 'Connections to Home Assistant after the first.', [], () => [
    [{}, Math.max(0, ingestion.ha.stats().successfulConnections - 1)],
  ]);
  counter('influx_retries_total', 'InfluxDB write requests retried.', [], () => [
    [{}, ingestion.sink?.stats().retries ?? 0],
  ]);
  counter('ws_clients_dropped_total', 'Live-stream clients dropped as too slow.', [], () => [
    [{}, ingestion.liveStream.stats().droppedSlowClients],
  ]);
  counter(
    'ws_filters_refused_total',
    'Live-stream subscribe messages refused for exceeding a bound.',
    [],
    () => [[{}, ingestion.liveStream.stats().refusedFilters]],
  );

  gauge('queue_pending_points', 'Points in memory waiting for InfluxDB.', [], () => [
    [{}, ingestion.queue.stats().pending],
  ]);
  gauge('spool_bytes', 'Bytes of the on-disk spool.', [], () => [
    [{}, ingestion.queue.stats().spool?.bytes ?? 0],
  ]);
  gauge('spool_points', 'Points in the on-disk spool.', [], () => [
    [{}, ingestion.queue.stats().spool?.pendingLines ?? 0],
  ]);
  gauge('spool_oldest_age_seconds', 'Age of the oldest spooled point.', [], () => [
    [{}, (ingestion.queue.stats().spool?.oldestAgeMs ?? 0) / 1000],
  ]);
  gauge('ha_connection_state', 'Home Assistant connection state (1 for the current one).', ['state'], () =>
    oneOf(ingestion.ha.state, [
      'idle',
      'connecting',
      'connected',
      'reconnecting',
      'auth_invalid',
      'failed',
      'closed',
    ]),
  );
  gauge(
    'ha_circuit_state',
    'Circuit breaker of the HA connection (1 for the current state).',
    ['state'],
    () => oneOf(ingestion.ha.stats().circuitBreaker.state, ['closed', 'open', 'half_open']),
  );
  gauge(
    'influx_circuit_state',
    'Circuit breaker of the InfluxDB writer (1 for the current state).',
    ['state'],
    () => oneOf(ingestion.sink?.stats().circuit ?? 'closed', ['closed', 'open', 'half_open']),
  );
  gauge('ws_clients', 'Live-stream clients connected.', [], () => [
    [{}, ingestion.liveStream.stats().clients],
  ]);

  registry.registerMetric(writeLatencyHistogram(ingestion));
  return registry;
}

/**
 * `homeiq_influx_write_duration_seconds` from the sink's own cumulative buckets. prom-client's Histogram can only
 * observe, not adopt a snapshot, so this is a minimal metric object in the shape its registry serializes.
 */
function writeLatencyHistogram(ingestion: Ingestion): Metric {
  const name = `${P}influx_write_duration_seconds`;
  const metric = {
    name,
    help: 'Duration of InfluxDB write requests.',
    type: 'histogram',
    aggregator: 'sum',
    reset: () => undefined,
    get() {
      const h = ingestion.sink?.stats().writeLatencyMs;
      const bounds = h?.bucketBoundsMs ?? [Number.POSITIVE_INFINITY];
      const buckets = h?.buckets ?? [0];
      const values = bounds.map((bound, i) => ({
        metricName: `${name}_bucket`,
        labels: { le: bound === Number.POSITIVE_INFINITY ? '+Inf' : String(bound / 1000) },
        value: buckets[i] ?? 0,
      }));
      values.push({ metricName: `${name}_sum`, labels: {} as { le: string }, value: (h?.sumMs ?? 0) / 1000 });
      values.push({ metricName: `${name}_count`, labels: {} as { le: string }, value: h?.count ?? 0 });
      return Promise.resolve({ name, help: metric.help, type: 'histogram', aggregator: 'sum', values });
    },
  };
  return metric as unknown as Metric;
}
