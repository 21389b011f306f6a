/**
 * A `/ws` client's subscribe message: parsed, held to bounds that keep its cost per event small, and compiled.
 * `/ws` needs no token by default, so the filter is hostile input: domains and ids cost one hash lookup per
 * event whatever their number (the bounds keep their memory small), and globs are matched by
 * `@homeiq/event-normalizer`'s linear matcher, at most (total glob length + glob count) × (id length + 2)
 * steps per event, about 70,000 with these bounds (the worst globs measured take 0.25 ms on a 255-character
 * id). Each client remembers its answer per entity id (HA sends the same ids over and over), so that cost is
 * paid once per entity (for up to FILTER_MEMO_SIZE of them), not once per event.
 */
import { compileGlobs, type GlobMatcher } from '@homeiq/event-normalizer';

/** Most `domains` in one subscribe message. */
export const MAX_FILTER_DOMAINS = 64;
/** Longest domain: HA's `MAX_LENGTH_STATE_DOMAIN` (homeassistant/const.py); no longer one exists. */
export const MAX_FILTER_DOMAIN_LENGTH = 64;
/** Most `entity_ids` in one subscribe message. */
export const MAX_FILTER_ENTITY_IDS = 256;
/** Longest entity id: HA's `MAX_LENGTH_STATE_ENTITY_ID` (homeassistant/const.py); no longer one exists. */
export const MAX_FILTER_ENTITY_ID_LENGTH = 255;
/** Most `entity_globs` in one subscribe message. */
export const MAX_FILTER_GLOBS = 16;
/** Longest glob, in UTF-16 code units. */
export const MAX_FILTER_GLOB_LENGTH = 128;
/** Most characters of all globs together: with the id length, this bounds the matching work per event. */
export const MAX_FILTER_TOTAL_GLOB_LENGTH = 256;

/** Entity ids whose glob answer one client's filter remembers; past this the memo starts again. */
export const FILTER_MEMO_SIZE = 2048;

/** A client's filter: an event passes when every given list has a match (empty or absent lists match all). */
export interface LiveFilter {
  readonly domains?: readonly string[];
  readonly entityIds?: readonly string[];
  /** HA's fnmatch globs on the entity id, e.g. `sensor.*_temperature` (`*`, `?`, `[seq]`, `[!seq]`). */
  readonly entityGlobs?: readonly string[];
}

/** A subscribe message read: a filter, not a subscribe message at all, or a filter over one of the bounds. */
export type SubscribeResult =
  | { readonly kind: 'filter'; readonly filter: LiveFilter }
  | { readonly kind: 'malformed' }
  | { readonly kind: 'over_limit'; readonly reason: string };

/** A filter ready for the hot path. */
export interface CompiledFilter {
  readonly domains: ReadonlySet<string> | undefined;
  readonly entityIds: ReadonlySet<string> | undefined;
  readonly globs: GlobMatcher | undefined;
}

export const MATCH_ALL: CompiledFilter = { domains: undefined, entityIds: undefined, globs: undefined };

/** Reads `{"type":"subscribe","domains"?:[],"entity_ids"?:[],"entity_globs"?:[]}` and checks the bounds. */
export function parseSubscribe(data: string): SubscribeResult {
  let message: unknown;
  try {
    message = JSON.parse(data);
  } catch {
    return { kind: 'malformed' };
  }
  if (typeof message !== 'object' || message === null || Reflect.get(message, 'type') !== 'subscribe')
    return { kind: 'malformed' };
  const m = message as Record<string, unknown>;
  const domains = stringList(m['domains']);
  const entityIds = stringList(m['entity_ids']);
  const entityGlobs = stringList(m['entity_globs']);
  if (domains === null || entityIds === null || entityGlobs === null) return { kind: 'malformed' };
  const reason =
    overLimit('domains', domains, MAX_FILTER_DOMAINS, MAX_FILTER_DOMAIN_LENGTH) ??
    overLimit('entity_ids', entityIds, MAX_FILTER_ENTITY_IDS, MAX_FILTER_ENTITY_ID_LENGTH) ??
    overLimit('entity_globs', entityGlobs, MAX_FILTER_GLOBS, MAX_FILTER_GLOB_LENGTH) ??
    totalOverLimit(entityGlobs);
  if (reason !== undefined) return { kind: 'over_limit', reason };
  return {
    kind: 'filter',
    filter: {
      ...(domains && { domains }),
      ...(entityIds && { entityIds }),
      ...(entityGlobs && { entityGlobs }),
    },
  };
}

/** undefined when absent, null when present but not a list of strings. */
function stringList(value: unknown): string[] | undefined | null {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) return null;
  return value;
}

/** The close reason for a list over its bounds (a few dozen bytes: a close reason may have 123). */
function overLimit(
  name: string,
  list: readonly string[] | undefined,
  maxItems: number,
  maxLength: number,
): string | undefined {
  if (list === undefined) return undefined;
  if (list.length > maxItems) return `${name}: ${list.length} items, at most ${maxItems}`;
  const index = list.findIndex((item) => item.length > maxLength);
  if (index < 0) return undefined;
  return `${name}[${index}]: ${list[index]?.length ?? 0} characters, at most ${maxLength}`;
}

function totalOverLimit(globs: readonly string[] | undefined): string | undefined {
  const total = (globs ?? []).reduce((sum, glob) => sum + glob.length, 0);
  if (total <= MAX_FILTER_TOTAL_GLOB_LENGTH) return undefined;
  return `entity_globs: ${total} characters in all, at most ${MAX_FILTER_TOTAL_GLOB_LENGTH}`;
}

/** Compiles a filter; one that lists nothing is MATCH_ALL (sent the shared serialization). */
export function compileFilter(filter: LiveFilter): CompiledFilter {
  const set = (list: readonly string[] | undefined) => (list && list.length > 0 ? new Set(list) : undefined);
  const compiled = {
    domains: set(filter.domains),
    entityIds: set(filter.entityIds),
    globs: memoized(compileGlobs(filter.entityGlobs ?? [])),
  };
  return compiled.domains || compiled.entityIds || compiled.globs ? compiled : MATCH_ALL;
}

function memoized(globs: GlobMatcher | undefined): GlobMatcher | undefined {
  if (globs === undefined) return undefined;
  const memo = new Map<string, boolean>();
  return {
    matches(entityId) {
      const known = memo.get(entityId);
      if (known !== undefined) return known;
      const answer = globs.matches(entityId);
      if (memo.size >= FILTER_MEMO_SIZE) memo.clear();
      memo.set(entityId, answer);
      return answer;
    },
  };
}

/** Whether an event passes: two hash lookups and the globs' answer (remembered per entity id). */
export function passes(
  filter: CompiledFilter,
  event: { readonly entityId: string; readonly domain: string },
) {
  if (filter.domains && !filter.domains.has(event.domain)) return false;
  if (filter.entityIds && !filter.entityIds.has(event.entityId)) return false;
  if (filter.globs && !filter.globs.matches(event.entityId)) return false;
  return true;
}
