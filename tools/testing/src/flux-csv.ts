/** One table of a Flux answer: its columns with their `#datatype` annotation (when asked for), and its rows. */
export interface FluxTable {
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly rows: Record<string, string>[];
}

/**
 * Parses the CSV a Flux query answers with (`/api/v2/query`, dialect `header: true`, annotations none or
 * `datatype`) into tables. A table starts with its annotation rows (`#datatype,…`) and its header row; a blank line
 * separates tables whose columns differ. The leading annotation column is dropped.
 * Format: https://docs.influxdata.com/influxdb/v2/reference/syntax/annotated-csv/ (RFC 4180 quoting).
 */
export function parseFluxTables(text: string): FluxTable[] {
  const tables: FluxTable[] = [];
  let types: string[] = [];
  let table: { columns: { name: string; type: string }[]; rows: Record<string, string>[] } | undefined;
  for (const record of csvRecords(text)) {
    if (record.length === 1 && record[0] === '') {
      table = undefined; // a blank line: what follows is a new table
      types = [];
    } else if (record[0] === '#datatype') {
      types = record;
      table = undefined;
    } else if (record[0]?.startsWith('#') === true) {
      table = undefined; // #group, #default: not used here
    } else if (!table) {
      table = { columns: record.map((name, i) => ({ name, type: types[i] ?? '' })), rows: [] };
      tables.push(table);
    } else {
      const columns = table.columns;
      const row: Record<string, string> = {};
      record.forEach((value, i) => {
        const name = columns[i]?.name;
        if (name !== undefined && name !== '') row[name] = value;
      });
      table.rows.push(row);
    }
  }
  return tables;
}

/** The rows of every table of a Flux CSV answer (see {@link parseFluxTables}), keyed by column. */
export function parseFluxCsv(text: string): Record<string, string>[] {
  return parseFluxTables(text).flatMap((t) => t.rows);
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
