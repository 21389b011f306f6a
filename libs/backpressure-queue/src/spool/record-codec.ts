import { crc32 } from 'node:zlib';

/**
 * On-disk record: one batch of lines. Layout (big-endian):
 *
 * | offset | size | field                                          |
 * |-------:|-----:|------------------------------------------------|
 * | 0      | 4    | magic `HQS1`                                   |
 * | 4      | 4    | payload length in bytes                        |
 * | 8      | 4    | line count                                     |
 * | 12     | 4    | CRC-32 of bytes 4..12, 16..24 and the payload  |
 * | 16     | 8    | time the batch was formed (epoch ms, float64)  |
 * | 24     | n    | per line: u32 byte length, then UTF-8 bytes    |
 *
 * Lines are length-prefixed rather than newline-joined because a line-protocol string field may contain a raw
 * newline inside quotes (InfluxDB's parser accepts it), and the spool must give back exactly what it was given.
 */
export const RECORD_MAGIC = 0x48515331;
export const RECORD_HEADER_BYTES = 24;

/** The fixed-size part of a record, read before its payload. */
export interface RecordHeader {
  readonly payloadBytes: number;
  readonly lineCount: number;
  readonly crc: number;
  readonly timeMs: number;
}

/** Encodes one record: header and payload in a single buffer, so it is written with one `write(2)`. */
export function encodeRecord(lines: readonly string[], timeMs: number): Buffer {
  let payloadBytes = 0;
  for (const line of lines) payloadBytes += 4 + Buffer.byteLength(line);
  const buf = Buffer.allocUnsafe(RECORD_HEADER_BYTES + payloadBytes);
  buf.writeUInt32BE(RECORD_MAGIC, 0);
  buf.writeUInt32BE(payloadBytes, 4);
  buf.writeUInt32BE(lines.length, 8);
  buf.writeDoubleBE(timeMs, 16);
  let offset = RECORD_HEADER_BYTES;
  for (const line of lines) {
    const written = buf.write(line, offset + 4);
    buf.writeUInt32BE(written, offset);
    offset += 4 + written;
  }
  buf.writeUInt32BE(recordCrc(buf.subarray(0, RECORD_HEADER_BYTES), buf.subarray(RECORD_HEADER_BYTES)), 12);
  return buf;
}

/** Parses a header; `undefined` when the bytes are not a record header (torn write or garbage). */
export function decodeHeader(buf: Uint8Array): RecordHeader | undefined {
  if (buf.length < RECORD_HEADER_BYTES) return undefined;
  const view = Buffer.from(buf.buffer, buf.byteOffset, RECORD_HEADER_BYTES);
  if (view.readUInt32BE(0) !== RECORD_MAGIC) return undefined;
  return {
    payloadBytes: view.readUInt32BE(4),
    lineCount: view.readUInt32BE(8),
    crc: view.readUInt32BE(12),
    timeMs: view.readDoubleBE(16),
  };
}

/**
 * Checks the CRC and decodes the payload's lines; `undefined` when the record is corrupt (the caller counts it).
 */
export function decodePayload(
  header: RecordHeader,
  headerBytes: Uint8Array,
  payload: Buffer,
): string[] | undefined {
  if (recordCrc(headerBytes, payload) !== header.crc) return undefined;
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

function recordCrc(header: Uint8Array, payload: Uint8Array): number {
  const fields = crc32(header.subarray(16, 24), crc32(header.subarray(4, 12)));
  return crc32(payload, fields);
}
