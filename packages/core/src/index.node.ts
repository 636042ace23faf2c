/**
 * @privkit/core — Node entry, selected by the "node" export condition. Same API as the portable entry; the
 * exports named below are replaced by node:crypto-backed implementations.
 * @module
 */
export * from './index.js';
export { sm3, hmacSm3 } from './sm3.node.js';
export { sm4 } from './sm4.node.js';
export { getAead, aes128Gcm, aes256Gcm, chacha20Poly1305, xchacha20Poly1305, sm4Gcm, sm4Ccm } from './aead.node.js';
export { chebyshev } from './chebyshev.node.js';
export { scrypt } from './passphrase.node.js';
export { getDhGroup, p256Group, p384Group, p521Group, secp256k1Group, sm2Group, x25519Group, x448Group } from './dh.node.js';
export { getHash } from './hash.node.js';
export { hkdf, hkdfExtract, hkdfExpand } from './hkdf.node.js';
