/**
 * Generic GCM (NIST SP 800-38D) over any 128-bit block cipher, given its GCTR. Used by SM4-GCM (RFC 8998) on both
 * the portable path (TypeScript SM4) and the Node path (native SM4-CTR). GHASH is our flat-table implementation
 * (`_ghash.ts`, ~3× faster than `@noble/ciphers`' GHASH at 1 MiB; tested against it).
 * @module
 */
import { _Ghash as GHASH } from './_ghash.js';
import { equalBytes } from './bytes.js';
import { DecryptError, LimitError } from './errors.js';
import { abytes } from './validate.js';

/** What GCM needs from the block cipher. */
export interface GcmCore {
  /** H = E_K(0^128). */
  hashKey(): Uint8Array;
  /**
   * Returns E_K(J0) (the tag mask) and writes GCTR_K(inc32(J0), data) into `out` (SP 800-38D §6.5, 32-bit counter
   * increment). Must not modify `j0`.
   */
  gctr(j0: Uint8Array, data: Uint8Array, out: Uint8Array): Uint8Array;
}

/** A GCM instance: single-shot `encrypt`/`decrypt` with a 16-byte tag. */
export interface GcmCipher {
  encrypt(data: Uint8Array): Uint8Array;
  decrypt(data: Uint8Array): Uint8Array;
}

const TAG = 16;
/** SP 800-38D §5.2.1.1: len(P) ≤ 2^39 − 256 bits. */
const MAX_PLAINTEXT = 2 ** 36 - 32;

function lengthBlock(aBytes: number, cBytes: number): Uint8Array {
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  const a = aBytes * 8;
  const c = cBytes * 8;
  v.setUint32(0, Math.floor(a / 2 ** 32), false);
  v.setUint32(4, a >>> 0, false);
  v.setUint32(8, Math.floor(c / 2 ** 32), false);
  v.setUint32(12, c >>> 0, false);
  return b;
}

/** Pre-counter block J0 (SP 800-38D §7.1 step 2). */
function deriveJ0(h: Uint8Array, nonce: Uint8Array): Uint8Array {
  if (nonce.length === 12) {
    const j0 = new Uint8Array(16);
    j0.set(nonce);
    j0[15] = 1;
    return j0;
  }
  const g = new GHASH(h, nonce.length + 16);
  g.update(nonce).update(lengthBlock(0, nonce.length));
  return g.digest();
}

function computeTag(h: Uint8Array, aad: Uint8Array, ct: Uint8Array, mask: Uint8Array): Uint8Array {
  const g = new GHASH(h, aad.length + ct.length);
  if (aad.length) g.update(aad);
  if (ct.length) g.update(ct);
  g.update(lengthBlock(aad.length, ct.length));
  const tag = g.digest();
  for (let i = 0; i < TAG; i++) tag[i]! ^= mask[i]!;
  return tag;
}

/**
 * Builds GCM encrypt/decrypt over `core`. Inputs (`nonce`, `aad`) are already validated and owned by the caller.
 * @internal
 */
export function createGcm(core: GcmCore, nonce: Uint8Array, aad: Uint8Array): GcmCipher {
  return {
    encrypt(data: Uint8Array): Uint8Array {
      abytes(data, undefined, 'plaintext');
      if (data.length > MAX_PLAINTEXT) throw new LimitError('GCM plaintext longer than 2^36 - 32 bytes');
      const h = core.hashKey();
      const j0 = deriveJ0(h, nonce);
      const out = new Uint8Array(data.length + TAG);
      const ct = out.subarray(0, data.length);
      const mask = core.gctr(j0, data, ct);
      out.set(computeTag(h, aad, ct, mask), data.length);
      h.fill(0);
      mask.fill(0);
      return out;
    },
    decrypt(data: Uint8Array): Uint8Array {
      abytes(data, undefined, 'ciphertext');
      if (data.length < TAG || data.length - TAG > MAX_PLAINTEXT) throw new DecryptError();
      const ct = data.subarray(0, data.length - TAG);
      const h = core.hashKey();
      const j0 = deriveJ0(h, nonce);
      const out = new Uint8Array(ct.length);
      // GCTR over the ciphertext also yields the tag mask; the plaintext is released only if the tag matches.
      const mask = core.gctr(j0, ct, out);
      const ok = equalBytes(computeTag(h, aad, ct, mask), data.subarray(ct.length));
      h.fill(0);
      mask.fill(0);
      if (!ok) {
        out.fill(0);
        throw new DecryptError();
      }
      return out;
    },
  };
}
