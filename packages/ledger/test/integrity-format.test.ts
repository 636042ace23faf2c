/**
 * The integrity record data part, version 2 (with a storage address) and version 1 (still read): round trips over
 * random contents (fast-check), and every truncation or corruption of the header is a typed error or a different
 * decoding, never a crash.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, u16BE } from '@privkit/core';
import { LedgerFormatError, blockCid, decodeRecordData, encodeRecordData, proofMessage, unixfsCid } from '@privkit/ledger';

const arbRecord = fc.record({
  kind: fc.constantFrom('block' as const, 'batch' as const),
  envelope: fc.uint8Array({ maxLength: 200 }),
  proof: fc.option(fc.record({ kind: fc.constantFrom('quote' as const, 'ringSignature' as const, 'deviceQuote' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 300 }) }), { nil: undefined }),
  address: fc.option(fc.tuple(fc.uint8Array({ maxLength: 64 }), fc.constantFrom(0, 1, 2)).map(([b, f]) => (f === 2 ? blockCid(b) : unixfsCid(b, { cidVersion: f as 0 | 1 }))), { nil: undefined }),
});

/** The record without its undefined options (as a caller would build it). */
const clean = (r: object) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as unknown as Parameters<typeof encodeRecordData>[0];

describe('integrity record data part', () => {
  it('version 2 round-trips every combination of kind, proof and address (fast-check)', () => {
    fc.assert(fc.property(arbRecord, (r) => {
      const d = clean(r);
      expect(decodeRecordData(encodeRecordData(d))).toEqual({ ...d, version: 2 });
    }));
  });

  it('version 1 encodings (no address field) are still read', () => {
    const env = Uint8Array.of(1, 2, 3);
    const v1 = concatBytes(new TextEncoder().encode('PKIR'), Uint8Array.of(1, 1, 0), u16BE(0), env);
    expect(decodeRecordData(v1)).toEqual({ kind: 'block', envelope: env, version: 1 });
  });

  it('truncated or corrupted headers are LedgerFormatError or decode to something else, never a crash (fast-check)', () => {
    fc.assert(fc.property(arbRecord, fc.nat(), fc.integer({ min: 1, max: 255 }), (r, pos, x) => {
      const d = clean(r);
      const enc = encodeRecordData(d);
      const header = Math.min(enc.length - 1, 9 + (d.proof?.bytes.length ?? 0) + 1 + 40);
      const i = pos % (header + 1);
      const bad = Uint8Array.from(enc);
      bad[i]! ^= x;
      for (const input of [bad, enc.subarray(0, i)]) {
        try {
          decodeRecordData(input);
        } catch (e) {
          expect(e).toBeInstanceOf(LedgerFormatError);
        }
      }
    }), { numRuns: 300 });
  });

  it('the proof message binds the address only when there is one (v1 messages unchanged)', () => {
    const anchor = new Uint8Array(32).fill(7);
    const a = blockCid(Uint8Array.of(1));
    expect(proofMessage('id', anchor)).not.toEqual(proofMessage('id', anchor, a));
    expect(proofMessage('id', anchor, a)).not.toEqual(proofMessage('id', anchor, blockCid(Uint8Array.of(2))));
    expect(() => proofMessage('id', anchor, 'not-a-cid')).toThrow(LedgerFormatError);
  });
});
