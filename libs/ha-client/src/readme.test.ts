import { startHaSim, type HaSim } from '@homeiq/ha-sim';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInThisContext } from 'node:vm';
import ts from 'typescript';
import { createHaClient } from './create-client.js';

/**
 * The README's "keeping up" example, run as written: TypeScript's own transpiler strips its types, and its import
 * is swapped for the source. (The publish check also compiles it under strict TS from the packed tarball.)
 */
function readmeExample(): string {
  const readme = readFileSync(join(__dirname, '../README.md'), 'utf8');
  const marker = readme.indexOf('<!-- example: keeping-up -->');
  const start = readme.indexOf('```ts\n', marker) + '```ts\n'.length;
  const code = readme.slice(start, readme.indexOf('```\n', start));
  const { outputText } = ts.transpileModule(code, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const importLine = "import { createHaClient } from '@homeiq/ha-client';\n";
  expect(outputText.startsWith(importLine)).toBe(true);
  return outputText.slice(importLine.length);
}

/** Polls `condition` every 10 ms for up to 5 s; the assertion after it says what was expected. */
async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition() && waited < 5_000; waited += 10) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

type Example = (createClient: typeof createHaClient, process: unknown, console: unknown) => Promise<void>;

describe('README example: hand work off so HA never drops the connection', () => {
  let sim: HaSim;
  let onSigint: (() => void) | undefined;
  afterEach(async () => {
    onSigint?.(); // the example's own shutdown; a failed test must not leave its client reconnecting
    await new Promise((resolve) => setTimeout(resolve, 50));
    await sim.close();
  });

  it('runs against the simulator, stores every event, resyncs after a gap and stops on SIGINT', async () => {
    sim = await startHaSim({ home: { entities: 200, seed: 5 } });
    const lines: string[] = [];
    const fakeProcess = {
      env: { HA_URL: sim.url, HA_TOKEN: sim.token },
      once: (signal: string, handler: () => void) => {
        if (signal === 'SIGINT') onSigint = handler;
      },
    };
    const fakeConsole = { log: (line: string) => lines.push(line) };
    const run = runInThisContext(
      `(async (createHaClient, process, console) => {\n${readmeExample()}\n})`,
    ) as Example;

    await run(createHaClient, fakeProcess, fakeConsole);
    expect(lines).toEqual(['connected to Home Assistant 2025.1.2']);

    const storedCount = (): number =>
      lines.reduce((sum, line) => sum + Number(/^stored (\d+) events$/.exec(line)?.[1] ?? 0), 0);
    // whenConnected() resolves once authenticated; the subscribe reaches HA a moment later.
    await until(() => sim.connections()[0]?.subscriptions === 1);
    const sent = sim.emitStateChanges(2_000);
    expect(sent).toBeGreaterThan(0); // a few random steps change nothing and fire no event
    await until(() => storedCount() >= sent);
    expect(storedCount()).toBe(sent);

    // Capture what the default logger would print on the real console: a drop must not be among it.
    const warnings: unknown[] = [];
    const warn = jest.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
      warnings.push(args);
    });
    sim.dropConnections(1012);
    await until(() => lines.some((l) => l.startsWith('resynced')));
    expect(lines).toContainEqual(expect.stringMatching(/^Reconnection attempt 1\/∞ in \d\.\ds$/));
    expect(lines).toContainEqual(expect.stringMatching(/^resynced \d+ states after a gap since 20/));
    warn.mockRestore();
    // The drop reaches the example through onReconnectAttempt; the default logger does not say it again.
    expect(warnings).toEqual([]);

    expect(onSigint).toBeDefined();
    const sigint = onSigint;
    onSigint = undefined;
    sigint?.();
    await until(() => lines.at(-1)?.startsWith('stopped') === true);
    expect(lines.at(-1)).toBe(`stopped; ${sent} events received, 0 dropped`);
  }, 15_000);
});
