/**
 * Errors thrown by `@privkit/attest`. Each has a literal `name` and stable codes (listed in the README), and the one
 * constructor shape `new X(shortMessage, { code, cause, details })` (docs/CONVENTIONS.md, "Errors").
 * {@link TpmEncodingError} and {@link UploadFormatError} are core `EncodingError`s.
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

/** Codes of {@link UploadError}: a well-formed message whose signature or binding does not verify. */
export type UploadErrorCode = 'UPLOAD_RESPONSE_INVALID' | 'UPLOAD_STATEMENT_INVALID';

/**
 * A receiver's response or statement is well formed but does not carry a valid signature, or refers to another
 * upload or quote. (A malformed message is an {@link UploadFormatError}; before issue #16 `UploadError` also carried
 * `UPLOAD_MALFORMED`.)
 * @example
 * ```ts
 * try { verifyUploadResponse(bytes, opts) } catch (e) { e.code === 'UPLOAD_RESPONSE_INVALID' }
 * ```
 */
export class UploadError extends PrivkitError<UploadErrorCode> {
  override name = 'UploadError';
  constructor(shortMessage: string, options: PrivkitErrorOptions<UploadErrorCode>) {
    super(shortMessage, options);
  }
}

/** Code of {@link UploadFormatError}. */
export type UploadFormatErrorCode = 'UPLOAD_MALFORMED';

/**
 * An attested-upload message (challenge, upload, statement, response) is malformed: bad magic, version or kind,
 * truncated, trailing bytes, a field out of range (`UPLOAD_MALFORMED`). A core `EncodingError`.
 * @example
 * ```ts
 * try { parseUploadChallenge(bytes) } catch (e) { if (e instanceof EncodingError) … } // e.code === 'UPLOAD_MALFORMED'
 * ```
 */
export class UploadFormatError extends EncodingError<UploadFormatErrorCode> {
  override name = 'UploadFormatError';
  constructor(shortMessage: string, options: ErrorOptions<UploadFormatErrorCode> = {}) {
    super(shortMessage, { ...options, code: options.code ?? 'UPLOAD_MALFORMED' });
  }
}
