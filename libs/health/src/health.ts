/** The three states a service or one of its components can be in, from best to worst. */
export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

/** What one component says about itself. */
export interface CheckResult {
  readonly status: HealthStatus;
  /** Why the status is not `healthy`, in words an operator can act on. Empty when healthy. */
  readonly reasons?: readonly string[];
  /** Any figures worth showing beside the status (counts, timestamps). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** A named component check, called on every report. It must be cheap and synchronous. */
export interface HealthCheck {
  readonly name: string;
  /**
   * Whether the service cannot do its job while this component is unhealthy. A critical component that is
   * unhealthy makes the service unhealthy; a non-critical one only degrades it.
   * @default true
   */
  readonly critical?: boolean;
  check(): CheckResult;
}

/** The aggregated report: the service status, every reason prefixed with its component, and each check's result. */
export interface HealthReport {
  readonly status: HealthStatus;
  readonly reasons: readonly string[];
  readonly checks: Readonly<Record<string, CheckResult>>;
}

/** Options for {@link createHealth}. */
export interface HealthOptions {
  /** Checks registered from the start; more can be added with `register`. @default [] */
  readonly checks?: readonly HealthCheck[];
}

/** A registry of component checks aggregated into one {@link HealthReport}. */
export interface Health {
  /** Adds a check; returns a function that removes it (calling it twice is harmless). */
  register(check: HealthCheck): () => void;
  /** Runs every check now and aggregates the results. */
  report(): HealthReport;
}

const RANK: Record<HealthStatus, number> = { healthy: 0, degraded: 1, unhealthy: 2 };

/**
 * Creates a health registry. Aggregation rules:
 * - `unhealthy` when any critical check is unhealthy;
 * - otherwise `degraded` when any check is degraded, or a non-critical check is unhealthy;
 * - otherwise `healthy`.
 * A check that throws counts as unhealthy, with the error message as its reason: a broken check must not hide a
 * broken component, nor break the health endpoint.
 */
export function createHealth(options: HealthOptions = {}): Health {
  const checks = new Map<string, HealthCheck>();

  function register(check: HealthCheck): () => void {
    if (checks.has(check.name)) {
      throw new Error(`Expected a unique check name, got \`${check.name}\` twice`);
    }
    checks.set(check.name, check);
    return () => {
      if (checks.get(check.name) === check) checks.delete(check.name);
    };
  }

  for (const check of options.checks ?? []) register(check);

  return {
    register,
    report() {
      let status: HealthStatus = 'healthy';
      const reasons: string[] = [];
      const results: Record<string, CheckResult> = {};
      for (const check of checks.values()) {
        const result = runCheck(check);
        results[check.name] = result;
        for (const reason of result.reasons ?? []) reasons.push(`${check.name}: ${reason}`);
        const effective =
          result.status === 'unhealthy' && check.critical === false ? 'degraded' : result.status;
        if (RANK[effective] > RANK[status]) status = effective;
      }
      return { status, reasons, checks: results };
    },
  };
}

function runCheck(check: HealthCheck): CheckResult {
  try {
    return check.check();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { status: 'unhealthy', reasons: [`check failed: ${message}`] };
  }
}
