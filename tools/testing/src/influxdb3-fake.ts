import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';

/**
 * A contract fake of InfluxDB 3 Core's write API, written from its documentation (no InfluxDB 3 server can be
 * installed on the test machines): `POST /api/v3/write_lp?db=&precision=&accept_partial=` with
 * `Authorization: Bearer <token>` (https://docs.influxdata.com/influxdb3/core/write-data/http-api/v3-write-lp/).
 * 204 when every line is stored; otherwise 400 with `{error, data: [{original_line, line_number, error_message}]}`
 * (line numbers from 1), the good lines stored when `accept_partial` is not `false`. A column's type is fixed by
 * its first write, and a tag and a field may not share a name. Only what the sink relies on is modelled.
 */
export interface InfluxDb3Fake {
  readonly url: string;
  readonly token: string;
  /** How many times each line was stored (a re-sent line counts twice). */
  readonly stored: ReadonlyMap<string, number>;
  /** Write requests received. */
  readonly requests: number;
  close(): Promise<void>;
}

type ColumnType = 'tag' | 'string' | 'integer' | 'boolean' | 'float';

/** Starts the fake on a free loopback port. */
export async function startInfluxDb3Fake(options: { readonly token?: string } = {}): Promise<InfluxDb3Fake> {
  const token = options.token ?? 'v3-token';
  const stored = new Map<string, number>();
  const columns = new Map<string, ColumnType>(); // `${db}\0${table}\0${column}`
  let requests = 0;

  function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const send = (status: number, json?: unknown): void => {
      res.writeHead(status, json === undefined ? {} : { 'content-type': 'application/json' });
      res.end(json === undefined ? '' : JSON.stringify(json));
    };
    if (req.method !== 'POST' || url.pathname !== '/api/v3/write_lp') {
      send(404, { error: 'not found' });
      return;
    }
    requests++;
    if (req.headers.authorization !== `Bearer ${token}`) {
      send(401, { error: 'the request was not authenticated' });
      return;
    }
    const db = url.searchParams.get('db');
    if (db === null || db === '') {
      send(400, { error: 'missing query parameter: db' });
      return;
    }
    const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8');
    const lines = text.split('\n');
    const refused: { original_line: string; line_number: number; error_message: string }[] = [];
    const good: { line: string; cols: [string, ColumnType][] }[] = [];
    // Types the earlier lines of this request fix (InfluxDB 3 checks each line against the table as it stands).
    const batchColumns = new Map<string, ColumnType>();
    lines.forEach((line, i) => {
      if (line.trim() === '' || line.startsWith('#')) return;
      const parsed = parseLine(line);
      const error =
        typeof parsed === 'string'
          ? parsed
          : parsed.cols
              .map(([c, t]) => {
                const key = `${db}\0${parsed.table}\0${c}`;
                const known = batchColumns.get(key) ?? columns.get(key);
                return known !== undefined && known !== t
                  ? `invalid column type for column '${c}', expected ${known}, got ${t}`
                  : undefined;
              })
              .find((e) => e !== undefined);
      if (error !== undefined)
        refused.push({ original_line: line, line_number: i + 1, error_message: error });
      else if (typeof parsed !== 'string') {
        const cols = parsed.cols.map(([c, t]): [string, ColumnType] => [`${parsed.table}\0${c}`, t]);
        for (const [c, t] of cols) batchColumns.set(`${db}\0${c}`, t);
        good.push({ line, cols });
      }
    });
    const partial = url.searchParams.get('accept_partial') !== 'false';
    if (refused.length === 0 || partial) {
      for (const g of good) {
        for (const [c, t] of g.cols) columns.set(`${db}\0${c}`, t);
        stored.set(g.line, (stored.get(g.line) ?? 0) + 1);
      }
    }
    if (refused.length === 0) {
      send(204);
      return;
    }
    const error =
      good.length > 0 && partial
        ? 'partial write of line protocol occurred'
        : 'parsing failed for write_lp endpoint';
    send(400, { error, data: refused });
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        handle(req, res, Buffer.concat(chunks));
      } catch (error) {
        res.writeHead(500);
        res.end(JSON.stringify({ error: String(error) }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    stored,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  };
}

/** `measurement[,tag=v…] field=v[,…] [time]` → the table and its columns with types, or an error message. */
function parseLine(line: string): { table: string; cols: [string, ColumnType][] } | string {
  const parts = line.match(
    /^((?:[^ ,\\]|\\.)+)((?:,(?:[^ ,=\\]|\\.)+=(?:[^ ,\\]|\\.)+)*) (.+?)(?: (-?\d+))?$/,
  );
  if (!parts) return 'No fields were provided';
  const [, table = '', tagText = '', fieldText = ''] = parts;
  const cols: [string, ColumnType][] = [];
  for (const tag of tagText.split(',').slice(1)) cols.push([tag.split('=')[0] ?? '', 'tag']);
  for (const field of fieldText.match(/(?:[^,"\\]|\\.|"(?:[^"\\]|\\.)*")+/g) ?? []) {
    const eq = field.indexOf('=');
    if (eq <= 0) return `invalid field: ${field}`;
    const name = field.slice(0, eq);
    const value = field.slice(eq + 1);
    const type: ColumnType | undefined = /^".*"$/s.test(value)
      ? 'string'
      : /^-?\d+i$/.test(value)
        ? 'integer'
        : /^(t|f|true|false|T|F|TRUE|FALSE)$/.test(value)
          ? 'boolean'
          : value !== '' && Number.isFinite(Number(value))
            ? 'float'
            : undefined;
    if (type === undefined) return `invalid field value for ${name}: ${value}`;
    if (cols.some(([c]) => c === name)) return `column '${name}' is both a tag and a field`;
    cols.push([name, type]);
  }
  return cols.some(([, t]) => t !== 'tag') ? { table, cols } : 'No fields were provided';
}
