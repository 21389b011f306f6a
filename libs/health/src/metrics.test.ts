import { createHealth } from './health.js';
import { createMetricsRegistry, registerHealthMetrics } from './metrics.js';

describe('metrics helpers', () => {
  it('exposes each component status as an enum-style gauge computed at scrape time', async () => {
    const registry = createMetricsRegistry({ defaultMetrics: false, defaultLabels: { service: 'test' } });
    let sinkStatus: 'healthy' | 'degraded' = 'healthy';
    const health = createHealth({ checks: [{ name: 'sink', check: () => ({ status: sinkStatus }) }] });
    registerHealthMetrics(registry, health);

    sinkStatus = 'degraded';
    const text = await registry.metrics();
    expect(text).toContain('homeiq_health_status{component="service",status="degraded",service="test"} 1');
    expect(text).toContain('homeiq_health_status{component="sink",status="degraded",service="test"} 1');
    expect(text).toContain('homeiq_health_status{component="sink",status="healthy",service="test"} 0');
  });

  it('collects default process metrics with the prefix into its own registry', async () => {
    const registry = createMetricsRegistry({ prefix: 'x_' });
    expect(await registry.metrics()).toContain('x_process_cpu_user_seconds_total');
    expect(await createMetricsRegistry({ defaultMetrics: false }).metrics()).toBe('\n');
  });
});
