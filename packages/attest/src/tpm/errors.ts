/**
 * Errors of the TPM client (`@privkit/attest/tpm`). Each has a literal `name` and stable codes.
 * @module
 */
import { EncodingError, PrivkitError, type ErrorOptions, type PrivkitErrorOptions } from '@privkit/core';

/**
 * The TPM answered a command with an error response code. `rc` is the TPM_RC value, `rcName` its decoded name
 * (TPM 2.0 Library Part 2 §6.6, e.g. `TPM_RC_AUTH_FAIL (session 1)`), `command` the command name.
 * @example
 * ```ts
 * try { tpm.pcrExtend(0, 'sha256', d) } catch (e) { if (e instanceof TpmResponseError) e.rcName; }
 * ```
 */
export class TpmResponseError extends PrivkitError {
  override name = 'TpmResponseError';
  /** The TPM_RC value. */
  readonly rc: number;
  /** The decoded response code, e.g. `TPM_RC_LOCALITY` or `TPM_RC_VALUE (parameter 1)`. */
  readonly rcName: string;
  /** The command that failed, e.g. `TPM2_PCR_Extend`. */
  readonly command: string;
  constructor(command: string, rc: number, rcName: string, options: Partial<PrivkitErrorOptions> = {}) {
    super(`${command} failed: ${rcName} (0x${rc.toString(16).padStart(8, '0')})`, { code: 'TPM_RESPONSE_ERROR', ...options });
    this.rc = rc;
    this.rcName = rcName;
    this.command = command;
  }
}

/** Codes of {@link TpmTransportError}. */
export type TpmTransportErrorCode = 'TPM_TIMEOUT' | 'TPM_CONNECTION' | 'TPM_TRANSPORT_CLOSED';

/**
 * The transport to the TPM failed: connection refused or lost (`TPM_CONNECTION`), no complete answer in time
 * (`TPM_TIMEOUT`), or the client was closed (`TPM_TRANSPORT_CLOSED`). After a timeout the transport is closed: a
 * half-read stream cannot be resynchronised. (Invalid framing is a {@link TpmFrameError}.)
 * @example
 * ```ts
 * try { tpm.getRandom(16) } catch (e) { if (e instanceof TpmTransportError && e.code === 'TPM_TIMEOUT') … }
 * ```
 */
export class TpmTransportError extends PrivkitError<TpmTransportErrorCode> {
  override name = 'TpmTransportError';
  constructor(shortMessage: string, options: PrivkitErrorOptions<TpmTransportErrorCode>) {
    super(shortMessage, options);
  }
}

/** Code of {@link TpmFrameError}. */
export type TpmFrameErrorCode = 'TPM_FRAME_INVALID';

/**
 * The bytes framing the TPM's answer are malformed (`TPM_FRAME_INVALID`): a size field out of bounds, bytes after
 * the response, a missing or wrong acknowledgement, a response above the size bound. The transport is closed (a
 * stream out of frame cannot be resynchronised). A core `EncodingError` (before issue #16 this code was carried by
 * {@link TpmTransportError}).
 * @example
 * ```ts
 * try { tpm.getRandom(16) } catch (e) { if (e instanceof TpmFrameError) reconnect() }
 * ```
 */
export class TpmFrameError extends EncodingError<TpmFrameErrorCode> {
  override name = 'TpmFrameError';
  constructor(shortMessage: string, options: ErrorOptions<TpmFrameErrorCode> = {}) {
    super(shortMessage, { ...options, code: options.code ?? 'TPM_FRAME_INVALID' });
  }
}
