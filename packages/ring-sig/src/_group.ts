/**
 * ristretto255 group helpers shared by the ring signature schemes: canonical scalar and element codecs,
 * hash-to-group (RFC 9380 `hash_to_ristretto255`, Appendix B / RFC 9496 §4.3.4) and hash-to-scalar
 * (`expand_message_xmd` with SHA-512, 64 bytes, reduced mod ℓ — the RFC 9497 §4.1 HashToScalar) under our DSTs.
 *
 * BigInt arithmetic (noble) is not constant-time; see the README security notes.
 * @module
 */
import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import { expand_message_xmd } from '@noble/curves/abstract/hash-to-curve.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@privkit/core';

/** The ristretto255 element class (noble). */
export const Point: typeof ristretto255.Point = ristretto255.Point;
/** A ristretto255 element. */
export type Point = InstanceType<typeof ristretto255.Point>;
/** Group order ℓ = 2^252 + 27742317777372353535851937790883648493. */
export const ORDER: bigint = Point.Fn.ORDER;
/** The generator B of RFC 9496 §4.4. */
export const G: Point = Point.BASE;

/**
 * RFC 9380 suite identifier of the hash-to-group we use (RFC 9380 Appendix B, `hash_to_ristretto255`); it ends the
 * hash-to-point DST.
 * @example H2G_SUITE // 'ristretto255_XMD:SHA-512_R255MAP_RO_'
 */
export const H2G_SUITE = 'ristretto255_XMD:SHA-512_R255MAP_RO_';

/**
 * Domain-separation tags (ASCII, FORMAT.md §1). Every hash of the package uses exactly one of them.
 * @example DST.hashToPoint // 'PrivKit-RingSig-v1-HashToPoint-ristretto255_XMD:SHA-512_R255MAP_RO_'
 */
export const DST = Object.freeze({
  hashToPoint: `PrivKit-RingSig-v1-HashToPoint-${H2G_SUITE}`,
  transcript: 'PrivKit-RingSig-v1-Transcript-XMD:SHA-512',
  clsagAgg0: 'PrivKit-RingSig-v1-CLSAG-Agg0-XMD:SHA-512',
  clsagAgg1: 'PrivKit-RingSig-v1-CLSAG-Agg1-XMD:SHA-512',
  clsagRound: 'PrivKit-RingSig-v1-CLSAG-Round-XMD:SHA-512',
  blsagRound: 'PrivKit-RingSig-v1-bLSAG-Round-XMD:SHA-512',
  nonce: 'PrivKit-RingSig-v1-Nonce-XMD:SHA-512',
  keygen: 'PrivKit-RingSig-v1-KeyGen-XMD:SHA-512',
} as const);

const DST_BYTES = new Map<string, Uint8Array>();
function dstBytes(dst: string): Uint8Array {
  let b = DST_BYTES.get(dst);
  if (!b) DST_BYTES.set(dst, (b = utf8ToBytes(dst)));
  return b;
}

/** `expand_message_xmd(msg, DST, len, SHA-512)` (RFC 9380 §5.3.1). */
export function expandXmd(msg: Uint8Array, dst: string | Uint8Array, len: number): Uint8Array {
  return expand_message_xmd(msg, typeof dst === 'string' ? dstBytes(dst) : dst, len, sha512);
}

/** `expand_message_xmd(msg, DST, 64, SHA-512)` (RFC 9380 §5.3.1). */
export function xmd64(msg: Uint8Array, dst: string): Uint8Array {
  return expandXmd(msg, dst, 64);
}

/** RFC 9496 §4.3.4 element derivation (one-way map of 64 uniform bytes), the map inside `hash_to_ristretto255`. */
export function mapToGroup64(uniform: Uint8Array): Point {
  return ristretto255_hasher.deriveToCurve!(uniform);
}

/** Little-endian bytes → bigint. */
export function leToBigint(b: Uint8Array): bigint {
  let x = 0n;
  for (let i = b.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(b[i]!);
  return x;
}

/** Hash to a scalar: `OS2IP_LE(expand_message_xmd(msg, DST, 64, SHA-512)) mod ℓ` (RFC 9497 §4.1 HashToScalar). */
export function hashToScalar(msg: Uint8Array, dst: string): bigint {
  return leToBigint(xmd64(msg, dst)) % ORDER;
}

/**
 * Hash to a group element: RFC 9380 `hash_to_ristretto255` (Appendix B) with our DST, i.e.
 * `mapToGroup64(expand_message_xmd(msg, DST_HP, 64, SHA-512))`.
 */
export function hashToPoint(msg: Uint8Array): Point {
  return ristretto255_hasher.hashToCurve(msg, { DST: dstBytes(DST.hashToPoint) });
}

/** Scalar → 32 bytes little-endian (canonical: the value must already be < ℓ). */
export function scalarToBytes(x: bigint): Uint8Array {
  const out = new Uint8Array(32);
  let v = x;
  for (let i = 0; i < 32; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Canonical scalar decoding: 32 bytes little-endian, value < ℓ; returns undefined otherwise. */
export function scalarFromBytes(b: Uint8Array): bigint | undefined {
  if (b.length !== 32) return undefined;
  const x = leToBigint(b);
  return x < ORDER ? x : undefined;
}

/**
 * Canonical element decoding (RFC 9496 §4.3.1): rejects non-canonical field encodings, negative `s`, invalid
 * points and — unless `allowIdentity` — the identity. Returns undefined on any failure.
 */
export function pointFromBytes(b: Uint8Array, allowIdentity = false): Point | undefined {
  if (b.length !== 32) return undefined;
  try {
    const p = Point.fromBytes(b);
    if (!allowIdentity && p.is0()) return undefined;
    return p;
  } catch {
    return undefined;
  }
}
