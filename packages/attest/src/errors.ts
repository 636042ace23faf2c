/**
 * Errors thrown by `@privkit/attest`. Each has a literal `name` and stable codes (listed in the README).
 * @module
 */
import { PrivkitError, type PrivkitErrorOptions } from '@privkit/core';

/** Codes of {@link TpmEncodingError}. */
export type TpmEncodingErrorCode = 'TPM_MALFORMED' | 'TPM_UNSUPPORTED_ALG';

/**
 * A TPM 2.0 structure (TPMS_ATTEST, TPMT_SIGNATURE, TPMT_PUBLIC, SPKI, …) is malformed, truncated, has trailing
 * bytes, exceeds a size bound, or names an algorithm this package does not implement.
 * @example
 * ```ts
 * try { parseTpmsAttest(bytes) } catch (e) { if (e instanceof TpmEncodingError) … }
 * ```
 */
export class TpmEncodingError extends PrivkitError {
  override name = 'TpmEncodingError';
  constructor(shortMessage: string, options: Partial<PrivkitErrorOptions> & { code?: TpmEncodingErrorCode } = {}) {
    super(shortMessage, { code: 'TPM_MALFORMED', ...options });
  }
}

/** Codes of {@link PcrError}. */
export type PcrErrorCode = 'PCR_RESET_FORBIDDEN' | 'PCR_READ_ONLY' | 'PCR_LOG_MISMATCH';

/**
 * A PCR bank operation is not allowed (reset of a non-resettable PCR, extend of a read-only SHA-1 bank) or an event
 * log does not replay to the expected values.
 * @example
 * ```ts
 * try { bank.reset(0) } catch (e) { e.code === 'PCR_RESET_FORBIDDEN' }
 * ```
 */
export class PcrError extends PrivkitError {
  override name = 'PcrError';
  constructor(shortMessage: string, options: Partial<PrivkitErrorOptions> & { code: PcrErrorCode }) {
    super(shortMessage, options);
  }
}

/** Codes of {@link NonceError}. */
export type NonceErrorCode = 'NONCE_UNKNOWN' | 'NONCE_REPLAYED' | 'NONCE_EXPIRED' | 'NONCE_LIMIT';

/**
 * A nonce presented to a {@link NonceRegistry} was never issued, was already used, has expired, or the registry is
 * full.
 * @example
 * ```ts
 * try { registry.consume(nonce) } catch (e) { e.code === 'NONCE_REPLAYED' }
 * ```
 */
export class NonceError extends PrivkitError {
  override name = 'NonceError';
  constructor(shortMessage: string, options: Partial<PrivkitErrorOptions> & { code: NonceErrorCode }) {
    super(shortMessage, options);
  }
}

/** Codes of {@link UploadError}. */
export type UploadErrorCode = 'UPLOAD_MALFORMED' | 'UPLOAD_RESPONSE_INVALID' | 'UPLOAD_STATEMENT_INVALID';

/**
 * An attested-upload message is malformed, or a receiver's response does not carry a valid signature.
 * @example
 * ```ts
 * try { parseUploadResponse(bytes) } catch (e) { e.code === 'UPLOAD_MALFORMED' }
 * ```
 */
export class UploadError extends PrivkitError {
  override name = 'UploadError';
  constructor(shortMessage: string, options: Partial<PrivkitErrorOptions> & { code: UploadErrorCode }) {
    super(shortMessage, options);
  }
}
