import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pythonStr } from '@homeiq/event-normalizer';
import fc from 'fast-check';
import { ensureHomeAssistant } from '../install.js';

/**
 * `pythonStr` (what the `ha` schema writes into `<attr>_str`) against CPython's own `str()`, the interpreter
 * HA 2025.1 runs on (the cached venv's): generated JSON values, parsed by each side from the same text, as HA's
 * attributes reach each (HA's state machine holds what the JSON decoder made of them).
 * Left out, as the residual cases the `ha` schema lists: integers beyond 2^53 (JSON.parse rounds them; Python
 * keeps an int) and integer-like dict keys (a JavaScript object orders them first; Python keeps insertion
 * order). Code points Unicode assigned after CPython's 15.0 are in (the lib escapes them as CPython does:
 * libs/event-normalizer/src/unicode-after-15.ts); this test found them.
 */

const text = fc.string({ unit: 'binary', maxLength: 12 });
const key = text.filter((s) => !/^(0|[1-9]\d*)$/.test(s));
const scalar = fc.oneof(
  text,
  fc.boolean(),
  fc.constant(null),
  fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
  fc
    .double({ noNaN: true, noDefaultInfinity: true })
    .filter((x) => !Number.isInteger(x) || Number.isSafeInteger(x)),
);
const value = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** `str(json.loads(line))` for each line, by one CPython process. */
async function cpythonStr(python: string, jsonLines: readonly string[]): Promise<string[]> {
  const script =
    'import json, sys\n' + 'for line in sys.stdin:\n' + '    print(json.dumps(str(json.loads(line))))\n';
  const child = spawn(python, ['-c', script], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  child.stdin.end(jsonLines.join('\n') + '\n');
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  if (code !== 0) throw new Error(`python exited ${String(code)}: ${err}`);
  return out
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as string);
}

describe("pythonStr against CPython's str()", () => {
  it('is the same text for 5,000 generated JSON values', async () => {
    const install = await ensureHomeAssistant();
    const samples = fc.sample(value, { numRuns: 5000, seed: 18 }).map((v) => JSON.stringify(v));
    const expected = await cpythonStr(join(install.venv, 'bin', 'python'), samples);
    const differing = samples
      .map((json, i) => ({ json, python: expected[i], ours: pythonStr(JSON.parse(json)) }))
      .filter((row) => row.python !== row.ours);
    expect(differing.slice(0, 5)).toEqual([]);
  });
});
