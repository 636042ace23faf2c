/**
 * TEMPORARY shim of the @privkit/core contract (getAead, getHash, hkdfExtract/Expand, getDhGroup) on @noble/*,
 * used until core ships them. Internal only.
 * @module
 */
import { gcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { x448 } from '@noble/curves/ed448.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { expand, extract } from '@noble/hashes/hkdf.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { DecryptError, KeyError, UnsupportedError } from '@privkit/core';

export type HashId = 'sha256' | 'sha384' | 'sha512' | 'sm3';
export type AeadId = 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305' | 'sm4-gcm';
export type DhGroupId = 'p256' | 'p384' | 'p521' | 'x25519' | 'x448' | 'secp256k1' | 'sm2';
export interface CHash {
  (msg: Uint8Array): Uint8Array;
  outputLen: number;
  blockLen: number;
  create(): unknown;
}
export interface Aead {
  id: string;
  keyLength: number;
  nonceLength: number;
  tagLength: number;
  seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array;
  open(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, aad?: Uint8Array): Uint8Array;
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

const hashes: Record<string, CHash> = { sha256, sha384, sha512 } as unknown as Record<string, CHash>;
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

function nobleAead(id: string, keyLength: number, c: (k: Uint8Array, n: Uint8Array, a?: Uint8Array) => { encrypt(d: Uint8Array): Uint8Array; decrypt(d: Uint8Array): Uint8Array }): Aead {
  return {
    id, keyLength, nonceLength: 12, tagLength: 16,
    seal: (k, n, p, a) => c(k, n, a).encrypt(p),
    open: (k, n, ct, a) => {
      try { return c(k, n, a).decrypt(ct); } catch (e) { throw new DecryptError({ cause: e }); }
    },
  };
}
export function getAead(id: AeadId): Aead {
  switch (id) {
    case 'aes-128-gcm': return nobleAead(id, 16, gcm);
    case 'aes-256-gcm': return nobleAead(id, 32, gcm);
    case 'chacha20-poly1305': return nobleAead(id, 32, chacha20poly1305);
    default: throw new UnsupportedError(`aead ${id} not available`);
  }
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
    case 'x25519': return mont(id, x25519, 32);
    case 'x448': return mont(id, x448 as unknown as typeof x25519, 56);
    default: throw new UnsupportedError(`dh group ${id} not available`);
  }
}
