import { killLeftoverProcesses } from '../live-processes.js';

// Runs after each test file (jest's setupFilesAfterEnv, see jest.preset.cjs): a test that failed part way may have
// left a service or an influxd running. Kill it, so the run reports the failure instead of waiting for that child.
afterAll(async () => {
  const killed = await killLeftoverProcesses();
  if (killed > 0) console.warn(`killed ${killed} child process(es) left running by this test file`);
});
