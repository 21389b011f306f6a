import { join } from 'node:path';
import type { IngestionConfig } from '../config/load-config.js';
import { withDeadline, type DeadlineTimers } from './deadline.js';
import { ensureAppendableFile, ensureWritableDirectory, nodeCheckFs, type CheckFs } from './writable-path.js';

/** How long one file-system check may take before start-up gives up on it. */
export const FILE_SYSTEM_STEP_DEADLINE_MS = 10_000;

/** The file-system parts of {@link IngestionConfig} start-up checks. */
export type FileSystemConfig = Pick<IngestionConfig, 'dataDir' | 'log'> & {
  readonly queue: Pick<IngestionConfig['queue'], 'overflowStrategy'>;
};

/**
 * Creates and checks, before anything is built, every path the service will write: DATA_DIR, the spool directory
 * in it, and LOG_FILE when logs go to a file. Each check is asynchronous and has a deadline, so a file system that
 * never answers ends start-up with a message instead of a silent hang. The libraries open these paths
 * synchronously afterwards; by then each one exists and took a write.
 */
export async function prepareFileSystem(
  config: FileSystemConfig,
  deps: { readonly fs?: CheckFs; readonly timers?: DeadlineTimers; readonly deadlineMs?: number } = {},
): Promise<void> {
  const fs = deps.fs ?? nodeCheckFs;
  const deadlineMs = deps.deadlineMs ?? FILE_SYSTEM_STEP_DEADLINE_MS;
  const local = 'check that it is on a local, writable file system that answers';
  await withDeadline(
    {
      doing: `Creating DATA_DIR ${JSON.stringify(config.dataDir)}`,
      check: `${local}, or set DATA_DIR`,
      deadlineMs,
    },
    () =>
      ensureWritableDirectory(
        config.dataDir,
        { code: 'ERR_DATA_DIR', label: 'DATA_DIR', fix: 'set DATA_DIR to a writable directory' },
        fs,
      ),
    deps.timers,
  );
  if (config.queue.overflowStrategy === 'spill') {
    const spoolDir = join(config.dataDir, 'spool');
    await withDeadline(
      { doing: `Creating the spool directory ${JSON.stringify(spoolDir)}`, check: local, deadlineMs },
      () =>
        ensureWritableDirectory(
          spoolDir,
          {
            code: 'ERR_SPOOL_DIR',
            label: 'the spool directory (DATA_DIR/spool)',
            fix: 'move what is in the way, or set DATA_DIR to another directory',
          },
          fs,
        ),
      deps.timers,
    );
  }
  if (config.log.output !== 'stdout') {
    await withDeadline(
      {
        doing: `Opening LOG_FILE ${JSON.stringify(config.log.file)}`,
        check: `${local}, or set LOG_FILE, or LOG_OUTPUT=stdout`,
        deadlineMs,
      },
      () =>
        ensureAppendableFile(
          config.log.file,
          {
            code: 'ERR_LOG_FILE',
            label: 'LOG_FILE',
            fix: 'set LOG_FILE to a writable path, or LOG_OUTPUT=stdout',
          },
          fs,
        ),
      deps.timers,
    );
  }
}
