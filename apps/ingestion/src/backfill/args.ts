/**
 * The import command's arguments (`npm run backfill -- --since 7d …`, README "Importing history"): parsed into a
 * request, or a message for the operator. Never throws: a bad argument ends in exit code 2, not a stack trace.
 */

/** What the operator asked for, times resolved against the run's start. */
export interface ImportArgs {
  /** Epoch µs: rows recorded after this are imported. */
  readonly sinceUs: number;
  /** Epoch µs, or undefined: "now" (or the live service's first connection, see cli.ts). */
  readonly untilUs: number | undefined;
  /** HA fnmatch globs of the entities to import; empty: every entity. */
  readonly entityGlobs: readonly string[];
  readonly dryRun: boolean;
  /** Pause between two history requests, ms. */
  readonly pauseMs: number;
  /** `--since`/`--until` as written: a resumed run must ask the same thing, however the clock moved since. */
  readonly sinceText: string;
  readonly untilText: string | undefined;
  readonly help: boolean;
}

export type ParsedArgs =
  { readonly ok: true; readonly args: ImportArgs } | { readonly ok: false; readonly message: string };

export const USAGE = `Usage: backfill --since <date|duration> [--until <date|duration>] [--entities <glob>[,<glob>…]]
                [--dry-run] [--pause-ms <ms>]
  --since     an ISO date/time (2026-11-01, 2026-11-01T08:00:00Z) or a duration back from now (7d, 12h, 30m)
  --until     the same; default: now
  --entities  HA fnmatch globs (sensor.*, light.kitchen_?), comma-separated or repeated; default: every entity
  --dry-run   read and count, write nothing
  --pause-ms  pause between two history requests (default 50), so that HA stays responsive`;

/** The pause between history requests unless `--pause-ms` says otherwise. */
export const DEFAULT_PAUSE_MS = 50;
const MAX_PAUSE_MS = 60_000;
const UNIT_MS: Readonly<Record<string, number>> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };
/** HA's recorder keeps days to weeks; a century covers every sane request and keeps µs within 2^53. */
const MAX_DURATION_MS = 100 * 365 * 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

/** Parses `argv` (without node and the script); `nowMs` resolves durations. */
export function parseImportArgs(argv: readonly string[], nowMs: number): ParsedArgs {
  let since: string | undefined;
  let until: string | undefined;
  let pause: string | undefined;
  const globs: string[] = [];
  let dryRun = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = name === arg ? undefined : arg.slice(eq + 1);
    const value = (): string | undefined => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) return undefined;
      i++;
      return next;
    };
    if (name === '--help' || name === '-h') help = true;
    else if (name === '--dry-run' && inline === undefined) dryRun = true;
    else if (name === '--since' || name === '--until' || name === '--entities' || name === '--pause-ms') {
      const text = value();
      if (text === undefined || text.trim() === '') return fail(`${name} needs a value`);
      if (name === '--since') since = text;
      else if (name === '--until') until = text;
      else if (name === '--pause-ms') pause = text;
      else globs.push(...text.split(',').map((g) => g.trim()));
    } else return fail(`unknown argument ${JSON.stringify(arg.slice(0, 80))}`);
  }
  if (help) return { ok: true, args: { ...EMPTY, help } };
  if (since === undefined) return fail('--since is required');
  const sinceMs = parseTime(since, nowMs);
  if (sinceMs === undefined) return fail(timeProblem('--since', since));
  const untilMs = until === undefined ? undefined : parseTime(until, nowMs);
  if (until !== undefined && untilMs === undefined) return fail(timeProblem('--until', until));
  if (sinceMs >= (untilMs ?? nowMs)) return fail('--since must be before --until (and before now)');
  if (globs.some((g) => g === '')) return fail('--entities has an empty glob');
  const pauseMs = pause === undefined ? DEFAULT_PAUSE_MS : Number(pause);
  if (!/^\d+$/.test(pause ?? '0') || pauseMs > MAX_PAUSE_MS)
    return fail(
      `--pause-ms must be a whole number of milliseconds from 0 to ${MAX_PAUSE_MS}, got ${JSON.stringify(pause)}`,
    );
  return {
    ok: true,
    args: {
      sinceUs: sinceMs * 1000,
      untilUs: untilMs === undefined ? undefined : untilMs * 1000,
      entityGlobs: [...new Set(globs)],
      dryRun,
      pauseMs,
      sinceText: since.trim(),
      untilText: until?.trim(),
      help: false,
    },
  };
}

const EMPTY: ImportArgs = {
  sinceUs: 0,
  untilUs: undefined,
  entityGlobs: [],
  dryRun: false,
  pauseMs: DEFAULT_PAUSE_MS,
  sinceText: '',
  untilText: undefined,
  help: false,
};

/** Epoch ms of a duration back from `nowMs` (`7d`) or of an ISO date/time (UTC when no offset); else undefined. */
export function parseTime(text: string, nowMs: number): number | undefined {
  const trimmed = text.trim();
  const duration = /^(\d{1,12})([dhms])$/.exec(trimmed);
  if (duration !== null) {
    const ms = Number(duration[1]) * (UNIT_MS[duration[2] as string] as number);
    return ms > MAX_DURATION_MS ? undefined : nowMs - ms;
  }
  if (!ISO_DATE.test(trimmed)) return undefined;
  // A date or time without an offset is UTC: the container's time zone is not the operator's.
  const withZone =
    /[T ]\d{2}:\d{2}/.test(trimmed) && !/(Z|[+-]\d{2}:\d{2})$/.test(trimmed) ? `${trimmed}Z` : trimmed;
  const ms = Date.parse(withZone.replace(' ', 'T'));
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

function timeProblem(name: string, text: string): string {
  return `${name} must be an ISO date/time (2026-11-01, 2026-11-01T08:00:00Z) or a duration (7d, 12h, 30m), got ${JSON.stringify(text.slice(0, 80))}`;
}

function fail(message: string): ParsedArgs {
  return { ok: false, message };
}
