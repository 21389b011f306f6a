import type { RegistryDrop } from '@homeiq/registry-discovery';
import type { Logger as LibLogger } from '@homeiq/runtime';
import type { Logger as Pino } from 'pino';

/** Adapts pino (fields first) to the libs' logger (`@homeiq/runtime`'s, message first), as a child tagged with the component. */
export function libLogger(pino: Pino, component: string): LibLogger {
  const child = pino.child({ component });
  return {
    debug: (message, fields) => {
      child.debug(fields ?? {}, message);
    },
    info: (message, fields) => {
      child.info(fields ?? {}, message);
    },
    warn: (message, fields) => {
      child.warn(fields ?? {}, message);
    },
    error: (message, fields) => {
      child.error(fields ?? {}, message);
    },
  };
}

/**
 * Logs dropped points at most once per reason every `everyMs`, with the count since the previous line: an outage
 * that drops a point per event must not flood the log. `/metrics` and `/health` keep the exact totals.
 */
export function throttledDropLog(log: Pino, everyMs = 10_000): (reason: string, count: number) => void {
  const byReason = new Map<string, { count: number; loggedAt: number }>();
  return (reason, count) => {
    const now = Date.now();
    const entry = byReason.get(reason) ?? { count: 0, loggedAt: Number.NEGATIVE_INFINITY };
    entry.count += count;
    if (now - entry.loggedAt >= everyMs) {
      log.warn({ reason, count: entry.count }, 'points dropped (totals: homeiq_points_dropped_total)');
      entry.count = 0;
      entry.loggedAt = now;
    }
    byReason.set(reason, entry);
  };
}

/**
 * Words registry-discovery's `onDrop` reports: one line each, naming the registry and what was not used (a
 * duplicated id comes as one report with how many entries were skipped). A field of the wrong type is read as its
 * default and the entry kept, and HA may send one for every entry on every refresh, so those go to debug.
 * `stats().issues` (in /health) keeps the counts.
 */
export function registryDropLog(log: Pino): (drop: RegistryDrop) => void {
  return ({ registry, reason, detail }) => {
    const fields = { registry, reason, detail };
    const message =
      registry === 'history'
        ? `registry history point not written: ${detail}`
        : `${registry} registry from Home Assistant: ${detail}`;
    if (reason === 'bad_field') log.debug(fields, message);
    else log.warn(fields, message);
  };
}
