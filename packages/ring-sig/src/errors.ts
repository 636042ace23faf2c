/**
 * Errors of `@privkit/ring-sig`. Every error is a {@link PrivkitError} subclass with a literal `name` and a stable
 * `code` (listed in the package README).
 * @module
 */
import { PrivkitError, type PrivkitErrorOptions } from '@privkit/core';

/** Stable error codes defined by `@privkit/ring-sig`. */
export type RingSigErrorCode =
  | 'RING_INVALID'
  | 'RING_SIGNER_NOT_IN_RING'
  | 'RING_SIG_MALFORMED';

/**
 * A ring, a signer position or a serialized ring signature is invalid.
 *
 * Codes: `RING_INVALID` (size outside 2..1,024, duplicate member, member that is not a canonical non-identity
 * ristretto255 encoding, auxiliary ring of the wrong size), `RING_SIGNER_NOT_IN_RING` (the secret key's public key
 * is not a ring member, or the auxiliary secret does not match the auxiliary member at the signer's position),
 * `RING_SIG_MALFORMED` (a signature that does not decode: wrong tag/version/scheme, wrong length, non-canonical
 * scalar or point, identity key image).
 * @example
 * ```ts
 * try { decode(bytes) } catch (e) { if (e instanceof RingSigError && e.code === 'RING_SIG_MALFORMED') … }
 * ```
 */
export class RingSigError extends PrivkitError {
  override name = 'RingSigError';
  constructor(shortMessage: string, options: Partial<PrivkitErrorOptions> & { code: RingSigErrorCode }) {
    super(shortMessage, options);
  }
}
