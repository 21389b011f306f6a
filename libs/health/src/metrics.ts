import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { Health, HealthStatus } from './health.js';

/** Options for {@link createMetricsRegistry}. */
export interface MetricsRegistryOptions {
  /** Prefix for every metric name this lib creates and for the default process metrics. @default 'homeiq_' */
  readonly prefix?: string;
  /** Collect prom-client's default process and Node.js metrics (CPU, memory, event loop lag, GC). @default true */
  readonly defaultMetrics?: boolean;
  /** Labels added to every series, e.g. `{ service: 'websocket-ingestion' }`. @default {} */
  readonly defaultLabels?: Readonly<Record<string, string>>;
}

/** A prom-client registry of its own (never the global one), so several services or tests never collide. */
export function createMetricsRegistry(options: MetricsRegistryOptions = {}): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ ...options.defaultLabels });
  if (options.defaultMetrics ?? true) {
    collectDefaultMetrics({ register: registry, prefix: options.prefix ?? 'homeiq_' });
  }
  return registry;
}

const STATUSES: readonly HealthStatus[] = ['healthy', 'degraded', 'unhealthy'];

/**
 * Exposes a {@link Health} as the enum-style gauge `<prefix>health_status{component, status}`: 1 for the current
 * status of each component (and of `component="service"`, the aggregate), 0 for the others. The checks run at
 * scrape time, so the metric can never be stale.
 */
export function registerHealthMetrics(registry: Registry, health: Health, prefix = 'homeiq_'): void {
  new Gauge({
    name: `${prefix}health_status`,
    help: 'Health of the service and of each component: 1 for the current status, 0 otherwise.',
    labelNames: ['component', 'status'],
    registers: [registry],
    collect() {
      this.reset();
      const report = health.report();
      const entries: [string, HealthStatus][] = [['service', report.status]];
      for (const [name, result] of Object.entries(report.checks)) entries.push([name, result.status]);
      for (const [component, current] of entries) {
        for (const status of STATUSES) this.set({ component, status }, status === current ? 1 : 0);
      }
    },
  });
}
