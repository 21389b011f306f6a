import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { configTableMarkdown, withConfigTable } from './config-table.js';
import { VARIABLES } from './variables.js';

describe('configuration table', () => {
  it('lists every variable with its aliases and default', () => {
    const table = configTableMarkdown();
    for (const v of VARIABLES) expect(table).toContain('`' + v.name + '`');
    expect(table).toContain('| `HOME_ASSISTANT_URL` / `HA_HTTP_URL` / `HA_WS_URL` | **required** |');
    expect(table).toContain('| `BATCH_SIZE` | `100` |');
  });

  it('is current in README.md (run `npm run docs:config` after changing variables.ts)', () => {
    const readme = readFileSync(resolve(__dirname, '../../../../README.md'), 'utf8');
    expect(withConfigTable(readme)).toBe(readme);
  });
});
