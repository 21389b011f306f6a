import { RegistryQueryError } from './query-error.js';

/** Query parameters as an HTTP layer has them (`URLSearchParams`, or a plain record). */
export type QueryParams = URLSearchParams | Readonly<Record<string, string | undefined>>;

/** A filter value, or undefined when absent or empty (FastAPI's `if manufacturer:` ignored empty strings too). */
export function filterParam(params: QueryParams, name: string): string | undefined {
  const value = params instanceof URLSearchParams ? (params.get(name) ?? undefined) : params[name];
  return value === undefined || value === '' ? undefined : value;
}

/** An integer parameter in `[min, max]`, `fallback` when absent; throws RegistryQueryError otherwise. */
export function intParam(
  params: QueryParams,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  const raw = params instanceof URLSearchParams ? params.get(name) : params[name];
  if (raw === null || raw === undefined) return fallback;
  const value = /^-?\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RegistryQueryError(
      name,
      `Expected \`${name}\` to be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

/** Checks a `limit` given in code (not from HTTP); returns the default when undefined. */
export function checkLimit(limit: number | undefined, max: number, fallback: number): number {
  if (limit === undefined) return fallback;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > max) {
    throw new RegistryQueryError(
      'limit',
      `Expected \`limit\` to be an integer from 1 to ${max}, got ${String(limit)}`,
    );
  }
  return limit;
}
