/**
 * @homeiq/health: component checks aggregated into healthy / degraded / unhealthy, process figures, and
 * prom-client helpers. It knows nothing of Home Assistant or InfluxDB.
 */
export { createHealth } from './health.js';
export type {
  CheckResult,
  Health,
  HealthCheck,
  HealthOptions,
  HealthReport,
  HealthStatus,
} from './health.js';
export { createProcessMonitor } from './process-monitor.js';
export type { ProcessMonitor, ProcessMonitorOptions, ProcessSample } from './process-monitor.js';
export { createMetricsRegistry, registerHealthMetrics } from './metrics.js';
export type { MetricsRegistryOptions } from './metrics.js';
