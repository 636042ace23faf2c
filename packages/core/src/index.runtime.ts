/**
 * @privkit/core — entry for Bun and Deno, selected by the "bun" and "deno" export conditions (before "node"). Same API
 * as the portable entry; `getAead` uses the runtime's node:crypto for each AEAD that passes a known-answer probe
 * (see aead.runtime.ts), and everything else is the portable code (those runtimes lack SM3, SM4, the SM2 curve and
 * others natively).
 * @module
 */
export * from './index.js';
export { getAead, aes128Gcm, aes256Gcm, chacha20Poly1305, xchacha20Poly1305, sm4Gcm, sm4Ccm } from './aead.runtime.js';
