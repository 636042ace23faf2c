/**
 * AEADs for runtimes that implement part of `node:crypto` (Bun, Deno), selected by their `"bun"` / `"deno"` export
 * conditions: each algorithm is probed once, on first use, with a known-answer round trip through the native path;
 * it is used when it agrees with the portable implementation, and the portable implementation is used otherwise.
 * Measured (bench suite `runtimes`): Bun's native AES-GCM and Deno's native AES-GCM and ChaCha20-Poly1305 are several
 * times faster than the portable code; Bun lacks ChaCha20-Poly1305 and SM4 natively, Deno lacks SM4.
 * @module
 */
import { type Aead, type AeadId, _lazyAead, _registry, getAead as portableAead } from './aead.js';
import { getAead as nodeAead } from './aead.node.js';
import { equalBytes } from './bytes.js';

/**
 * Returns `native()` when it builds and its seal/open agree with `portable` on a fixed known-answer input (33-byte
 * plaintext, 5-byte AAD, both tag paths: a valid and a forged ciphertext), else `portable`. Never throws.
 * @internal
 */
export function _probeAead(native: () => Aead, portable: Aead): Aead {
  try {
    const a = native();
    const key = new Uint8Array(portable.keyLength).map((_, i) => i + 1);
    const nonce = new Uint8Array(portable.nonceLength).map((_, i) => 0xa0 + i);
    const pt = new Uint8Array(33).map((_, i) => i * 7);
    const aad = new Uint8Array(5).fill(0x5a);
    const ct = a.seal(key, nonce, pt, aad);
    if (!equalBytes(ct, portable.seal(key, nonce, pt, aad)) || !equalBytes(a.open(key, nonce, ct, aad), pt)) return portable;
    ct[ct.length - 1]! ^= 1;
    try {
      a.open(key, nonce, ct, aad);
      return portable; // a native open that accepts a forged tag is never used
    } catch {
      return a;
    }
  } catch {
    return portable;
  }
}

const probed = (id: AeadId): Aead => _lazyAead(id, () => _probeAead(() => nodeAead(id), portableAead(id)));

/** AES-128-GCM: native where the runtime's node:crypto passes the probe, else portable. */
export const aes128Gcm: Aead = /* @__PURE__ */ probed('aes-128-gcm');
/** AES-256-GCM: native where the runtime's node:crypto passes the probe, else portable. */
export const aes256Gcm: Aead = /* @__PURE__ */ probed('aes-256-gcm');
/** ChaCha20-Poly1305: native where the runtime's node:crypto passes the probe, else portable. */
export const chacha20Poly1305: Aead = /* @__PURE__ */ probed('chacha20-poly1305');
/** XChaCha20-Poly1305: native ChaCha20-Poly1305 where it passes the probe, else portable. */
export const xchacha20Poly1305: Aead = /* @__PURE__ */ probed('xchacha20-poly1305');
/** SM4-GCM: native SM4 where it passes the probe, else portable. */
export const sm4Gcm: Aead = /* @__PURE__ */ probed('sm4-gcm');
/** SM4-CCM: native SM4 where it passes the probe, else portable. */
export const sm4Ccm: Aead = /* @__PURE__ */ probed('sm4-ccm');

/**
 * Returns the AEAD `id` (RFC 5116 interface), natively implemented where this runtime's `node:crypto` passes the
 * known-answer probe, portable otherwise. Same contract as the portable `getAead`.
 * @param id - one of {@link AEAD_IDS}
 * @returns a frozen Aead
 * @throws {InputError} when `id` is not a string; {UnsupportedError} for an unknown id
 * @example
 * ```ts
 * const aead = getAead('aes-256-gcm');
 * ```
 */
export const getAead: (id: AeadId) => Aead = /* @__PURE__ */ _registry([aes128Gcm, aes256Gcm, chacha20Poly1305, xchacha20Poly1305, sm4Gcm, sm4Ccm]);
