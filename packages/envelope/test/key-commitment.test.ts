/**
 * Issue 16 item 1 — invisible salamanders: a hostile sender wraps data key k1 for recipient A and k2 for B and
 * solves one GCM block so that the payload verifies under both keys. Version 1 opened to two plaintexts; version 2
 * carries a key commitment every recipient checks, so at most one of them opens.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { concatBytes, equalBytes, randomBytes, UnsupportedError, utf8ToBytes } from '@privkit/core';
import { createOpener, hpke, inspect, keyId, open, OpenError, openStream, seal, suites, type Suite, type SuiteName } from '@privkit/envelope';
import { buildEnvelope, expectOpenError, aeadOpen, GF_ONE, ginv, gmul, openV1, prefixOf, solveGcmBlock, solvePoly1305Block, toBig, v2Keys } from './_forge.js';

const ofName = (n: SuiteName): Suite => {
  const [k, d, a] = suites[n];
  return hpke.suite(k, d, a);
};
/** Every AEAD; SM4-GCM and HKDF-SM3 on the X25519 KEM (the AEAD is what the attack targets). */
const AEADS: [string, Suite][] = [
  ['AES-256-GCM', ofName('X25519-SHA256-AES-256-GCM')],
  ['AES-128-GCM', ofName('P256-SHA256-AES-128-GCM')],
  ['SM4-GCM (HKDF-SM3)', hpke.suite(0x20, 0xff01, 0xff01)],
  ['ChaCha20-Poly1305', ofName('X25519-SHA256-CHACHA20POLY1305')],
];
const MSG_A = utf8ToBytes('PAY 100 TO ALICE');
const MSG_B = utf8ToBytes('PAY 9999 TO EVE!');

/**
 * The payload of a salamander: block 0 reads MSG_A under k1, block 1 reads MSG_B under k2, block 2 is solved so
 * the tag verifies under both (ChaCha20-Poly1305: block 3 is a filler re-drawn until a solution exists).
 */
function salamanderPayload(s: Suite, k1: Uint8Array, k2: Uint8Array, aad: Uint8Array): Uint8Array {
  const nonce = new Uint8Array(s.aead.Nn);
  const aead = s.aead.impl!();
  const chacha = s.aead.id === 0x0003;
  const len = chacha ? 64 : 48;
  const ks1 = aead.seal(k1, nonce, new Uint8Array(len), aad).subarray(0, len);
  const ks2 = aead.seal(k2, nonce, new Uint8Array(len), aad).subarray(0, len);
  const c = new Uint8Array(len);
  for (let i = 0; i < 16; i++) {
    c[i] = MSG_A[i]! ^ ks1[i]!;
    c[16 + i] = MSG_B[i]! ^ ks2[16 + i]!;
  }
  return chacha ? solvePoly1305Block(k1, k2, nonce, aad, c, 2, 3) : solveGcmBlock(s, k1, k2, nonce, aad, c, 2);
}

describe('GF(2^128) of the forgery kit', () => {
  it('multiplication has the GCM one, commutes, and inverts', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ minLength: 16, maxLength: 16 }), (a, b) => {
        const x = toBig(a);
        const y = toBig(b);
        expect(gmul(x, GF_ONE)).toBe(x);
        expect(gmul(x, y)).toBe(gmul(y, x));
        if (x !== 0n) expect(gmul(x, ginv(x))).toBe(GF_ONE);
      }),
      { numRuns: 10 },
    );
  });
});

describe('invisible salamanders (issue 16 item 1)', () => {
  for (const [name, s] of AEADS) {
    it(`${name}: the forged payload verifies under both payload keys (the attack is real)`, () => {
      const k1 = randomBytes(s.aead.Nk);
      const k2 = randomBytes(s.aead.Nk);
      const aad = utf8ToBytes('context');
      const ct = salamanderPayload(s, k1, k2, aad);
      const nonce = new Uint8Array(s.aead.Nn);
      const p1 = aeadOpen(s, k1, nonce, aad, ct);
      const p2 = aeadOpen(s, k2, nonce, aad, ct);
      expect(p1.subarray(0, 16)).toEqual(MSG_A);
      expect(p2.subarray(16, 32)).toEqual(MSG_B);
      expect(equalBytes(p1, p2)).toBe(false);
    });

    for (const mode of ['base', 'auth'] as const) {
      it(`${name}, ${mode} mode: BEFORE — a version-1 envelope opens to two different plaintexts for A and B`, () => {
        const A = s.kem.generateKeyPair();
        const B = s.kem.generateKeyPair();
        const S = s.kem.generateKeyPair();
        const k1 = randomBytes(s.aead.Nk);
        const k2 = randomBytes(s.aead.Nk);
        const env = buildEnvelope({
          version: 1,
          suite: s,
          recipients: [A.publicKey, B.publicKey],
          deks: [k1, k2],
          ...(mode === 'auth' ? { sender: S.secretKey } : {}),
          payload: (prefix, kids) => salamanderPayload(s, k1, k2, concatBytes(prefix, kids)),
        });
        const spk = mode === 'auth' ? S.publicKey : undefined;
        const forA = openV1(env, A.secretKey, spk);
        const forB = openV1(env, B.secretKey, spk);
        expect(forA.subarray(0, 16)).toEqual(MSG_A);
        expect(forB.subarray(16, 32)).toEqual(MSG_B);
        expect(equalBytes(forA, forB)).toBe(false);
        // and version 2 of the library refuses the legacy format outright, with a typed error, for both recipients
        for (const r of [A, B]) {
          const o = spk ? { senderPublicKey: spk } : {};
          expect(() => open(env, r.secretKey, o)).toThrow(UnsupportedError);
          expect(() => open(env, r.secretKey, o)).toThrow(expect.objectContaining({ code: 'ENVELOPE_LEGACY_VERSION' }));
        }
      });

      it(`${name}, ${mode} mode: AFTER — the same forgery in version 2 fails for at least one recipient`, () => {
        const A = s.kem.generateKeyPair();
        const B = s.kem.generateKeyPair();
        const S = s.kem.generateKeyPair();
        const k1 = randomBytes(s.aead.Nk);
        const k2 = randomBytes(s.aead.Nk);
        const recipients = [A.publicKey, B.publicKey];
        const kids = concatBytes(...recipients.map((pk) => keyId(s, pk)));
        const prefix = prefixOf(2, 1, s, 2, undefined, mode === 'auth' ? keyId(s, S.publicKey) : undefined);
        // The sender derives both payload keys (the derivation is public) and can commit to only one data key.
        const [x1, x2] = [k1, k2].map((k) => v2Keys(s, prefix, kids, new Uint8Array(0), k)) as [ReturnType<typeof v2Keys>, ReturnType<typeof v2Keys>];
        for (const committed of [0, 1] as const) {
          const ad = concatBytes([x1, x2][committed]!.h, [x1, x2][committed]!.kappa);
          const payload = salamanderPayload(s, x1.key, x2.key, ad);
          // the payload really verifies under both payload keys with the header's AAD
          for (const x of [x1, x2]) expect(() => aeadOpen(s, x.key, new Uint8Array(s.aead.Nn), ad, payload)).not.toThrow();
          const env = buildEnvelope({
            version: 2,
            suite: s,
            recipients,
            deks: [k1, k2],
            kappa: [x1, x2][committed]!.kappa,
            ...(mode === 'auth' ? { sender: S.secretKey } : {}),
            payload: () => payload,
          });
          const o = mode === 'auth' ? { senderPublicKey: S.publicKey } : {};
          const results = [A, B].map((r) => {
            try {
              return open(env, r.secretKey, o);
            } catch (e) {
              expect(e).toBeInstanceOf(OpenError);
              return undefined;
            }
          });
          // the committed recipient reads its message (the forgery is a well-formed v2 envelope); the other fails
          expect(results[committed]).toBeDefined();
          expect(results[1 - committed]).toBeUndefined();
          expect(results[committed]!.subarray(16 * committed, 16 * committed + 16)).toEqual(committed ? MSG_B : MSG_A);
        }
      });
    }
  }

  it('AFTER, streams: a two-key stream (one chunk solved for both keys) fails for at least one recipient', () => {
    const s = ofName('X25519-SHA256-AES-256-GCM');
    const A = s.kem.generateKeyPair();
    const B = s.kem.generateKeyPair();
    const k1 = randomBytes(32);
    const k2 = randomBytes(32);
    const recipients = [A.publicKey, B.publicKey];
    const kids = concatBytes(...recipients.map((pk) => keyId(s, pk)));
    const noncePrefix = randomBytes(7);
    const extra = concatBytes(new Uint8Array([0, 0, 0x10, 0]), noncePrefix); // chunk size 4096
    const prefix = prefixOf(2, 2, s, 2, extra);
    const [x1, x2] = [k1, k2].map((k) => v2Keys(s, prefix, kids, new Uint8Array(0), k));
    const nonce = concatBytes(noncePrefix, new Uint8Array([0, 0, 0, 0, 1])); // chunk 0, last
    const chunkAad = concatBytes(x1!.h, x1!.kappa);
    const chunk = solveGcmBlock(s, x1!.key, x2!.key, nonce, chunkAad, new Uint8Array(48).fill(7), 2);
    expect(() => aeadOpen(s, x2!.key, nonce, chunkAad, chunk)).not.toThrow();
    const stream = buildEnvelope({ version: 2, kind: 2, suite: s, recipients, deks: [k1, k2], kappa: x1!.kappa, extra, payload: () => chunk });
    const run = (sk: Uint8Array) => {
      const o = createOpener(sk);
      return concatBytes(o.push(stream), o.final());
    };
    expect(run(A.secretKey)).toEqual(aeadOpen(s, x1!.key, nonce, chunkAad, chunk));
    expectOpenError(() => run(B.secretKey));
  });

  it('version-1 streams are refused with the typed legacy error (createOpener, openStream, inspect)', async () => {
    const s = ofName('X25519-SHA256-AES-256-GCM');
    const A = s.kem.generateKeyPair();
    const k = randomBytes(32);
    const extra = concatBytes(new Uint8Array([0, 0, 0x10, 0]), randomBytes(7));
    const v1 = buildEnvelope({ version: 1, kind: 2, suite: s, recipients: [A.publicKey], deks: [k], extra, payload: () => new Uint8Array(16) });
    const o = createOpener(A.secretKey);
    expect(() => o.push(v1)).toThrow(expect.objectContaining({ name: 'UnsupportedError', code: 'ENVELOPE_LEGACY_VERSION' }));
    expect(() => o.final()).toThrow(OpenError);
    const source = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(v1);
        c.close();
      },
    });
    const reader = source.pipeThrough(openStream(A.secretKey)).getReader();
    await expect(reader.read()).rejects.toMatchObject({ code: 'ENVELOPE_LEGACY_VERSION' });
    expect(() => inspect(v1)).toThrow(expect.objectContaining({ code: 'INVALID_ENCODING', cause: expect.objectContaining({ code: 'ENVELOPE_LEGACY_VERSION' }) }));
  });

  it('property: slots wrapping different data keys — only the recipients of the committed key open (every suite incl. ChaCha20-Poly1305)', () => {
    const names: SuiteName[] = ['X25519-SHA256-AES-128-GCM', 'X25519-SHA256-AES-256-GCM', 'X25519-SHA256-CHACHA20POLY1305', 'P256-SHA256-AES-128-GCM', 'SECP256K1-SHA256-AES-256-GCM'];
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.array(fc.boolean(), { minLength: 2, maxLength: 4 }), fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 16 }), (name, honest, pt, aad) => {
        const s = ofName(name);
        const keys = honest.map(() => s.kem.generateKeyPair());
        const recipients = keys.map((k) => k.publicKey);
        const kids = concatBytes(...recipients.map((pk) => keyId(s, pk)));
        const good = randomBytes(s.aead.Nk);
        const deks = honest.map((h) => (h ? good : randomBytes(s.aead.Nk)));
        const x = v2Keys(s, prefixOf(2, 1, s, honest.length), kids, aad, good);
        const payload = s.aead.impl!().seal(x.key, new Uint8Array(s.aead.Nn), pt, concatBytes(x.h, x.kappa));
        const env = buildEnvelope({ version: 2, suite: s, recipients, deks, kappa: x.kappa, payload: () => payload });
        keys.forEach((k, i) => {
          if (honest[i]) expect(open(env, k.secretKey, { aad })).toEqual(pt);
          else expectOpenError(() => open(env, k.secretKey, { aad }));
        });
      }),
      { numRuns: 25 },
    );
  });

  it('property: the commitment binds the AAD and every header byte (a changed κ or AAD fails for every recipient)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 32 }), fc.uint8Array({ maxLength: 16 }), fc.nat(31), fc.integer({ min: 1, max: 255 }), (pt, aad, i, delta) => {
        const kem = ofName('X25519-SHA256-AES-256-GCM').kem;
        const A = kem.generateKeyPair();
        const B = kem.generateKeyPair();
        const env = seal(pt, [A.publicKey, B.publicKey], { aad });
        const kappaAt = inspect(env).headerLength - 32;
        const m = env.slice();
        m[kappaAt + i] = (m[kappaAt + i]! + delta) & 0xff;
        for (const r of [A, B]) {
          expect(open(env, r.secretKey, { aad })).toEqual(pt);
          expectOpenError(() => open(m, r.secretKey, { aad }));
          expectOpenError(() => open(env, r.secretKey, { aad: concatBytes(aad, new Uint8Array([delta])) }));
        }
      }),
      { numRuns: 20 },
    );
  });

  it('an honest envelope matches the layout and derivation written from FORMAT.md §3.1', () => {
    const s = ofName('X25519-SHA256-AES-256-GCM');
    const A = s.kem.generateKeyPair();
    const aad = utf8ToBytes('a');
    const env = seal(utf8ToBytes('hello'), [A.publicKey], { aad });
    const kids = keyId(s, A.publicKey);
    const info = inspect(env);
    expect(info.headerLength).toBe(15 + 88 + 32);
    // the payload opens under no key but the derived one: recover the DEK through HPKE and re-derive
    const prefix = env.subarray(0, 15);
    const slot = env.subarray(15, 15 + 88);
    const dek = hpke.openBase(s, slot.subarray(8, 40), A.secretKey, concatBytes(utf8ToBytes('PrivKit envelope v2 wrap'), prefix), concatBytes(kids, env.subarray(103, 135)), slot.subarray(40));
    const x = v2Keys(s, prefix, kids, aad, dek);
    expect(env.subarray(103, 135)).toEqual(x.kappa);
    expect(aeadOpen(s, x.key, new Uint8Array(12), concatBytes(x.h, x.kappa), env.subarray(135))).toEqual(utf8ToBytes('hello'));
    // the data key itself is not the payload key
    expect(() => aeadOpen(s, dek, new Uint8Array(12), concatBytes(x.h, x.kappa), env.subarray(135))).toThrow();
  });
});
