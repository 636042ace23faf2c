/**
 * Typed errors. Every error PrivKit throws is a {@link PrivkitError} (or a subclass) with a literal `name`, a stable
 * `code`, a one-line `shortMessage` and the original `cause`. Authentication failures are deliberately generic.
 * @module
 */

/** Error codes defined by `@privkit/core`. Other packages add their own codes (documented in their READMEs). */
export type CoreErrorCode =
  | InputErrorCode
  | 'INVALID_ENCODING'
  | 'INVALID_KEY'
  | 'UNSUPPORTED'
  | 'DECRYPT_FAILED'
  | 'LIMIT_EXCEEDED'
  | 'INTERNAL';

/** Codes of {@link InputError}: a caller passed an argument of the wrong type, length or value. */
export type InputErrorCode = 'INVALID_TYPE' | 'INVALID_LENGTH' | 'INVALID_VALUE' | 'INVALID_UNICODE';

/**
 * Options accepted by every PrivKit error constructor: `new X(shortMessage, { code, cause, details })`
 * (docs/CONVENTIONS.md, "Errors"). `C` narrows the codes a class may carry.
 */
export interface PrivkitErrorOptions<C extends string = string> {
  /** Stable machine-readable code, e.g. `INVALID_LENGTH` or `ENVELOPE_AUTH_FAILED`. */
  code: C;
  /** The underlying error, kept for debugging (never used to reveal why authentication failed). */
  cause?: unknown;
  /** Extra lines appended to `message` (not to `shortMessage`). */
  details?: string;
}

/** The options of a subclass whose `code` has a default: the same bag with `code` optional. */
export type ErrorOptions<C extends string = string> = Partial<PrivkitErrorOptions<C>>;

const BRAND = Symbol.for('privkit.error');
const NAMES = new WeakMap<object, string | undefined>();

/** The literal `name` of a PrivKit error class's instances (probed once: every class takes `(msg, { code })`). */
function literalName(ctor: unknown): string | undefined {
  if (typeof ctor !== 'function') return undefined;
  if (NAMES.has(ctor)) return NAMES.get(ctor);
  let name: string | undefined;
  try {
    const probe = Reflect.construct(ctor, ['probe', { code: 'privkit-probe' }]) as { name?: unknown };
    name = (probe as Record<symbol, unknown>)[BRAND] === true && typeof probe.name === 'string' ? probe.name : undefined;
  } catch {
    name = undefined;
  }
  NAMES.set(ctor, name);
  return name;
}

/**
 * Base class of every error thrown by PrivKit.
 *
 * Follows the viem / hpke-js pattern: literal `name` (minifier-safe), stable `code`, one-line `shortMessage`, and
 * the cause chain preserved and walkable. Every subclass in every package has the same constructor shape,
 * `new X(shortMessage, { code, cause, details })`, with `code` narrowed to the codes of that class (and optional
 * where the class has a single or a default code). See docs/CONVENTIONS.md, "Errors".
 * @example
 * ```ts
 * try { open(envelope, sk) } catch (e) { if (e instanceof DecryptError) … }
 * ```
 */
export class PrivkitError<C extends string = string> extends Error {
  /**
   * `instanceof` across copies of `@privkit/core` (an ESM and a CJS copy, two bundles): true when `value` is an
   * instance of this class in this copy, or is an error of *another* copy (it carries the
   * `Symbol.for('privkit.error')` brand but not this copy's prototype) and has, in its class chain, a class whose instances have this class's literal `name` (e.g. a CJS `OpenError` is an
   * `instanceof DecryptError` of the ESM copy). Names are read from probe instances, cached per class. Like
   * {@link isPrivkitError}, this recognises errors; it is not a security check (any object can carry the brand).
   * See docs/ARCHITECTURE.md, "Errors".
   */
  static override [Symbol.hasInstance]<T>(this: abstract new (...args: never[]) => T, value: unknown): value is T {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class instanceof asks about (a subclass when called on one)
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    if (typeof value !== 'object' || value === null || (value as Record<symbol, unknown>)[BRAND] !== true) return false;
    // An error of this very copy: its prototype chain has already decided.
    if (Object.prototype.isPrototypeOf.call(PrivkitError.prototype, value)) return false;
    // biome-ignore lint/complexity/noThisInStatic: as above, the class being asked about
    const want = literalName(this);
    if (want === undefined) return false;
    for (let p = Object.getPrototypeOf(value) as object | null; p !== null; p = Object.getPrototypeOf(p) as object | null) {
      const ctor = Object.hasOwn(p, 'constructor') ? (p as { constructor: unknown }).constructor : undefined;
      if (ctor === Error || ctor === Object) break;
      if (typeof ctor === 'function' && literalName(ctor) === want) return true;
    }
    return false;
  }

  /** The cross-copy brand (`Symbol.for('privkit.error')`), read by {@link PrivkitError}'s `Symbol.hasInstance`. */
  get [BRAND](): true {
    return true;
  }

  override name = 'PrivkitError';
  /** Stable machine-readable code. */
  readonly code: C;
  /** One-line human-readable summary. */
  readonly shortMessage: string;
  /** Optional extra detail lines. */
  readonly details: string | undefined;

  constructor(shortMessage: string, options: PrivkitErrorOptions<C>) {
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

/** A public function was called with an argument of the wrong type, length or value (default `INVALID_VALUE`). */
export class InputError<C extends string = InputErrorCode> extends PrivkitError<C> {
  override name = 'InputError';
  constructor(shortMessage: string, options: ErrorOptions<C> = {}) {
    super(shortMessage, { ...options, code: options.code ?? ('INVALID_VALUE' as C) });
  }
}

/**
 * A serialized object (DER, point, envelope header, quote, QR payload, HE ciphertext, …) could not be parsed
 * (default code `INVALID_ENCODING`). Every package's format error extends it, so `instanceof EncodingError` catches
 * every malformed encoding; subclasses narrow `C` to their own codes.
 */
export class EncodingError<C extends string = 'INVALID_ENCODING'> extends PrivkitError<C> {
  override name = 'EncodingError';
  constructor(shortMessage: string, options: ErrorOptions<C> = {}) {
    super(shortMessage, { ...options, code: options.code ?? ('INVALID_ENCODING' as C) });
  }
}

/** A public or secret key is malformed, out of range, not on the curve, or of small order (`INVALID_KEY`). */
export class KeyError<C extends string = 'INVALID_KEY'> extends PrivkitError<C> {
  override name = 'KeyError';
  constructor(shortMessage: string, options: ErrorOptions<C> = {}) {
    super(shortMessage, { ...options, code: options.code ?? ('INVALID_KEY' as C) });
  }
}

/** An algorithm, suite, mode, option or runtime feature is not supported (`UNSUPPORTED`). */
export class UnsupportedError<C extends string = 'UNSUPPORTED'> extends PrivkitError<C> {
  override name = 'UnsupportedError';
  constructor(shortMessage: string, options: ErrorOptions<C> = {}) {
    super(shortMessage, { ...options, code: options.code ?? ('UNSUPPORTED' as C) });
  }
}

/**
 * Authenticated decryption failed (default code `DECRYPT_FAILED`, message `decryption failed`). Deliberately
 * carries no detail: wrong key, wrong tag, wrong AAD and truncated ciphertext are indistinguishable to the caller
 * (no padding/tag oracle). Every failed decryption in every package extends it (envelope's `OpenError`, qr's
 * `QrOpenError`), so `instanceof DecryptError` catches all of them.
 */
export class DecryptError<C extends string = 'DECRYPT_FAILED'> extends PrivkitError<C> {
  override name = 'DecryptError';
  constructor(shortMessage = 'decryption failed', options: ErrorOptions<C> = {}) {
    super(shortMessage, { ...options, code: options.code ?? ('DECRYPT_FAILED' as C) });
  }
}

/** A documented limit (message count, size, sequence number, work factor) would be exceeded (`LIMIT_EXCEEDED`). */
export class LimitError<C extends string = 'LIMIT_EXCEEDED'> extends PrivkitError<C> {
  override name = 'LimitError';
  constructor(shortMessage: string, options: ErrorOptions<C> = {}) {
    super(shortMessage, { ...options, code: options.code ?? ('LIMIT_EXCEEDED' as C) });
  }
}

/** True when `e` is a PrivKit error, optionally with the given code. Works across bundle copies (duck-typed). */
export function isPrivkitError(e: unknown, code?: string): e is PrivkitError {
  if (e instanceof PrivkitError) return code === undefined || e.code === code;
  const o = e as { code?: unknown; shortMessage?: unknown } | null;
  const duck = typeof o === 'object' && o !== null && typeof o.code === 'string' && typeof o.shortMessage === 'string';
  return duck && (code === undefined || o!.code === code);
}
