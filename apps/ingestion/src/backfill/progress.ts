import type { ImportProgress, ImportSummary } from './import-history.js';

/**
 * The import's progress for the operator: on a terminal one bar redrawn in place, otherwise (a log, `docker compose
 * run -T`) a plain line every `intervalMs`; then one summary line.
 */
export interface ProgressReporter {
  update(progress: ImportProgress): void;
  finish(summary: ImportSummary): void;
}

export interface ProgressReporterOptions {
  readonly write: (text: string) => void;
  /** Redraw a bar in place (`\r`): the output is a terminal. */
  readonly tty: boolean;
  /** Terminal width, columns. @default 80 */
  readonly columns?: number;
  /** Least time between two plain lines (a bar is redrawn at most every 100 ms). @default 5000 */
  readonly intervalMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

export function createProgressReporter(options: ProgressReporterOptions): ProgressReporter {
  const now = options.now ?? Date.now;
  const every = options.tty ? 100 : (options.intervalMs ?? 5000);
  let lastMs = -Infinity;
  let drawn = false;
  return {
    update(progress) {
      const at = now();
      if (at - lastMs < every && progress.slicesDone < progress.slices) return;
      lastMs = at;
      if (options.tty) {
        options.write(`\r${formatBar(progress, options.columns ?? 80)}\x1b[K`);
        drawn = true;
      } else options.write(`${formatProgressLine(progress)}\n`);
    },
    finish(summary) {
      options.write(`${drawn ? '\n' : ''}${formatSummary(summary)}\n`);
    },
  };
}

/** `[#####-----] 40% entities 8/20, 12,345 rows, 1,234 rows/s, ETA 0:42`, as wide as `columns`. */
export function formatBar(p: ImportProgress, columns: number): string {
  const text = ` ${percent(p)}% ${formatProgressLine(p)}`;
  const width = Math.max(0, Math.min(30, columns - text.length - 3));
  const filled = Math.round((width * p.slicesDone) / Math.max(1, p.slices));
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]${text}`.slice(0, Math.max(0, columns - 1));
}

/** `entities 8/20, 12,345 rows, 1,234 rows/s, ETA 0:42`. */
export function formatProgressLine(p: ImportProgress): string {
  const seconds = p.elapsedMs / 1000;
  const rate = seconds > 0 ? p.rowsThisRun / seconds : 0;
  return `entities ${p.entitiesDone}/${p.entities}, ${count(p.rowsRead)} rows, ${count(Math.round(rate))} rows/s, ETA ${eta(p)}`;
}

export function formatSummary(s: ImportSummary): string {
  const verb = s.resumed ? 'resumed and finished' : 'finished';
  return `import ${verb}: ${s.entities} entities, ${count(s.rowsWritten)} rows written, ${count(s.rowsRefused)} refused by InfluxDB, ${count(s.rowsSkipped)} skipped, in ${duration(s.elapsedMs)}`;
}

function percent(p: ImportProgress): string {
  return String(Math.floor((100 * p.slicesDone) / Math.max(1, p.slices))).padStart(3);
}

/** From this run's pace over the slices it did (a resumed run's earlier slices took no time of its own). */
function eta(p: ImportProgress): string {
  if (p.slicesDone >= p.slices) return '0:00';
  if (p.slicesThisRun === 0 || p.elapsedMs <= 0) return '?';
  return duration((p.elapsedMs / p.slicesThisRun) * (p.slices - p.slicesDone));
}

function duration(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}
