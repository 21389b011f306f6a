import { ManualClock } from '@homeiq/runtime/testing';
import { prepareFileSystem } from './prepare-file-system.js';
import type { CheckFs } from './writable-path.js';

/** A file system whose calls never answer, as a dead network mount does. */
const hangingFs: CheckFs = {
  stat: () => new Promise(() => undefined),
  mkdir: () => new Promise(() => undefined),
  open: () => new Promise(() => undefined),
  unlink: () => new Promise(() => undefined),
};

describe('start-up deadlines', () => {
  it('a DATA_DIR check that never answers fails after the deadline, saying what it was doing', async () => {
    const clock = new ManualClock();
    const config = {
      dataDir: '/mnt/nfs/data',
      log: { output: 'stdout', file: 'x', level: 'info', format: 'json' },
      queue: { overflowStrategy: 'spill' },
    } as const;
    const result = prepareFileSystem(config, { fs: hangingFs, timers: clock, deadlineMs: 10_000 });
    const settled = jest.fn();
    result.catch(settled);
    await clock.advance(9_999);
    expect(settled).not.toHaveBeenCalled();
    await clock.advance(1);
    await expect(result).rejects.toMatchObject({
      code: 'ERR_STARTUP_TIMEOUT',
      message:
        'Creating DATA_DIR "/mnt/nfs/data" did not finish within 10 s; check that it is on a local, writable file system that answers, or set DATA_DIR',
    });
  });
});
