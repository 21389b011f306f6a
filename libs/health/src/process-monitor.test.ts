import { createProcessMonitor } from './process-monitor.js';

const MIB = 1024 * 1024;

describe('createProcessMonitor', () => {
  it('computes CPU percent between samples from injected readings', () => {
    let t = 0;
    let cpu = { user: 0, system: 0 };
    const monitor = createProcessMonitor({
      now: () => t,
      cpuUsage: () => cpu,
      memoryUsage: () => ({ rss: 150 * MIB, heapUsed: 40.25 * MIB }),
    });
    t = 2000; // 2 s later, 0.5 s of user and 0.3 s of system time
    cpu = { user: 500_000, system: 300_000 };
    expect(monitor.sample()).toEqual({ memoryMb: 150, heapUsedMb: 40.3, cpuPercent: 40, uptimeSeconds: 2 });
    t = 3000; // 1 s later, no CPU used
    expect(monitor.sample().cpuPercent).toBe(0);
  });

  it('degrades above maxMemoryMb', () => {
    let rss = 100 * MIB;
    const monitor = createProcessMonitor({ maxMemoryMb: 200, memoryUsage: () => ({ rss, heapUsed: 0 }) });
    expect(monitor.check().status).toBe('healthy');
    rss = 201 * MIB;
    expect(monitor.check()).toMatchObject({
      status: 'degraded',
      reasons: ['memory 201 MB is above MAX_MEMORY_MB 200'],
    });
  });

  it('rejects a non-positive maxMemoryMb with a message naming the option', () => {
    expect(() => createProcessMonitor({ maxMemoryMb: 0 })).toThrow(
      'Expected `maxMemoryMb` to be a number > 0, got `0`',
    );
  });
});
