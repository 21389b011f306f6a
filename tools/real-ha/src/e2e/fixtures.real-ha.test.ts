import { EXCHANGES, type Recording } from '../fixtures/exchanges.js';
import { execFileSync } from 'node:child_process';
import {
  FIXTURE_DIR,
  readFixtures,
  scrub,
  shapeDifferences,
  writeFixture,
} from '../fixtures/fixture-file.js';
import { BOUND_ROWS, historySignature } from '../fixtures/history-signature.js';
import { realTarget } from '../fixtures/real-target.js';
import { seedHome } from '../home-setup.js';
import { startRealHa, type RealHa } from '../real-ha.js';

/**
 * Runs every recorded exchange against a real Home Assistant. With HOMEIQ_RECORD_FIXTURES=1 it rewrites
 * tools/real-ha/fixtures/*.json from the answers; otherwise it checks that the committed fixtures still have the
 * shapes real HA answers with (so a stale fixture fails here, not silently in the simulator's fidelity test).
 */
const record = process.env['HOMEIQ_RECORD_FIXTURES'] === '1';

describe(`real Home Assistant answers the recorded exchanges ${record ? '(recording)' : ''}`, () => {
  let ha: RealHa;
  let target: Awaited<ReturnType<typeof realTarget>>;
  const committed = readFixtures();

  beforeAll(async () => {
    ha = await startRealHa();
    await seedHome(ha);
    target = await realTarget(ha);
  }, 600_000);

  afterAll(async () => {
    // Recorded files are stored as Prettier formats them, so `prettier --check .` passes on them as they are.
    if (record)
      execFileSync(process.execPath, [require.resolve('prettier/bin/prettier.cjs'), '--write', FIXTURE_DIR]);
    await target.close();
    await ha.dispose();
  }, 120_000);

  it.each(EXCHANGES.map((exchange) => [exchange.name, exchange] as const))('%s', async (_name, exchange) => {
    const recording = scrub<Recording>(await exchange.run(target), ha.configDir);
    if (record) {
      writeFixture(exchange, recording, ha.version);
      return;
    }
    const fixture = committed.get(exchange.name);
    expect(fixture).toBeDefined();
    if (fixture === undefined) return;
    // Both directions: real HA must fit the fixture and the fixture must fit real HA.
    expect(shapeDifferences(fixture, recording)).toEqual([]);
    expect(shapeDifferences(recording, fixture)).toEqual([]);
    if (fixture.observed !== undefined && !BOUND_ROWS.has(exchange.name))
      expect(historySignature(recording)).toEqual(historySignature(fixture));
  });
});
