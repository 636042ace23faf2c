/**
 * Test-only helpers that take a PrivKit HE ciphertext frame apart and put it back together with a recomputed CRC, so
 * hostile uploads can be made exactly as a hostile device would (FORMAT.md). Not part of any entry point.
 */
import * as zlib from 'node:zlib';

/** node:zlib's native CRC-32 (Node ≥ 22.2; the project's @types/node predates it). */
const nativeCrc = (zlib as unknown as { crc32: (d: Uint8Array) => number }).crc32;

export interface Frame {
  /** The 40-byte PrivKit header. */
  header: Uint8Array;
  length: number;
  batches: number;
  level: number;
  count: number;
  bound: bigint;
  noiseWeight: bigint;
  divisor: bigint;
  /** The SEAL streams, one per batch. */
  streams: Uint8Array[];
}

function big(b: Uint8Array, off: number): [bigint, number] {
  const n = b[off]!;
  let v = 0n;
  for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(b[off + 1 + i]!);
  return [v, off + 1 + n];
}

function bigBytes(v: bigint): number[] {
  const out: number[] = [];
  for (let x = v; x > 0n; x >>= 8n) out.unshift(Number(x & 0xffn));
  return [out.length, ...out];
}

export function parseFrame(bytes: Uint8Array): Frame {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let off = 40;
  const length = v.getUint32(off);
  const batches = v.getUint16(off + 4);
  const level = bytes[off + 6]!;
  const count = v.getUint32(off + 8);
  off += 12;
  const [bound, o1] = big(bytes, off);
  const [noiseWeight, o2] = big(bytes, o1);
  const [divisor, o3] = big(bytes, o2);
  off = o3;
  const streams: Uint8Array[] = [];
  for (let i = 0; i < batches; i++) {
    const len = v.getUint32(off);
    streams.push(bytes.slice(off + 4, off + 4 + len));
    off += 4 + len;
  }
  return { header: bytes.slice(0, 40), length, batches, level, count, bound, noiseWeight, divisor, streams };
}

/** Serializes a frame (batches field = `f.batches`, whatever the number of streams) with a valid CRC. */
export function buildFrame(f: Frame): Uint8Array {
  const meta = [
    ...u32(f.length),
    (f.batches >>> 8) & 0xff,
    f.batches & 0xff,
    f.level,
    0,
    ...u32(f.count),
    ...bigBytes(f.bound),
    ...bigBytes(f.noiseWeight),
    ...bigBytes(f.divisor),
  ];
  const size = 40 + meta.length + f.streams.reduce((s, x) => s + 4 + x.length, 0) + 4;
  const out = new Uint8Array(size);
  out.set(f.header, 0);
  out.set(meta, 40);
  let off = 40 + meta.length;
  for (const s of f.streams) {
    out.set(u32(s.length), off);
    out.set(s, off + 4);
    off += 4 + s.length;
  }
  fixCrc(out);
  return out;
}

function u32(x: number): number[] {
  return [(x >>> 24) & 0xff, (x >>> 16) & 0xff, (x >>> 8) & 0xff, x & 0xff];
}

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** Recomputes the trailing CRC-32 in place (node:zlib's native CRC-32 — cross-checked against ours in attacks.test). */
export function fixCrc(b: Uint8Array): Uint8Array {
  const end = b.length - 4;
  new DataView(b.buffer, b.byteOffset, b.byteLength).setUint32(end, nativeCrc(b.subarray(0, end)) >>> 0, false);
  return b;
}

/** CRC-32 (ISO-HDLC), written independently of the package's (table-driven, bitwise reflected). */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A SEAL 4.1 serialization header (16 bytes) with the given fields. */
export function sealHeader(opts: { headerSize?: number; compr?: number; size: number }): Uint8Array {
  const h = new Uint8Array(16);
  const v = new DataView(h.buffer);
  v.setUint16(0, 0xa15e, true);
  h[2] = opts.headerSize ?? 16;
  h[3] = 4;
  h[4] = 1;
  h[5] = opts.compr ?? 0;
  v.setBigUint64(8, BigInt(opts.size), true);
  return h;
}

/**
 * A zstd frame of RLE blocks (4 bytes each, 128 KiB of output each): `blocks` blocks inflate to `blocks` × 128 KiB.
 * RFC 8878 §3.1.1: magic, frame header descriptor 0 (window descriptor follows, no content size), window 128 KiB,
 * then blocks (3-byte header: last flag, type 1 = RLE, size) each followed by the repeated byte.
 */
export function zstdBomb(blocks: number): Uint8Array {
  const out = new Uint8Array(6 + 4 * blocks);
  out.set([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38]); // windowLog 10 + 7 = 17
  for (let i = 0; i < blocks; i++) {
    const last = i === blocks - 1 ? 1 : 0;
    const hdr = last | (1 << 1) | ((128 * 1024) << 3);
    const o = 6 + 4 * i;
    out[o] = hdr & 0xff;
    out[o + 1] = (hdr >>> 8) & 0xff;
    out[o + 2] = (hdr >>> 16) & 0xff;
    out[o + 3] = 0x41;
  }
  return out;
}
