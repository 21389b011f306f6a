import fc from 'fast-check';
import {
  RECORD_HEADER_BYTES,
  decodeHeader,
  decodePayload,
  encodeRecord,
  encodeSeal,
} from './record-codec.js';
import { encodeV1Record } from './testing-internal/spool-files.js';

function roundTrip(buf: Buffer): string[] | undefined {
  const header = decodeHeader(buf);
  if (!header) return undefined;
  return decodePayload(header, buf.subarray(0, header.headerBytes), buf.subarray(header.headerBytes));
}

describe('record codec', () => {
  it('gives back exactly the lines, the time and the sequence number, raw newlines and non-ASCII included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme' })),
        fc.double({ noNaN: true }),
        fc.maxSafeNat(),
        (lines, timeMs, seq) => {
          const buf = encodeRecord(lines, timeMs, seq);
          expect(decodeHeader(buf)).toMatchObject({ version: 2, timeMs, seq, seal: false });
          expect(roundTrip(buf)).toEqual(lines);
        },
      ),
    );
  });

  it('reads version-1 records (spools left by earlier releases)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme' })), fc.double({ noNaN: true }), (lines, timeMs) => {
        const buf = encodeV1Record(lines, timeMs);
        expect(decodeHeader(buf)).toMatchObject({ version: 1, headerBytes: 24, seq: undefined, timeMs });
        expect(roundTrip(buf)).toEqual(lines);
      }),
    );
  });

  it('detects any single flipped bit, in the header (magic included) or the payload', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string(), { minLength: 1, maxLength: 5 }),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        (lines, at, bit) => {
          const buf = encodeRecord(lines, 1234, 77);
          const i = at % buf.length;
          buf[i] = (buf[i] ?? 0) ^ (1 << bit);
          expect(roundTrip(buf)).toBeUndefined();
          // A flipped header bit is caught by the header's own CRC, before any payload is read.
          if (i < RECORD_HEADER_BYTES) expect(decodeHeader(buf)).toBeUndefined();
        },
      ),
    );
  });

  it('a seal has no lines and carries the sequence after the segment', () => {
    expect(decodeHeader(encodeSeal(5e14 + 42, 9))).toMatchObject({
      seal: true,
      lineCount: 0,
      seq: 5e14 + 42,
    });
  });
});
