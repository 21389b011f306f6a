#!/usr/bin/env node
/**
 * `prepack`/`postpack` of every published package: the tarball must carry only what it ships.
 *
 * - Inside the repository `exports` has an `@homeiq/source` condition pointing at `./src/*.ts`, which
 *   `tsconfig.base.json` (`customConditions`) resolves so that a typecheck reads each lib's source instead of its
 *   build; the tarball ships no `src`, so in a consumer's project that entry would point at files that do not
 *   exist. npm has no `publishConfig.exports` (pnpm has), so `prepack` rewrites package.json without the condition
 *   and without these two scripts, keeping the original next to it, and `postpack` puts the original back. npm
 *   packs the package.json on disk after `prepack` (docs.npmjs.com/cli/using-npm/scripts, "npm pack").
 * - Build output whose source is gone is deleted before packing (see {@link unshippable}).
 *
 *   node pack-manifest.mjs strip     # prepack, in the package directory
 *   node pack-manifest.mjs restore   # postpack
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MANIFEST = 'package.json';
/** Not in any package's `files`, so it is never packed. */
const BACKUP = '.package.json.prepack';
const CONDITION = '@homeiq/source';
/** A backup older than this was left by a pack that died before its postpack: it is the original. */
const STALE_MS = 60_000;

/** `exports` without the internal condition, at any depth of nested conditions. */
export function stripCondition(value) {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== CONDITION)
      .map(([key, inner]) => [key, stripCondition(inner)]),
  );
}

/** The manifest as published: no internal condition, no pack scripts (an empty `scripts` is left out). */
export function publishedManifest(manifest) {
  const out = { ...manifest, exports: stripCondition(manifest.exports) };
  if (manifest.exports === undefined) delete out.exports;
  if (manifest.scripts !== undefined) {
    const { prepack: _prepack, postpack: _postpack, ...scripts } = manifest.scripts;
    if (Object.keys(scripts).length > 0) out.scripts = scripts;
    else delete out.scripts;
  }
  return out;
}

/**
 * Build output that must not be packed: `dist/` files whose source is gone (tsc never deletes what it once
 * emitted, and Nx's cache restores a whole `dist/` as it was, stale files included), and declaration maps (the
 * packages build none: they would point at `src/*.ts`, which is not shipped). Nothing imports these files:
 * their sources are gone.
 */
function unshippable(dir = 'dist', src = 'src') {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return unshippable(path, join(src, entry.name));
    if (entry.name.endsWith('.d.ts.map')) return [path];
    const stem = /^(.*?)(\.js|\.js\.map|\.d\.ts)$/.exec(entry.name)?.[1];
    if (stem === undefined) return [];
    return existsSync(join(src, `${stem}.ts`)) ? [] : [path];
  });
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function strip() {
  // The backup doubles as a lock: two packs of one package at once (two test runs) take turns, so neither packs
  // the other's stripped manifest nor restores the wrong one.
  for (;;) {
    try {
      writeFileSync(BACKUP, readFileSync(MANIFEST), { flag: 'wx' });
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      if (Date.now() - statSync(BACKUP).mtimeMs > STALE_MS) restore();
      else sleep(50);
    }
  }
  const stale = unshippable();
  for (const path of stale) rmSync(path);
  // stderr: `npm pack --json` prints its JSON on stdout.
  if (stale.length > 0)
    console.error(`prepack: left out ${stale.length} stale build files: ${stale.join(', ')}`);
  const manifest = JSON.parse(readFileSync(BACKUP, 'utf8'));
  writeFileSync(MANIFEST, `${JSON.stringify(publishedManifest(manifest), null, 2)}\n`);
}

function restore() {
  if (existsSync(BACKUP)) renameSync(BACKUP, MANIFEST);
}

const command = process.argv[2];
if (command === 'strip') strip();
else if (command === 'restore') restore();
else if (command !== undefined) {
  console.error(`usage: pack-manifest.mjs strip|restore (got ${command})`);
  process.exit(2);
}
