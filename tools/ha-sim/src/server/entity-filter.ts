import { Invalid, listOfStr, type Validator } from './schema.js';

/**
 * `subscribe_entities` filters: `entity_ids`, and HA's include/exclude filter (domains, entities,
 * entity_globs), following `helpers/entityfilter.py` `generate_filter` closely enough for clients:
 * an explicitly listed entity wins, then exclusions, then inclusions; with includes given, an entity
 * matching none of them is filtered out.
 */
export type EntityFilter = (entityId: string) => boolean;

export interface FilterSpec {
  readonly domains: readonly string[];
  readonly entities: readonly string[];
  readonly entityGlobs: readonly string[];
}

const ENTITY_ID = /^(?!.+__)(?!_)[\da-z_]+(?<!_)\.(?!_)[\da-z_]+(?<!_)$/;

/** `cv.entity_ids`: a list or a comma-separated string of valid, lower-cased entity ids. */
export const entityIds: Validator = (value, path) => {
  const list =
    typeof value === 'string'
      ? value.split(',').map((part) => part.trim())
      : (listOfStr(value, path) as string[]);
  return list.map((item) => {
    const id = item.toLowerCase();
    if (!ENTITY_ID.test(id)) throw new Invalid(`Entity ID ${item} is an invalid entity ID`, path);
    return id;
  });
};

/** `INCLUDE_EXCLUDE_FILTER_SCHEMA_INNER`: `{domains, entities, entity_globs}`, each optional. */
export const filterSpec: Validator = (value, path) => {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new Invalid('expected a dictionary', path);
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!['domains', 'entities', 'entity_globs'].includes(key))
      throw new Invalid('extra keys not allowed', [...path, key]);
  }
  return {
    domains: listOfStr(record['domains'] ?? [], [...path, 'domains']) as string[],
    entities: entityIds(record['entities'] ?? [], [...path, 'entities']) as string[],
    entityGlobs: listOfStr(record['entity_globs'] ?? [], [...path, 'entity_globs']) as string[],
  } satisfies FilterSpec;
};

function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

function matcher(spec: FilterSpec | undefined): ((entityId: string, domain: string) => boolean) | null {
  if (
    spec === undefined ||
    (spec.domains.length === 0 && spec.entities.length === 0 && spec.entityGlobs.length === 0)
  )
    return null;
  const domains = new Set(spec.domains);
  const globs = spec.entityGlobs.map(globToRegExp);
  return (entityId, domain) => domains.has(domain) || globs.some((glob) => glob.test(entityId));
}

export function makeEntityFilter(
  ids: readonly string[] | undefined,
  include: FilterSpec | undefined,
  exclude: FilterSpec | undefined,
): EntityFilter {
  const only = ids === undefined || ids.length === 0 ? null : new Set(ids);
  const included = new Set(include?.entities ?? []);
  const excluded = new Set(exclude?.entities ?? []);
  const includeMatch = matcher(include);
  const excludeMatch = matcher(exclude);
  const hasIncludes = included.size > 0 || includeMatch !== null;
  return (entityId) => {
    if (only !== null && !only.has(entityId)) return false;
    if (included.has(entityId)) return true;
    if (excluded.has(entityId)) return false;
    const domain = entityId.slice(0, entityId.indexOf('.'));
    if (excludeMatch?.(entityId, domain) === true) return false;
    if (!hasIncludes) return true;
    return includeMatch?.(entityId, domain) === true;
  };
}
