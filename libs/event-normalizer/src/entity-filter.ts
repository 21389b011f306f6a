/**
 * HA's include/exclude entity filter (`helpers/entityfilter.py`,
 * `_generate_filter_from_sets_and_pattern_lists`), case for case, so a user can copy the `include`/`exclude`
 * blocks of their `influxdb:` YAML and get exactly the same entities.
 */
import { compileGlobs, type GlobMatcher } from './glob.js';

/** One side of the filter: HA's `{domains, entities, entity_globs}`. */
export interface EntityFilterSpec {
  /** Domains, e.g. `['sensor', 'binary_sensor']`. @default [] */
  readonly domains?: readonly string[];
  /** Full entity ids. @default [] */
  readonly entities?: readonly string[];
  /** fnmatch globs over the full entity id, e.g. `'sensor.*_linkquality'`. @default [] */
  readonly entityGlobs?: readonly string[];
}

/** The `include`/`exclude` pair. */
export interface EntityFilterOptions {
  readonly include?: EntityFilterSpec;
  readonly exclude?: EntityFilterSpec;
}

/** Returns whether an entity passes. */
export type EntityFilter = (entityId: string) => boolean;

/** Builds HA's filter. Unfiltered configs return a filter that accepts everything. */
export function createEntityFilter(options: EntityFilterOptions = {}): EntityFilter {
  const incD = new Set(options.include?.domains ?? []);
  const incE = new Set(options.include?.entities ?? []);
  const incG = compileGlobs(options.include?.entityGlobs ?? []);
  const excD = new Set(options.exclude?.domains ?? []);
  const excE = new Set(options.exclude?.entities ?? []);
  const excG = compileGlobs(options.exclude?.entityGlobs ?? []);
  const haveInclude = incD.size > 0 || incE.size > 0 || incG !== undefined;
  const haveExclude = excD.size > 0 || excE.size > 0 || excG !== undefined;
  const domainOf = (id: string): string => id.slice(0, id.indexOf('.'));
  const matches = (globs: GlobMatcher | undefined, id: string): boolean => globs?.matches(id) === true;

  // Case 1: no filter.
  if (!haveInclude && !haveExclude) return () => true;
  // Case 2: includes only.
  if (haveInclude && !haveExclude) {
    return (id) => incE.has(id) || incD.has(domainOf(id)) || matches(incG, id);
  }
  // Case 3: excludes only.
  if (!haveInclude && haveExclude) {
    return (id) => !(excE.has(id) || excD.has(domainOf(id)) || matches(excG, id));
  }
  // Case 4: domain or glob includes (excludes may be present).
  if (incD.size > 0 || incG !== undefined) {
    return (id) =>
      incE.has(id) ||
      (!excE.has(id) && (matches(incG, id) || (incD.has(domainOf(id)) && !matches(excG, id))));
  }
  // Case 5: domain or glob excludes, includes only by entity id.
  if (excD.size > 0 || excG !== undefined) {
    return (id) => {
      if (excD.has(domainOf(id)) || matches(excG, id)) return incE.has(id);
      return !excE.has(id);
    };
  }
  // Case 6: entity ids only on both sides: the exclude list is ignored.
  return (id) => incE.has(id);
}
