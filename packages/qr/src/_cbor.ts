/**
 * The deterministic CBOR subset (RFC 8949 §4.2.1: preferred, shortest argument encodings; definite lengths) that
 * UR messages and fountain parts use: unsigned integers up to 2^32 − 1, byte strings and array headers. The reader
 * refuses everything else, including non-shortest arguments, so one value has one encoding.
 * @module
 */
import { concatBytes } from '@privkit/core';
import { QrFrameFormatError } from './errors.js';

const MAJOR_UINT = 0;
const MAJOR_BYTES = 2;
const MAJOR_ARRAY = 4;

/** Head of a data item: major type and argument (0..2^32 − 1), shortest form. */
function head(major: number, n: number): Uint8Array {
  const m = major << 5;
  if (n < 24) return Uint8Array.of(m | n);
  if (n < 0x100) return Uint8Array.of(m | 24, n);
  if (n < 0x10000) return Uint8Array.of(m | 25, n >>> 8, n & 0xff);
  return Uint8Array.of(m | 26, n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

/** CBOR unsigned integer. */
export function _cborUint(n: number): Uint8Array {
  return head(MAJOR_UINT, n);
}
/** CBOR byte string. */
export function _cborBytes(b: Uint8Array): Uint8Array {
  return concatBytes(head(MAJOR_BYTES, b.length), b);
}
/** CBOR array of already-encoded items. */
export function _cborArray(items: Uint8Array[]): Uint8Array {
  return concatBytes(head(MAJOR_ARRAY, items.length), ...items);
}

const bad = (why: string) => new QrFrameFormatError(`CBOR: ${why}`, { code: 'QR_FRAME_INVALID' });

/** Reader of the subset; every violation is `QR_FRAME_INVALID`. */
export class _CborReader {
  private pos = 0;
  constructor(private readonly buf: Uint8Array) {}
  private head(major: number): number {
    const b = this.buf[this.pos++];
    if (b === undefined) throw bad('truncated');
    if (b >> 5 !== major) throw bad(`expected major type ${major}`);
    const ai = b & 0x1f;
    if (ai < 24) return ai;
    const len = ai === 24 ? 1 : ai === 25 ? 2 : ai === 26 ? 4 : 0;
    if (len === 0) throw bad('unsupported or indefinite length');
    if (this.pos + len > this.buf.length) throw bad('truncated');
    let n = 0;
    for (let i = 0; i < len; i++) n = n * 256 + this.buf[this.pos++]!;
    if (n < (len === 1 ? 24 : len === 2 ? 0x100 : 0x10000)) throw bad('non-shortest argument');
    return n;
  }
  uint(): number {
    return this.head(MAJOR_UINT);
  }
  bytes(): Uint8Array {
    const n = this.head(MAJOR_BYTES);
    if (n > this.buf.length - this.pos) throw bad('truncated byte string');
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  array(): number {
    return this.head(MAJOR_ARRAY);
  }
  end(): void {
    if (this.pos !== this.buf.length) throw bad('trailing bytes');
  }
}
