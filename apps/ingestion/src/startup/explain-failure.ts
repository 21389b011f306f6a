import { QueueError } from '@homeiq/backpressure-queue';
import { RegistryDiscoveryError } from '@homeiq/registry-discovery';
import { describeSystemError, errnoCode, StartupError } from './startup-error.js';

/** What a failure message may name: the settings the operator can change. */
export interface FailureContext {
  readonly port: number;
  readonly dataDir: string;
}

/**
 * Turns whatever a start-up step threw into one sentence for the operator, naming the setting to change. The
 * libraries' errors carry stable codes (`ERR_SPOOL_LOCKED`, `ERR_STORE`, …), and Node's listen errors an errno;
 * anything else is reported by its message, still without a stack trace.
 */
export function explainStartupFailure(error: unknown, context: FailureContext): StartupError {
  if (error instanceof StartupError) return error;
  const causeText = (cause: unknown): string =>
    cause === undefined ? '' : `: ${describeSystemError(cause)}`;
  if (error instanceof QueueError) {
    if (error.code === 'ERR_SPOOL_LOCKED') {
      return new StartupError(
        'ERR_SPOOL_LOCKED',
        `${error.message}: another instance is running with DATA_DIR ${JSON.stringify(context.dataDir)}; stop it, or give this one its own DATA_DIR`,
        { cause: error },
      );
    }
    if (error.code === 'ERR_SPOOL_IO' || error.code === 'ERR_SPOOL_CORRUPT') {
      return new StartupError(
        'ERR_SPOOL_DIR',
        `${error.message}${causeText(error.cause)}; check DATA_DIR/spool under ${JSON.stringify(context.dataDir)}`,
        { cause: error },
      );
    }
  }
  if (error instanceof RegistryDiscoveryError && error.code === 'ERR_STORE') {
    return new StartupError(
      'ERR_REGISTRY_DB',
      `${error.message}; move the file aside (it holds a copy of Home Assistant's registries, fetched again on the next connection), or set DATA_API_URL`,
      { cause: error },
    );
  }
  const errno = errnoCode(error);
  const syscall = (error as { syscall?: unknown } | null)?.syscall;
  if (syscall === 'listen' || errno === 'EADDRINUSE') {
    const why =
      errno === 'EADDRINUSE'
        ? 'is already in use by another process'
        : errno === 'EACCES'
          ? 'needs privileges this process does not have (ports below 1024 do)'
          : `cannot be listened on (${describeSystemError(error)})`;
    return new StartupError(
      'ERR_PORT',
      `WEBSOCKET_INGESTION_PORT ${context.port} ${why}; stop the other process or set WEBSOCKET_INGESTION_PORT to a free port`,
      { cause: error },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new StartupError('ERR_STARTUP', `${message}${errno === undefined ? '' : ` (${errno})`}`, {
    cause: error,
  });
}
