/**
 * The primitives the QR formats use, all from `@privkit/core`: the AEAD registry and Argon2id (RFC 9106).
 * Internal only.
 * @module
 */
export { argon2id, getAead, type Aead, type AeadId } from '@privkit/core';
