// Child processes of the benchmarks: pinned to a CPU with `taskset` (when it exists), their first stdout line read as
// JSON, their CPU time and memory read from /proc (Linux), and stopped by their own pid only.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';

export const HAS_TASKSET = spawnSync('taskset', ['--version']).status === 0;
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** Spawns `command args` pinned to `cpu` (when taskset exists), stdout piped, stderr kept for errors. */
export function spawnPinned(cpu, command, args, options = {}) {
  const [cmd, argv] = HAS_TASKSET ? ['taskset', ['-c', String(cpu), command, ...args]] : [command, args];
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-8000)));
  child.stdout.on('data', (chunk) => (stdout = (stdout + chunk).slice(-8000)));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    pid: child.pid,
    exited,
    output: () => `${stdout}${stderr}`,
    /** Stops this process (SIGTERM, then SIGKILL after `graceMs`) and waits for it to end. */
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/** Spawns a Node script pinned to `cpu`; `nodeArgs` (e.g. `--cpu-prof`) go before the script. */
export function spawnNode(cpu, script, args = [], { nodeArgs = [], ...options } = {}) {
  return spawnPinned(cpu, process.execPath, [...nodeArgs, script, ...args], options);
}

/** Resolves with the next stdout line of `proc` that parses as JSON (rejects if the process ends first). */
export function nextJsonLine(proc, timeoutMs = 60_000) {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (chunk) => {
      buffer += chunk;
      for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (!line.startsWith('{')) continue;
        try {
          const value = JSON.parse(line);
          done();
          resolve(value);
          return;
        } catch {
          // A log line that starts with `{` but is not one JSON value: keep reading.
          continue;
        }
      }
    };
    const onExit = (code) => {
      done();
      reject(new Error(`process ${proc.pid} ended (code ${code}) before it reported:\n${proc.output()}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`process ${proc.pid} did not report within ${timeoutMs} ms:\n${proc.output()}`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      proc.child.stdout.off('data', onData);
      proc.child.off('exit', onExit);
    };
    proc.child.stdout.on('data', onData);
    proc.child.once('exit', onExit);
  });
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at state, field 3; utime/stime are 14/15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/**
 * Seconds the threads of a process have so far waited on a run queue for a CPU (`/proc/<pid>/task/<tid>/schedstat`,
 * its second field), summed over the threads: time other load on the machine, or the process's own threads (all pinned
 * to one CPU), held them off it. NaN where the kernel does not report it.
 */
export function runQueueWaitSeconds(pid) {
  let tasks;
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return Number.NaN;
  }
  let ns = 0;
  for (const tid of tasks) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[1]);
    } catch {
      // The thread ended between the listing and the read: its wait is not counted, the others' stands.
    }
  }
  return ns / 1e9;
}

/** Resident set size now and its peak (VmHWM), in MB, from /proc/<pid>/status. */
export function memoryMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 'NaN');
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/**
 * Where a process's resident memory is, in MB, from /proc/<pid>/smaps: the node executable's own pages (its code,
 * shared with every other Node process), the malloc heap (native allocations: SQLite, zlib, buffers), and the
 * anonymous mappings (mostly the V8 heap), the rest summed apart.
 */
export function rssBreakdownMb(pid) {
  const parts = { nodeBinary: 0, mallocHeap: 0, anonymous: 0, other: 0 };
  let part = 'other';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const mapping = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (mapping) {
      const name = mapping[1];
      part =
        name === ''
          ? 'anonymous'
          : name === '[heap]'
            ? 'mallocHeap'
            : /\/node$/.test(name)
              ? 'nodeBinary'
              : 'other';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) parts[part] += Number(rss[1]) / 1024;
  }
  return parts;
}

/** Samples a process's RSS every `intervalMs`; `stop()` returns the largest sample, in MB. */
export function sampleRss(pid, intervalMs = 100) {
  let max = 0;
  const read = () => {
    try {
      max = Math.max(max, memoryMb(pid).rss);
    } catch {
      // The process ended between two samples: the samples so far stand.
      clearInterval(timer);
    }
  };
  const timer = setInterval(read, intervalMs);
  read();
  return {
    stop() {
      clearInterval(timer);
      read();
      return max;
    },
  };
}

/** A free loopback TCP port. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every `everyMs` until it holds, or throws after `timeoutMs` with `describe()`. */
export async function until(condition, timeoutMs, describe = () => '', everyMs = 50) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      if (await condition()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `not reached within ${timeoutMs} ms: ${describe()} ${lastError ? String(lastError) : ''}`,
      );
    await sleep(everyMs);
  }
}

/**
 * A JSON request over node:http (no overall timeout: a control call may last as long as a stream); null for 204.
 * Throws on a status >= 300.
 */
export function getJson(url, { method = 'GET' } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => {
        if ((res.statusCode ?? 0) >= 300)
          reject(new Error(`${method} ${url}: HTTP ${res.statusCode} ${text}`));
        else resolve(text === '' ? null : JSON.parse(text));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
