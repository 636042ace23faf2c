/**
 * SM2 signatures (GB/T 32918.2-2016): Annex A vector, cross-checks both ways with sm-crypto-v2, DER, validation,
 * verify-returns-false cases, hostile inputs, properties, info/frozen checks.
 */
import { readFileSync } from 'node:fs';
import * as fc from 'fast-check';
import { sm2 as smv2 } from 'sm-crypto-v2';
import { describe, expect, it } from 'vitest';
import * as nodeEntry from '@privkit/core';
import { arbSm2UserId, arbTamper, bitFlips, hostileValues, truncations } from '@privkit/core/testing';
import * as portable from '../src/index.js';
import { _sm2SignWithK } from '../src/sm2.js';

const SM = JSON.parse(readFileSync(new URL('./vectors/shangmi/sm.json', import.meta.url), 'utf8'));
const V = SM.sm2_sign[0];
const C = SM.sm2_curve_sm2p256v1;
const big = (h: string) => BigInt('0x' + h);
const n = big(C.n);

describe.each([
  ['portable', portable],
  ['node', nodeEntry],
] as const)('sm2 (%s entry)', (_name, lib) => {
  const { sm2, hexToBytes: h, bytesToHex: x, utf8ToBytes: u, numberToBytesBE: i2os } = lib;
  const sk = h(V.d);
  const pk = h('04' + V.pub_x + V.pub_y);
  const msg = u(V.msg_ascii);
  const sigAnnexA = h(V.r + V.s);

  it('parameters are sm2p256v1 (GB/T 32918.5) and frozen', () => {
    const P = lib.SM2_PARAMS;
    expect([P.p, P.a, P.b, P.Gx, P.Gy, P.n, P.h]).toEqual([C.p, C.a, C.b, C.gx, C.gy, C.n, C.h].map(big));
    expect(Object.isFrozen(P)).toBe(true);
    expect(Object.isFrozen(sm2)).toBe(true);
    expect(Object.isFrozen(sm2.utils)).toBe(true);
    expect(Object.isFrozen(sm2.lengths)).toBe(true);
    expect(sm2.Point.BASE.toAffine()).toEqual({ x: big(C.gx), y: big(C.gy) });
    expect(lib.SM2_DEFAULT_USER_ID).toBe('1234567812345678');
  });

  it('GB/T 32918.5 Annex A: public key, Z_A, e, (r, s) with the given k, and verification', () => {
    expect(x(sm2.getPublicKey(sk))).toBe('04' + V.pub_x + V.pub_y);
    expect(x(sm2.utils.computeZa(pk))).toBe(V.ZA);
    expect(x(sm2.utils.computeZa(pk, V.user_id_ascii))).toBe(V.ZA);
    expect(x(sm2.utils.computeZa(pk, u(V.user_id_ascii)))).toBe(V.ZA);
    expect(x(lib.sm3(lib.concatBytes(h(V.ZA), msg)))).toBe(V.e);
    expect(x(_sm2SignWithK(msg, sk, big(V.k)))).toBe(V.r + V.s);
    expect(sm2.verify(sigAnnexA, msg, pk)).toBe(true);
    expect(sm2.verify(sigAnnexA, msg, pk, { userId: V.user_id_ascii })).toBe(true);
    expect(sm2.verify(sigAnnexA, msg, sm2.getPublicKey(sk, true))).toBe(true);
    expect(sm2.verify(sigAnnexA, msg, pk, { userId: 'someone else' })).toBe(false);
    expect(sm2.verify(sigAnnexA, u('message digesT'), pk)).toBe(false);
    // sm-crypto-v2 agrees on the same vector
    expect(smv2.doVerifySignature(V.msg_ascii, V.r + V.s, '04' + V.pub_x + V.pub_y, { hash: true })).toBe(true);
  });

  it('the nonce-rejection rules of §6.1 A5/A6 are enforced (k outside [1, n−1])', () => {
    for (const k of [0n, n, n + 1n, -1n]) expect(() => _sm2SignWithK(msg, sk, k)).toThrow(lib.InputError);
  });

  it('info: declared lengths match real outputs', () => {
    const { secretKey, publicKey } = sm2.keygen();
    expect(secretKey.length).toBe(sm2.lengths.secretKey);
    expect(publicKey.length).toBe(sm2.lengths.publicKey);
    expect(sm2.getPublicKey(secretKey, true).length).toBe(sm2.lengths.publicKeyCompressed);
    expect(sm2.sign(msg, secretKey).length).toBe(sm2.lengths.signature);
    expect(sm2.lengths.seed).toBeGreaterThanOrEqual(40);
  });

  it('cross-check: sm-crypto-v2 verifies ours and we verify theirs (random keys, messages, user IDs; raw and DER)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.string({ maxLength: 24 }), fc.boolean(), (m, id, der) => {
        const kp = sm2.keygen();
        const userId = id === '' ? undefined : id;
        const opts = { hash: true, der, ...(userId === undefined ? {} : { userId }) };
        const ours = sm2.sign(m, kp.secretKey, { ...(userId === undefined ? {} : { userId }), der });
        expect(smv2.doVerifySignature(m, x(ours), x(kp.publicKey), opts)).toBe(true);
        const theirs = h(smv2.doSignature(m, x(kp.secretKey), opts));
        expect(sm2.verify(theirs, m, kp.publicKey, { ...(userId === undefined ? {} : { userId }), der })).toBe(true);
        expect(smv2.doVerifySignature(m, x(theirs), x(kp.publicKey), opts)).toBe(true);
      }),
      { numRuns: 12 },
    );
  });

  it('signatures are deterministic (HMAC-DRBG/SM3) unless extraEntropy is given; all verify', () => {
    const a = sm2.sign(msg, sk);
    expect(x(sm2.sign(msg, sk))).toBe(x(a));
    const b = sm2.sign(msg, sk, { extraEntropy: true });
    const c = sm2.sign(msg, sk, { extraEntropy: true });
    const d = sm2.sign(msg, sk, { extraEntropy: h('00ff') });
    expect(new Set([x(a), x(b), x(c), x(d)]).size).toBe(4);
    for (const s of [a, b, c, d]) expect(sm2.verify(s, msg, pk)).toBe(true);
    expect(x(sm2.sign(msg, sk, { extraEntropy: false }))).toBe(x(a));
  });

  it('DER encoding: SEQUENCE {r, s}, strict parsing, raw/DER not interchangeable', () => {
    const der = sm2.sign(msg, sk, { der: true });
    expect(der[0]).toBe(0x30);
    expect(sm2.verify(der, msg, pk, { der: true })).toBe(true);
    const raw = sm2.sign(msg, sk);
    // same (r, s) in both encodings
    const r = raw.subarray(0, 32);
    expect(x(der).includes(x(r).replace(/^(00)+/, ''))).toBe(true);
    expect(sm2.verify(raw, msg, pk, { der: true })).toBe(false);
    for (const t of [...truncations(der), ...bitFlips(der)]) {
      expect(sm2.verify(t.value as Uint8Array, msg, pk, { der: true }), t.title).toBe(false);
    }
  });

  it('verify returns false (never throws) for well-typed invalid signatures', () => {
    const raw = sm2.sign(msg, sk);
    const r = lib.bytesToNumberBE(raw.subarray(0, 32));
    const s = lib.bytesToNumberBE(raw.subarray(32));
    const sig = (a: bigint, b: bigint) => lib.concatBytes(i2os(a, 32), i2os(b, 32));
    const bad: [string, Uint8Array][] = [
      ['r = 0', sig(0n, s)],
      ['s = 0', sig(r, 0n)],
      ['r = n', sig(n, s)],
      ['s = n', sig(r, n)],
      ['r = n + r (unreduced)', sig(n + r < 2n ** 256n ? n + r : r + 1n, s)],
      ['r + s = n', sig(r, n - r)],
      ['all 0xff', new Uint8Array(64).fill(0xff)],
      ['all zero', new Uint8Array(64)],
      ['r, s swapped', sig(s, r)],
      ['s negated', sig(r, n - s)],
    ];
    for (const [title, b] of bad) expect(sm2.verify(b, msg, pk), title).toBe(false);
    for (const t of bitFlips(raw)) expect(sm2.verify(t.value as Uint8Array, msg, pk), t.title).toBe(false);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), (garbage) => {
        expect(sm2.verify(garbage, msg, pk)).toBe(false);
      }),
      { numRuns: 10 },
    );
  });

  it('property: sign/verify round trip with any user ID; tampering is rejected', () => {
    const kp = sm2.keygen();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), arbSm2UserId, (m, userId) => {
        const o = userId === undefined ? {} : { userId };
        const s = sm2.sign(m, kp.secretKey, o);
        expect(sm2.verify(s, m, kp.publicKey, o)).toBe(true);
        const other = lib.concatBytes(m, new Uint8Array([1]));
        expect(sm2.verify(s, other, kp.publicKey, o)).toBe(false);
      }),
      { numRuns: 10 },
    );
    const s = sm2.sign(msg, kp.secretKey);
    fc.assert(
      fc.property(arbTamper(s), (t) => {
        if (t.bytes.length === 64) expect(sm2.verify(t.bytes, msg, kp.publicKey), t.mutation).toBe(false);
        else expect(() => sm2.verify(t.bytes, msg, kp.publicKey), t.mutation).toThrow(lib.InputError);
      }),
      { numRuns: 20 },
    );
  });

  it('keys: range [1, n−2] (GB/T 32918.1 §6.1), seeded keygen, validation', () => {
    const ok = (d: bigint) => i2os(d, 32);
    expect(sm2.utils.isValidSecretKey(ok(1n))).toBe(true);
    expect(sm2.utils.isValidSecretKey(ok(n - 2n))).toBe(true);
    for (const d of [0n, n - 1n, n, 2n ** 256n - 1n]) {
      expect(sm2.utils.isValidSecretKey(ok(d))).toBe(false);
      expect(() => sm2.getPublicKey(ok(d))).toThrow(lib.KeyError);
      expect(() => sm2.sign(msg, ok(d))).toThrow(lib.KeyError);
    }
    const seed = new Uint8Array(48).fill(7);
    expect(x(sm2.keygen(seed).secretKey)).toBe(x(sm2.keygen(seed).secretKey));
    expect(() => sm2.keygen(new Uint8Array(39))).toThrow(lib.InputError);
    expect(() => sm2.keygen(new Uint8Array(1025))).toThrow(lib.InputError);
    const kp = sm2.keygen();
    expect(sm2.utils.isValidSecretKey(kp.secretKey)).toBe(true);
    expect(sm2.utils.isValidPublicKey(kp.publicKey)).toBe(true);
    expect(sm2.utils.isValidPublicKey(sm2.getPublicKey(kp.secretKey, true))).toBe(true);
    // off-curve, identity-like, wrong prefix, wrong length
    const off = kp.publicKey.slice();
    off[64]! ^= 1;
    const badKeys: [string, Uint8Array][] = [
      ['off curve', off],
      ['prefix 05', lib.concatBytes(new Uint8Array([5]), kp.publicKey.subarray(1))],
      ['all zero', new Uint8Array(65)],
      ['x = p', lib.concatBytes(new Uint8Array([4]), i2os(lib.SM2_PARAMS.p, 32), kp.publicKey.subarray(33))],
    ];
    for (const [title, b] of badKeys) {
      expect(sm2.utils.isValidPublicKey(b), title).toBe(false);
      expect(() => sm2.verify(sm2.sign(msg, kp.secretKey), msg, b), title).toThrow(lib.KeyError);
      expect(() => sm2.utils.computeZa(b), title).toThrow(lib.KeyError);
    }
    for (const b of [new Uint8Array(64), new Uint8Array(66), new Uint8Array(0)]) {
      expect(sm2.utils.isValidPublicKey(b)).toBe(false);
      expect(() => sm2.verify(sm2.sign(msg, kp.secretKey), msg, b)).toThrow(lib.InputError);
    }
  });

  it('the per-key public-point cache follows the contents of the secret-key array', () => {
    const a = sm2.keygen();
    const b = sm2.keygen();
    const sk = a.secretKey.slice();
    expect(sm2.verify(sm2.sign(msg, sk), msg, a.publicKey)).toBe(true);
    sk.set(b.secretKey); // same array, new key
    expect(x(sm2.getPublicKey(sk))).toBe(x(b.publicKey));
    expect(sm2.verify(sm2.sign(msg, sk), msg, b.publicKey)).toBe(true);
    expect(sm2.verify(sm2.sign(msg, sk), msg, a.publicKey)).toBe(false);
  });

  it('user ID limits: ENTL is 16 bits, so at most 8191 bytes', () => {
    const kp = sm2.keygen();
    const id = new Uint8Array(8191).fill(0x41);
    const s = sm2.sign(msg, kp.secretKey, { userId: id });
    expect(sm2.verify(s, msg, kp.publicKey, { userId: id })).toBe(true);
    expect(() => sm2.sign(msg, kp.secretKey, { userId: new Uint8Array(8192) })).toThrow(lib.InputError);
    expect(() => sm2.verify(s, msg, kp.publicKey, { userId: new Uint8Array(8192) })).toThrow(lib.InputError);
    // empty user ID is allowed and differs from the default
    const e = sm2.sign(msg, kp.secretKey, { userId: '' });
    expect(sm2.verify(e, msg, kp.publicKey, { userId: new Uint8Array(0) })).toBe(true);
    expect(sm2.verify(e, msg, kp.publicKey)).toBe(false);
  });

  it('hostile inputs in every position give InputError (types) or KeyError (keys)', () => {
    const sig = sm2.sign(msg, sk);
    const typed = (f: () => unknown, t: string) => {
      let err: unknown;
      try {
        f();
      } catch (e) {
        err = e;
      }
      expect(err, t).toBeDefined();
      expect(lib.isPrivkitError(err), `${t}: ${String(err)}`).toBe(true);
    };
    for (const hv of hostileValues('bytes')) {
      const v = hv.value as Uint8Array;
      typed(() => sm2.sign(v, sk), `sign msg ${hv.title}`);
      typed(() => sm2.sign(msg, v), `sign sk ${hv.title}`);
      typed(() => sm2.verify(v, msg, pk), `verify sig ${hv.title}`);
      typed(() => sm2.verify(sig, v, pk), `verify msg ${hv.title}`);
      typed(() => sm2.verify(sig, msg, v), `verify pk ${hv.title}`);
      typed(() => sm2.getPublicKey(v), `getPublicKey ${hv.title}`);
      typed(() => sm2.utils.computeZa(v), `computeZa ${hv.title}`);
      expect(sm2.utils.isValidSecretKey(v), hv.title).toBe(false);
      expect(sm2.utils.isValidPublicKey(v), hv.title).toBe(false);
      if (v !== undefined) {
        typed(() => sm2.keygen(v), `keygen ${hv.title}`);
        if (typeof v !== 'string') {
          typed(() => sm2.sign(msg, sk, { userId: v }), `userId ${hv.title}`);
          typed(() => sm2.verify(sig, msg, pk, { userId: v }), `userId ${hv.title}`);
        }
        if (typeof v !== 'boolean') typed(() => sm2.sign(msg, sk, { extraEntropy: v as never }), `extraEntropy ${hv.title}`);
      }
    }
    for (const hv of hostileValues('object')) {
      if (hv.value === undefined) continue;
      typed(() => sm2.sign(msg, sk, hv.value as never), `sign options ${hv.title}`);
      typed(() => sm2.verify(sig, msg, pk, hv.value as never), `verify options ${hv.title}`);
    }
    for (const hv of hostileValues('boolean')) {
      if (hv.value === undefined) continue;
      typed(() => sm2.sign(msg, sk, { der: hv.value as never }), `der ${hv.title}`);
      typed(() => sm2.verify(sig, msg, pk, { der: hv.value as never }), `der ${hv.title}`);
      typed(() => sm2.getPublicKey(sk, hv.value as never), `compressed ${hv.title}`);
    }
  });
});
