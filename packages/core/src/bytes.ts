/**
 * Byte helpers: hex/UTF-8 conversion, concatenation, constant-time comparison, CSPRNG, zeroization and the
 * big-endian integer encodings (I2OSP/OS2IP) the standards use.
 * @module
 */
import { EncodingError, InputError, UnsupportedError } from './errors.js';
import { abytes, abigint, anumber, astring, isBytes } from './validate.js';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * Encodes bytes as lowercase hex.
 * @throws {InputError} when `bytes` is not a Uint8Array
 * @example bytesToHex(new Uint8Array([0xca, 0xfe])) // 'cafe'
 */
export function bytesToHex(bytes: Uint8Array): string {
  abytes(bytes, undefined, 'bytes');
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]!];
  return out;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * Decodes hex (either case, even length, no prefix or separators).
 * @throws {EncodingError} on odd length or a non-hex character; {InputError} when not a string
 * @example hexToBytes('cafe') // Uint8Array [0xca, 0xfe]
 */
export function hexToBytes(hex: string): Uint8Array {
  astring(hex, 'hex');
  if (hex.length % 2 !== 0) throw new EncodingError(`"hex" expected even length, got length=${hex.length}`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexDigit(hex.charCodeAt(2 * i));
    const lo = hexDigit(hex.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) throw new EncodingError(`"hex" has a non-hex character at index ${2 * i}`);
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/**
 * Encodes a string as UTF-8, strictly: a string with a lone surrogate (not well-formed Unicode) is refused instead of
 * being encoded as U+FFFD, so two different strings never become the same bytes (issue #16, item 10).
 * @throws {InputError} `INVALID_TYPE` when `str` is not a string, `INVALID_UNICODE` when it has a lone surrogate
 * @example utf8ToBytes('héllo') // Uint8Array(6)
 */
export function utf8ToBytes(str: string): Uint8Array {
  astring(str, 'str');
  return new TextEncoder().encode(str);
}

/**
 * Decodes UTF-8 strictly (invalid sequences throw instead of becoming U+FFFD).
 * @throws {EncodingError} on invalid UTF-8
 */
export function bytesToUtf8(bytes: Uint8Array): string {
  abytes(bytes, undefined, 'bytes');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new EncodingError('"bytes" is not valid UTF-8', { cause });
  }
}

/**
 * Concatenates byte arrays into a new array.
 * @throws {InputError} when any argument is not a Uint8Array
 */
export function concatBytes(...arrays: Uint8Array[]): Uint8Array {
  let total = 0;
  for (let i = 0; i < arrays.length; i++) total += abytes(arrays[i], undefined, `arrays[${i}]`).length;
  const out = new Uint8Array(total);
  let pos = 0;
  for (const a of arrays) {
    out.set(a, pos);
    pos += a.length;
  }
  return out;
}

/**
 * Compares two byte arrays in time that depends only on their lengths (lengths are not secret).
 * @returns true when equal
 * @throws {InputError} when either argument is not a Uint8Array
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  abytes(a, undefined, 'a');
  abytes(b, undefined, 'b');
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/**
 * Cryptographically secure random bytes from `crypto.getRandomValues` (Web Crypto; Node ≥ 19 global).
 * @param length - number of bytes, 0..2^31
 * @throws {InputError} on a bad length
 */
export function randomBytes(length = 32): Uint8Array {
  anumber(length, 'length', 0, 2 ** 31);
  const out = new Uint8Array(length);
  const c = globalThis.crypto;
  if (!c || typeof c.getRandomValues !== 'function') {
    throw new UnsupportedError('crypto.getRandomValues is not available in this runtime');
  }
  for (let i = 0; i < length; i += 65536) c.getRandomValues(out.subarray(i, Math.min(length, i + 65536)));
  return out;
}

/**
 * Overwrites key buffers with zeros. Best effort: JavaScript engines may have copied the data elsewhere.
 */
export function zeroize(...arrays: (Uint8Array | undefined)[]): void {
  for (const a of arrays) if (a !== undefined && isBytes(a)) a.fill(0);
}

/**
 * I2OSP: encodes a non-negative integer as exactly `length` big-endian bytes (RFC 8017 §4.1).
 * @throws {InputError} when the value does not fit
 */
export function numberToBytesBE(value: number | bigint, length: number): Uint8Array {
  anumber(length, 'length', 0, 1 << 20);
  const n = typeof value === 'number' ? BigInt(anumber(value, 'value')) : abigint(value, 'value');
  if (length < 8 ? n >= 1n << BigInt(8 * length) : n >> BigInt(8 * length) !== 0n) {
    throw new InputError(`"value" does not fit in ${length} bytes`, { code: 'INVALID_VALUE' });
  }
  const out = new Uint8Array(length);
  let v = n;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** OS2IP: decodes big-endian bytes as a non-negative bigint (RFC 8017 §4.2). */
export function bytesToNumberBE(bytes: Uint8Array): bigint {
  abytes(bytes, undefined, 'bytes');
  if (bytes.length === 0) return 0n;
  return BigInt(`0x${bytesToHex(bytes)}`);
}

/** Encodes a 16-bit unsigned integer big-endian. */
export function u16BE(value: number): Uint8Array {
  anumber(value, 'value', 0, 0xffff);
  return new Uint8Array([value >>> 8, value & 0xff]);
}

/** Encodes a 32-bit unsigned integer big-endian. */
export function u32BE(value: number): Uint8Array {
  anumber(value, 'value', 0, 0xffffffff);
  return new Uint8Array([value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff]);
}

/** Copies bytes (a fresh buffer the caller owns). */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  return Uint8Array.from(abytes(bytes, undefined, 'bytes'));
}
