/**
 * Typed errors of @privkit/ledger. Every back end maps its own failures (contract reverts, chaincode errors,
 * transport errors) onto these stable codes.
 * @module
 */
import { PrivkitError, type PrivkitErrorOptions } from '@privkit/core';

/** Stable error codes of @privkit/ledger. */
export type LedgerErrorCode =
  | 'LEDGER_NOT_FOUND'
  | 'LEDGER_ACCESS_DENIED'
  | 'LEDGER_CONFLICT'
  | 'LEDGER_UNAVAILABLE'
  | 'LEDGER_INVALID_RECORD'
  | 'LEDGER_PROOF_INVALID'
  | 'LEDGER_CLOCK_SKEW';

/**
 * A ledger operation failed. `code` says why: the record does not exist, the caller may not do this, a
 * concurrent update won (optimistic version check), the back end could not be reached, a record/proof is
 * malformed, or the caller's clock is too far from the ledger's (a Fabric proposal timestamp outside the bound the
 * endorsing peer accepts). Constructor shape: `new LedgerError(shortMessage, { code, cause, details })`
 * (docs/CONVENTIONS.md, "Errors").
 */
export class LedgerError extends PrivkitError<LedgerErrorCode> {
  override name = 'LedgerError';
  constructor(shortMessage: string, options: PrivkitErrorOptions<LedgerErrorCode>) {
    super(shortMessage, options);
  }
}
