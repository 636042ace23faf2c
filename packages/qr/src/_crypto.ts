/**
 * The symmetric primitives the QR formats use, from `@privkit/core` (AEAD registry). Argon2id comes from
 * `@noble/hashes` directly until core's entry point exports `argon2id` (TEMPORARY; same RFC 9106 function).
 * Internal only.
 * @module
 */
import { argon2id as nobleArgon2id } from '@noble/hashes/argon2.js';

export { getAead, type Aead, type AeadId } from '@privkit/core';

/** Argon2id (RFC 9106 §3). */
export function argon2id(password: Uint8Array, salt: Uint8Array, o: { m: number; t: number; p: number; dkLen: number }): Uint8Array {
  return nobleArgon2id(password, salt, o);
}
