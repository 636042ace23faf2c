/**
 * @privkit/core — portable entry (browsers, Deno, Bun, and Node when the "node" condition is not used).
 * @module
 */
export * from './errors.js';
export * from './validate.js';
export * from './bytes.js';
export { sm3, hmacSm3, type Sm3 } from './sm3.js';
export { sm4, type Sm4, type Sm4Cipher } from './sm4.js';
export { getAead, AEAD_IDS, AEAD_PARAMS, type Aead, type AeadId } from './aead.js';
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
