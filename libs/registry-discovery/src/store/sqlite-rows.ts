import type { Entry } from '../model/kind-table.js';
import { deviceFingerprint, type RecordOf, type RegistryKind } from '../model/types.js';
import { parseArea, parseDevice, parseEntity, parseFloor } from '../parse/parse-entries.js';
import { BadEntry, fieldReader, isRecord, type FieldReader } from '../parse/read.js';

/** A live row as selected for load. */
export interface StoredRow {
  readonly raw: string;
  readonly last_seen_at: number;
  readonly integration: string | null;
}

const PARSERS: { readonly [K in RegistryKind]: (reader: FieldReader, rawJson: string) => RecordOf[K] } = {
  floors: parseFloor,
  areas: parseArea,
  devices: parseDevice,
  entities: parseEntity,
};

/**
 * Rebuilds a record from its stored HA dict with the same parser the live path uses, so a loaded record equals
 * a freshly listed one (same fingerprint: an unchanged home causes no writes after a restart). Undefined for a
 * row that cannot be read back.
 */
export function readStoredRow<K extends RegistryKind>(
  kind: K,
  row: StoredRow,
): Entry<RecordOf[K]> | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(row.raw);
  } catch {
    // Counted by the caller as an unreadable row.
    return undefined;
  }
  if (!isRecord(raw)) return undefined;
  const ignoreField = (): void => undefined;
  let record: RecordOf[K];
  try {
    record = PARSERS[kind](fieldReader(raw, ignoreField), row.raw);
  } catch (error) {
    if (error instanceof BadEntry) return undefined;
    throw error;
  }
  if (kind === 'devices' && row.integration !== null) {
    const device = record as RecordOf['devices'];
    record = {
      ...device,
      integration: row.integration,
      fingerprint: deviceFingerprint(raw, row.integration),
    } as RecordOf[K];
  }
  return { record, seenAtMs: row.last_seen_at };
}
