/**
 * @privkit/core — entry for Bun and Deno, selected by the "bun" and "deno" export conditions (before "node"). Same API
 * as the portable entry; `getAead` uses the runtime's node:crypto for each AEAD that passes a known-answer probe
 * (see aead.runtime.ts), and everything else is the portable code (those runtimes lack SM3, SM4, the SM2 curve and
 * others natively).
 * @module
 */
export * from './index.js';
export { getAead } from './aead.runtime.js';
