/**
 * @privkit/core — portable entry (browsers, Deno, Bun, and Node when the "node" condition is not used).
 * @module
 */
export * from './errors.js';
export * from './validate.js';
export * from './bytes.js';
export { sm3, hmacSm3, type Sm3 } from './sm3.js';
export { sm4, type Sm4, type Sm4Cipher } from './sm4.js';
export { getAead, AEAD_IDS, AEAD_PARAMS, aes128Gcm, aes256Gcm, chacha20Poly1305, xchacha20Poly1305, sm4Gcm, sm4Ccm, type Aead, type AeadId } from './aead.js';
export {
  chebyshev,
  CHEBYSHEV_PARAMS,
  type Chebyshev,
  type ChebyshevDhGroup,
  type ChebyshevKeyPair,
  type ChebyshevParams,
  type ChebyshevParamsId,
  type ChebyshevSharedSecretOptions,
} from './chebyshev.js';
export { getHash, HASH_IDS, type HashId, type CHash } from './hash.js';
export { hkdf, hkdfExtract, hkdfExpand } from './hkdf.js';
export { sm3Kdf } from './sm3-kdf.js';
export {
  scrypt,
  argon2id,
  SCRYPT_DEFAULTS,
  ARGON2ID_DEFAULTS,
  type ScryptOptions,
  type Argon2idOptions,
} from './passphrase.js';
export {
  sm2,
  SM2_PARAMS,
  SM2_DEFAULT_USER_ID,
  type Sm2,
  type Sm2SignOptions,
  type Sm2VerifyOptions,
} from './sm2.js';
export { getDhGroup, DH_GROUP_IDS, p256Group, p384Group, p521Group, secp256k1Group, sm2Group, x25519Group, x448Group, type DhGroup, type DhGroupId } from './dh.js';
