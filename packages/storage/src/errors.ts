/**
 * Typed errors of @privkit/storage. A malformed CID is a {@link StorageFormatError} (a core `EncodingError`), every
 * other failure a {@link StorageError}.
 * @module
 */
import { EncodingError, PrivkitError, type ErrorOptions, type PrivkitErrorOptions } from '@privkit/core';

/** Stable error codes of @privkit/storage. */
export type StorageErrorCode =
  | 'STORAGE_NOT_FOUND'
  | 'STORAGE_INTEGRITY'
  | 'STORAGE_TOO_LARGE'
  | 'STORAGE_UNAVAILABLE'
  | 'STORAGE_CLOSED'
  | 'STORAGE_INVALID_INPUT';

/**
 * A storage operation failed. `code` says why: the content is not held (`STORAGE_NOT_FOUND`), the address is not a
 * sha2-256 CID of a raw block or dag-pb node (a {@link StorageFormatError}), the back end returned bytes or a CID that do
 * not match the address (`STORAGE_INTEGRITY` — a lying or corrupted provider), content above the size bound
 * (`STORAGE_TOO_LARGE`), the back end could not be reached (`STORAGE_UNAVAILABLE`), the store was closed
 * (`STORAGE_CLOSED`), or an invalid argument (`STORAGE_INVALID_INPUT`). Constructed like every PrivKit error:
 * `new StorageError(shortMessage, { code, cause, details })` (until issue #16 the code came first).
 */
export class StorageError extends PrivkitError<StorageErrorCode> {
  override name = 'StorageError';
  constructor(shortMessage: string, options: PrivkitErrorOptions<StorageErrorCode>) {
    super(shortMessage, options);
  }
}

/** Code of {@link StorageFormatError}. */
export type StorageFormatErrorCode = 'STORAGE_INVALID_CID';

/**
 * An address is not a sha2-256 CID of a raw block or dag-pb node (`STORAGE_INVALID_CID`: not a CID, another codec
 * or hash, base64 forms with `/`). A core `EncodingError` (before issue #16 this code was carried by
 * {@link StorageError}). Constructed like every PrivKit error: `new StorageFormatError(shortMessage, { code, cause })`.
 * @example
 * ```ts
 * try { await store.get(cid) } catch (e) { if (e instanceof EncodingError) … } // e.code === 'STORAGE_INVALID_CID'
 * ```
 */
export class StorageFormatError extends EncodingError<StorageFormatErrorCode> {
  override name = 'StorageFormatError';
  constructor(shortMessage: string, options: ErrorOptions<StorageFormatErrorCode> = {}) {
    super(shortMessage, { ...options, code: options.code ?? 'STORAGE_INVALID_CID' });
  }
}

/** True for an error of either storage class (already typed: pass it on unchanged). Internal to the package. */
export function _isStorageError(e: unknown): e is StorageError | StorageFormatError {
  return e instanceof StorageError || e instanceof StorageFormatError;
}
