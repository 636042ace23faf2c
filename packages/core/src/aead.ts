/**
 * AEAD registry: one shape `{id, keyLength, nonceLength, tagLength, seal, open}` for AES-GCM (NIST SP 800-38D),
 * ChaCha20-Poly1305 (RFC 8439), XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha-03), SM4-GCM and SM4-CCM (RFC 8998).
 * Portable path on `@noble/ciphers` and the TypeScript SM4; the `"node"` export condition substitutes
 * `node:crypto` (see `aead.node.ts`).
 * @module
 */
import { gcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305, xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { DecryptError, InputError, PrivkitError, UnsupportedError } from './errors.js';
import { _sm4CcmMode, _sm4GcmMode } from './sm4.js';
import { abytes, astring } from './validate.js';

/** Identifiers of the registered AEADs. */
export type AeadId =
  | 'aes-128-gcm'
  | 'aes-256-gcm'
  | 'chacha20-poly1305'
  | 'xchacha20-poly1305'
  | 'sm4-gcm'
  | 'sm4-ccm';

/** Every registered AEAD id, in a stable order. */
export const AEAD_IDS: readonly AeadId[] = /* @__PURE__ */ Object.freeze([
  'aes-128-gcm',
  'aes-256-gcm',
  'chacha20-poly1305',
  'xchacha20-poly1305',
  'sm4-gcm',
  'sm4-ccm',
] as const);

/** Sizes (bytes) of each AEAD: key, nonce, tag. Frozen. */
export const AEAD_PARAMS = /* @__PURE__ */ Object.freeze({
  'aes-128-gcm': Object.freeze({ keyLength: 16, nonceLength: 12, tagLength: 16 } as const),
  'aes-256-gcm': Object.freeze({ keyLength: 32, nonceLength: 12, tagLength: 16 } as const),
  'chacha20-poly1305': Object.freeze({ keyLength: 32, nonceLength: 12, tagLength: 16 } as const),
  'xchacha20-poly1305': Object.freeze({ keyLength: 32, nonceLength: 24, tagLength: 16 } as const),
  'sm4-gcm': Object.freeze({ keyLength: 16, nonceLength: 12, tagLength: 16 } as const),
  'sm4-ccm': Object.freeze({ keyLength: 16, nonceLength: 12, tagLength: 16 } as const),
} as const);

/** An authenticated cipher with associated data. Synchronous; `seal` output is `ciphertext || tag`. */
export interface Aead {
  readonly id: AeadId;
  readonly keyLength: number;
  readonly nonceLength: number;
  readonly tagLength: number;
  /**
   * Encrypts and authenticates.
   * @param key - `keyLength` bytes
   * @param nonce - `nonceLength` bytes, unique per key
   * @param plaintext - any length
   * @param aad - optional associated data (authenticated, not encrypted)
   * @param output - optional destination of exactly `plaintext.length + tagLength` bytes, not overlapping
   *   `plaintext` (for example a view into a larger message being assembled); it is filled and returned
   * @returns `ciphertext || tag` (`plaintext.length + tagLength` bytes): `output` when given, else a new array
   * @throws {InputError} on wrong argument types or lengths, or an overlapping `output`
   */
  seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array, output?: Uint8Array): Uint8Array;
  /**
   * Verifies and decrypts.
   * @param output - optional destination of exactly `ciphertext.length - tagLength` bytes, not overlapping
   *   `ciphertext`; on an authentication failure it is zeroed (no unauthenticated plaintext is left in it)
   * @returns the plaintext: `output` when given, else a new array
   * @throws {InputError} on wrong argument types or key/nonce lengths, or a wrong-size or overlapping `output`
   * @throws {DecryptError} on any authentication failure (wrong key, nonce, AAD, tag, truncation) — no detail
   */
  open(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, aad?: Uint8Array, output?: Uint8Array): Uint8Array;
}

/** A raw one-shot AEAD operation; with `output` it writes its result there (the caller checked the size). */
type RawSeal = (key: Uint8Array, nonce: Uint8Array, data: Uint8Array, aad: Uint8Array, output?: Uint8Array) => Uint8Array;

/** Copies a computed result into the caller's `output` (portable paths), or returns it. */
function into(result: Uint8Array, output: Uint8Array | undefined): Uint8Array {
  if (!output) return result;
  output.set(result);
  return output;
}

function overlaps(a: Uint8Array, b: Uint8Array): boolean {
  return a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.length && b.byteOffset < a.byteOffset + a.length;
}

/** Checks an optional `output` argument: exact size, no overlap with the input. */
function aoutput(output: unknown, length: number, input: Uint8Array, inputTitle: string): Uint8Array | undefined {
  if (output === undefined) return undefined;
  const o = abytes(output, length, 'output');
  if (o.length > 0 && input.length > 0 && overlaps(o, input)) {
    throw new InputError(`"output" must not overlap "${inputTitle}"`, { code: 'INVALID_VALUE' });
  }
  return o;
}

const EMPTY = /* @__PURE__ */ new Uint8Array(0);

/**
 * Wraps raw implementations with validation and error mapping: inputs are checked with the core validators,
 * `open` maps every failure after validation to a detail-free {@link DecryptError}, and any unexpected error from
 * `seal` becomes a `PrivkitError` with code `INTERNAL` (cause kept).
 * @internal
 */
export function _defineAead(id: AeadId, rawSeal: RawSeal, rawOpen: RawSeal): Aead {
  const p = AEAD_PARAMS[id];
  const args = (key: unknown, nonce: unknown, data: unknown, aad: unknown, dataTitle: string) => {
    abytes(key, p.keyLength, 'key');
    abytes(nonce, p.nonceLength, 'nonce');
    abytes(data, undefined, dataTitle);
    if (aad !== undefined) abytes(aad, undefined, 'aad');
  };
  return Object.freeze({
    id,
    keyLength: p.keyLength,
    nonceLength: p.nonceLength,
    tagLength: p.tagLength,
    seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array, output?: Uint8Array): Uint8Array {
      args(key, nonce, plaintext, aad, 'plaintext');
      const out = aoutput(output, plaintext.length + p.tagLength, plaintext, 'plaintext');
      try {
        return rawSeal(key, nonce, plaintext, aad ?? EMPTY, out);
      } catch (e) {
        if (e instanceof PrivkitError) throw e;
        throw new PrivkitError(`${id}: seal failed`, { code: 'INTERNAL', cause: e });
      }
    },
    open(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, aad?: Uint8Array, output?: Uint8Array): Uint8Array {
      args(key, nonce, ciphertext, aad, 'ciphertext');
      if (ciphertext.length < p.tagLength) {
        if (output !== undefined) abytes(output, undefined, 'output');
        throw new DecryptError();
      }
      const out = aoutput(output, ciphertext.length - p.tagLength, ciphertext, 'ciphertext');
      try {
        return rawOpen(key, nonce, ciphertext, aad ?? EMPTY, out);
      } catch {
        out?.fill(0);
        // Deliberately no cause: nothing about why authentication failed may leak.
        throw new DecryptError();
      }
    },
  });
}

type Sm4Mode = (k: Uint8Array, n: Uint8Array, a: Uint8Array) => { encrypt(d: Uint8Array): Uint8Array; decrypt(d: Uint8Array): Uint8Array };

/**
 * SM4-GCM (RFC 8998 §3.1) or SM4-CCM (§3.2, 16-byte tag) over an SM4 mode (portable here, native in the Node
 * entry). @internal
 */
export function _sm4Aead(id: 'sm4-gcm' | 'sm4-ccm', mode: Sm4Mode): Aead {
  return _defineAead(
    id,
    (k, n, m, a, o) => into(mode(k, n, a).encrypt(m), o),
    (k, n, c, a, o) => into(mode(k, n, a).decrypt(c), o),
  );
}

/**
 * An AEAD whose implementation is chosen on first use (`build` runs once); same id and sizes up front. Used where
 * choosing costs something (the Bun/Deno entry probes the native path). @internal
 */
export function _lazyAead(id: AeadId, build: () => Aead): Aead {
  const p = AEAD_PARAMS[id];
  let a: Aead | undefined;
  const get = () => (a ??= build());
  return Object.freeze({
    id,
    keyLength: p.keyLength,
    nonceLength: p.nonceLength,
    tagLength: p.tagLength,
    seal: (key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array, output?: Uint8Array) => get().seal(key, nonce, plaintext, aad, output),
    open: (key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, aad?: Uint8Array, output?: Uint8Array) => get().open(key, nonce, ciphertext, aad, output),
  });
}

// One exported constant per AEAD, so that a bundler keeps only the AEADs an app imports (`getAead`, which takes
// any id, keeps all of them). Each is the same object `getAead` returns for its id.

/** AES-128-GCM (NIST SP 800-38D), 12-byte nonce, 16-byte tag, portable (`@noble/ciphers`). */
export const aes128Gcm: Aead = /* @__PURE__ */ _defineAead(
  'aes-128-gcm',
  (k, n, m, a, o) => into(gcm(k, n, a).encrypt(m), o),
  (k, n, c, a, o) => into(gcm(k, n, a).decrypt(c), o),
);
/** AES-256-GCM (NIST SP 800-38D), 12-byte nonce, 16-byte tag, portable (`@noble/ciphers`). */
export const aes256Gcm: Aead = /* @__PURE__ */ _defineAead(
  'aes-256-gcm',
  (k, n, m, a, o) => into(gcm(k, n, a).encrypt(m), o),
  (k, n, c, a, o) => into(gcm(k, n, a).decrypt(c), o),
);
/** ChaCha20-Poly1305 (RFC 8439 §2.8), portable (`@noble/ciphers`). */
export const chacha20Poly1305: Aead = /* @__PURE__ */ _defineAead(
  'chacha20-poly1305',
  (k, n, m, a, o) => into(chacha20poly1305(k, n, a).encrypt(m), o),
  (k, n, c, a, o) => into(chacha20poly1305(k, n, a).decrypt(c), o),
);
/** XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha-03 §2), 24-byte nonce, portable (`@noble/ciphers`). */
export const xchacha20Poly1305: Aead = /* @__PURE__ */ _defineAead(
  'xchacha20-poly1305',
  (k, n, m, a, o) => into(xchacha20poly1305(k, n, a).encrypt(m), o),
  (k, n, c, a, o) => into(xchacha20poly1305(k, n, a).decrypt(c), o),
);
/** SM4-GCM (RFC 8998 §3.1), portable TypeScript SM4. */
export const sm4Gcm: Aead = /* @__PURE__ */ _sm4Aead('sm4-gcm', _sm4GcmMode);
/** SM4-CCM (RFC 8998 §3.2), portable TypeScript SM4. */
export const sm4Ccm: Aead = /* @__PURE__ */ _sm4Aead('sm4-ccm', _sm4CcmMode);

/**
 * Builds a `getAead` over the six AEADs of one entry (portable, Node, Bun/Deno), each filed under its own id.
 * @internal
 */
export function _registry(aeads: readonly Aead[]): (id: AeadId) => Aead {
  const table: Readonly<Record<string, Aead>> = Object.freeze(Object.fromEntries(aeads.map((a) => [a.id, a])));
  return (id: AeadId): Aead => {
    astring(id, 'id');
    if (!Object.hasOwn(table, id)) {
      throw new UnsupportedError(`unknown AEAD id "${String(id).slice(0, 64)}"; expected one of ${AEAD_IDS.join(', ')}`);
    }
    return table[id]!;
  };
}

/**
 * Returns the AEAD registered under `id` (frozen object, synchronous `seal`/`open`).
 * Specs: AES-GCM NIST SP 800-38D; ChaCha20-Poly1305 RFC 8439 §2.8; XChaCha20-Poly1305 draft-irtf-cfrg-xchacha-03
 * §2; SM4-GCM/SM4-CCM RFC 8998 §3.
 * @param id - one of {@link AEAD_IDS}
 * @returns the AEAD
 * @throws {InputError} `INVALID_TYPE` when `id` is not a string
 * @throws {UnsupportedError} `UNSUPPORTED` for an unknown id
 * @example
 * ```ts
 * import { getAead, randomBytes, utf8ToBytes } from '@privkit/core';
 * const aead = getAead('aes-256-gcm');
 * const key = randomBytes(aead.keyLength), nonce = randomBytes(aead.nonceLength);
 * const sealed = aead.seal(key, nonce, utf8ToBytes('hi'), utf8ToBytes('header'));
 * aead.open(key, nonce, sealed, utf8ToBytes('header')); // 'hi'
 * ```
 */
export const getAead: (id: AeadId) => Aead = /* @__PURE__ */ _registry([aes128Gcm, aes256Gcm, chacha20Poly1305, xchacha20Poly1305, sm4Gcm, sm4Ccm]);
