import { pythonRepr } from '../util/python-repr.js';

/**
 * A small voluptuous: just enough of it to reject what HA rejects, with HA's humanized messages
 * (`extra keys not allowed @ data['foo']. Got 1`). Checks run in voluptuous' order: not-a-dict,
 * exclusion groups, each given key (value errors, then extra keys), then missing required keys.
 */
type PathPart = string | number | { readonly virtual: string };

export class Invalid extends Error {
  readonly code = 'ERR_INVALID';
  constructor(
    message: string,
    readonly path: readonly PathPart[],
    public errorType: string | null = null,
  ) {
    super(message);
  }

  override toString(): string {
    const path =
      this.path.length === 0
        ? ''
        : ' @ data[' +
          this.path
            .map((part) => (typeof part === 'object' ? `<${part.virtual}>` : pythonRepr(part)))
            .join('][') +
          ']';
    return this.message + (this.errorType === null ? '' : ' for ' + this.errorType) + path;
  }
}

/** Thrown by a schema with every error found (voluptuous MultipleInvalid). */
export class SchemaError extends Error {
  readonly code = 'ERR_SCHEMA';
  constructor(readonly errors: readonly Invalid[]) {
    super(errors.map(String).join('; '));
  }

  /** voluptuous `humanize_error(data, err)`: one line per error, sorted. */
  humanize(data: unknown): string {
    return this.errors
      .map((error) => {
        let got = pythonRepr(nestedGet(data, error.path));
        if (got.length > 500) got = got.slice(0, 497) + '...';
        return `${String(error)}. Got ${got}`;
      })
      .sort()
      .join('\n');
  }
}

function nestedGet(data: unknown, path: readonly PathPart[]): unknown {
  let current = data;
  for (const part of path) {
    if (typeof part === 'object' || current === null || typeof current !== 'object') return null;
    current = (current as Record<string | number, unknown>)[part];
    if (current === undefined) return null;
  }
  return current;
}

/** A value validator: returns the (possibly coerced) value or throws Invalid / SchemaError. */
export type Validator = (value: unknown, path: readonly PathPart[]) => unknown;

export const literal =
  (expected: string): Validator =>
  (value, path) => {
    if (value !== expected) throw new Invalid('not a valid value', path);
    return value;
  };

export const isStr: Validator = (value, path) => {
  if (typeof value !== 'string') throw new Invalid('expected str', path);
  return value;
};

/** Python `int` also accepts bools. */
export const isInt: Validator = (value, path) => {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new Invalid('expected int', path);
  return value;
};

export const isBool: Validator = (value, path) => {
  if (typeof value !== 'boolean') throw new Invalid('expected bool', path);
  return value;
};

export const isDict: Validator = (value, path) => {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new Invalid('expected dict', path);
  return value;
};

/** `cv.positive_int`: `vol.All(vol.Coerce(int), vol.Range(min=0))`. */
export const positiveInt: Validator = (value, path) => {
  let number: number;
  if (typeof value === 'boolean') number = value ? 1 : 0;
  else if (typeof value === 'number' && Number.isFinite(value)) number = Math.trunc(value);
  else if (typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value)) number = Number.parseInt(value, 10);
  else throw new Invalid('expected int', path);
  if (number < 0) throw new Invalid('value must be at least 0', path);
  return number;
};

/** `{str: int}`. */
export const strToInt: Validator = (value, path) => {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new Invalid('expected a dictionary', path);
  const errors: Invalid[] = [];
  for (const [key, item] of Object.entries(value)) {
    try {
      isInt(item, [...path, key]);
    } catch (error) {
      if (error instanceof Invalid) errors.push(error);
      else throw error;
    }
  }
  if (errors.length > 0) throw new SchemaError(errors);
  return value;
};

/** `vol.All(cv.ensure_list, [str])`. */
export const listOfStr: Validator = (value, path) => {
  const list: unknown[] = value === null ? [] : Array.isArray(value) ? (value as unknown[]) : [value];
  list.forEach((item, index) => isStr(item, [...path, index]));
  return list;
};

/** `[str]`: a list (not coerced from one value, unlike `cv.ensure_list`) of strings. */
export const strList: Validator = (value, path) => {
  if (!Array.isArray(value)) throw new Invalid('expected a list', path);
  const errors: Invalid[] = [];
  (value as unknown[]).forEach((item, index) => {
    if (typeof item !== 'string') errors.push(new Invalid('expected str', [...path, index]));
  });
  if (errors.length > 0) throw new SchemaError(errors);
  return value as unknown[];
};

export interface Field {
  readonly required: boolean;
  readonly validate: Validator;
}

/** A dict schema with extra keys forbidden; `exclusive` lists voluptuous `Exclusive` groups. */
export function dictSchema(
  fields: Readonly<Record<string, Field>>,
  exclusive: Readonly<Record<string, readonly string[]>> = {},
) {
  return (data: unknown): Record<string, unknown> => {
    if (data === null || typeof data !== 'object' || Array.isArray(data))
      throw new SchemaError([new Invalid('expected a dictionary', [])]);
    const record = data as Record<string, unknown>;
    for (const [label, keys] of Object.entries(exclusive)) {
      if (keys.filter((key) => key in record).length > 1) {
        throw new SchemaError([
          new Invalid(`two or more values in the same group of exclusion '${label}'`, [{ virtual: label }]),
        ]);
      }
    }
    const errors: Invalid[] = [];
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) {
      const field = fields[key];
      if (field === undefined) {
        errors.push(new Invalid('extra keys not allowed', [key]));
        continue;
      }
      try {
        out[key] = field.validate(value, [key]);
      } catch (error) {
        const found = error instanceof SchemaError ? error.errors : error instanceof Invalid ? [error] : null;
        if (found === null) throw error;
        for (const item of found) {
          if (item.path.length <= 1) item.errorType = 'dictionary value';
          errors.push(item);
        }
      }
    }
    for (const [key, field] of Object.entries(fields)) {
      if (field.required && !(key in record)) errors.push(new Invalid('required key not provided', [key]));
    }
    if (errors.length > 0) throw new SchemaError(errors);
    return out;
  };
}

export const required = (validate: Validator): Field => ({ required: true, validate });
export const optional = (validate: Validator): Field => ({ required: false, validate });
