/**
 * Errors thrown by `@privkit/attest`. Each has a literal `name` and stable codes (listed in the README), and the one
 * constructor shape `new X(shortMessage, { code, cause, details })` (docs/CONVENTIONS.md, "Errors").
 * {@link TpmEncodingError} is a core `EncodingError`.
 * @module
 */
import { EncodingError, PrivkitError, type ErrorOptions, type PrivkitErrorOptions } from '@privkit/core';

/** Codes of {@link TpmEncodingError}. */
export type TpmEncodingErrorCode = 'TPM_MALFORMED' | 'TPM_UNSUPPORTED_ALG';

/**
 * A TPM 2.0 structure (TPMS_ATTEST, TPMT_SIGNATURE, TPMT_PUBLIC, SPKI, …) is malformed, truncated, has trailing
 * bytes, exceeds a size bound, or names an algorithm this package does not implement. Default code `TPM_MALFORMED`.
 * A core `EncodingError`.
 * @example
 * ```ts
 * try { parseTpmsAttest(bytes) } catch (e) { if (e instanceof TpmEncodingError) … }
 * ```
 */
export class TpmEncodingError extends EncodingError<TpmEncodingErrorCode> {
  override name = 'TpmEncodingError';
  constructor(shortMessage: string, options: ErrorOptions<TpmEncodingErrorCode> = {}) {
    super(shortMessage, { ...options, code: options.code ?? 'TPM_MALFORMED' });
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
export class PcrError extends PrivkitError<PcrErrorCode> {
  override name = 'PcrError';
  constructor(shortMessage: string, options: PrivkitErrorOptions<PcrErrorCode>) {
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
export class NonceError extends PrivkitError<NonceErrorCode> {
  override name = 'NonceError';
  constructor(shortMessage: string, options: PrivkitErrorOptions<NonceErrorCode>) {
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
export class UploadError extends PrivkitError<UploadErrorCode> {
  override name = 'UploadError';
  constructor(shortMessage: string, options: PrivkitErrorOptions<UploadErrorCode>) {
    super(shortMessage, options);
  }
}
