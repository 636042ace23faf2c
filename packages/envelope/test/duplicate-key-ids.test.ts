/**
 * Issue 16 item 2 — duplicate key ids force many decapsulations: a header listing the victim's key id in up to
 * 1,000 slots made `open` try every one of them (one KEM decapsulation and HPKE open each). Key ids must be unique:
 * `seal` refuses duplicate recipients, and the header parser refuses duplicate key ids before any key is used, so
 * opening costs at most one decapsulation (FORMAT.md §3.2).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EncodingError, InputError, randomBytes, utf8ToBytes } from '@privkit/core';
import { createOpener, createSealer, hpke, inspect, keyId, open, OpenError, seal, suites } from '@privkit/envelope';
import { buildEnvelope, prefixOf, v2Keys } from './_forge.js';

const s = hpke.suite(...suites['X25519-SHA256-AES-256-GCM']);
const pt = utf8ToBytes('one record');

/** A v2 envelope whose `n` slots all carry A's key id; every slot is a valid wrap of the committed data key for A. */
function duplicated(n: number, A: { publicKey: Uint8Array }): Uint8Array {
  const kid = keyId(s, A.publicKey);
  const kids = new Uint8Array(8 * n);
  for (let i = 0; i < n; i++) kids.set(kid, 8 * i);
  const dek = randomBytes(32);
  const x = v2Keys(s, prefixOf(2, 1, s, n), kids, new Uint8Array(0), dek);
  const payload = s.aead.impl!().seal(x.key, new Uint8Array(12), pt, new Uint8Array([...x.h, ...x.kappa]));
  return buildEnvelope({
    version: 2,
    suite: s,
    recipients: Array.from({ length: n }, () => A.publicKey),
    deks: Array.from({ length: n }, () => dek),
    kappa: x.kappa,
    payload: () => payload,
  });
}

describe('duplicate key ids (decapsulation amplification, issue 16 item 2)', () => {
  it('seal and createSealer refuse a recipient listed twice (InputError ENVELOPE_DUPLICATE_KEY_ID)', () => {
    const [a, b, c] = [0, 1, 2].map(() => s.kem.generateKeyPair());
    for (const list of [[a!, a!], [a!, b!, a!], [a!, b!, c!, c!]]) {
      const pks = list.map((k) => k.publicKey);
      expect(() => seal(pt, pks)).toThrow(InputError);
      expect(() => seal(pt, pks)).toThrow(expect.objectContaining({ code: 'ENVELOPE_DUPLICATE_KEY_ID' }));
      expect(() => seal(pt, pks, { senderSecretKey: b!.secretKey })).toThrow(expect.objectContaining({ code: 'ENVELOPE_DUPLICATE_KEY_ID' }));
      expect(() => createSealer(pks)).toThrow(expect.objectContaining({ code: 'ENVELOPE_DUPLICATE_KEY_ID' }));
    }
    // the same key as a copy in another buffer is the same recipient
    expect(() => seal(pt, [a!.publicKey, a!.publicKey.slice()])).toThrow(expect.objectContaining({ code: 'ENVELOPE_DUPLICATE_KEY_ID' }));
    expect(open(seal(pt, [a!.publicKey, b!.publicKey]), b!.secretKey)).toEqual(pt);
  });

  it('open refuses a header with duplicate key ids even when every duplicate slot is a valid wrap', () => {
    const A = s.kem.generateKeyPair();
    const env = duplicated(2, A);
    expect(() => open(env, A.secretKey)).toThrow(OpenError);
    // refused by the parser, before any key is used: inspect (no key at all) rejects the header too
    let err: unknown;
    try {
      inspect(env);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EncodingError);
    expect((err as EncodingError).cause).toBeInstanceOf(OpenError);
    // the same construction without the duplicate opens: the forgery kit builds valid envelopes
    expect(open(duplicated(1, A), A.secretKey)).toEqual(pt);
  });

  it('1,000 slots naming the victim: refused structurally (OpenError), streams too', () => {
    const A = s.kem.generateKeyPair();
    // 999 garbage slots with A's key id, then a genuine one: the old parser decapsulated all 1,000
    const env = duplicated(2, A);
    const slotLen = 8 + 32 + 32 + 16;
    const n = 1000;
    const big = new Uint8Array(15 + n * slotLen + 32 + 64);
    big.set(env.subarray(0, 15));
    big[13] = n >>> 8;
    big[14] = n & 0xff;
    for (let i = 0; i < n; i++) big.set(env.subarray(15, 15 + slotLen), 15 + i * slotLen);
    expect(() => open(big, A.secretKey)).toThrow(OpenError);
    expect(() => inspect(big)).toThrow(EncodingError);
    const streamHeader = big.slice();
    streamHeader[5] = 2;
    const o = createOpener(A.secretKey);
    expect(() => o.push(streamHeader)).toThrow(OpenError);
  });

  it('property: n distinct recipients seal and open; any repeated key id is refused at seal', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.nat(), fc.nat(), (n, i, j) => {
        const keys = Array.from({ length: n }, () => s.kem.generateKeyPair());
        const pks = keys.map((k) => k.publicKey);
        const env = seal(pt, pks);
        expect(open(env, keys[i % n]!.secretKey)).toEqual(pt);
        const withDup = [...pks];
        withDup.splice(j % (n + 1), 0, pks[i % n]!);
        expect(() => seal(pt, withDup)).toThrow(expect.objectContaining({ code: 'ENVELOPE_DUPLICATE_KEY_ID' }));
      }),
      { numRuns: 20 },
    );
  });
});
