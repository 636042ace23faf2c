/**
 * Signature back end for ECDSA (P-256 / P-384) and Ed25519: the portable one on `@noble/curves` (FIPS 186-5 §6,
 * RFC 6979 hedged nonces; RFC 8032 §5.1). The Node entry substitutes `_backend.node.ts` (node:crypto). Internal.
 * @module
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256, p384 } from '@noble/curves/nist.js';
import { ed25519VerifyStrict } from './_ed25519.js';
import { hashFn, type TpmHashId } from './_tpm.js';

/** Signing and verification primitives the attestation code needs. */
export interface SigBackend {
  readonly name: 'noble' | 'node';
  /** ECDSA P-256 signer over H_sha256(message), returning r ‖ s (64 bytes). */
  p256Signer(secretKey: Uint8Array, publicKey: Uint8Array): (message: Uint8Array) => Uint8Array;
  /** ECDSA verify of r ‖ s over H_hash(message) with an uncompressed public key; false on any error; high-S accepted. */
  ecdsaVerify(curve: 'p256' | 'p384', hash: TpmHashId, message: Uint8Array, sig: Uint8Array, publicKey: Uint8Array): boolean;
  /** Ed25519 signer (PureEdDSA) for a 32-byte seed. */
  ed25519Signer(secretKey: Uint8Array, publicKey: Uint8Array): (message: Uint8Array) => Uint8Array;
  /** Ed25519 verify under one rule on both back ends (`_ed25519.ts`: RFC 8032 strict, cofactorless, small-order keys refused); false on any error. */
  ed25519Verify(message: Uint8Array, sig: Uint8Array, publicKey: Uint8Array): boolean;
}

/** The portable back end (pure TypeScript, @noble/curves). */
export const nobleBackend: SigBackend = Object.freeze({
  name: 'noble',
  p256Signer(secretKey: Uint8Array) {
    return (message: Uint8Array) => p256.sign(hashFn('sha256')(message), secretKey, { prehash: false });
  },
  ecdsaVerify(curve: 'p256' | 'p384', hash: TpmHashId, message: Uint8Array, sig: Uint8Array, publicKey: Uint8Array) {
    try {
      const c = curve === 'p256' ? p256 : p384;
      return c.verify(sig, hashFn(hash)(message), publicKey, { prehash: false, lowS: false }) === true;
    } catch {
      return false;
    }
  },
  ed25519Signer(secretKey: Uint8Array) {
    return (message: Uint8Array) => ed25519.sign(message, secretKey);
  },
  ed25519Verify(message: Uint8Array, sig: Uint8Array, publicKey: Uint8Array) {
    return ed25519VerifyStrict(message, sig, publicKey);
  },
} as const);
