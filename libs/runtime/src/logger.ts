/** Fields of one log line. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * Structured log sink with pino's call shape (`logger.warn(message, fields)` maps to `pino.warn(fields, message)`
 * in the app). Libs report what happens through hooks and `stats()`; they log only what no hook reports, and never
 * a secret such as an access token.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const ignore = (): void => undefined;

/** A logger that drops everything. */
export const silentLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };

/**
 * A lib's default logger: warnings and errors to the console, prefixed `[name]`; debug and info dropped. It only
 * makes sure a bare consumer still sees trouble; a service passes its own logger.
 */
export function createConsoleLogger(name: string): Logger {
  return {
    debug: ignore,
    info: ignore,
    warn: (message, fields) => {
      console.warn(`[${name}] ${message}`, fields ?? '');
    },
    error: (message, fields) => {
      console.error(`[${name}] ${message}`, fields ?? '');
    },
  };
}
