/**
 * Typed errors of `@privkit/qr`. Every error this package throws is a `PrivkitError` subclass with a literal `name`
 * and a stable `code` (listed in the README). Opening an encrypted secret fails with one generic
 * {@link QrOpenError} that never says why (wrong passphrase, wrong key and tampered ciphertext look the same); it is
 * a core `DecryptError`. Malformed encodings — payloads ({@link QrFormatError}), multi-part frames
 * ({@link QrFrameFormatError}) and images ({@link QrImageFormatError}) — are core `EncodingError`s. Constructor shape:
 * `new X(shortMessage, { code, cause, details })` (docs/CONVENTIONS.md, "Errors").
 * @module
 */
import { DecryptError, EncodingError, PrivkitError, type ErrorOptions, type PrivkitErrorOptions } from '@privkit/core';

/** Stable error codes of `@privkit/qr`. */
export type QrErrorCode =
  | 'QR_MALFORMED'
  | 'QR_CHECKSUM'
  | 'QR_UNSUPPORTED_VERSION'
  | 'QR_UNKNOWN_TYPE'
  | 'QR_TEXT_INVALID'
  | 'QR_TOO_LARGE'
  | 'QR_NOT_FOUND'
  | 'QR_IMAGE_INVALID'
  | 'QR_FRAME_INVALID'
  | 'QR_FRAME_MISMATCH'
  | 'QR_INCOMPLETE'
  | 'QR_OPEN_FAILED'
  | 'SHARE_TOO_FEW'
  | 'SHARE_GROUP_MISMATCH'
  | 'SHARE_DUPLICATE'
  | 'SHARE_INTEGRITY';

/** Options of the qr error constructors besides `code` (kept for compatibility; every class takes `{ code, cause, details }`). */
export type QrErrorOptions = Omit<PrivkitErrorOptions, 'code'>;

/** Codes of {@link QrFormatError}. */
export type QrFormatErrorCode = 'QR_MALFORMED' | 'QR_CHECKSUM' | 'QR_UNSUPPORTED_VERSION' | 'QR_UNKNOWN_TYPE' | 'QR_TEXT_INVALID';
/** Codes of {@link QrImageError}. */
export type QrImageErrorCode = 'QR_TOO_LARGE' | 'QR_NOT_FOUND';
/** Code of {@link QrImageFormatError}. */
export type QrImageFormatErrorCode = 'QR_IMAGE_INVALID';
/** Codes of {@link QrFrameError}. */
export type QrFrameErrorCode = 'QR_FRAME_MISMATCH' | 'QR_INCOMPLETE';
/** Code of {@link QrFrameFormatError}. */
export type QrFrameFormatErrorCode = 'QR_FRAME_INVALID';
/** Codes of {@link ShareError}. */
export type ShareErrorCode = 'SHARE_TOO_FEW' | 'SHARE_GROUP_MISMATCH' | 'SHARE_DUPLICATE' | 'SHARE_INTEGRITY';

/**
 * A payload or its text form could not be parsed: truncated or malformed bytes (`QR_MALFORMED`), a checksum that
 * does not match (`QR_CHECKSUM`), a format version (`QR_UNSUPPORTED_VERSION`) or payload type (`QR_UNKNOWN_TYPE`)
 * this library does not know, invalid base45/base32/URI text (`QR_TEXT_INVALID`). A core `EncodingError`.
 * @example
 * ```ts
 * try { decodePayload(bytes) } catch (e) { if (e instanceof QrFormatError && e.code === 'QR_CHECKSUM') rescan() }
 * ```
 */
export class QrFormatError extends EncodingError<QrFormatErrorCode> {
  override name = 'QrFormatError' as const;
  constructor(shortMessage: string, options: PrivkitErrorOptions<QrFormatErrorCode>) {
    super(shortMessage, options);
  }
}

/**
 * A QR symbol could not be built (`QR_TOO_LARGE`: the data does not fit the largest allowed version) or found in an
 * image (`QR_NOT_FOUND`: no decodable symbol). A malformed image is a {@link QrImageFormatError}.
 */
export class QrImageError extends PrivkitError<QrImageErrorCode> {
  override name = 'QrImageError' as const;
  constructor(shortMessage: string, options: PrivkitErrorOptions<QrImageErrorCode>) {
    super(shortMessage, options);
  }
}

/**
 * The PNG is malformed (`QR_IMAGE_INVALID`: signature, chunk order, colour type, bit depth, bad image data). A core
 * `EncodingError` (before issue #16 this code was carried by {@link QrImageError}).
 * @example
 * ```ts
 * try { decodePng(bytes) } catch (e) { if (e instanceof EncodingError) … } // e.code === 'QR_IMAGE_INVALID'
 * ```
 */
export class QrImageFormatError extends EncodingError<QrImageFormatErrorCode> {
  override name = 'QrImageFormatError' as const;
  constructor(shortMessage: string, options: ErrorOptions<QrImageFormatErrorCode> = {}) {
    super(shortMessage, { ...options, code: options.code ?? 'QR_IMAGE_INVALID' });
  }
}

/**
 * A multi-part frame contradicts fragments already recovered for its own sequence (`QR_FRAME_MISMATCH`), or the
 * result was requested before enough frames arrived (`QR_INCOMPLETE`). A malformed frame is a
 * {@link QrFrameFormatError}.
 */
export class QrFrameError extends PrivkitError<QrFrameErrorCode> {
  override name = 'QrFrameError' as const;
  constructor(shortMessage: string, options: PrivkitErrorOptions<QrFrameErrorCode>) {
    super(shortMessage, options);
  }
}

/**
 * A multi-part frame is malformed or corrupt (`QR_FRAME_INVALID`): not UR text, bad bytewords or checksum, bad CBOR,
 * declared sizes beyond the assembler's limits or inconsistent, or a completed sequence whose message fails its
 * CRC-32 or is not a valid payload. A core `EncodingError` (before issue #16 this code was carried by
 * {@link QrFrameError}).
 * @example
 * ```ts
 * try { assembler.receive(frame) } catch (e) { if (e instanceof EncodingError) … } // e.code === 'QR_FRAME_INVALID'
 * ```
 */
export class QrFrameFormatError extends EncodingError<QrFrameFormatErrorCode> {
  override name = 'QrFrameFormatError' as const;
  constructor(shortMessage: string, options: ErrorOptions<QrFrameFormatErrorCode> = {}) {
    super(shortMessage, { ...options, code: options.code ?? 'QR_FRAME_INVALID' });
  }
}

/**
 * An encrypted secret could not be opened. Deliberately generic (`QR_OPEN_FAILED`, no detail): a wrong
 * passphrase, a wrong recipient key and a tampered payload are indistinguishable. A core `DecryptError`.
 */
export class QrOpenError extends DecryptError<'QR_OPEN_FAILED'> {
  override name = 'QrOpenError' as const;
  constructor(shortMessage = 'could not open the encrypted secret', options: ErrorOptions<'QR_OPEN_FAILED'> = {}) {
    super(shortMessage, { ...options, code: 'QR_OPEN_FAILED' });
  }
}

/**
 * Shares could not be combined: fewer than the threshold (`SHARE_TOO_FEW`), shares of different groups or
 * parameters (`SHARE_GROUP_MISMATCH`), two different shares with the same index (`SHARE_DUPLICATE`), or the
 * recombined secret fails its integrity check (`SHARE_INTEGRITY`: a wrong or corrupted share). Never a wrong secret.
 */
export class ShareError extends PrivkitError<ShareErrorCode> {
  override name = 'ShareError' as const;
  constructor(shortMessage: string, options: PrivkitErrorOptions<ShareErrorCode>) {
    super(shortMessage, options);
  }
}
