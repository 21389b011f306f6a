import fc from 'fast-check';
import { RECORD_HEADER_BYTES, decodeHeader, decodePayload, encodeRecord } from './record-codec.js';

function roundTrip(buf: Buffer): string[] | undefined {
  const headerBytes = buf.subarray(0, RECORD_HEADER_BYTES);
  const header = decodeHeader(headerBytes);
  if (!header) return undefined;
  return decodePayload(header, headerBytes, buf.subarray(RECORD_HEADER_BYTES));
}

describe('record codec', () => {
  it('gives back exactly the lines it was given, raw newlines and non-ASCII included', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme' })), fc.double({ noNaN: true }), (lines, timeMs) => {
        const buf = encodeRecord(lines, timeMs);
        expect(decodeHeader(buf)?.timeMs).toBe(timeMs);
        expect(roundTrip(buf)).toEqual(lines);
      }),
    );
  });

  it('detects any single flipped byte after the magic', () => {
    const buf = encodeRecord(['m,t=a v="x\ny" 1', 'é v=2'], 1234);
    for (let i = 4; i < buf.length; i++) {
      const copy = Buffer.from(buf);
      copy[i] = (copy[i] ?? 0) ^ 0x40;
      const header = decodeHeader(copy);
      const decoded = header ? decodePayload(header, copy.subarray(0, 24), copy.subarray(24)) : undefined;
      expect(decoded).toBeUndefined();
    }
  });

  it('rejects a header without the magic', () => {
    const buf = encodeRecord(['a'], 1);
    buf[0] = 0;
    expect(decodeHeader(buf)).toBeUndefined();
  });
});
