import { describe, expect, it } from 'vitest';
import * as api from '@privkit/ring-sig';
import * as testing from '@privkit/ring-sig/testing';
import { DST, keygen, lengths, ringSig, sign, encode, signatureLength, SCHEME_ID } from '@privkit/ring-sig';

describe('API lock', () => {
  it('index exports', () => {
    expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
      [
        "DST",
        "GROUP_ORDER",
        "H2G_SUITE",
        "MAX_RING",
        "MAX_SCOPE",
        "MIN_RING",
        "RingSigError",
        "RingSigFormatError",
        "SCHEME_ID",
        "computeKeyImage",
        "createRingContext",
        "decode",
        "encode",
        "getPublicKey",
        "keyImage",
        "keygen",
        "lengths",
        "linked",
        "ringSig",
        "sign",
        "signatureLength",
        "verify",
        "verifyBatch",
      ]
    `);
  });
  it('testing exports', () => {
    expect(Object.keys(testing).sort()).toMatchInlineSnapshot(`
      [
        "MUTATIONS",
        "arbMessage",
        "arbRing",
        "arbScope",
        "arbSigned",
        "arbTampered",
      ]
    `);
  });
});

describe('info', () => {
  it('exported bundles and params are frozen', () => {
    for (const o of [ringSig, lengths, DST, SCHEME_ID, testing.MUTATIONS]) expect(Object.isFrozen(o)).toBe(true);
  });
  it('declared lengths match real outputs', () => {
    const { secretKey, publicKey } = keygen();
    expect(secretKey.length).toBe(lengths.secretKey);
    expect(publicKey.length).toBe(lengths.publicKey);
    const ring = [publicKey, keygen().publicKey, keygen().publicKey];
    const sig = sign(new Uint8Array(3), ring, secretKey);
    expect(sig.keyImage.length).toBe(lengths.keyImage);
    expect(sig.c0.length).toBe(lengths.scalar);
    expect(encode(sig).length).toBe(signatureLength(3));
    expect(signatureLength(3)).toBe(lengths.header + 32 * 5);
    const aux = ring.map(() => keygen());
    const sig2 = sign(new Uint8Array(3), ring, secretKey, { auxRing: aux.map((a) => a.publicKey), auxSecretKey: aux[0]!.secretKey });
    expect(encode(sig2).length).toBe(signatureLength(3, 2));
  });
  it('signature objects are frozen', () => {
    const k = keygen();
    const sig = sign(new Uint8Array(0), [k.publicKey, keygen().publicKey], k.secretKey);
    expect(Object.isFrozen(sig)).toBe(true);
    expect(Object.isFrozen(sig.responses)).toBe(true);
  });
  it('keygen(seed) is deterministic', () => {
    const seed = new Uint8Array(32).fill(7);
    expect(keygen(seed)).toEqual(keygen(seed));
  });
});
