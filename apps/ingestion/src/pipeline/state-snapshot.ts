import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { RememberedState, StateMemory } from './state-memory.js';

/**
 * The state memory on disk (`DATA_DIR/state-memory.json`), so that a restart resyncs what changed while the
 * service was stopped, as a reconnect does. Written atomically (a temp file, then a rename).
 *
 * Which memory is saved matters after a crash: a state in the snapshot is never resynced, so the snapshot must
 * not be newer than what reached InfluxDB. A periodic save therefore writes the memory as it was one interval
 * earlier (its points have long been written or spilled); after a crash the restart rewrites the final state of
 * whatever changed in the last interval or two, which InfluxDB stores once (same series, same time). A clean
 * shutdown saves the memory as it is, after the queue was written or spilled.
 */
export interface StateSnapshotSaver {
  /** Called every interval: writes the capture of the previous call (if the memory changed), captures now. */
  tick(): Promise<void>;
  /** Writes the memory as it is now, after a periodic write in flight: for the end of a clean shutdown. */
  saveNow(): Promise<void>;
}

interface SnapshotFile {
  readonly format: 1;
  /** The HA the states came from: a snapshot of another HA is not resynced against. */
  readonly haUrl: string;
  readonly savedAt: string;
  readonly states: readonly RememberedState[];
}

/** The states the last run saved for `haUrl`; `[]` when there are none or they cannot be used (logged). */
export function loadStateSnapshot(path: string, haUrl: string, log: Logger): readonly unknown[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      log.warn({ path, error: String(error) }, 'cannot read the state snapshot; no restart resync');
    }
    return [];
  }
  try {
    const file = JSON.parse(text) as Partial<SnapshotFile>;
    if (file.format !== 1 || !Array.isArray(file.states)) throw new Error('not a state snapshot');
    if (file.haUrl !== haUrl) {
      log.info({ path, savedFor: file.haUrl }, 'state snapshot of another Home Assistant; not used');
      return [];
    }
    return file.states;
  } catch (error) {
    log.warn({ path, error: String(error) }, 'state snapshot unreadable; no restart resync');
    return [];
  }
}

export function createStateSnapshotSaver(options: {
  readonly path: string;
  readonly haUrl: string;
  readonly memory: StateMemory;
  readonly log: Logger;
}): StateSnapshotSaver {
  const { path, haUrl, memory, log } = options;
  const temp = `${path}.tmp`;
  let captured: { version: number; states: RememberedState[] } | undefined;
  let savedVersion = -1;
  let writing: Promise<void> = Promise.resolve();

  async function write(states: readonly RememberedState[]): Promise<boolean> {
    const file: SnapshotFile = { format: 1, haUrl, savedAt: new Date().toISOString(), states };
    try {
      await writeFile(temp, JSON.stringify(file));
      await rename(temp, path);
      return true;
    } catch (error) {
      log.warn({ path, error: String(error) }, 'cannot write the state snapshot');
      return false;
    }
  }

  return {
    tick() {
      const previous = captured;
      // An idle home keeps the same memory: no need to copy 10,000 states again to find that out.
      if (previous?.version !== memory.version) {
        captured = { version: memory.version, states: memory.snapshot() };
      }
      if (previous === undefined || previous.version === savedVersion) return writing;
      writing = writing.then(async () => {
        if (await write(previous.states)) savedVersion = previous.version;
      });
      return writing;
    },
    async saveNow() {
      await writing;
      await write(memory.snapshot());
    },
  };
}
