/**
 * The domain-separated, length-prefixed transcript shared by CLSAG and bLSAG (specified byte by byte in FORMAT.md
 * §2). The transcript binds: format tag and version, scheme, key-column count, ring size, every ring member in
 * order (and every auxiliary member for two-column CLSAG), the linkability scope, the message, the key image and
 * the auxiliary image `D`.
 * @module
 */
import { DST, hashToPoint, xmd64, type Point } from './_group.js';

/** Format tag `PKRS` (PrivKit Ring Signature), FORMAT.md §4. */
export const TAG = Object.freeze([0x50, 0x4b, 0x52, 0x53] as const);
/** Wire/transcript version. */
export const VERSION = 1;
/**
 * Scheme identifiers on the wire (byte 5) and in the transcript (FORMAT.md §2, §4).
 * @example SCHEME_ID.clsag // 0x01
 */
export const SCHEME_ID = Object.freeze({ clsag: 0x01, blsag: 0x02 } as const);
/**
 * Smallest ring accepted (inclusive).
 * @example MIN_RING // 2
 */
export const MIN_RING = 2;
/**
 * Largest ring accepted (inclusive).
 * @example MAX_RING // 1024
 */
export const MAX_RING = 1024;
/**
 * Longest scope in bytes (a string scope is measured in UTF-8 bytes).
 * @example MAX_SCOPE // 1024
 */
export const MAX_SCOPE = 1024;

/** Scheme names: `'clsag'` (eprint 2019/654) or `'blsag'` (Zero to Monero 2nd ed. §3.4). */
export type Scheme = keyof typeof SCHEME_ID;

/**
 * The scope field: `0x00` (global linkability) or `0x01 ‖ u16be(len) ‖ scope` (scoped linkability).
 * Prefix-free, so no scope collides with another or with the global one.
 */
export function scopeField(scope: Uint8Array | undefined): Uint8Array {
  if (scope === undefined) return Uint8Array.of(0x00);
  const out = new Uint8Array(3 + scope.length);
  out[0] = 0x01;
  out[1] = scope.length >>> 8;
  out[2] = scope.length & 0xff;
  out.set(scope, 3);
  return out;
}

/**
 * Hp for a member: `hash_to_ristretto255(scopeField ‖ P, DST_HP)`. The key image of key `x` with public key `P`
 * is `I = x·Hp(P)`; with a scope it is `x·Hp(0x01 ‖ len ‖ scope ‖ P)`, so it differs per scope.
 */
export function memberHashPoint(scopeBytes: Uint8Array, member: Uint8Array): Point {
  const msg = new Uint8Array(scopeBytes.length + 32);
  msg.set(scopeBytes, 0);
  msg.set(member, scopeBytes.length);
  return hashToPoint(msg);
}

/** Inputs of the transcript digest. */
export interface TranscriptInput {
  scheme: Scheme;
  /** 1 (single key column) or 2 (CLSAG with an auxiliary column). */
  columns: 1 | 2;
  /** Concatenated ring member encodings, n·32 bytes. */
  ringBytes: Uint8Array;
  /** Concatenated auxiliary member encodings (columns = 2), n·32 bytes. */
  auxBytes: Uint8Array | undefined;
  scopeBytes: Uint8Array;
  message: Uint8Array;
  keyImage: Uint8Array;
  auxImage: Uint8Array | undefined;
}

/**
 * `digest = expand_message_xmd(T, DST_T, 64, SHA-512)` with
 * `T = "PKRS" ‖ version ‖ scheme ‖ columns ‖ u16be(n) ‖ P_0..P_{n-1} ‖ [C_0..C_{n-1}] ‖ scopeField ‖
 *      u32be(|m|) ‖ m ‖ I ‖ [D]`.
 */
export function transcriptDigest(t: TranscriptInput): Uint8Array {
  const n = t.ringBytes.length / 32;
  const parts: Uint8Array[] = [
    Uint8Array.of(...TAG, VERSION, SCHEME_ID[t.scheme], t.columns, n >>> 8, n & 0xff),
    t.ringBytes,
  ];
  if (t.auxBytes) parts.push(t.auxBytes);
  const m = t.message.length;
  parts.push(t.scopeBytes, Uint8Array.of(m >>> 24, (m >>> 16) & 0xff, (m >>> 8) & 0xff, m & 0xff), t.message);
  parts.push(t.keyImage);
  if (t.auxImage) parts.push(t.auxImage);
  let len = 0;
  for (const p of parts) len += p.length;
  const buf = new Uint8Array(len);
  let off = 0;
  for (const p of parts) {
    buf.set(p, off);
    off += p.length;
  }
  return xmd64(buf, DST.transcript);
}

/** Round-hash input: `digest ‖ L_i ‖ R_i` (64 + 32 + 32 bytes). */
export function roundInput(digest: Uint8Array, L: Uint8Array, R: Uint8Array): Uint8Array {
  const out = new Uint8Array(128);
  out.set(digest, 0);
  out.set(L, 64);
  out.set(R, 96);
  return out;
}
