/**
 * Message shapes: the keys, JSON types and nesting of a message, without its values. Several samples merge
 * into one shape (a key missing from some samples becomes optional; different types become a union), so the
 * 80 states of a real `get_states` describe what any state may look like.
 */
export type Shape =
  | { readonly kind: 'null' | 'boolean' | 'number' | 'string' | 'map' }
  | { readonly kind: 'array'; readonly element: Shape | undefined }
  | { readonly kind: 'object'; readonly keys: ReadonlyMap<string, KeyShape> }
  | { readonly kind: 'union'; readonly options: readonly Shape[] };

/** One key of an object shape. */
export interface KeyShape {
  readonly shape: Shape;
  /** Absent from at least one sample. */
  readonly optional: boolean;
}

/** One way `actual` does not fit `expected`. */
export interface ShapeDifference {
  /** `result[].attributes`, `event.data.changes`: `[]` stands for any array element. */
  readonly path: string;
  readonly problem: 'missing key' | 'extra key' | 'type';
  /** For `type`: the expected kinds, e.g. `string|null`. */
  readonly expected?: string;
  readonly actual?: string;
}

/**
 * Paths whose value is a free-form JSON object (entity attributes, registry `changes`, per-domain options):
 * only "is an object" is compared there. Matched against the path with `[]` for array indexes.
 */
export type OpenPaths = readonly RegExp[];

/** The shape of one JSON value. */
export function shapeOf(value: unknown, open: OpenPaths = [], path = ''): Shape {
  if (value === null) return { kind: 'null' };
  if (Array.isArray(value)) {
    let element: Shape | undefined;
    for (const item of value as unknown[]) {
      const shape = shapeOf(item, open, `${path}[]`);
      element = element === undefined ? shape : mergeShapes(element, shape);
    }
    return { kind: 'array', element };
  }
  switch (typeof value) {
    case 'boolean':
      return { kind: 'boolean' };
    case 'number':
      return { kind: 'number' };
    case 'string':
      return { kind: 'string' };
    case 'object': {
      if (open.some((pattern) => pattern.test(path))) return { kind: 'map' };
      const keys = new Map<string, KeyShape>();
      for (const [key, item] of Object.entries(value as Record<string, unknown>))
        keys.set(key, { shape: shapeOf(item, open, path === '' ? key : `${path}.${key}`), optional: false });
      return { kind: 'object', keys };
    }
    default:
      throw new TypeError(`Expected a JSON value at \`${path}\`, got ${typeof value}`);
  }
}

/** The shape of every sample: what any one of them may look like. */
export function mergeShapes(a: Shape, b: Shape): Shape {
  const options: Shape[] = [];
  for (const shape of [...optionsOf(a), ...optionsOf(b)]) {
    const index = options.findIndex((o) => o.kind === shape.kind);
    const same = options[index];
    if (same === undefined) options.push(shape);
    else options[index] = mergeSameKind(same, shape);
  }
  const [only] = options;
  return options.length === 1 && only !== undefined ? only : { kind: 'union', options };
}

function optionsOf(shape: Shape): readonly Shape[] {
  return shape.kind === 'union' ? shape.options : [shape];
}

function mergeSameKind(a: Shape, b: Shape): Shape {
  if (a.kind === 'array' && b.kind === 'array') {
    const element =
      a.element === undefined
        ? b.element
        : b.element === undefined
          ? a.element
          : mergeShapes(a.element, b.element);
    return { kind: 'array', element };
  }
  if (a.kind === 'object' && b.kind === 'object') {
    const keys = new Map<string, KeyShape>();
    for (const [key, left] of a.keys) {
      const right = b.keys.get(key);
      keys.set(
        key,
        right === undefined
          ? { shape: left.shape, optional: true }
          : { shape: mergeShapes(left.shape, right.shape), optional: left.optional || right.optional },
      );
    }
    for (const [key, right] of b.keys)
      if (!a.keys.has(key)) keys.set(key, { shape: right.shape, optional: true });
    return { kind: 'object', keys };
  }
  return a;
}

/** A short name of a shape's kinds: `string|null`. */
export function describeShape(shape: Shape): string {
  return optionsOf(shape)
    .map((o) => o.kind)
    .join('|');
}

/**
 * Where `actual` does not fit `expected`: a type `expected` never showed, a key `expected` never had, or a key
 * every `expected` sample had that `actual` lacks. Arrays compare their merged element shapes; an empty
 * array on either side says nothing about elements.
 */
export function compareShapes(expected: Shape, actual: Shape, path = ''): ShapeDifference[] {
  const differences: ShapeDifference[] = [];
  const expectedOptions = optionsOf(expected);
  for (const option of optionsOf(actual)) {
    const match = expectedOptions.find((o) => o.kind === option.kind);
    if (match === undefined) {
      differences.push({ path, problem: 'type', expected: describeShape(expected), actual: option.kind });
      continue;
    }
    if (match.kind === 'array' && option.kind === 'array') {
      if (match.element !== undefined && option.element !== undefined)
        differences.push(...compareShapes(match.element, option.element, `${path}[]`));
    } else if (match.kind === 'object' && option.kind === 'object') {
      differences.push(...compareObjects(match.keys, option.keys, path));
    }
  }
  return differences;
}

function compareObjects(
  expected: ReadonlyMap<string, KeyShape>,
  actual: ReadonlyMap<string, KeyShape>,
  path: string,
): ShapeDifference[] {
  const differences: ShapeDifference[] = [];
  const at = (key: string): string => (path === '' ? key : `${path}.${key}`);
  for (const [key, want] of expected)
    if (!want.optional && !actual.has(key)) differences.push({ path: at(key), problem: 'missing key' });
  for (const [key, got] of actual) {
    const want = expected.get(key);
    if (want === undefined) differences.push({ path: at(key), problem: 'extra key' });
    else differences.push(...compareShapes(want.shape, got.shape, at(key)));
  }
  return differences;
}

/** One line per difference, e.g. `result[].humidity_entity_id: extra key`. */
export function formatDifference(difference: ShapeDifference): string {
  const types =
    difference.problem === 'type'
      ? ` (expected ${difference.expected ?? ''}, got ${difference.actual ?? ''})`
      : '';
  return `${difference.path === '' ? '(message)' : difference.path}: ${difference.problem}${types}`;
}
