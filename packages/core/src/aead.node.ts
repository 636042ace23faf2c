/**
 * AEAD registry with `node:crypto` fast paths: AES-GCM and ChaCha20-Poly1305 natively, XChaCha20-Poly1305 as
 * HChaCha20 (`@noble/ciphers`) + native ChaCha20-Poly1305, SM4-GCM/CCM on native SM4 (see `sm4.node.ts`).
 * Same ids, shapes and outputs as the portable registry. Selected by the `"node"` export condition.
 * @module
 */
import { hchacha } from '@noble/ciphers/chacha.js';
import { createCipheriv, createDecipheriv, type CipherGCMTypes } from 'node:crypto';
import { _alloc, _cat } from './_node.js';
import { _defineAead, _registry, _sm4Aead, type Aead, type AeadId } from './aead.js';
import { DecryptError } from './errors.js';
import { sm4 } from './sm4.node.js';

type NodeAeadAlg = CipherGCMTypes | 'chacha20-poly1305';

/** Plaintexts of at least this size are encrypted in chunks straight into the output (see {@link nativeSeal}). */
const CHUNKED_MIN = 64 * 1024;
const CHUNK = 256 * 1024;

/**
 * One-shot AEAD encryption into a single buffer `ciphertext ‖ tag` of the final size: the caller's `output`, or a
 * new one. Large inputs (≥ 64 KiB) are fed to OpenSSL in 256 KiB chunks whose outputs are copied into the result while still in
 * cache, instead of one full-size intermediate buffer copied afterwards (GCM and ChaCha20-Poly1305 are stream modes:
 * `update` returns as many bytes as it is given). Inputs are passed to OpenSSL as views, never copied.
 */
function nativeSeal(alg: NodeAeadAlg, key: Uint8Array, nonce: Uint8Array, pt: Uint8Array, aad: Uint8Array, output?: Uint8Array): Uint8Array {
  const c = createCipheriv(alg as CipherGCMTypes, key, nonce, { authTagLength: 16 });
  if (aad.length) c.setAAD(aad, { plaintextLength: pt.length });
  const n = pt.length;
  const out = output ?? _alloc(n + 16);
  const step = n >= CHUNKED_MIN ? CHUNK : Math.max(n, 1); // below 64 KiB: one update (≥ 1 so n = 0 ends the loop)
  let o = 0;
  for (let i = 0; i < n; i += step) {
    const part = c.update(pt.subarray(i, Math.min(i + step, n)));
    out.set(part, o);
    o += part.length;
  }
  const fin = c.final();
  if (fin.length) out.set(fin, o);
  o += fin.length;
  if (o !== n) throw new Error(`${alg}: the cipher returned ${o} bytes for ${n}`); // stream modes: never
  out.set(c.getAuthTag(), o);
  return out;
}

/** One-shot AEAD decryption; with `output`, in chunks straight into it (the caller zeroes it on failure). */
function nativeOpen(alg: NodeAeadAlg, key: Uint8Array, nonce: Uint8Array, ct: Uint8Array, aad: Uint8Array, output?: Uint8Array): Uint8Array {
  if (ct.length < 16) throw new DecryptError();
  const n = ct.length - 16;
  const d = createDecipheriv(alg as CipherGCMTypes, key, nonce, { authTagLength: 16 });
  d.setAuthTag(ct.subarray(n));
  if (aad.length) d.setAAD(aad, { plaintextLength: n });
  if (!output) return _cat(d.update(ct.subarray(0, n)), d.final());
  let o = 0;
  for (let i = 0; i < n; i += CHUNK) {
    const part = d.update(ct.subarray(i, Math.min(i + CHUNK, n)));
    output.set(part, o);
    o += part.length;
  }
  const fin = d.final();
  if (fin.length) output.set(fin, o);
  return output;
}

const SIGMA = /* @__PURE__ */ Uint8Array.from([..."expand 32-byte k"].map((c) => c.charCodeAt(0)));

function u32view(bytes: Uint8Array): Uint32Array {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return new Uint32Array(copy.buffer);
}

/** XChaCha20 key/nonce reduction (draft-irtf-cfrg-xchacha-03 §2.3): HChaCha20 subkey + 0^4 || nonce[16..24]. */
function xchachaReduce(key: Uint8Array, nonce: Uint8Array): { key: Uint8Array; nonce: Uint8Array } {
  const out = new Uint32Array(8);
  hchacha(u32view(SIGMA), u32view(key), u32view(nonce.subarray(0, 16)), out);
  const n12 = new Uint8Array(12);
  n12.set(nonce.subarray(16, 24), 4);
  return { key: new Uint8Array(out.buffer), nonce: n12 };
}

const gcmAlg = (k: Uint8Array): CipherGCMTypes => (k.length === 16 ? 'aes-128-gcm' : 'aes-256-gcm');

/** AES-128-GCM on `node:crypto` (same contract as the portable `aes128Gcm`). */
export const aes128Gcm: Aead = /* @__PURE__ */ _defineAead(
  'aes-128-gcm',
  (k, n, m, a, o) => nativeSeal(gcmAlg(k), k, n, m, a, o),
  (k, n, c, a, o) => nativeOpen(gcmAlg(k), k, n, c, a, o),
);
/** AES-256-GCM on `node:crypto`. */
export const aes256Gcm: Aead = /* @__PURE__ */ _defineAead(
  'aes-256-gcm',
  (k, n, m, a, o) => nativeSeal(gcmAlg(k), k, n, m, a, o),
  (k, n, c, a, o) => nativeOpen(gcmAlg(k), k, n, c, a, o),
);
/** ChaCha20-Poly1305 on `node:crypto`. */
export const chacha20Poly1305: Aead = /* @__PURE__ */ _defineAead(
  'chacha20-poly1305',
  (k, n, m, a, o) => nativeSeal('chacha20-poly1305', k, n, m, a, o),
  (k, n, c, a, o) => nativeOpen('chacha20-poly1305', k, n, c, a, o),
);
/** XChaCha20-Poly1305: HChaCha20 (`@noble/ciphers`) then native ChaCha20-Poly1305. */
export const xchacha20Poly1305: Aead = /* @__PURE__ */ _defineAead(
  'xchacha20-poly1305',
  (k, n, m, a, o) => {
    const r = xchachaReduce(k, n);
    try {
      return nativeSeal('chacha20-poly1305', r.key, r.nonce, m, a, o);
    } finally {
      r.key.fill(0);
    }
  },
  (k, n, c, a, o) => {
    const r = xchachaReduce(k, n);
    try {
      return nativeOpen('chacha20-poly1305', r.key, r.nonce, c, a, o);
    } finally {
      r.key.fill(0);
    }
  },
);
/** SM4-GCM on native SM4 (see `sm4.node.ts`). */
export const sm4Gcm: Aead = /* @__PURE__ */ _sm4Aead('sm4-gcm', sm4.gcm);
/** SM4-CCM on native SM4. */
export const sm4Ccm: Aead = /* @__PURE__ */ _sm4Aead('sm4-ccm', sm4.ccm);

/**
 * Returns the AEAD registered under `id`, backed by `node:crypto` where available (same API and outputs as the
 * portable registry). Specs: NIST SP 800-38D, RFC 8439 §2.8, draft-irtf-cfrg-xchacha-03, RFC 8998 §3.
 * @param id - one of `AEAD_IDS`
 * @returns the frozen AEAD
 * @throws {InputError} `INVALID_TYPE` when `id` is not a string
 * @throws {UnsupportedError} `UNSUPPORTED` for an unknown id
 * @example
 * ```ts
 * const aead = getAead('chacha20-poly1305');
 * const sealed = aead.seal(key, nonce, plaintext);
 * ```
 */
export const getAead: (id: AeadId) => Aead = /* @__PURE__ */ _registry([aes128Gcm, aes256Gcm, chacha20Poly1305, xchacha20Poly1305, sm4Gcm, sm4Ccm]);
