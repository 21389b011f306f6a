import { LONG } from './mode.js';

/** One line of a scenario's report: a label and its figures. */
export type ReportLine = readonly [label: string, value: string | number | Readonly<Record<string, number>>];

/**
 * Prints a scenario's figures — what was sent, what arrived, what was counted as dropped and why — straight to
 * stdout (not through jest's console, which would wrap every line in a stack trace), so a run reads as a report.
 */
export function printReport(title: string, lines: readonly ReportLine[]): void {
  const width = Math.max(...lines.map(([label]) => label.length));
  const head = `── ${title} (${LONG ? 'long' : 'short'} form) `;
  const body = lines.map(([label, value]) => `  ${label.padEnd(width)}  ${format(value)}`);
  process.stdout.write(`\n${head.padEnd(100, '─')}\n${body.join('\n')}\n`);
}

/** `{ overflow: 12, closed: 0 }` → `overflow 12 · closed 0`; `{}` → `none`. */
export function formatCounts(counts: Readonly<Record<string, number>>): string {
  const entries = Object.entries(counts);
  return entries.length === 0 ? 'none' : entries.map(([k, n]) => `${k} ${n}`).join(' · ');
}

function format(value: ReportLine[1]): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value;
  return formatCounts(value);
}
