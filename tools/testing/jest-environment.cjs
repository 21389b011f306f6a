/**
 * Jest's node environment, plus one duty at the end of each test file: SIGKILL every child process the helpers
 * of tools/testing started and the file left running (a test that failed part way never reached its stop). Jest
 * runs a 2-core machine's suites in one process, where such a child's pipes would keep the run open for ever, so
 * CI would hang until its time limit instead of reporting the failure. An environment's teardown runs after every
 * afterAll of the file, so a file's own cleanup always comes first.
 */
const { TestEnvironment } = require('jest-environment-node');

class HomeiqTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    /** Filled by tools/testing/src/live-processes.ts (see trackProcess). */
    this.liveProcesses = new Set();
    this.global.__homeiqLiveProcesses = this.liveProcesses;
    this.testPath = context.testPath;
  }

  async teardown() {
    const leftovers = [...this.liveProcesses];
    await Promise.all(
      leftovers.map(
        (child) =>
          new Promise((resolve) => {
            child.once('exit', resolve);
            if (!child.kill('SIGKILL')) resolve();
          }),
      ),
    );
    if (leftovers.length > 0) {
      console.warn(`killed ${leftovers.length} child process(es) that ${this.testPath} left running`);
    }
    await super.teardown();
  }
}

module.exports = HomeiqTestEnvironment;
