/**
 * Typed errors. Every error PrivKit throws is a {@link PrivkitError} (or a subclass) with a literal `name`, a stable
 * `code`, a one-line `shortMessage` and the original `cause`. Authentication failures are deliberately generic.
 * @module
 */

/** Error codes defined by `@privkit/core`. Other packages add their own codes (documented in their READMEs). */
export type CoreErrorCode =
  | 'INVALID_TYPE'
  | 'INVALID_LENGTH'
  | 'INVALID_VALUE'
  | 'INVALID_ENCODING'
  | 'INVALID_KEY'
  | 'UNSUPPORTED'
  | 'DECRYPT_FAILED'
  | 'LIMIT_EXCEEDED'
  | 'INTERNAL';

/** Options accepted by every PrivKit error constructor. */
export interface PrivkitErrorOptions {
  /** Stable machine-readable code, e.g. `INVALID_LENGTH` or `ENVELOPE_AUTH_FAILED`. */
  code: string;
  /** The underlying error, kept for debugging (never used to reveal why authentication failed). */
  cause?: unknown;
  /** Extra lines appended to `message` (not to `shortMessage`). */
  details?: string;
}

/**
 * Base class of every error thrown by PrivKit.
 *
 * Follows the viem / hpke-js pattern: literal `name` (minifier-safe), stable `code`, one-line `shortMessage`, and
 * the cause chain preserved and walkable.
 * @example
 * ```ts
 * try { open(envelope, sk) } catch (e) { if (e instanceof PrivkitError && e.code === 'ENVELOPE_AUTH_FAILED') … }
 * ```
 */
export class PrivkitError extends Error {
  override name = 'PrivkitError';
  /** Stable machine-readable code. */
  readonly code: string;
  /** One-line human-readable summary. */
  readonly shortMessage: string;
  /** Optional extra detail lines. */
  readonly details: string | undefined;

  constructor(shortMessage: string, options: PrivkitErrorOptions) {
    const message = options.details ? `${shortMessage}\n\nDetails: ${options.details}` : shortMessage;
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.shortMessage = shortMessage;
    this.details = options.details;
  }

  /**
   * Walks the cause chain. Without `fn`, returns the deepest cause; with `fn`, the first error (starting with this
   * one) for which `fn` returns true, or `null`.
   */
  walk(fn?: (err: unknown) => boolean): unknown {
    let err: unknown = this;
    const seen = new Set<unknown>();
    while (err !== undefined && err !== null && !seen.has(err)) {
      seen.add(err);
      if (fn && fn(err)) return err;
      const next = (err as { cause?: unknown }).cause;
      if (next === undefined || next === null) break;
      err = next;
    }
    return fn ? null : err;
  }
}

/** A public function was called with an argument of the wrong type, length or value. */
export class InputError extends PrivkitError {
  override name = 'InputError';
  constructor(shortMessage: string, options: Partial<PrivkitErrorOptions> = {}) {
    super(shortMessage, { code: 'INVALID_VALUE', ...options });
  }
}

/** A serialized object (DER, point, envelope, quote, …) could not be parsed. */
export class EncodingError extends PrivkitError {
  override name = 'EncodingError';
  constructor(shortMessage: string, options: Partial<PrivkitErrorOptions> = {}) {
    super(shortMessage, { code: 'INVALID_ENCODING', ...options });
  }
}

/** A public or secret key is malformed, out of range, not on the curve, or of small order. */
export class KeyError extends PrivkitError {
  override name = 'KeyError';
  constructor(shortMessage: string, options: Partial<PrivkitErrorOptions> = {}) {
    super(shortMessage, { code: 'INVALID_KEY', ...options });
  }
}

/** An algorithm, suite, mode or option is not supported. */
export class UnsupportedError extends PrivkitError {
  override name = 'UnsupportedError';
  constructor(shortMessage: string, options: Partial<PrivkitErrorOptions> = {}) {
    super(shortMessage, { code: 'UNSUPPORTED', ...options });
  }
}

/**
 * Authenticated decryption failed. Deliberately carries no detail: wrong key, wrong tag, wrong AAD and truncated
 * ciphertext are indistinguishable to the caller (no padding/tag oracle).
 */
export class DecryptError extends PrivkitError {
  override name = 'DecryptError';
  constructor(options: Partial<PrivkitErrorOptions> = {}) {
    super('decryption failed', { code: 'DECRYPT_FAILED', ...options });
  }
}

/** A documented limit (message count, size, sequence number) would be exceeded. */
export class LimitError extends PrivkitError {
  override name = 'LimitError';
  constructor(shortMessage: string, options: Partial<PrivkitErrorOptions> = {}) {
    super(shortMessage, { code: 'LIMIT_EXCEEDED', ...options });
  }
}

/** True when `e` is a PrivKit error, optionally with the given code. Works across bundle copies (duck-typed). */
export function isPrivkitError(e: unknown, code?: string): e is PrivkitError {
  if (e instanceof PrivkitError) return code === undefined || e.code === code;
  const o = e as { code?: unknown; shortMessage?: unknown } | null;
  const duck = typeof o === 'object' && o !== null && typeof o.code === 'string' && typeof o.shortMessage === 'string';
  return duck && (code === undefined || o!.code === code);
}
