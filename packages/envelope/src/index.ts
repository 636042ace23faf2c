/**
 * @privkit/envelope — HPKE (RFC 9180), the SM2-SM3-SM4 suite, SM2 encryption, multi-recipient and streaming
 * envelopes.
 * @module
 */
export * as hpke from './hpke.js';
export { OpenError, MessageLimitError, OPEN_FAILED } from './errors.js';
export { KEM_ID, KDF_ID, AEAD_ID, getKem, getKdf, getAeadById } from './suites.js';
export type { Kem, KeyPair, KemLengths } from './_dhkem.js';
export type { Suite, Context, Sealed, SenderOptions } from './hpke.js';
export type { HpkeKdf, HpkeAead } from './suites.js';
export { seal, open } from './envelope.js';
export {
  suites,
  resolveSuite,
  X25519_SHA256_AES_128_GCM,
  X25519_SHA256_AES_256_GCM,
  X25519_SHA256_CHACHA20POLY1305,
  P256_SHA256_AES_128_GCM,
  P256_SHA256_AES_256_GCM,
  P384_SHA384_AES_256_GCM,
  P521_SHA512_AES_256_GCM,
  X448_SHA512_AES_256_GCM,
  X448_SHA512_CHACHA20POLY1305,
  SECP256K1_SHA256_AES_256_GCM,
  SM2_SM3_SM4,
  CHEBYSHEV3072_SHA256_AES_256_GCM,
  CHEBYSHEV2048_SHA256_AES_256_GCM,
} from './named.js';
export { withSuite, type SuiteEnvelope, type PinnedSealOptions, type PinnedOpenOptions, type PinnedStreamSealOptions } from './pinned.js';
export type { SuiteName, SuiteLike } from './named.js';
export type { SealOptions, OpenOptions } from './_header.js';
export { createSealer, createOpener, sealStream, openStream, DEFAULT_CHUNK_SIZE, MIN_CHUNK_SIZE, MAX_CHUNK_SIZE, MAX_CHUNKS } from './stream.js';
export type { StreamSealOptions, StreamProcessor } from './stream.js';
export { sm2Encrypt, sm2Decrypt } from './sm2-encrypt.js';
export type { Sm2EncryptOptions, Sm2CipherMode } from './sm2-encrypt.js';
export { inspect, keyId } from './inspect.js';
export type { EnvelopeInfo } from './inspect.js';
