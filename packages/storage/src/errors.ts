/**
 * Typed errors of @privkit/storage.
 * @module
 */
import { PrivkitError } from '@privkit/core';

/** Stable error codes of @privkit/storage. */
export type StorageErrorCode =
  | 'STORAGE_NOT_FOUND'
  | 'STORAGE_INVALID_CID'
  | 'STORAGE_INTEGRITY'
  | 'STORAGE_TOO_LARGE'
  | 'STORAGE_UNAVAILABLE'
  | 'STORAGE_CLOSED'
  | 'STORAGE_INVALID_INPUT';

/**
 * A storage operation failed. `code` says why: the content is not held (`STORAGE_NOT_FOUND`), the address is not a
 * sha2-256 CID of a raw block or dag-pb node (`STORAGE_INVALID_CID`), the back end returned bytes or a CID that do
 * not match the address (`STORAGE_INTEGRITY` — a lying or corrupted provider), content above the size bound
 * (`STORAGE_TOO_LARGE`), the back end could not be reached (`STORAGE_UNAVAILABLE`), the store was closed
 * (`STORAGE_CLOSED`), or a malformed argument (`STORAGE_INVALID_INPUT`).
 */
export class StorageError extends PrivkitError {
  override name = 'StorageError';
  declare readonly code: StorageErrorCode;
  constructor(code: StorageErrorCode, shortMessage: string, options: { cause?: unknown; details?: string } = {}) {
    super(shortMessage, { code, ...options });
  }
}
