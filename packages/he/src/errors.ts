/**
 * Typed errors of `@privkit/he`. Every error thrown by the package is a {@link PrivkitError} subclass (these, or
 * core's `InputError` for malformed arguments), with a literal `name`, a stable `code` and the one constructor shape
 * `new X(shortMessage, { code, cause, details })` (docs/CONVENTIONS.md, "Errors"); `code` may be omitted where the
 * class has one code or a default. {@link HeFormatError} is a core `EncodingError`.
 * @module
 */
import { EncodingError, PrivkitError, type ErrorOptions, type PrivkitErrorOptions } from '@privkit/core';

/** Stable error codes defined by `@privkit/he`. */
export type HeErrorCode =
  | 'HE_PLAINTEXT_OVERFLOW'
  | 'HE_NOISE_BUDGET_EXHAUSTED'
  | 'HE_PARAMS_MISMATCH'
  | 'HE_INSECURE_PARAMS'
  | 'HE_INVALID_ENCODING'
  | 'HE_DISPOSED'
  | 'HE_MISSING_GALOIS_KEYS'
  | 'HE_SEAL_FAILURE';

/** Options of the he error constructors besides `code` (kept for compatibility; each class narrows `code`). */
export type HeErrorOptions = Omit<PrivkitErrorOptions, 'code'>;

/**
 * A sum, weighted sum or rotation sum could exceed the plaintext space (BFV: |value| > (t−1)/2 in the centered
 * representation; CKKS: the documented magnitude cap), so it is refused instead of silently wrapping. Also thrown by
 * `decrypt` when a ciphertext's declared bound exceeds the plaintext space.
 * @example
 * ```ts
 * try { acc.add(ct) } catch (e) { if (isPrivkitError(e, 'HE_PLAINTEXT_OVERFLOW')) startNewBatch() }
 * ```
 */
export class HeOverflowError extends PrivkitError<'HE_PLAINTEXT_OVERFLOW'> {
  override name = 'HeOverflowError' as const;
  constructor(shortMessage: string, options: ErrorOptions<'HE_PLAINTEXT_OVERFLOW'> = {}) {
    super(shortMessage, { ...options, code: options.code ?? 'HE_PLAINTEXT_OVERFLOW' });
  }
}

/**
 * The noise budget is (or, by the aggregator's conservative estimate, would be) exhausted: decryption would return
 * garbage, so it is refused. Also thrown by `decrypt` for a ciphertext that does not decrypt under the owner's key.
 * @example
 * ```ts
 * try { owner.decrypt(ct) } catch (e) { if (isPrivkitError(e, 'HE_NOISE_BUDGET_EXHAUSTED')) … }
 * ```
 */
export class HeNoiseError extends PrivkitError<'HE_NOISE_BUDGET_EXHAUSTED'> {
  override name = 'HeNoiseError' as const;
  constructor(shortMessage: string, options: ErrorOptions<'HE_NOISE_BUDGET_EXHAUSTED'> = {}) {
    super(shortMessage, { ...options, code: options.code ?? 'HE_NOISE_BUDGET_EXHAUSTED' });
  }
}

/**
 * Objects from different parameter sets, levels, lengths or contexts were combined (`HE_PARAMS_MISMATCH`), or a
 * parameter set failed the security check at creation (`HE_INSECURE_PARAMS`).
 * @example
 * ```ts
 * ctx4096.aggregator().sum([ctFrom8192]) // throws HeParamsError HE_PARAMS_MISMATCH
 * ```
 */
export class HeParamsError extends PrivkitError<'HE_PARAMS_MISMATCH' | 'HE_INSECURE_PARAMS'> {
  override name = 'HeParamsError' as const;
  constructor(shortMessage: string, options: ErrorOptions<'HE_PARAMS_MISMATCH' | 'HE_INSECURE_PARAMS'> = {}) {
    super(shortMessage, { ...options, code: options.code ?? 'HE_PARAMS_MISMATCH' });
  }
}

/**
 * A serialized key or ciphertext is malformed, truncated, corrupted (checksum), of the wrong kind, or rejected by
 * SEAL's own loader (`HE_INVALID_ENCODING`). A core `EncodingError`.
 * @example
 * ```ts
 * ctx.deserialize(bytes.subarray(0, 10)) // throws HeFormatError
 * ```
 */
export class HeFormatError extends EncodingError<'HE_INVALID_ENCODING'> {
  override name = 'HeFormatError' as const;
  constructor(shortMessage: string, options: ErrorOptions<'HE_INVALID_ENCODING'> = {}) {
    super(shortMessage, { ...options, code: options.code ?? 'HE_INVALID_ENCODING' });
  }
}

/**
 * An object was used after `dispose()` (`HE_DISPOSED`), or a rotation sum was requested without Galois keys
 * (`HE_MISSING_GALOIS_KEYS`).
 * @example
 * ```ts
 * ct.dispose(); ct.serialize() // throws HeStateError HE_DISPOSED
 * ```
 */
export class HeStateError extends PrivkitError<'HE_DISPOSED' | 'HE_MISSING_GALOIS_KEYS'> {
  override name = 'HeStateError' as const;
  constructor(shortMessage: string, options: ErrorOptions<'HE_DISPOSED' | 'HE_MISSING_GALOIS_KEYS'> = {}) {
    super(shortMessage, { ...options, code: options.code ?? 'HE_DISPOSED' });
  }
}

/**
 * SEAL itself failed in a way not covered by the errors above (WASM load failure, out of memory, internal
 * exception). The original error is kept as `cause`.
 * @example
 * ```ts
 * await createAggregationContext() // may throw HeSealError if WebAssembly is unavailable
 * ```
 */
export class HeSealError extends PrivkitError<'HE_SEAL_FAILURE'> {
  override name = 'HeSealError' as const;
  constructor(shortMessage: string, options: ErrorOptions<'HE_SEAL_FAILURE'> = {}) {
    super(shortMessage, { ...options, code: options.code ?? 'HE_SEAL_FAILURE' });
  }
}
