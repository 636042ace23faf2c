/**
 * `@privkit/ring-sig` — linkable ring signatures (CLSAG, eprint 2019/654; bLSAG, Zero to Monero 2nd ed. §3.4) over
 * ristretto255 (RFC 9496) with RFC 9380 hash-to-group, key images, scoped linkability, ring contexts and batch
 * verification. Wire format: FORMAT.md.
 * @module
 */
export {
  computeKeyImage,
  createRingContext,
  getPublicKey,
  GROUP_ORDER,
  keygen,
  keyImage,
  lengths,
  linked,
  ringSig,
  sign,
  verify,
  verifyBatch,
  type BatchItem,
  type RingContext,
  type RingContextOptions,
  type Scope,
  type SignOptions,
  type VerifyOptions,
} from './ringSig.js';
export { decode, encode, signatureLength, type RingSignature } from './signature.js';
export {
  RingSigError,
  RingSigFormatError,
  type RingErrorCode,
  type RingSigErrorCode,
  type RingSigFormatErrorCode,
} from './errors.js';
export { DST, H2G_SUITE } from './_group.js';
export { MAX_RING, MAX_SCOPE, MIN_RING, SCHEME_ID, type Scheme } from './_transcript.js';
