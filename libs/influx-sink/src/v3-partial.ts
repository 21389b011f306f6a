/**
 * InfluxDB 3's answer to a write with `accept_partial=true` that refused some lines: 400 with
 * `{"error": "...", "data": [{"original_line", "line_number", "error_message"}]}`, the other lines stored
 * (https://docs.influxdata.com/influxdb3/core/write-data/http-api/v3-write-lp/#partial-writes). Line numbers count
 * from 1 within the request body.
 */
export interface V3Refusal {
  /** Index of the refused line in the batch (from 0). */
  readonly index: number;
  readonly message: string;
}

/**
 * The refused lines named by a v3 partial-write body for a batch of `count` lines, or `undefined` when the body is
 * not one (no `data`, or a line number outside the batch): the caller then isolates lines by splitting.
 */
export function v3Refusals(body: string, count: number): V3Refusal[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const data: unknown = (parsed as { data?: unknown }).data;
  if (!Array.isArray(data) || data.length === 0) return undefined;
  const refusals = new Map<number, string>();
  for (const entry of data as unknown[]) {
    if (typeof entry !== 'object' || entry === null) return undefined;
    const { line_number: line, error_message: message } = entry as {
      line_number?: unknown;
      error_message?: unknown;
    };
    if (typeof line !== 'number' || !Number.isInteger(line) || line < 1 || line > count) return undefined;
    refusals.set(line - 1, typeof message === 'string' ? message : 'refused');
  }
  return [...refusals].map(([index, message]) => ({ index, message }));
}
