// Where a process's time went: reads a V8 `.cpuprofile` (node --cpu-prof) and sums self time by function and by
// package (libs/<name>, node_modules/<name>, node: internals), so a missed target comes with its reason.
// Usage: node profile-summary.mjs <file.cpuprofile> [--top 25]
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** The package a script URL belongs to: `libs/ha-client`, `ws`, `node:internal`, `(program)`, … */
export function packageOf(url) {
  if (url === '') return '(native/V8)';
  if (url.startsWith('node:')) return 'node: built-ins';
  const nodeModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nodeModules) return nodeModules[1];
  const project = /\/(libs|apps|tools)\/([^/]+)\//.exec(url);
  if (project) return `${project[1]}/${project[2]}`;
  return url;
}

/** `{ totalMs, byFunction: [{ name, where, ms, share }], byPackage: [...] }` from a cpuprofile's JSON. */
export function summarizeProfile(profile, top = 25) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map();
  const deltas = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i] ?? 0));
  }
  const functions = new Map();
  const packages = new Map();
  let total = 0;
  for (const [id, us] of selfUs) {
    const { callFrame } = byId.get(id);
    const name = callFrame.functionName || '(anonymous)';
    const file = callFrame.url.replace(/^.*\/(libs|apps|tools|node_modules)\//, '$1/');
    const where = callFrame.url === '' ? '' : `${file}:${callFrame.lineNumber + 1}`;
    const key = `${name} ${where}`;
    const entry = functions.get(key) ?? { name, where, us: 0 };
    entry.us += us;
    functions.set(key, entry);
    const pkg = ['(garbage collector)', '(program)', '(idle)'].includes(name)
      ? name
      : packageOf(callFrame.url);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
    total += us;
  }
  const idle = packages.get('(idle)') ?? 0;
  const busy = total - idle;
  const rows = (entries) =>
    entries
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((e) => ({ ...e, ms: e.us / 1000, share: e.us / busy }));
  return {
    totalMs: total / 1000,
    busyMs: busy / 1000,
    byFunction: rows([...functions.values()].filter((f) => f.name !== '(idle)')),
    byPackage: rows([...packages].filter(([name]) => name !== '(idle)').map(([name, us]) => ({ name, us }))),
  };
}

export function formatProfile(summary) {
  const pct = (share) => `${(share * 100).toFixed(1).padStart(5)}%`;
  const lines = [
    `busy ${summary.busyMs.toFixed(0)} ms of ${summary.totalMs.toFixed(0)} ms sampled`,
    'by package:',
  ];
  for (const p of summary.byPackage) lines.push(`  ${pct(p.share)}  ${p.name}`);
  lines.push('by function (self time):');
  for (const f of summary.byFunction) lines.push(`  ${pct(f.share)}  ${f.name}  ${f.where}`);
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = process.argv[2];
  const topIndex = process.argv.indexOf('--top');
  const top = topIndex === -1 ? 25 : Number(process.argv[topIndex + 1]);
  console.log(formatProfile(summarizeProfile(JSON.parse(readFileSync(file, 'utf8')), top)));
}
