/**
 * The key-committing transform of envelopes and streams (FORMAT.md §3.1, format version 2; issue 16 item 1).
 *
 * AES-GCM, SM4-GCM and ChaCha20-Poly1305 are not key-committing: whoever chooses two keys can make one ciphertext
 * whose tag verifies under both, so a multi-recipient envelope that wraps key k1 for recipient A and k2 for B can
 * open to two different plaintexts ("invisible salamanders": Dodis, Grubbs, Ristenpart, Woodage, CRYPTO 2018;
 * Albertini, Duong, Gueron, Kölbl, Luykx, Schmieg, "How to Abuse and Fix Authenticated Encryption Without Key
 * Commitment", USENIX Security 2022). The fix is theirs (§5, "key commitment from a collision-resistant PRF", the
 * construction the AWS Encryption SDK's committing message format uses): from the data key derive, with a KDF
 * that is collision resistant in its key, a commitment that travels once in the shared header and a separate
 * payload key. Every recipient recomputes the commitment from the data key it unwrapped and compares it, in
 * constant time, with the header's before anything is decrypted. Two different data keys that pass the same
 * header commitment are a collision of HMAC (both HKDF steps), so all recipients who open an envelope hold the
 * same payload key. The commitment's input also covers the context hash `h` (header prefix, key-id list and the
 * caller's AAD), which makes the payload commit to key, nonce and associated data together — the "CMT-4" notion of
 * Bellare and Hoang, "Efficient Schemes for Committing Authenticated Encryption", EUROCRYPT 2022, for this
 * deterministic-nonce use — while the message itself is fixed by key, nonce and ciphertext.
 * Internal.
 * @module
 */
import { equalBytes } from '@privkit/core';
import { getHash, hkdfExpand, hkdfExtract } from './_core.js';
import { ascii, concat } from './_labeled.js';
import type * as hpke from './hpke.js';

/** Bytes of the key commitment in the header (256 bits: 128-bit collision resistance). */
export const COMMIT_LENGTH = 32;
const SALT = ascii('PrivKit envelope v2');
const L_COMMIT = ascii('commit');
const L_PAYLOAD = ascii('payload');

/**
 * The context hash `h = Hash(P' ‖ K ‖ I2OSP(len(aad), 8) ‖ aad)`: header prefix, ordered key ids and the caller's
 * associated data, with the suite's KDF hash.
 */
export function contextHash(s: hpke.Suite, prefix: Uint8Array, kids: Uint8Array, aad: Uint8Array): Uint8Array {
  const len = new Uint8Array(8);
  new DataView(len.buffer).setBigUint64(0, BigInt(aad.length));
  return getHash(s.kdf.hash)(concat([prefix, kids, len, aad]));
}

/** Commitment and payload key derived from one data key. */
export interface CommittedKeys {
  /** `κ = HKDF-Expand(PRK, "commit" ‖ h, 32)` — stored in the header. */
  readonly commitment: Uint8Array;
  /** `PK = HKDF-Expand(PRK, "payload" ‖ h, Nk)` — the only key the payload AEAD sees. */
  readonly key: Uint8Array;
}

/**
 * `PRK = HKDF-Extract(salt = "PrivKit envelope v2", IKM = DEK)`, then the commitment and the payload key
 * (FORMAT.md §3.1). The PRK is zeroed before returning.
 */
export function commitKeys(s: hpke.Suite, dek: Uint8Array, h: Uint8Array): CommittedKeys {
  const prk = hkdfExtract(s.kdf.hash, SALT, dek);
  try {
    return {
      commitment: hkdfExpand(s.kdf.hash, prk, concat([L_COMMIT, h]), COMMIT_LENGTH),
      key: hkdfExpand(s.kdf.hash, prk, concat([L_PAYLOAD, h]), s.aead.Nk),
    };
  } finally {
    prk.fill(0);
  }
}

/**
 * A recipient's check: derives the commitment from the unwrapped data key and compares it with the header's in
 * constant time. Returns the payload key, or `undefined` when the commitment does not match (the caller maps that
 * to its generic open failure).
 */
export function checkCommitment(s: hpke.Suite, dek: Uint8Array, h: Uint8Array, expected: Uint8Array): Uint8Array | undefined {
  const { commitment, key } = commitKeys(s, dek, h);
  if (equalBytes(commitment, expected)) return key;
  key.fill(0);
  return undefined;
}
