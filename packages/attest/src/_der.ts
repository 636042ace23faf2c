/**
 * Minimal strict DER (ITU-T X.690 §10) reader/writer for SubjectPublicKeyInfo (RFC 5280 §4.1.2.7). Internal.
 * @module
 */
import { TpmEncodingError } from './errors.js';

/** One TLV. */
export interface Tlv {
  tag: number;
  content: Uint8Array;
}

/** Reads consecutive TLVs from `buf`, strictly (definite minimal lengths, no trailing bytes). */
export function readTlvs(buf: Uint8Array, what: string): Tlv[] {
  const out: Tlv[] = [];
  let p = 0;
  while (p < buf.length) {
    if (p + 2 > buf.length) throw new TpmEncodingError(`${what}: truncated DER`);
    const tag = buf[p++]!;
    if ((tag & 0x1f) === 0x1f) throw new TpmEncodingError(`${what}: multi-byte DER tags are not supported`);
    let len = buf[p++]!;
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n === 0 || n > 3 || p + n > buf.length) throw new TpmEncodingError(`${what}: bad DER length`);
      len = 0;
      for (let i = 0; i < n; i++) len = (len << 8) | buf[p++]!;
      if (len < 0x80 || (n > 1 && len < 1 << (8 * (n - 1)))) throw new TpmEncodingError(`${what}: non-minimal DER length`);
    }
    if (p + len > buf.length) throw new TpmEncodingError(`${what}: truncated DER`);
    out.push({ tag, content: buf.subarray(p, p + len) });
    p += len;
  }
  return out;
}

/** Reads exactly one TLV with the given tag. */
export function readOne(buf: Uint8Array, tag: number, what: string): Uint8Array {
  const t = readTlvs(buf, what);
  if (t.length !== 1 || t[0]!.tag !== tag) throw new TpmEncodingError(`${what}: unexpected DER structure`);
  return t[0]!.content;
}

/** Encodes a TLV. */
export function tlv(tag: number, content: Uint8Array): Uint8Array {
  const len = content.length;
  let head: number[];
  if (len < 0x80) head = [tag, len];
  else if (len < 0x100) head = [tag, 0x81, len];
  else if (len < 0x10000) head = [tag, 0x82, len >> 8, len & 0xff];
  else head = [tag, 0x83, len >> 16, (len >> 8) & 0xff, len & 0xff];
  const out = new Uint8Array(head.length + len);
  out.set(head, 0);
  out.set(content, head.length);
  return out;
}

/** DER INTEGER content for a non-negative big-endian magnitude. */
export function derUint(mag: Uint8Array): Uint8Array {
  let i = 0;
  while (i < mag.length - 1 && mag[i] === 0) i++;
  const m = mag.subarray(i);
  if (m.length > 0 && m[0]! & 0x80) {
    const out = new Uint8Array(m.length + 1);
    out.set(m, 1);
    return tlv(0x02, out);
  }
  return tlv(0x02, m.length === 0 ? new Uint8Array(1) : m);
}

/** Decodes a DER INTEGER content as a positive big-endian magnitude (rejects negatives and non-minimal forms). */
export function parseUint(content: Uint8Array, what: string): Uint8Array {
  if (content.length === 0) throw new TpmEncodingError(`${what}: empty INTEGER`);
  if (content[0]! & 0x80) throw new TpmEncodingError(`${what}: negative INTEGER`);
  if (content.length > 1 && content[0] === 0 && !(content[1]! & 0x80)) {
    throw new TpmEncodingError(`${what}: non-minimal INTEGER`);
  }
  return content[0] === 0 && content.length > 1 ? content.subarray(1) : content;
}
