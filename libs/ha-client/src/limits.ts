/**
 * The bounds the client checks its non-duration options against, exported so that a configuration layer can
 * refuse exactly what `createHaClient` would refuse, before anything is built.
 */
export const HA_CLIENT_LIMITS = {
  /** Smallest `maxRetries`: -1 means retry forever, 0 never retries. */
  minMaxRetries: -1,
  /** Smallest `circuitFailureThreshold`: the breaker opens after at least one failed attempt. */
  minCircuitFailureThreshold: 1,
} as const;
