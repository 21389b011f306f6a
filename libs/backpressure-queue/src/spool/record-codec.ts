import { crc32 } from 'node:zlib';

/**
 * On-disk record: one batch of lines. Layout (big-endian):
 *
 * | offset | size | field                                                       |
 * |-------:|-----:|-------------------------------------------------------------|
 * | 0      | 4    | magic `HQS2`                                                |
 * | 4      | 4    | payload length in bytes                                     |
 * | 8      | 4    | line count (0 in a seal: the segment's last record)        |
 * | 12     | 4    | CRC-32 of the payload                                       |
 * | 16     | 8    | time the batch was formed (epoch ms, float64)               |
 * | 24     | 8    | sequence number of the first line (float64, an integer)     |
 * | 32     | 4    | flags: bit 0 = seal (its sequence is the segment's end)     |
 * | 36     | 4    | CRC-32 of bytes 0..36                                       |
 * | 40     | n    | per line: u32 byte length, then UTF-8 bytes                 |
 *
 * The header has a CRC of its own, so a scan can trust a length before it reads the payload, and the sequence
 * numbers let a reader count the lines of a region whose headers are gone (see README.md, "Corruption").
 * Lines are length-prefixed rather than newline-joined because a line-protocol string field may contain a raw
 * newline inside quotes (InfluxDB's parser accepts it), and the spool must give back exactly what it was given.
 *
 * Version 1 (`HQS1`, 24-byte header: magic, payload length, line count, CRC-32 of bytes 4..12, 16..24 and the
 * payload, time) is still read, so a spool left by an older release is replayed.
 */
export const RECORD_MAGIC = 0x48515332;
export const RECORD_HEADER_BYTES = 40;
export const V1_MAGIC = 0x48515331;
export const V1_HEADER_BYTES = 24;
const SEAL_FLAG = 1;

/** The fixed-size part of a record, read before its payload. */
export interface RecordHeader {
  readonly version: 1 | 2;
  readonly headerBytes: number;
  readonly payloadBytes: number;
  readonly lineCount: number;
  readonly crc: number;
  readonly timeMs: number;
  /** Sequence number of the first line; `undefined` in a version-1 record. */
  readonly seq: number | undefined;
  /** A seal: no lines, `seq` is the sequence after the segment's last line. */
  readonly seal: boolean;
}

/** Encodes one record: header and payload in a single buffer, so it is written with one `write(2)`. */
export function encodeRecord(lines: readonly string[], timeMs: number, seq: number): Buffer {
  let payloadBytes = 0;
  for (const line of lines) payloadBytes += 4 + Buffer.byteLength(line);
  const buf = Buffer.allocUnsafe(RECORD_HEADER_BYTES + payloadBytes);
  let offset = RECORD_HEADER_BYTES;
  for (const line of lines) {
    const written = buf.write(line, offset + 4);
    buf.writeUInt32BE(written, offset);
    offset += 4 + written;
  }
  writeHeader(buf, payloadBytes, lines.length, crc32(buf.subarray(RECORD_HEADER_BYTES)), timeMs, seq, 0);
  return buf;
}

/** The record that closes a segment: no lines, and the sequence number after its last line. */
export function encodeSeal(endSeq: number, timeMs: number): Buffer {
  const buf = Buffer.allocUnsafe(RECORD_HEADER_BYTES);
  writeHeader(buf, 0, 0, crc32(Buffer.alloc(0)), timeMs, endSeq, SEAL_FLAG);
  return buf;
}

function writeHeader(
  buf: Buffer,
  payloadBytes: number,
  lineCount: number,
  payloadCrc: number,
  timeMs: number,
  seq: number,
  flags: number,
): void {
  buf.writeUInt32BE(RECORD_MAGIC, 0);
  buf.writeUInt32BE(payloadBytes, 4);
  buf.writeUInt32BE(lineCount, 8);
  buf.writeUInt32BE(payloadCrc, 12);
  buf.writeDoubleBE(timeMs, 16);
  buf.writeDoubleBE(seq, 24);
  buf.writeUInt32BE(flags, 32);
  buf.writeUInt32BE(crc32(buf.subarray(0, 36)), 36);
}

/**
 * Parses a header of either version; `undefined` when the bytes are not one (torn write, garbage, or a version-2
 * header failing its CRC). A version-1 header has no CRC of its own: only its record's CRC vouches for it.
 */
export function decodeHeader(buf: Uint8Array): RecordHeader | undefined {
  if (buf.length < V1_HEADER_BYTES) return undefined;
  const view = Buffer.from(buf.buffer, buf.byteOffset, Math.min(buf.length, RECORD_HEADER_BYTES));
  const magic = view.readUInt32BE(0);
  if (magic === V1_MAGIC) {
    const common = { payloadBytes: view.readUInt32BE(4), lineCount: view.readUInt32BE(8) };
    return {
      version: 1,
      headerBytes: V1_HEADER_BYTES,
      ...common,
      crc: view.readUInt32BE(12),
      timeMs: view.readDoubleBE(16),
      seq: undefined,
      seal: false,
    };
  }
  if (magic !== RECORD_MAGIC || view.length < RECORD_HEADER_BYTES) return undefined;
  if (crc32(view.subarray(0, 36)) !== view.readUInt32BE(36)) return undefined;
  const seq = view.readDoubleBE(24);
  const lineCount = view.readUInt32BE(8);
  const seal = (view.readUInt32BE(32) & SEAL_FLAG) !== 0;
  if (!Number.isSafeInteger(seq) || seq < 0 || (seal && lineCount !== 0)) return undefined;
  return {
    version: 2,
    headerBytes: RECORD_HEADER_BYTES,
    payloadBytes: view.readUInt32BE(4),
    lineCount,
    crc: view.readUInt32BE(12),
    timeMs: view.readDoubleBE(16),
    seq,
    seal,
  };
}

/** Whether `payload` is the one `header` was written with (its CRC). */
export function payloadMatches(header: RecordHeader, headerBytes: Uint8Array, payload: Uint8Array): boolean {
  if (payload.length !== header.payloadBytes) return false;
  if (header.version === 2) return crc32(payload) === header.crc;
  const fields = crc32(headerBytes.subarray(16, 24), crc32(headerBytes.subarray(4, 12)));
  return crc32(payload, fields) === header.crc;
}

/**
 * Checks the CRC and decodes the payload's lines; `undefined` when the record is corrupt (the caller counts it).
 */
export function decodePayload(
  header: RecordHeader,
  headerBytes: Uint8Array,
  payload: Buffer,
): string[] | undefined {
  if (!payloadMatches(header, headerBytes, payload)) return undefined;
  const lines = new Array<string>(header.lineCount);
  let offset = 0;
  for (let i = 0; i < header.lineCount; i++) {
    if (offset + 4 > payload.length) return undefined;
    const length = payload.readUInt32BE(offset);
    const end = offset + 4 + length;
    if (end > payload.length) return undefined;
    lines[i] = payload.toString('utf8', offset + 4, end);
    offset = end;
  }
  return offset === payload.length ? lines : undefined;
}
