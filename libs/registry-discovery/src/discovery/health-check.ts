import type { RegistryDiscovery } from './discovery.js';

/** A health check in the shape `@homeiq/health` registers (structural: no import between the libs). */
export interface RegistryHealthCheck {
  readonly name: string;
  readonly critical: boolean;
  check(): {
    readonly status: 'healthy' | 'degraded' | 'unhealthy';
    readonly reasons: readonly string[];
    readonly details: Readonly<Record<string, unknown>>;
  };
}

/**
 * Reports discovery as `degraded` (never unhealthy: events still flow without enrichment) when there is no picture
 * after start, when the last fetch failed, or when the store's last save failed — e.g. the data-api is down.
 */
export function createRegistryHealthCheck(
  discovery: RegistryDiscovery,
  name = 'registry',
): RegistryHealthCheck {
  return {
    name,
    critical: false,
    check() {
      const s = discovery.stats();
      const reasons: string[] = [];
      if (s.started && s.source === 'empty') reasons.push('no registry picture yet');
      if (s.lastFetchFailed)
        reasons.push(`last registry fetch failed: ${s.lastError?.message ?? 'unknown error'}`);
      if (s.store !== null && !s.store.healthy) {
        reasons.push(`${s.store.kind} store failing: ${s.store.lastError?.message ?? 'unknown error'}`);
      }
      return {
        status: reasons.length === 0 ? 'healthy' : 'degraded',
        reasons,
        details: { source: s.source, counts: s.counts, lastRefreshAtMs: s.lastRefreshAtMs, store: s.store },
      };
    },
  };
}
