// Preloaded into the import process (`node --require`): when it exits, writes its own CPU time and peak memory to
// $BENCH_RUSAGE_FILE, so the benchmark reads exact figures of a process that has already ended. A SIGKILLed
// process writes nothing (its run is reported without them).
const { readFileSync, writeFileSync } = require('node:fs');

process.on('exit', (code) => {
  const file = process.env.BENCH_RUSAGE_FILE;
  if (!file) return;
  const usage = process.resourceUsage();
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  writeFileSync(
    file,
    JSON.stringify({
      code,
      userSeconds: usage.userCPUTime / 1e6,
      systemSeconds: usage.systemCPUTime / 1e6,
      peakRssBytes: hwm ? Number(hwm[1]) * 1024 : usage.maxRSS * 1024,
    }),
  );
});
