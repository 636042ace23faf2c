/**
 * TEMPORARY shim of the `@privkit/core` contract pieces attest needs (`getHash`, `sm2`) until core exports them.
 * Internal only; replaced by direct imports from `@privkit/core` once available.
 * @module
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { sm3, UnsupportedError } from '@privkit/core';

/** Hash ids of the core registry. */
export type HashId = 'sha1' | 'sha256' | 'sha384' | 'sha512' | 'sm3';
/** The subset of a noble CHash attest uses. */
export interface CHash {
  (msg: Uint8Array): Uint8Array;
  outputLen: number;
  blockLen: number;
}
const HASHES: Readonly<Record<HashId, CHash>> = Object.freeze({
  sha1: sha1 as CHash,
  sha256: sha256 as CHash,
  sha384: sha384 as CHash,
  sha512: sha512 as CHash,
  sm3: sm3 as unknown as CHash,
});
/** Core-contract `getHash`. */
export function getHash(id: HashId): CHash {
  return HASHES[id];
}
/** Core-contract `sm2` signer (subset). */
export interface Sm2Signer {
  keygen(): { secretKey: Uint8Array; publicKey: Uint8Array };
  getPublicKey(sk: Uint8Array): Uint8Array;
  sign(msg: Uint8Array, sk: Uint8Array, opts?: { userId?: Uint8Array }): Uint8Array;
  verify(sig: Uint8Array, msg: Uint8Array, pk: Uint8Array, opts?: { userId?: Uint8Array }): boolean;
}
const unavailable = (): never => {
  throw new UnsupportedError('SM2 is not available yet in @privkit/core');
};
/** Placeholder until core ships `sm2`. */
export const sm2: Sm2Signer = Object.freeze({
  keygen: unavailable,
  getPublicKey: unavailable,
  sign: unavailable,
  verify: unavailable,
});
