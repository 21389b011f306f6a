/**
 * Parses the CSV a Flux query answers with (`/api/v2/query`, dialect `header: true, annotations: []`) into rows
 * keyed by column. Each table starts with a header row; a blank line separates tables whose columns differ. The
 * leading unnamed column (empty) and the `result`/`table` bookkeeping columns are kept as they come.
 * Format: https://docs.influxdata.com/influxdb/v2/reference/syntax/annotated-csv/ (RFC 4180 quoting).
 */
export function parseFluxCsv(text: string): Record<string, string>[] {
  const rows: Record<string, string>[] = [];
  let header: string[] | undefined;
  for (const record of csvRecords(text)) {
    if (record.length === 1 && record[0] === '') {
      header = undefined; // a blank line: the next record is a new table's header
      continue;
    }
    if (!header) {
      header = record;
      continue;
    }
    const columns = header;
    const row: Record<string, string> = {};
    record.forEach((value, i) => {
      const name = columns[i];
      if (name !== undefined && name !== '') row[name] = value;
    });
    rows.push(row);
  }
  return rows;
}

/** RFC 4180 records: fields split on commas, `"…"` quoting with `""` for a quote, CRLF or LF line ends. */
function* csvRecords(text: string): Generator<string[]> {
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      yield record;
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    yield record;
  }
}
