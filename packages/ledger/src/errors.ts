/**
 * Typed errors of @privkit/ledger. Every back end maps its own failures (contract reverts, chaincode errors,
 * transport errors) onto these stable codes. A malformed record, id or proof is a {@link LedgerFormatError}, a core
 * `EncodingError`; every other failure a {@link LedgerError} (docs/CONVENTIONS.md, "Errors").
 * @module
 */
import { EncodingError, PrivkitError, type ErrorOptions, type PrivkitErrorOptions } from '@privkit/core';

/** Stable error codes of @privkit/ledger (of both classes; the wire form the back ends map onto). */
export type LedgerErrorCode = LedgerOperationErrorCode | LedgerFormatErrorCode;

/** Codes of {@link LedgerError}. */
export type LedgerOperationErrorCode =
  | 'LEDGER_NOT_FOUND'
  | 'LEDGER_ACCESS_DENIED'
  | 'LEDGER_CONFLICT'
  | 'LEDGER_UNAVAILABLE'
  | 'LEDGER_CLOCK_SKEW';

/** Codes of {@link LedgerFormatError}. */
export type LedgerFormatErrorCode = 'LEDGER_INVALID_RECORD' | 'LEDGER_PROOF_INVALID';

/**
 * A ledger operation failed. `code` says why: the record does not exist, the caller may not do this, a
 * concurrent update won (optimistic version check), the back end could not be reached, or the caller's clock is too
 * far from the ledger's (a Fabric proposal timestamp outside the bound the endorsing peer accepts). Constructor
 * shape: `new LedgerError(shortMessage, { code, cause, details })` (docs/CONVENTIONS.md, "Errors"). A malformed
 * record or proof is a {@link LedgerFormatError}.
 * @example
 * ```ts
 * try { await ledger.get(id) } catch (e) { if (e instanceof LedgerError && e.code === 'LEDGER_NOT_FOUND') … }
 * ```
 */
export class LedgerError extends PrivkitError<LedgerOperationErrorCode> {
  override name = 'LedgerError';
  constructor(shortMessage: string, options: PrivkitErrorOptions<LedgerOperationErrorCode>) {
    super(shortMessage, options);
  }
}

/**
 * A record, record id, anchor, integrity record, CID, device proof, policy or Merkle proof is malformed or out of
 * its bounds, or the back end refused a record as invalid (`LEDGER_INVALID_RECORD`); a Merkle proof encoding is
 * malformed (`LEDGER_PROOF_INVALID`). A core `EncodingError` (before issue #16 these codes were carried by
 * {@link LedgerError}; the codes, which the Fabric chaincode and the contract reverts map onto, are unchanged).
 * @example
 * ```ts
 * try { decodeIntegrityRecord(bytes) } catch (e) { if (e instanceof EncodingError) … } // LEDGER_INVALID_RECORD
 * ```
 */
export class LedgerFormatError extends EncodingError<LedgerFormatErrorCode> {
  override name = 'LedgerFormatError';
  constructor(shortMessage: string, options: ErrorOptions<LedgerFormatErrorCode> = {}) {
    super(shortMessage, { ...options, code: options.code ?? 'LEDGER_INVALID_RECORD' });
  }
}

const FORMAT_CODES: ReadonlySet<string> = new Set<LedgerFormatErrorCode>(['LEDGER_INVALID_RECORD', 'LEDGER_PROOF_INVALID']);

/**
 * The error of the class that carries `code` (for codes read from a back end: a chaincode response, a revert).
 * Internal to the package.
 */
export function _ledgerError(shortMessage: string, options: PrivkitErrorOptions<LedgerErrorCode>): LedgerError | LedgerFormatError {
  return FORMAT_CODES.has(options.code)
    ? new LedgerFormatError(shortMessage, options as ErrorOptions<LedgerFormatErrorCode>)
    : new LedgerError(shortMessage, options as PrivkitErrorOptions<LedgerOperationErrorCode>);
}

/** True for an error of either ledger class (already mapped: pass it on unchanged). Internal to the package. */
export function _isLedgerError(e: unknown): e is LedgerError | LedgerFormatError {
  return e instanceof LedgerError || e instanceof LedgerFormatError;
}
