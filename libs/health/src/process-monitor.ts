import type { CheckResult } from './health.js';

/** Process figures for a health report. */
export interface ProcessSample {
  /** Resident set size in MiB. */
  readonly memoryMb: number;
  /** V8 heap in use, in MiB. */
  readonly heapUsedMb: number;
  /** CPU time (user + system) as a percentage of one core since the previous sample; 0 on the first. */
  readonly cpuPercent: number;
  /** Seconds since the monitor was created. */
  readonly uptimeSeconds: number;
}

/** Options for {@link createProcessMonitor}. Every source of a reading is injectable for tests. */
export interface ProcessMonitorOptions {
  /** Above this RSS, in MiB, `check()` reports `degraded` (`MAX_MEMORY_MB`, docs/decisions.md). @default 500 */
  readonly maxMemoryMb?: number;
  /** Monotonic clock in milliseconds. @default performance.now */
  readonly now?: () => number;
  /** @default process.memoryUsage */
  readonly memoryUsage?: () => { rss: number; heapUsed: number };
  /** @default process.cpuUsage */
  readonly cpuUsage?: () => { user: number; system: number };
}

/** Samples memory and CPU of this process. */
export interface ProcessMonitor {
  sample(): ProcessSample;
  /** A health check result: `degraded` while RSS is above `maxMemoryMb`. */
  check(): CheckResult;
}

const MIB = 1024 * 1024;

/** Creates a process monitor. CPU is measured between consecutive samples, so sample at a steady cadence. */
export function createProcessMonitor(options: ProcessMonitorOptions = {}): ProcessMonitor {
  const maxMemoryMb = options.maxMemoryMb ?? 500;
  if (!(maxMemoryMb > 0)) {
    throw new RangeError(`Expected \`maxMemoryMb\` to be a number > 0, got \`${String(maxMemoryMb)}\``);
  }
  const now = options.now ?? (() => performance.now());
  const memoryUsage = options.memoryUsage ?? (() => process.memoryUsage());
  const cpuUsage = options.cpuUsage ?? (() => process.cpuUsage());
  const startedAt = now();
  let previous = { at: startedAt, cpu: cpuUsage() };

  function sample(): ProcessSample {
    const at = now();
    const cpu = cpuUsage();
    const elapsedMicros = (at - previous.at) * 1000;
    const usedMicros = cpu.user - previous.cpu.user + (cpu.system - previous.cpu.system);
    previous = { at, cpu };
    const memory = memoryUsage();
    return {
      memoryMb: round1(memory.rss / MIB),
      heapUsedMb: round1(memory.heapUsed / MIB),
      cpuPercent: elapsedMicros > 0 ? round1((usedMicros / elapsedMicros) * 100) : 0,
      uptimeSeconds: round1((at - startedAt) / 1000),
    };
  }

  return {
    sample,
    check() {
      const memoryMb = round1(memoryUsage().rss / MIB);
      if (memoryMb > maxMemoryMb) {
        return {
          status: 'degraded',
          reasons: [`memory ${memoryMb} MB is above MAX_MEMORY_MB ${maxMemoryMb}`],
          details: { memoryMb },
        };
      }
      return { status: 'healthy', details: { memoryMb } };
    },
  };
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
