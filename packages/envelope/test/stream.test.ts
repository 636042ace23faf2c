import { Duplex, Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, isPrivkitError, utf8ToBytes } from '@privkit/core';
import { createOpener, createSealer, hpke, OpenError, openStream, sealStream } from '@privkit/envelope';
import { arbPieces, arbRecordMutation, splitAt } from '@privkit/envelope/testing';

const kem = hpke.suite(0x20, 1, 2).kem;
const R = kem.deriveKeyPair(new Uint8Array(32).fill(7));
const S = kem.deriveKeyPair(new Uint8Array(32).fill(9));

function sealRecords(pt: Uint8Array, chunkSize: number, opts: object = {}): Uint8Array[] {
  const s = createSealer([R.publicKey], { chunkSize, ...opts });
  const header = s.push(new Uint8Array(0));
  const body = concatBytes(s.push(pt), s.final());
  const rec = chunkSize + 16;
  const out = [header];
  for (let o = 0; o < body.length; o += rec) out.push(body.subarray(o, Math.min(o + rec, body.length)));
  return out;
}
function openAll(parts: readonly Uint8Array[], opts: object = {}): Uint8Array {
  const o = createOpener(R.secretKey, opts);
  const out = parts.map((p) => o.push(p));
  out.push(o.final());
  return concatBytes(...out);
}

describe('streaming envelopes (STREAM)', () => {
  it('property: round trip for any input split and chunk size, re-split arbitrarily on the way in', () => {
    fc.assert(
      fc.property(arbPieces(1500), fc.integer({ min: 64, max: 300 }), fc.array(fc.nat(4000), { maxLength: 6 }), ({ plaintext, cuts }, chunkSize, cuts2) => {
        const s = createSealer([R.publicKey], { chunkSize, aad: utf8ToBytes('a') });
        const sealed = concatBytes(...splitAt(plaintext, cuts).map((p) => s.push(p)), s.final());
        const c2 = [...new Set(cuts2.map((c) => c % (sealed.length + 1)))].sort((a, b) => a - b);
        expect(openAll(splitAt(sealed, c2), { aad: utf8ToBytes('a') })).toEqual(plaintext);
      }),
      { numRuns: 60 },
    );
  });

  it('property: truncation, reordering, duplication, dropping of records is always detected', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 700 }).chain((pt) => {
          const records = sealRecords(pt, 64);
          return arbRecordMutation(records.length).map((m) => ({ records, m }));
        }),
        ({ records, m }) => {
          const mutated = m.apply(records);
          expect(() => openAll(mutated), m.mutation).toThrow(OpenError);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('property: a flipped bit anywhere is detected', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.nat(), fc.integer({ min: 0, max: 7 }), (pt, pos, bit) => {
        const sealed = concatBytes(...sealRecords(pt, 64));
        const m = sealed.slice();
        m[pos % m.length]! ^= 1 << bit;
        expect(() => openAll([m])).toThrow(OpenError);
      }),
      { numRuns: 100 },
    );
  });

  it('exact multiples of the chunk size, empty input, and extension after the final chunk', () => {
    for (const n of [0, 1, 63, 64, 65, 128, 640]) {
      const pt = new Uint8Array(n).map((_, i) => i);
      const recs = sealRecords(pt, 64);
      expect(recs.length).toBe(1 + Math.max(1, Math.ceil(n / 64))); // a full last chunk carries the last flag itself
      expect(openAll(recs)).toEqual(pt);
      expect(() => openAll([...recs, new Uint8Array(1)])).toThrow(OpenError);
      expect(() => openAll([...recs, recs[recs.length - 1]!])).toThrow(OpenError);
    }
  });

  it('input fed one byte at a time (header included), three recipients', () => {
    const others = [kem.generateKeyPair(), kem.generateKeyPair()];
    const s = createSealer([others[0]!.publicKey, R.publicKey, others[1]!.publicKey], { chunkSize: 64 });
    const pt = new Uint8Array(300).map((_, i) => i);
    const sealed = concatBytes(s.push(pt), s.final());
    const o = createOpener(R.secretKey);
    const out: Uint8Array[] = [];
    for (let i = 0; i < sealed.length; i++) out.push(o.push(sealed.subarray(i, i + 1)));
    out.push(o.final());
    expect(concatBytes(...out)).toEqual(pt);
  });

  it('sender authentication and aad are enforced', () => {
    const recs = sealRecords(utf8ToBytes('sensor block'), 64, { senderSecretKey: S.secretKey, aad: utf8ToBytes('dev-1') });
    expect(openAll(recs, { senderPublicKey: S.publicKey, aad: utf8ToBytes('dev-1') })).toEqual(utf8ToBytes('sensor block'));
    expect(() => openAll(recs, { senderPublicKey: R.publicKey, aad: utf8ToBytes('dev-1') })).toThrow(OpenError);
    expect(() => openAll(recs, { senderPublicKey: S.publicKey })).toThrow(OpenError);
  });

  it('a processor cannot be used after final or after a failure', () => {
    const o = createOpener(R.secretKey);
    expect(() => o.final()).toThrow(OpenError);
    expect(() => o.push(new Uint8Array(1))).toThrow(OpenError);
    const s = createSealer([R.publicKey]);
    s.final();
    expect(() => s.push(new Uint8Array(1))).toThrow(expect.objectContaining({ code: 'LIMIT_EXCEEDED' }));
  });

  it('hostile arguments give typed errors', () => {
    for (const v of [null, 1, 'x', new Uint16Array(2), { constructor: { name: 'Uint8Array' } }]) {
      for (const fn of [() => createSealer([v as Uint8Array]), () => createOpener(v as Uint8Array), () => createSealer([R.publicKey]).push(v as Uint8Array), () => createOpener(R.secretKey).push(v as Uint8Array)]) {
        let err: unknown;
        try {
          fn();
        } catch (e) {
          err = e;
        }
        expect(isPrivkitError(err)).toBe(true);
      }
    }
    for (const chunkSize of [0, 63, 2 ** 24 + 1, 1.5, -1]) {
      expect(() => createSealer([R.publicKey], { chunkSize })).toThrow(expect.objectContaining({ code: 'INVALID_VALUE' }));
    }
  });

  it('works as a Web Streams TransformStream', async () => {
    const pt = new Uint8Array(200_000).map((_, i) => i * 7);
    const src = new ReadableStream<Uint8Array>({
      start(c) {
        for (let o = 0; o < pt.length; o += 30_000) c.enqueue(pt.slice(o, o + 30_000));
        c.close();
      },
    });
    const out = src.pipeThrough(sealStream([R.publicKey], { chunkSize: 16384 })).pipeThrough(openStream(R.secretKey));
    const parts: Uint8Array[] = [];
    for await (const p of out as unknown as AsyncIterable<Uint8Array>) parts.push(p);
    expect(concatBytes(...parts)).toEqual(pt);
  });

  it('works with Node streams (Readable.fromWeb / Duplex.fromWeb) and errors on truncation', async () => {
    const pt = new Uint8Array(100_000).map((_, i) => i);
    const sealedParts: Uint8Array[] = [];
    for await (const p of Readable.from([pt.subarray(0, 50_000), pt.subarray(50_000)]).pipe(Duplex.fromWeb(sealStream([R.publicKey], { chunkSize: 4096 }) as never))) sealedParts.push(p as Uint8Array);
    const sealed = concatBytes(...sealedParts);
    const plainParts: Uint8Array[] = [];
    const web = Readable.toWeb(Readable.from([sealed])) as unknown as ReadableStream<Uint8Array>;
    for await (const p of Readable.fromWeb(web.pipeThrough(openStream(R.secretKey)) as never)) plainParts.push(p as Uint8Array);
    expect(concatBytes(...plainParts)).toEqual(pt);
    const truncated = Readable.toWeb(Readable.from([sealed.subarray(0, sealed.length - 100)])) as unknown as ReadableStream<Uint8Array>;
    await expect(async () => {
      for await (const _ of Readable.fromWeb(truncated.pipeThrough(openStream(R.secretKey)) as never)) void _;
    }).rejects.toThrow(OpenError);
  });

  it('memory stays constant: 8 MiB through 64 KiB chunks never buffers more than one chunk', () => {
    const s = createSealer([R.publicKey]);
    const o = createOpener(R.secretKey);
    const piece = new Uint8Array(1 << 20).fill(1);
    let maxOut = 0;
    let total = 0;
    for (let i = 0; i < 8; i++) {
      const out = o.push(s.push(piece));
      maxOut = Math.max(maxOut, out.length);
      total += out.length;
    }
    total += o.push(s.final()).length + o.final().length;
    expect(total).toBe(8 << 20);
    expect(maxOut).toBeLessThanOrEqual((1 << 20) + 65536);
  });
});
