/**
 * JSON the way HA's orjson writes it, for the one place where JavaScript's JSON.stringify differs in a
 * way a strict client could notice: Python floats that hold whole numbers print with `.0`
 * (`"created_at":1736900000.0`, `"modified_at":0.0`). Keys listed in `floatKeys` are printed as floats.
 */
export function pyJson(value: unknown, floatKeys: ReadonlySet<string>): string {
  return write(value, floatKeys, false);
}

/** A number printed as a Python float: `0` → `0.0`, `1.5` → `1.5`. */
export function pyFloat(value: number): string {
  return Number.isInteger(value) ? `${value}.0` : String(value);
}

function write(value: unknown, floatKeys: ReadonlySet<string>, asFloat: boolean): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return asFloat ? pyFloat(value) : JSON.stringify(value);
  if (typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    return '[' + value.map((item) => write(item, floatKeys, false)).join(',') + ']';
  }
  const parts: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    parts.push(JSON.stringify(key) + ':' + write(item, floatKeys, floatKeys.has(key)));
  }
  return '{' + parts.join(',') + '}';
}
