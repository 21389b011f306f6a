import type { ChildProcess } from 'node:child_process';

/**
 * Every child process the helpers start (the service, influxd, compiled lib scripts) until it exits. Jest runs a
 * 2-core machine's suites in one process, so a child a failing test never stopped keeps its pipes, and with them
 * the test run, open for ever: CI then hangs until its time limit instead of reporting the failure.
 */
const live = new Set<ChildProcess>();

/** Tracks `child` until it exits; returns it. */
export function trackProcess<T extends ChildProcess>(child: T): T {
  if (child.exitCode !== null || child.signalCode !== null) return child;
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** SIGKILLs every tracked child still running and waits for each exit; resolves with how many there were. */
export async function killLeftoverProcesses(): Promise<number> {
  const leftovers = [...live];
  await Promise.all(
    leftovers.map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('exit', () => {
            resolve();
          });
          if (!child.kill('SIGKILL')) resolve(); // already gone, its exit event may have fired
        }),
    ),
  );
  return leftovers.length;
}
