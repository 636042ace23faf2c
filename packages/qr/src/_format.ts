/**
 * Shared internals of the payload formats (FORMAT.md §1): the header byte, the checksum, a byte writer and a
 * bounds-checked reader that throws `QrFormatError` instead of reading past the end.
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, equalBytes, UnsupportedError, utf8ToBytes } from '@privkit/core';
import { QrFormatError } from './errors.js';

/** Format version carried in the high nibble of the header byte. */
export const FORMAT_VERSION = 1;
/** Payload type codes (low nibble of the header byte). */
/** The payload types (FORMAT.md: the low nibble of the header byte). */
export type PayloadType = 'keyCard' | 'passphraseSecret' | 'envelopeSecret' | 'share';
export const TYPE_CODES: Readonly<Record<PayloadType, number>> = Object.freeze({ keyCard: 1, passphraseSecret: 2, envelopeSecret: 3, share: 4 });
/** Payload type names. */
/** Checksum length in bytes: the first 4 bytes of SHA-256 over everything before it. */
export const CHECKSUM_LENGTH = 4;
/** UR type of multi-part frames (FORMAT.md §6). */
export const UR_TYPE = 'privkit-qr';
/** Maximum label length in UTF-8 bytes. */
export const MAX_LABEL_BYTES = 64;

/** The header byte for a payload type. */
export function header(type: PayloadType): number {
  return (FORMAT_VERSION << 4) | TYPE_CODES[type];
}

/** Appends the checksum. */
export function withChecksum(body: Uint8Array): Uint8Array {
  return concatBytes(body, sha256(body).subarray(0, CHECKSUM_LENGTH));
}

/**
 * Checks the header version and the checksum of a payload and returns its body (without checksum).
 * @throws {QrFormatError} QR_MALFORMED, QR_UNSUPPORTED_VERSION, QR_UNKNOWN_TYPE, QR_CHECKSUM
 */
export function openFrame(bytes: Uint8Array): { type: PayloadType; body: Uint8Array } {
  if (bytes.length < 1 + CHECKSUM_LENGTH) throw new QrFormatError(`payload too short (${bytes.length} bytes)`, { code: 'QR_MALFORMED' });
  const h = bytes[0]!;
  const version = h >> 4;
  if (version !== FORMAT_VERSION) {
    throw new QrFormatError(`unsupported payload format version ${version} (this library reads version ${FORMAT_VERSION})`, { code: 'QR_UNSUPPORTED_VERSION' });
  }
  const code = h & 0x0f;
  const type = (Object.keys(TYPE_CODES) as PayloadType[]).find((k) => TYPE_CODES[k] === code);
  if (type === undefined) throw new QrFormatError(`unknown payload type ${code}`, { code: 'QR_UNKNOWN_TYPE' });
  const body = bytes.subarray(0, bytes.length - CHECKSUM_LENGTH);
  const sum = bytes.subarray(bytes.length - CHECKSUM_LENGTH);
  if (!equalBytes(sha256(body).subarray(0, CHECKSUM_LENGTH), sum)) {
    throw new QrFormatError('payload checksum mismatch (damaged or mistyped payload)', { code: 'QR_CHECKSUM' });
  }
  return { type, body };
}

/** Minimal append-only byte writer. */
export class Writer {
  private parts: Uint8Array[] = [];
  u8(v: number): this {
    this.parts.push(Uint8Array.of(v & 0xff));
    return this;
  }
  u16(v: number): this {
    this.parts.push(Uint8Array.of((v >> 8) & 0xff, v & 0xff));
    return this;
  }
  bytes(b: Uint8Array): this {
    this.parts.push(b);
    return this;
  }
  /** u8 length + UTF-8 bytes (the caller has checked the length). */
  str8(s: Uint8Array): this {
    return this.u8(s.length).bytes(s);
  }
  finish(): Uint8Array {
    return concatBytes(...this.parts);
  }
}

/** Bounds-checked reader; every overrun is a `QrFormatError` `QR_MALFORMED`. */
export class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}
  private need(n: number, what: string): void {
    if (this.pos + n > this.buf.length) throw new QrFormatError(`payload truncated while reading ${what}`, { code: 'QR_MALFORMED' });
  }
  u8(what: string): number {
    this.need(1, what);
    return this.buf[this.pos++]!;
  }
  u16(what: string): number {
    this.need(2, what);
    const v = (this.buf[this.pos]! << 8) | this.buf[this.pos + 1]!;
    this.pos += 2;
    return v;
  }
  bytes(n: number, what: string): Uint8Array {
    this.need(n, what);
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  /** u8 length + UTF-8 string (strict decoding). */
  str8(what: string, max = MAX_LABEL_BYTES): string {
    const n = this.u8(`${what} length`);
    if (n > max) throw new QrFormatError(`${what} longer than ${max} bytes`, { code: 'QR_MALFORMED' });
    return utf8Strict(this.bytes(n, what), what);
  }
  rest(): Uint8Array {
    const out = this.buf.slice(this.pos);
    this.pos = this.buf.length;
    return out;
  }
  remaining(): number {
    return this.buf.length - this.pos;
  }
  end(what: string): void {
    if (this.pos !== this.buf.length) throw new QrFormatError(`${this.buf.length - this.pos} trailing bytes after ${what}`, { code: 'QR_MALFORMED' });
  }
}

function utf8Strict(b: Uint8Array, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch (cause) {
    throw new QrFormatError(`${what} is not valid UTF-8`, { code: 'QR_MALFORMED', cause });
  }
}

/** UTF-8 bytes of a label, NFC-normalised, length-checked. */
export function labelBytes(label: string): Uint8Array {
  return utf8ToBytes(label.normalize('NFC'));
}


/** Kinds of secret carried by encrypted-secret and share payloads (FORMAT.md §3). */
export const SECRET_KINDS = Object.freeze({ raw: 0, 'data-key': 1, seed: 2, text: 3, 'secret-key': 0x80 } as const);
/** What a secret is, for the receiving application. `secret-key` payloads also name the key type. */
export type SecretKind = Exclude<keyof typeof SECRET_KINDS, 'secret-key'> | 'secret-key';

/** `v` unless it is undefined (null is passed through, so validators reject it). */
export function dflt<T>(v: T | undefined, d: T): T {
  return v === undefined ? d : v;
}

/**
 * The `PNG` class of pngjs, or a typed error where it is absent: browser bundles map `pngjs` to an empty module
 * (package.json "browser" field), since it needs Node's zlib and stream; use `renderSvg`/`decodeQrImage` there.
 */
export function requirePng<T>(png: T | undefined, what: string): T {
  if (png === undefined || png === null) throw new UnsupportedError(`${what} needs pngjs (Node); in browsers use renderSvg and decodeQrImage`);
  return png;
}

/** The global `Buffer` that `pngjs` needs, or a typed `UnsupportedError` where there is none (browsers). */
export function requireBuffer(what: string): typeof Buffer {
  const B = (globalThis as { Buffer?: typeof Buffer }).Buffer;
  if (B === undefined) throw new UnsupportedError(`${what} needs Node (a global Buffer); in browsers use renderSvg and decodeQrImage`);
  return B;
}
