import type { Logger as Pino } from 'pino';

/** The logger shape every HomeIQ lib accepts: a message first, then structured fields. */
export interface LibLogger {
  debug(message: string, fields?: Readonly<Record<string, unknown>>): void;
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
  error(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

/** Adapts pino (fields first) to the libs' logger (message first), as a child tagged with the component. */
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
