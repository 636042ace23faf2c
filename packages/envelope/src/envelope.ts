/**
 * One-shot multi-recipient envelopes (FORMAT.md §3): a fresh data key, AEAD over the payload, the key wrapped
 * per recipient with HPKE (RFC 9180 base or auth mode), a versioned header bound into every AEAD.
 * @module
 */
import { abytes } from '@privkit/core';
import { getHash } from './_core.js';
import { commitKeys, COMMIT_LENGTH, contextHash } from './_commit.js';
import { beginSeal, KIND_ENVELOPE, parseHeader, readOpenOptions, readSealOptions, slotLength, unwrapPayloadKey, wrapSlots, type OpenOptions, type SealOptions, type SuiteResolver } from './_header.js';
import { concat } from './_labeled.js';
import { OpenError } from './errors.js';
import type * as hpke from './hpke.js';

type NodeBuffer = { allocUnsafeSlow(n: number): { buffer: ArrayBuffer; byteOffset: number } };
/**
 * A new array for an output this module fills completely before anyone else sees it (prefix, slots and payload
 * cover every byte, and on an exception the array is dropped). In Node it skips the zero-fill a typed-array
 * allocation does (about 30–60 µs per MiB in a one-off probe here) through `Buffer.allocUnsafeSlow`, which gives the array its
 * own ArrayBuffer (never a slice of Buffer's shared pool); elsewhere it is an ordinary zeroed array.
 */
function allocOutput(n: number): Uint8Array {
  const B = (globalThis as { Buffer?: NodeBuffer }).Buffer;
  if (!B || n < 4096) return new Uint8Array(n);
  const b = B.allocUnsafeSlow(n);
  return new Uint8Array(b.buffer, b.byteOffset, n);
}

/**
 * Auth-mode payload commitment `C = Hash(h ‖ payload)` over the context hash (which covers the caller's AAD) and
 * the payload ciphertext‖tag (FORMAT.md §3.3); empty in base mode.
 */
function payloadCommitment(s: hpke.Suite, auth: boolean, h: Uint8Array, payload: Uint8Array): Uint8Array {
  if (!auth) return new Uint8Array(0);
  const x = (getHash(s.kdf.hash) as unknown as { create(): { update(b: Uint8Array): unknown; digest(): Uint8Array } }).create();
  x.update(h);
  x.update(payload);
  return x.digest();
}

/**
 * Seals `plaintext` for 1 to 1,000 recipients (FORMAT.md §3).
 * @param plaintext - the data
 * @param recipients - recipient public keys of the suite's KEM (RFC 9180 §7.1.1 serialization)
 * @param options - `suite` (default `X25519-SHA256-AES-256-GCM`), `aad`, `senderSecretKey` (auth mode)
 * @returns the envelope bytes
 * @throws {InputError} bad arguments; {KeyError} an invalid recipient key; {LimitError} more than 1,000 recipients
 * @example
 * ```ts
 * const kp = hpke.suite(0x20, 1, 2).kem.generateKeyPair();
 * const env = seal(utf8ToBytes('hi'), [kp.publicKey]);
 * open(env, kp.secretKey); // → 'hi'
 * ```
 */
export function seal(plaintext: Uint8Array, recipients: readonly Uint8Array[], options?: SealOptions): Uint8Array {
  abytes(plaintext, undefined, 'plaintext');
  const { suite, aad, senderSecretKey } = readSealOptions(options);
  return sealWith(suite, plaintext, recipients, aad, senderSecretKey);
}

/** Seals with a resolved suite and validated options (shared by {@link seal} and `withSuite`). @internal */
export function sealWith(suite: hpke.Suite, plaintext: Uint8Array, recipients: readonly Uint8Array[], aad: Uint8Array, senderSecretKey: Uint8Array | undefined): Uint8Array {
  const c = beginSeal(KIND_ENVELOPE, recipients, suite, senderSecretKey, new Uint8Array(0));
  const h = contextHash(suite, c.prefix, c.kids, aad);
  const { commitment, key } = commitKeys(suite, c.dek, h);
  try {
    // One allocation: the payload is encrypted straight into its place after the header, then the slots and the
    // key commitment (the slots depend on the payload only through the auth-mode commitment) in front of it.
    const start = c.prefix.length + slotLength(suite) * c.n + COMMIT_LENGTH;
    const out = allocOutput(start + plaintext.length + suite.aead.Nt);
    const payload = out.subarray(start);
    suite.aead.impl!().seal(key, new Uint8Array(suite.aead.Nn), plaintext, concat([h, commitment]), payload);
    out.set(c.prefix);
    wrapSlots(c, commitment, payloadCommitment(suite, !!senderSecretKey, h, payload), out, c.prefix.length);
    return out;
  } finally {
    c.dek.fill(0);
    key.fill(0);
  }
}

/**
 * Opens an envelope with one recipient secret key (FORMAT.md §3.5): finds the slot by key id, unwraps the data
 * key, checks the sender (auth mode) and decrypts.
 * @param envelope - bytes from {@link seal}
 * @param secretKey - the recipient's KEM secret key
 * @param options - `aad`, `senderPublicKey` (required for and enforcing auth mode), `suites` (allow-list)
 * @returns the plaintext
 * @throws {OpenError} on every failure to authenticate/decrypt (no detail); {InputError} bad argument types
 * @example
 * ```ts
 * const pt = open(env, secretKey, { aad });
 * ```
 */
export function open(envelope: Uint8Array, secretKey: Uint8Array, options?: OpenOptions): Uint8Array {
  abytes(envelope, undefined, 'envelope');
  abytes(secretKey, undefined, 'secretKey');
  const { aad, senderPublicKey, resolve } = readOpenOptions(options);
  return openWith(resolve, envelope, secretKey, aad, senderPublicKey);
}

/** Opens with a suite resolver and validated options (shared by {@link open} and `withSuite`). @internal */
export function openWith(resolve: SuiteResolver, envelope: Uint8Array, secretKey: Uint8Array, aad: Uint8Array, senderPublicKey: Uint8Array | undefined): Uint8Array {
  const p = parseHeader(envelope, KIND_ENVELOPE, 0, resolve);
  if (typeof p === 'number') throw new OpenError();
  const { suite } = p;
  const payload = envelope.subarray(p.end);
  if (payload.length < suite.aead.Nt) throw new OpenError();
  const h = contextHash(suite, p.prefix, p.kids, aad);
  // the key commitment is checked inside, before the payload key exists
  const key = unwrapPayloadKey(p, secretKey, senderPublicKey, h, payloadCommitment(suite, p.auth, h, payload));
  try {
    return suite.aead.impl!().open(key, new Uint8Array(suite.aead.Nn), payload, concat([h, p.commitment]));
  } catch {
    throw new OpenError();
  } finally {
    key.fill(0);
  }
}
