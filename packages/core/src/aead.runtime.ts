/**
 * AEADs for runtimes that implement part of `node:crypto` (Bun, Deno), selected by their `"bun"` / `"deno"` export
 * conditions: each algorithm is probed once, on first use, with a known-answer round trip through the native path;
 * it is used when it agrees with the portable implementation, and the portable implementation is used otherwise.
 * Measured (bench suite `runtimes`): Bun's native AES-GCM and Deno's native AES-GCM and ChaCha20-Poly1305 are several
 * times faster than the portable code; Bun lacks ChaCha20-Poly1305 and SM4 natively, Deno lacks SM4.
 * @module
 */
import { type Aead, type AeadId, _registry, AEAD_IDS, getAead as portableAead } from './aead.js';
import { _NODE_AEADS } from './aead.node.js';
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

const PROBED: Readonly<Record<AeadId, () => Aead>> = /* @__PURE__ */ Object.freeze(
  Object.fromEntries(AEAD_IDS.map((id) => [id, () => _probeAead(_NODE_AEADS[id], portableAead(id))])) as Record<AeadId, () => Aead>,
);

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
export const getAead: (id: AeadId) => Aead = /* @__PURE__ */ _registry(PROBED);
