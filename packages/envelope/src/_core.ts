/**
 * TEMPORARY shim of the @privkit/core contract (getAead, getHash, hkdfExtract/Expand, getDhGroup) on @noble/*,
 * used until core ships them. Internal only.
 * @module
 */
import { weierstrass } from '@noble/curves/abstract/weierstrass.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { x448 } from '@noble/curves/ed448.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { expand, extract } from '@noble/hashes/hkdf.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { bytesToNumberBE, randomBytes, KeyError, UnsupportedError, sm3 } from '@privkit/core';
export { getAead, sm3, type Aead } from '@privkit/core';

export type HashId = 'sha256' | 'sha384' | 'sha512' | 'sm3';
export type DhGroupId = 'p256' | 'p384' | 'p521' | 'x25519' | 'x448' | 'secp256k1' | 'sm2';
export interface CHash {
  (msg: Uint8Array): Uint8Array;
  outputLen: number;
  blockLen: number;
  create(): unknown;
}
export interface DhGroup {
  id: string;
  secretKeyLength: number;
  publicKeyLength: number;
  sharedSecretLength: number;
  randomSecretKey(): Uint8Array;
  getPublicKey(sk: Uint8Array): Uint8Array;
  getSharedSecret(sk: Uint8Array, pk: Uint8Array): Uint8Array;
  isValidPublicKey(pk: Uint8Array): boolean;
  isValidSecretKey(sk: Uint8Array): boolean;
}

const hashes: Record<string, CHash> = { sha256, sha384, sha512, sm3 } as unknown as Record<string, CHash>;
export function getHash(id: HashId): CHash {
  const h = hashes[id];
  if (!h) throw new UnsupportedError(`hash ${id} not available`);
  return h;
}
export function hkdfExtract(id: HashId, salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  return extract(getHash(id) as never, ikm, salt);
}
export function hkdfExpand(id: HashId, prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  return expand(getHash(id) as never, prk, info, length);
}

function weier(id: string, c: typeof p256, n: number): DhGroup {
  const plen = 1 + 2 * n;
  return {
    id, secretKeyLength: c.lengths.secretKey!, publicKeyLength: plen, sharedSecretLength: n,
    randomSecretKey: () => c.utils.randomSecretKey(),
    getPublicKey: (sk) => c.getPublicKey(sk, false),
    isValidPublicKey: (pk) => pk.length === plen && pk[0] === 4 && c.utils.isValidPublicKey(pk, false),
    isValidSecretKey: (sk) => c.utils.isValidSecretKey(sk),
    getSharedSecret(sk, pk) {
      if (!(pk.length === plen && pk[0] === 4 && c.utils.isValidPublicKey(pk, false))) throw new KeyError('invalid public key');
      try { return c.getSharedSecret(sk, pk, true).subarray(1); } catch (e) { throw new KeyError('invalid key', { cause: e }); }
    },
  };
}
function mont(id: string, c: typeof x25519, n: number): DhGroup {
  return {
    id, secretKeyLength: n, publicKeyLength: n, sharedSecretLength: n,
    randomSecretKey: () => c.utils.randomSecretKey(),
    getPublicKey: (sk) => c.getPublicKey(sk),
    isValidPublicKey: (pk) => pk.length === n,
    isValidSecretKey: (sk) => sk.length === n,
    getSharedSecret(sk, pk) {
      if (pk.length !== n) throw new KeyError('invalid public key');
      try { return c.getSharedSecret(sk, pk); } catch (e) { throw new KeyError('invalid key', { cause: e }); }
    },
  };
}
export function getDhGroup(id: DhGroupId): DhGroup {
  switch (id) {
    case 'p256': return weier(id, p256, 32);
    case 'p384': return weier(id, p384, 48);
    case 'p521': return weier(id, p521, 66);
    case 'secp256k1': return weier(id, secp256k1 as unknown as typeof p256, 32);
    case 'sm2': return weier(id, { ...p256, getPublicKey: (sk: Uint8Array) => Sm2Point.BASE.multiply(bytesToNumberBE(sk)).toBytes(false), getSharedSecret: (sk: Uint8Array, pk: Uint8Array) => Sm2Point.fromBytes(pk).multiply(bytesToNumberBE(sk)).toBytes(true), utils: { randomSecretKey: () => { for (;;) { const b = randomBytes(32); const v = bytesToNumberBE(b); if (v > 0n && v < SM2N) return b; } }, isValidSecretKey: (sk: Uint8Array) => { const v = bytesToNumberBE(sk); return sk.length === 32 && v > 0n && v < SM2N; }, isValidPublicKey: (pk: Uint8Array) => { try { Sm2Point.fromBytes(pk).assertValidity(); return true; } catch { return false; } } }, lengths: { secretKey: 32 } } as unknown as typeof p256, 32);
    case 'x25519': return mont(id, x25519, 32);
    case 'x448': return mont(id, x448 as unknown as typeof x25519, 56);
    default: throw new UnsupportedError(`dh group ${id} not available`);
  }
}

const SM2N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
/** TEMPORARY: the SM2 curve point class (core's `sm2.Point` once exported). */
export const Sm2Point = weierstrass<bigint>({
  p: 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn,
  n: SM2N,
  h: 1n,
  a: 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn,
  b: 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n,
  Gx: 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n,
  Gy: 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n,
});
/** TEMPORARY sm3Kdf (GB/T 32918.4 §5.4.3). */
export function sm3Kdf(z: Uint8Array, klen: number): Uint8Array {
  const out = new Uint8Array(klen);
  const ctr = new Uint8Array(4);
  for (let pos = 0, ct = 1; pos < klen; ct++, pos += 32) {
    new DataView(ctr.buffer).setUint32(0, ct);
    const block = sm3.create().update(z).update(ctr).digest();
    out.set(klen - pos >= 32 ? block : block.subarray(0, klen - pos), pos);
  }
  return out;
}
