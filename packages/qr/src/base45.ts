/**
 * Base45 (RFC 9285): bytes as text in the 45-character QR alphanumeric alphabet, so a payload can use QR
 * alphanumeric mode (5.5 bits per character).
 * @module
 */
import { abytes, astring } from '@privkit/core';
import { QrFormatError } from './errors.js';

/** The base45 alphabet, RFC 9285 §4.2 — identical to the QR alphanumeric character set. */
export const BASE45_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

let table: Int8Array | undefined;
function lookup(): Int8Array {
  if (!table) {
    table = new Int8Array(128).fill(-1);
    for (let i = 0; i < 45; i++) table[BASE45_ALPHABET.charCodeAt(i)] = i;
  }
  return table;
}

/**
 * Encodes bytes as base45 (RFC 9285 §4.1: each 2 bytes → 3 characters, a final byte → 2 characters).
 * @param bytes - data to encode
 * @returns base45 text (characters of {@link BASE45_ALPHABET})
 * @throws {InputError} when `bytes` is not a Uint8Array
 * @example base45Encode(utf8ToBytes('AB')) // 'BB8'
 */
export function base45Encode(bytes: Uint8Array): string {
  abytes(bytes, undefined, 'bytes');
  let out = '';
  const A = BASE45_ALPHABET;
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    let n = bytes[i]! * 256 + bytes[i + 1]!;
    const c = n % 45;
    n = (n - c) / 45;
    const d = n % 45;
    const e = (n - d) / 45;
    out += A[c]! + A[d]! + A[e]!;
  }
  if (bytes.length % 2 === 1) {
    const n = bytes[bytes.length - 1]!;
    out += A[n % 45]! + A[Math.floor(n / 45)]!;
  }
  return out;
}

/**
 * Decodes base45 text (RFC 9285 §4.2). Strict: rejects characters outside the alphabet, a dangling single
 * character, and groups whose value exceeds 65535 (or 255 for a final pair), as RFC 9285 §6 requires.
 * @param text - base45 text
 * @returns the decoded bytes
 * @throws {InputError} when `text` is not a string
 * @throws {QrFormatError} QR_TEXT_INVALID for invalid base45
 * @example bytesToUtf8(base45Decode('QED8WEX0')) // 'ietf!'
 */
export function base45Decode(text: string): Uint8Array {
  astring(text, 'text');
  const T = lookup();
  if (text.length % 3 === 1) throw new QrFormatError(`invalid base45 length ${text.length}`, { code: 'QR_TEXT_INVALID' });
  const out = new Uint8Array(Math.floor(text.length / 3) * 2 + (text.length % 3 === 2 ? 1 : 0));
  const val = (i: number): number => {
    const code = text.charCodeAt(i);
    const v = code < 128 ? T[code]! : -1;
    if (v < 0) throw new QrFormatError(`invalid base45 character at position ${i}`, { code: 'QR_TEXT_INVALID' });
    return v;
  };
  let o = 0;
  let i = 0;
  for (; i + 2 < text.length; i += 3) {
    const n = val(i) + val(i + 1) * 45 + val(i + 2) * 2025;
    if (n > 0xffff) throw new QrFormatError(`base45 group at position ${i} exceeds 65535`, { code: 'QR_TEXT_INVALID' });
    out[o++] = n >> 8;
    out[o++] = n & 0xff;
  }
  if (i < text.length) {
    const n = val(i) + val(i + 1) * 45;
    if (n > 0xff) throw new QrFormatError(`final base45 pair exceeds 255`, { code: 'QR_TEXT_INVALID' });
    out[o++] = n;
  }
  return out;
}
