/** Rewrites the configuration table in README.md from config/variables.ts: `npm run docs:config`. */
import { readFileSync, writeFileSync } from 'node:fs';
import { withConfigTable } from './config/config-table.js';

const path = process.argv[2] ?? 'README.md';
writeFileSync(path, withConfigTable(readFileSync(path, 'utf8')));
console.log(`updated the configuration table in ${path}`);
