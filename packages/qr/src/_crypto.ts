/**
 * TEMPORARY shim of the @privkit/core contract (`getAead`, `argon2id`) on @noble/*, used until core exports them.
 * Internal only.
 * @module
 */
import { gcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305, xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { argon2id as nobleArgon2id } from '@noble/hashes/argon2.js';
import { DecryptError, UnsupportedError } from '@privkit/core';

/** AEAD ids used by the QR formats (a subset of core's `AeadId`). */
export type AeadId = 'chacha20-poly1305' | 'aes-256-gcm' | 'xchacha20-poly1305' | 'aes-128-gcm' | 'sm4-gcm';

/** Core's AEAD shape. */
export interface Aead {
  id: string;
  keyLength: number;
  nonceLength: number;
  tagLength: number;
  seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array;
  open(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, aad?: Uint8Array): Uint8Array;
}

type Mk = (key: Uint8Array, nonce: Uint8Array, aad?: Uint8Array) => { encrypt(d: Uint8Array): Uint8Array; decrypt(d: Uint8Array): Uint8Array };
function mk(id: string, keyLength: number, nonceLength: number, c: Mk): Aead {
  return {
    id,
    keyLength,
    nonceLength,
    tagLength: 16,
    seal: (k, n, p, a) => c(k, n, a).encrypt(p),
    open: (k, n, ct, a) => {
      try {
        return c(k, n, a).decrypt(ct);
      } catch (cause) {
        throw new DecryptError({ cause });
      }
    },
  };
}

/** core.getAead stand-in. */
export function getAead(id: AeadId): Aead {
  switch (id) {
    case 'chacha20-poly1305':
      return mk(id, 32, 12, chacha20poly1305);
    case 'xchacha20-poly1305':
      return mk(id, 32, 24, xchacha20poly1305);
    case 'aes-256-gcm':
      return mk(id, 32, 12, gcm);
    case 'aes-128-gcm':
      return mk(id, 16, 12, gcm);
    default:
      throw new UnsupportedError(`AEAD ${id} is not available`);
  }
}

/** core.argon2id stand-in (RFC 9106). */
export function argon2id(password: Uint8Array, salt: Uint8Array, o: { m: number; t: number; p: number; dkLen: number }): Uint8Array {
  return nobleArgon2id(password, salt, o);
}
