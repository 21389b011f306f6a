import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../config/load-config.js';
import { createIngestion } from './ingestion.js';

const silent = pino({ level: 'silent' });

describe('createIngestion when a part cannot be built', () => {
  it.each([
    ['without InfluxDB', {}],
    ['with InfluxDB', { INFLUXDB_URL: 'http://127.0.0.1:9', INFLUXDB_TOKEN: 't' }],
  ])('%s: gives the spool back, so the pipeline can be built again in this process', async (_, extra) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ingestion-build-'));
    try {
      const result = loadConfig({
        HOME_ASSISTANT_URL: 'http://127.0.0.1:9',
        HOME_ASSISTANT_TOKEN: 't',
        DATA_DIR: dataDir,
        ...extra,
      });
      if (!result.ok) throw new Error(result.problems.join('\n'));
      const database = join(dataDir, 'registry.sqlite');
      writeFileSync(database, 'not a database '.repeat(100));
      expect(() => createIngestion(result.config, silent)).toThrow(/Cannot open the registry database/);
      rmSync(database);
      await new Promise((resolve) => setImmediate(resolve));
      const ingestion = createIngestion(result.config, silent);
      await ingestion.close(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
