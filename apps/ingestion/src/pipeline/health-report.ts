import { createHealth, createProcessMonitor, type CheckResult, type Health } from '@homeiq/health';
import { createRegistryHealthCheck } from '@homeiq/registry-discovery';
import type { HealthBody } from '../http/app.js';
import { influxFix } from './influx-fix.js';
import type { Ingestion } from './ingestion.js';

/** A quiet home sends nothing for minutes; only a long silence after connecting is worth a warning. */
const NO_EVENTS_WARNING_MS = 10 * 60 * 1000;

/**
 * The `/health` report: the original service's shape (snake_case, as its users' dashboards read it;
 * docs/decisions.md#health) with what it promised and never delivered — circuit breaker, sink, discovery and
 * performance blocks — and `reasons` for every status that is not healthy. Secrets never appear: the libs' stats
 * carry none.
 */
export function createHealthReport(
  ingestion: Ingestion,
  options: { readonly maxMemoryMb: number; readonly now?: () => number },
): { readonly health: Health; body(): HealthBody } {
  const now = options.now ?? Date.now;
  const startedAt = now();
  const processMonitor = createProcessMonitor({ maxMemoryMb: options.maxMemoryMb });
  const health = createHealth({
    checks: [
      { name: 'connection', check: () => connectionCheck(ingestion, now()) },
      { name: 'sink', check: () => sinkCheck(ingestion) },
      createRegistryHealthCheck(ingestion.discovery, 'discovery'),
      { name: 'process', critical: false, check: () => processMonitor.check() },
    ],
  });

  return {
    health,
    body() {
      const report = health.report();
      const ha = ingestion.ha.stats();
      const queue = ingestion.queue.stats();
      const sink = ingestion.sink?.stats();
      const discovery = ingestion.discovery.stats();
      const performance = processMonitor.sample();
      const uptimeMs = now() - startedAt;
      return {
        status: report.status,
        reasons: report.reasons,
        service: 'websocket-ingestion',
        timestamp: new Date(now()).toISOString(),
        uptime: formatUptime(uptimeMs),
        uptime_seconds: Math.round(uptimeMs / 1000),
        connection: {
          is_running: ha.isRunning,
          current_state: ha.state,
          connection_attempts: ha.connectionAttempts,
          successful_connections: ha.successfulConnections,
          failed_connections: ha.failedConnections,
          last_successful: iso(ha.lastSuccessfulAtMs),
          ha_version: ha.haVersion,
          ha_state: ha.haState,
          last_error: ha.lastError && {
            code: ha.lastError.code,
            message: ha.lastError.message,
            at: iso(ha.lastError.atMs),
          },
          next_attempt: iso(ha.nextAttemptAtMs),
          gaps_resynced: ingestion.resyncStats().gaps,
        },
        subscription: {
          // Every subscription acknowledged by HA (state_changed and the registry events), not just one.
          is_subscribed:
            ha.state === 'connected' &&
            ha.subscriptions.total > 0 &&
            ha.subscriptions.active === ha.subscriptions.total,
          total_events_received: ha.eventsReceived,
          event_rate_per_minute: ha.eventRatePerMinute,
          last_event: iso(ha.lastEventAtMs),
          events_rejected_by_reason: nonZero(ingestion.normalizer.stats().rejected),
          messages_dropped_by_reason: nonZero(ha.drops),
        },
        circuit_breaker: {
          state: ha.circuitBreaker.state,
          failure_count: ha.circuitBreaker.failureCount,
          last_failure: ha.circuitBreaker.lastFailure && {
            ...ha.circuitBreaker.lastFailure,
            at: iso(ha.circuitBreaker.lastFailureAtMs),
          },
        },
        sink: {
          configured: sink !== undefined,
          pending: queue.pending,
          spooled: queue.spool?.pendingLines ?? 0,
          spool_bytes: queue.spool?.bytes ?? 0,
          written: sink?.pointsWritten ?? 0,
          dropped_by_reason: nonZero({ ...queue.dropped, rejected_by_influxdb: sink?.dropped.rejected ?? 0 }),
          rejected_by_cause: { ...sink?.rejectedByCause },
          last_write: iso(sink?.lastWriteAtMs),
          write_latency_ms:
            sink && sink.writeLatencyMs.count > 0
              ? Math.round(sink.writeLatencyMs.sumMs / sink.writeLatencyMs.count)
              : null,
          circuit_state: sink?.circuit ?? null,
          last_error: sink?.lastError && {
            code: sink.lastError.code,
            message: sink.lastError.message,
            fix: influxFix(sink.lastError),
            at: iso(sink.lastError.atMs),
          },
        },
        discovery: {
          devices: discovery.counts.devices,
          entities: discovery.counts.entities,
          areas: discovery.counts.areas,
          floors: discovery.counts.floors,
          source: discovery.source,
          store: discovery.store?.kind ?? null,
          last_run: iso(discovery.lastRefreshAtMs),
        },
        backfill: backfillReport(ingestion),
        live_stream: ingestion.liveStream.stats(),
        performance: {
          memory_mb: performance.memoryMb,
          heap_used_mb: performance.heapUsedMb,
          cpu_percent: performance.cpuPercent,
        },
      };
    },
  };
}

function connectionCheck(ingestion: Ingestion, nowMs: number): CheckResult {
  const ha = ingestion.ha.stats();
  const error = ha.lastError ? `: ${ha.lastError.message}` : '';
  switch (ha.state) {
    case 'connected': {
      const quietFor = nowMs - (ha.lastEventAtMs ?? ha.connectedSinceMs ?? nowMs);
      return ha.eventsReceived === 0 && quietFor > NO_EVENTS_WARNING_MS
        ? { status: 'degraded', reasons: ['no events received since connecting'] }
        : { status: 'healthy' };
    }
    case 'auth_invalid':
      // The client's error already says that the token was rejected, and why.
      return {
        status: 'unhealthy',
        reasons: [ha.lastError?.message ?? 'Home Assistant rejected the access token'],
      };
    case 'failed':
      return { status: 'unhealthy', reasons: [`gave up reconnecting (WEBSOCKET_MAX_RETRIES)${error}`] };
    case 'connecting':
    case 'reconnecting':
      return {
        status: 'degraded',
        reasons: [`not connected (${ha.state}, attempt ${ha.reconnectAttempt})${error}`],
      };
    default:
      return { status: 'unhealthy', reasons: [`not running (${ha.state})`] };
  }
}

function sinkCheck(ingestion: Ingestion): CheckResult {
  const sink = ingestion.sink?.stats();
  const queue = ingestion.queue.stats();
  if (!sink)
    return { status: 'degraded', reasons: ['INFLUXDB_URL is not set: points are kept in the spool'] };
  const reasons: string[] = [];
  if (sink.circuit !== 'closed' || !queue.available) {
    const fix = influxFix(sink.lastError);
    reasons.push(
      `InfluxDB writes failing${sink.lastError ? `: ${sink.lastError.message}` : ''}; points are kept` +
        (fix === null ? '' : `; to fix: ${fix}`),
    );
  }
  const spoolFull = queue.spool && queue.spool.bytes >= queue.spool.maxBytes * 0.9;
  if (spoolFull) reasons.push('spool over 90% of its disk budget');
  return reasons.length === 0 ? { status: 'healthy' } : { status: 'degraded', reasons };
}

/** An epoch-ms time as ISO 8601, or null. */
function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}

function nonZero(counts: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}

/** `0:37:39` as Python's `timedelta` prints it (docs/decisions.md#health), days as `2 days, 3:04:05`. */
export function formatUptime(ms: number): string {
  const total = Math.floor(ms / 1000);
  const days = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = String(Math.floor((total % 3600) / 60)).padStart(2, '0');
  const s = String(total % 60).padStart(2, '0');
  return `${days > 0 ? `${days} day${days === 1 ? '' : 's'}, ` : ''}${h}:${m}:${s}`;
}

/**
 * What the recorder filled: totals, and the last gap (bounds, changes recovered, entities written as their final
 * state only and why, the read's error). `enabled: false` with HA_RECORDER_BACKFILL=false.
 */
function backfillReport(ingestion: Ingestion) {
  const { backfill: stats, lostPending, lostUntraceable } = ingestion.resyncStats();
  if (stats === null) return { enabled: false };
  const last = stats.last;
  const lost = stats.lost;
  return {
    enabled: true,
    gaps_filled: stats.gaps,
    points_recovered: stats.recovered,
    fallbacks_by_reason: nonZero(stats.fallbacks),
    last_gap: last && {
      from: iso(last.fromMs),
      to: iso(last.toMs),
      entities_changed: last.entities,
      points_recovered: last.recovered,
      fallbacks_by_reason: { ...last.fallbacks },
      requests: last.requests,
      duration_ms: last.durationMs,
      error: last.error,
    },
    // Points the queue dropped after they reached the service, read back once InfluxDB accepted writes again.
    lost: {
      holes_filled: lost.holes,
      points_recovered: lost.recovered,
      points_unrecovered: lost.unrecovered,
      read_failures: lost.failures,
      pending_points: lostPending.changes,
      pending_window: lostPending.asWindow,
      // Lost on disk before this run saw its queue empty: of unknown time, not read back.
      points_untraceable: lostUntraceable,
      last_hole: lost.last && {
        filled_at: iso(lost.last.atMs),
        from: iso(Math.floor(lost.last.fromUs / 1000)),
        to: iso(Math.ceil(lost.last.toUs / 1000)),
        entities: lost.last.entities,
        points_lost: lost.last.lost,
        points_recovered: lost.last.recovered,
        points_unrecovered: lost.last.unrecovered,
        requests: lost.last.requests,
        error: lost.last.error,
      },
    },
  };
}
