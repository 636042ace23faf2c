/**
 * Input validators shared by every PrivKit package. They throw {@link InputError} with one message format:
 * `"nonce" expected Uint8Array of length 12, got length=11`.
 * @module
 */
import { InputError } from './errors.js';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (ArrayBuffer.isView(value)) return (typedArrayTag.call(value) as string | undefined) ?? 'DataView';
  return typeof value;
}

// %TypedArray%.prototype[Symbol.toStringTag] is a getter that reads the value's internal [[TypedArrayName]] slot:
// it returns 'Uint8Array' only for a real Uint8Array (or Node Buffer), from any realm, and `undefined` for anything
// else. Unlike `instanceof` (prototype chains can be rewired) or `Object.prototype.toString` (an own or inherited
// `Symbol.toStringTag` property can say anything), it cannot be forged (docs/CONVENTIONS.md, "Validation").
const typedArrayTag = /* @__PURE__ */ (() =>
  Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype) as object, Symbol.toStringTag)!.get!)();

/**
 * True for a real Uint8Array, including Node Buffers and Uint8Arrays from another realm (iframe, vm context).
 * A look-alike such as `{constructor: {name: 'Uint8Array'}}`, another typed array carrying a forged
 * `Symbol.toStringTag`, or a typed array whose prototype was set to `Uint8Array.prototype` is rejected: the check reads
 * the typed array's internal kind through the `%TypedArray%.prototype[Symbol.toStringTag]` getter.
 * @example isBytes(new Uint8Array(2)) // true; isBytes(new Uint16Array(1)) // false
 */
export function isBytes(value: unknown): value is Uint8Array {
  return ArrayBuffer.isView(value) && typedArrayTag.call(value) === 'Uint8Array';
}

/**
 * Asserts `value` is a Uint8Array (of exactly `length` bytes when given, or one of `length` when an array).
 * @param value - the argument to check
 * @param length - required length, or list of allowed lengths
 * @param title - the argument's name, used in the message
 * @returns the same value, typed
 * @throws {InputError} `INVALID_TYPE` or `INVALID_LENGTH`
 * @example abytes(nonce, 12, 'nonce')
 */
export function abytes(value: unknown, length?: number | readonly number[], title = 'bytes'): Uint8Array {
  if (!isBytes(value)) {
    throw new InputError(`"${title}" expected Uint8Array, got type=${describe(value)}`, { code: 'INVALID_TYPE' });
  }
  if (length !== undefined) {
    const ok = typeof length === 'number' ? value.length === length : length.includes(value.length);
    if (!ok) {
      const want = typeof length === 'number' ? `${length}` : length.join(' or ');
      throw new InputError(`"${title}" expected Uint8Array of length ${want}, got length=${value.length}`, {
        code: 'INVALID_LENGTH',
      });
    }
  }
  return value;
}

/**
 * Asserts `value` is a Uint8Array whose length lies in [min, max].
 * @throws {InputError} `INVALID_TYPE` or `INVALID_LENGTH`
 */
export function abytesRange(value: unknown, min: number, max: number, title = 'bytes'): Uint8Array {
  const b = abytes(value, undefined, title);
  if (b.length < min || b.length > max) {
    throw new InputError(`"${title}" expected Uint8Array of length ${min}..${max}, got length=${b.length}`, {
      code: 'INVALID_LENGTH',
    });
  }
  return b;
}

/**
 * Asserts `value` is a safe non-negative integer (optionally within [min, max]).
 * @throws {InputError} `INVALID_TYPE` or `INVALID_VALUE`
 */
export function anumber(value: unknown, title = 'number', min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number') {
    throw new InputError(`"${title}" expected integer, got type=${describe(value)}`, { code: 'INVALID_TYPE' });
  }
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new InputError(`"${title}" expected integer in ${min}..${max}, got ${value}`, { code: 'INVALID_VALUE' });
  }
  return value;
}

/**
 * Asserts `value` is a bigint within [min, max] (inclusive; `max` optional).
 * @throws {InputError} `INVALID_TYPE` or `INVALID_VALUE`
 */
export function abigint(value: unknown, title = 'bigint', min = 0n, max?: bigint): bigint {
  if (typeof value !== 'bigint') {
    throw new InputError(`"${title}" expected bigint, got type=${describe(value)}`, { code: 'INVALID_TYPE' });
  }
  if (value < min || (max !== undefined && value > max)) {
    throw new InputError(`"${title}" expected bigint in ${min}..${max ?? '∞'}, got ${value}`, {
      code: 'INVALID_VALUE',
    });
  }
  return value;
}

// Lone surrogates (U+D800..U+DFFF not in a valid pair) have no UTF-8 encoding: TextEncoder silently turns each into
// U+FFFD, so two different strings ('poll-\uD800', 'poll-\uDFFF') would become the same bytes.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * True when `value` is a well-formed Unicode string (no lone surrogate), i.e. it has exactly one UTF-8 encoding.
 * Uses `String.prototype.isWellFormed` (ES2024) where available.
 * @example isWellFormedString('poll-1') // true; isWellFormedString('poll-\uD800') // false
 */
export function isWellFormedString(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const native = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;
  return native ? native.call(value) : !LONE_SURROGATE.test(value);
}

/**
 * Asserts `value` is a well-formed Unicode string (optionally of at most `maxLength` UTF-16 code units). Strings
 * with lone surrogates are refused, because every string PrivKit accepts ends up as UTF-8 bytes (a scope, an id, a
 * label, a passphrase) and a lone surrogate has no UTF-8 encoding (it would collide with U+FFFD).
 * @throws {InputError} `INVALID_TYPE`, `INVALID_LENGTH` or `INVALID_UNICODE`
 */
export function astring(value: unknown, title = 'string', maxLength = Number.MAX_SAFE_INTEGER): string {
  if (typeof value !== 'string') {
    throw new InputError(`"${title}" expected string, got type=${describe(value)}`, { code: 'INVALID_TYPE' });
  }
  if (value.length > maxLength) {
    throw new InputError(`"${title}" expected string of length 0..${maxLength}, got length=${value.length}`, {
      code: 'INVALID_LENGTH',
    });
  }
  if (!isWellFormedString(value)) {
    throw new InputError(`"${title}" expected well-formed Unicode, got a lone surrogate`, { code: 'INVALID_UNICODE' });
  }
  return value;
}

/**
 * Asserts `value` is a boolean.
 * @throws {InputError} `INVALID_TYPE`
 */
export function abool(value: unknown, title = 'boolean'): boolean {
  if (typeof value !== 'boolean') {
    throw new InputError(`"${title}" expected boolean, got type=${describe(value)}`, { code: 'INVALID_TYPE' });
  }
  return value;
}

/**
 * Asserts `value` is one of `allowed` (compared with `===`).
 * @throws {InputError} `INVALID_VALUE`
 */
export function aoneOf<const T>(value: unknown, allowed: readonly T[], title = 'value'): T {
  if (!allowed.includes(value as T)) {
    const shown = typeof value === 'string' ? JSON.stringify(value) : describe(value);
    throw new InputError(`"${title}" expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${shown}`, {
      code: 'INVALID_VALUE',
    });
  }
  return value as T;
}

/**
 * Asserts `value` is a plain object (or undefined when `optional`), for option bags.
 * @throws {InputError} `INVALID_TYPE`
 */
export function aobject<T extends object>(value: unknown, title = 'options', optional = true): T | undefined {
  if (value === undefined && optional) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || isBytes(value)) {
    throw new InputError(`"${title}" expected object, got type=${describe(value)}`, { code: 'INVALID_TYPE' });
  }
  return value as T;
}
