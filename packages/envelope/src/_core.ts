/**
 * The `@privkit/core` primitives envelope builds on, in one place (AEAD registry, hashes, HKDF, DH groups, SM2/SM3).
 * In Node, `@privkit/core` resolves to its node:crypto fast path through the `"node"` export condition.
 * Internal.
 * @module
 */
export { getAead, getDhGroup, getHash, hkdfExtract, hkdfExpand, sm3, sm3Kdf, type Aead, type AeadId, type CHash, type DhGroup, type DhGroupId, type HashId } from '@privkit/core';
