import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { sm2 as smv2 } from 'sm-crypto-v2';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes, isPrivkitError, utf8ToBytes } from '@privkit/core';
import { OpenError, sm2Decrypt, sm2Encrypt } from '@privkit/envelope';
import { _sm2EncryptWithK } from '../src/sm2-encrypt.js';
import { mulWindow4 } from '../src/_sm2mul.js';
import { sm2 } from '@privkit/core';

const sm = JSON.parse(readFileSync(new URL('./vectors/sm/sm.json', import.meta.url), 'utf8')) as {
  sm2_encrypt: { d: string; msg_hex: string; k: string; C1_x: string; C1_y: string; C2: string; C3: string; raw_C1C3C2_uncompressed: string; raw_C1C2C3_uncompressed_legacy_2010_order: string }[];
};

const keyFromHex = (d: string) => {
  const pk = hexToBytes(smv2.getPublicKeyFromPrivateKey(d));
  return { secretKey: hexToBytes(d), publicKey: pk };
};

/**
 * Opens a sm-crypto-v2 ciphertext. sm-crypto-v2 does not retry when the KDF output t is all zero (GB/T 32918.4
 * §6.1 A5 requires it), so for short messages (1/256 of 1-byte messages) it emits ciphertexts with C2 = M that a
 * conforming decryptor must reject (§7.1 B4). Such a rejection is accepted here only when it is exactly that case.
 */
function expectOpens(ct: Uint8Array, sk: Uint8Array, msg: Uint8Array, mode: 'c1c3c2' | 'c1c2c3'): void {
  let pt: Uint8Array | undefined;
  try {
    pt = sm2Decrypt(ct, sk, { prefix: false, mode });
  } catch (e) {
    expect(e).toBeInstanceOf(OpenError);
    const c2 = mode === 'c1c3c2' ? ct.subarray(64 + 32) : ct.subarray(64, 64 + msg.length);
    expect(c2, 'rejected a ciphertext whose KDF output is not all-zero').toEqual(msg);
    return;
  }
  expect(pt).toEqual(msg);
}

describe('SM2 public-key encryption (GB/T 32918.4-2016)', () => {
  it('matches the sm.json known answer (GB/T 32918.5 Annex C) in both orders, with and without 04', () => {
    expect(sm.sm2_encrypt.length).toBeGreaterThan(0);
    for (const v of sm.sm2_encrypt) {
      const { publicKey } = keyFromHex(v.d);
      const msg = hexToBytes(v.msg_hex);
      const k = BigInt(`0x${v.k}`);
      const a = _sm2EncryptWithK(msg, publicKey, k, 'c1c3c2', true)!;
      expect(bytesToHex(a)).toBe(v.raw_C1C3C2_uncompressed);
      const b = _sm2EncryptWithK(msg, publicKey, k, 'c1c2c3', true)!;
      expect(bytesToHex(b)).toBe(v.raw_C1C2C3_uncompressed_legacy_2010_order);
      const c = _sm2EncryptWithK(msg, publicKey, k, 'c1c3c2', false)!;
      expect(bytesToHex(c)).toBe(v.raw_C1C3C2_uncompressed.slice(2));
      expect(sm2Decrypt(hexToBytes(v.raw_C1C3C2_uncompressed), hexToBytes(v.d))).toEqual(msg);
      expect(sm2Decrypt(hexToBytes(v.raw_C1C2C3_uncompressed_legacy_2010_order), hexToBytes(v.d), { mode: 'c1c2c3' })).toEqual(msg);
      expect(sm2Decrypt(c, hexToBytes(v.d), { prefix: false })).toEqual(msg);
      expect(() => sm2Decrypt(hexToBytes(v.raw_C1C3C2_uncompressed), hexToBytes(v.d), { mode: 'c1c2c3' })).toThrow(OpenError);
    }
  });

  it('interoperates with sm-crypto-v2 both ways (cipherMode 1 = C1C3C2, 0 = C1C2C3)', () => {
    const kp = smv2.generateKeyPairHex();
    const { secretKey, publicKey } = keyFromHex(kp.privateKey);
    for (const len of [1, 19, 32, 33, 1024]) {
      const msg = new Uint8Array(len).map((_, i) => (i * 31 + len) & 0xff);
      // theirs → ours (sm-crypto emits C1 without the 04 prefix)
      const theirs1 = hexToBytes(smv2.doEncrypt(msg, kp.publicKey, 1));
      expectOpens(theirs1, secretKey, msg, 'c1c3c2');
      const theirs0 = hexToBytes(smv2.doEncrypt(msg, kp.publicKey, 0));
      expectOpens(theirs0, secretKey, msg, 'c1c2c3');
      // ours → theirs
      const ours1 = sm2Encrypt(msg, publicKey, { prefix: false });
      expect(smv2.doDecrypt(bytesToHex(ours1), kp.privateKey, 1, { output: 'array' })).toEqual(msg);
      const ours0 = sm2Encrypt(msg, publicKey, { prefix: false, mode: 'c1c2c3' });
      expect(smv2.doDecrypt(bytesToHex(ours0), kp.privateKey, 0, { output: 'array' })).toEqual(msg);
      const ours = sm2Encrypt(msg, publicKey);
      expect(ours.length).toBe(97 + len);
      expect(smv2.doDecrypt(bytesToHex(ours.subarray(1)), kp.privateKey, 1, { output: 'array' })).toEqual(msg);
    }
  });

  it('property: round trip and tamper rejection', () => {
    const kp = smv2.generateKeyPairHex();
    const { secretKey, publicKey } = keyFromHex(kp.privateKey);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 100 }), fc.nat(), fc.integer({ min: 0, max: 7 }), fc.constantFrom('c1c3c2' as const, 'c1c2c3' as const), fc.boolean(), (msg, pos, bit, mode, prefix) => {
        const ct = sm2Encrypt(msg, publicKey, { mode, prefix });
        expect(sm2Decrypt(ct, secretKey, { mode, prefix })).toEqual(msg);
        const bad = ct.slice();
        bad[pos % bad.length]! ^= 1 << bit;
        expect(() => sm2Decrypt(bad, secretKey, { mode, prefix })).toThrow(OpenError);
        expect(() => sm2Decrypt(ct.subarray(0, ct.length - 1), secretKey, { mode, prefix })).toThrow(OpenError);
      }),
      { numRuns: 25 },
    );
  });

  it('property: the Jacobian window-4 multiplication equals noble multiply (independent evaluation)', () => {
    const N = sm2.Point.CURVE().n;
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: N - 1n }), fc.bigInt({ min: 1n, max: N - 1n }), (a, k) => {
        const P = sm2.Point.BASE.multiply(a);
        const want = P.multiply(k).toAffine();
        expect(mulWindow4(P, k)).toEqual({ x: want.x, y: want.y });
      }),
      { numRuns: 30 },
    );
    const P = sm2.Point.BASE.multiply(7n);
    expect(mulWindow4(P, N)).toBeUndefined(); // n·P = O
    for (const k of [1n, 2n, 15n, 16n, 17n, 255n, N - 1n]) expect(mulWindow4(P, k)).toEqual(P.multiply(k).toAffine());
  });

  it('wrong key and hostile inputs give typed errors', () => {
    const a = keyFromHex(smv2.generateKeyPairHex().privateKey);
    const b = keyFromHex(smv2.generateKeyPairHex().privateKey);
    const ct = sm2Encrypt(utf8ToBytes('m'), a.publicKey);
    expect(() => sm2Decrypt(ct, b.secretKey)).toThrow(OpenError);
    expect(() => sm2Encrypt(new Uint8Array(0), a.publicKey)).toThrow(expect.objectContaining({ code: 'INVALID_LENGTH' }));
    expect(() => sm2Encrypt(utf8ToBytes('m'), new Uint8Array(65).fill(4))).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
    expect(() => sm2Decrypt(ct, new Uint8Array(32))).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
    expect(() => sm2Encrypt(utf8ToBytes('m'), a.publicKey, { mode: 'c2c1c3' as never })).toThrow(expect.objectContaining({ code: 'INVALID_VALUE' }));
    for (const v of [null, 1, 'x', new Uint16Array(2), { constructor: { name: 'Uint8Array' } }]) {
      for (const fn of [() => sm2Encrypt(v as Uint8Array, a.publicKey), () => sm2Encrypt(utf8ToBytes('m'), v as Uint8Array), () => sm2Decrypt(v as Uint8Array, a.secretKey), () => sm2Decrypt(ct, v as Uint8Array)]) {
        let err: unknown;
        try {
          fn();
        } catch (e) {
          err = e;
        }
        expect(isPrivkitError(err)).toBe(true);
      }
    }
  });
});
