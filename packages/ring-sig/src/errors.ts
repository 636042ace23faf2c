/**
 * Errors of `@privkit/ring-sig`. Every error is a {@link PrivkitError} subclass with a literal `name`, a stable
 * `code` (listed in the package README, and tested against it) and the one constructor shape
 * `new X(shortMessage, { code, cause, details })` (docs/CONVENTIONS.md, "Errors").
 * @module
 */
import { EncodingError, PrivkitError, type ErrorOptions, type PrivkitErrorOptions } from '@privkit/core';

/** Stable error codes defined by `@privkit/ring-sig`. */
export type RingSigErrorCode = RingErrorCode | RingSigFormatErrorCode;

/** Codes of {@link RingSigError}: the ring or the signer's position is invalid. */
export type RingErrorCode = 'RING_INVALID' | 'RING_SIGNER_NOT_IN_RING';

/** Code of {@link RingSigFormatError}. */
export type RingSigFormatErrorCode = 'RING_SIG_MALFORMED';

/**
 * A ring or a signer position is invalid.
 *
 * Codes: `RING_INVALID` (size outside 2..1,024, duplicate member, member that is not a canonical non-identity
 * ristretto255 encoding, auxiliary ring of the wrong size), `RING_SIGNER_NOT_IN_RING` (the secret key's public key
 * is not a ring member, or the auxiliary secret does not match the auxiliary member at the signer's position).
 * @example
 * ```ts
 * try { sign(msg, ring, sk) } catch (e) { if (e instanceof RingSigError && e.code === 'RING_SIGNER_NOT_IN_RING') … }
 * ```
 */
export class RingSigError extends PrivkitError<RingErrorCode> {
  override name = 'RingSigError';
  constructor(shortMessage: string, options: PrivkitErrorOptions<RingErrorCode>) {
    super(shortMessage, options);
  }
}

/**
 * A serialized ring signature does not decode (`RING_SIG_MALFORMED`): wrong tag/version/scheme, wrong length,
 * non-canonical scalar or point, identity key image. A core `EncodingError`, so `instanceof EncodingError` catches
 * it with every other malformed encoding. (Before issue #16 this code was carried by `RingSigError`.)
 * @example
 * ```ts
 * try { decode(bytes) } catch (e) { if (e instanceof RingSigFormatError) … } // e.code === 'RING_SIG_MALFORMED'
 * ```
 */
export class RingSigFormatError extends EncodingError<RingSigFormatErrorCode> {
  override name = 'RingSigFormatError';
  constructor(shortMessage: string, options: ErrorOptions<RingSigFormatErrorCode> = {}) {
    super(shortMessage, { ...options, code: 'RING_SIG_MALFORMED' });
  }
}
