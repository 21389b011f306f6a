import type { ChildProcess } from 'node:child_process';

/**
 * Every child process the helpers start (the service, influxd, compiled lib scripts) until it exits. Under jest the
 * set is the test environment's (tools/testing/jest-environment.cjs), which SIGKILLs what a test file left running
 * once the file is done: Jest runs a 2-core machine's suites in one process, where a child a failing test never
 * stopped keeps its pipes, and with them the run, open for ever.
 */
const live: Set<ChildProcess> =
  (globalThis as { __homeiqLiveProcesses?: Set<ChildProcess> }).__homeiqLiveProcesses ?? new Set();

/** Tracks `child` until it exits; returns it. */
export function trackProcess<T extends ChildProcess>(child: T): T {
  if (child.exitCode !== null || child.signalCode !== null) return child;
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}
