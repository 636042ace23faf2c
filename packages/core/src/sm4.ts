/**
 * SM4 block cipher (GB/T 32907-2016, ISO/IEC 18033-3:2010/Amd 1:2021) in TypeScript, table-driven, with the
 * modes CBC (PKCS#7), CTR (128-bit big-endian counter), GCM (RFC 8998, NIST SP 800-38D) and CCM (RFC 8998,
 * NIST SP 800-38C). ECB exists only internally for known-answer tests.
 *
 * Speed: the round function uses four precomputed 256-entry T-tables (S-box composed with the linear transform
 * L), round keys live in an `Int32Array`, and the block loops allocate nothing per block. Table lookups are
 * indexed by secret data, so this implementation is **not constant-time** with respect to cache-timing attackers
 * (as is every table-based SM4/AES in JavaScript); see the package README's security notes.
 * @module
 */
import { DecryptError } from './errors.js';
import { createCcm, type CcmCore } from './_ccm.js';
import { createGcm, type GcmCore } from './_gcm.js';
import { abytes, abytesRange } from './validate.js';

/** SM4 S-box (GB/T 32907-2016 §6.2, table 1). */
// prettier-ignore
const SBOX = /* @__PURE__ */ Uint8Array.from([
  0xd6, 0x90, 0xe9, 0xfe, 0xcc, 0xe1, 0x3d, 0xb7, 0x16, 0xb6, 0x14, 0xc2, 0x28, 0xfb, 0x2c, 0x05,
  0x2b, 0x67, 0x9a, 0x76, 0x2a, 0xbe, 0x04, 0xc3, 0xaa, 0x44, 0x13, 0x26, 0x49, 0x86, 0x06, 0x99,
  0x9c, 0x42, 0x50, 0xf4, 0x91, 0xef, 0x98, 0x7a, 0x33, 0x54, 0x0b, 0x43, 0xed, 0xcf, 0xac, 0x62,
  0xe4, 0xb3, 0x1c, 0xa9, 0xc9, 0x08, 0xe8, 0x95, 0x80, 0xdf, 0x94, 0xfa, 0x75, 0x8f, 0x3f, 0xa6,
  0x47, 0x07, 0xa7, 0xfc, 0xf3, 0x73, 0x17, 0xba, 0x83, 0x59, 0x3c, 0x19, 0xe6, 0x85, 0x4f, 0xa8,
  0x68, 0x6b, 0x81, 0xb2, 0x71, 0x64, 0xda, 0x8b, 0xf8, 0xeb, 0x0f, 0x4b, 0x70, 0x56, 0x9d, 0x35,
  0x1e, 0x24, 0x0e, 0x5e, 0x63, 0x58, 0xd1, 0xa2, 0x25, 0x22, 0x7c, 0x3b, 0x01, 0x21, 0x78, 0x87,
  0xd4, 0x00, 0x46, 0x57, 0x9f, 0xd3, 0x27, 0x52, 0x4c, 0x36, 0x02, 0xe7, 0xa0, 0xc4, 0xc8, 0x9e,
  0xea, 0xbf, 0x8a, 0xd2, 0x40, 0xc7, 0x38, 0xb5, 0xa3, 0xf7, 0xf2, 0xce, 0xf9, 0x61, 0x15, 0xa1,
  0xe0, 0xae, 0x5d, 0xa4, 0x9b, 0x34, 0x1a, 0x55, 0xad, 0x93, 0x32, 0x30, 0xf5, 0x8c, 0xb1, 0xe3,
  0x1d, 0xf6, 0xe2, 0x2e, 0x82, 0x66, 0xca, 0x60, 0xc0, 0x29, 0x23, 0xab, 0x0d, 0x53, 0x4e, 0x6f,
  0xd5, 0xdb, 0x37, 0x45, 0xde, 0xfd, 0x8e, 0x2f, 0x03, 0xff, 0x6a, 0x72, 0x6d, 0x6c, 0x5b, 0x51,
  0x8d, 0x1b, 0xaf, 0x92, 0xbb, 0xdd, 0xbc, 0x7f, 0x11, 0xd9, 0x5c, 0x41, 0x1f, 0x10, 0x5a, 0xd8,
  0x0a, 0xc1, 0x31, 0x88, 0xa5, 0xcd, 0x7b, 0xbd, 0x2d, 0x74, 0xd0, 0x12, 0xb8, 0xe5, 0xb4, 0xb0,
  0x89, 0x69, 0x97, 0x4a, 0x0c, 0x96, 0x77, 0x7e, 0x65, 0xb9, 0xf1, 0x09, 0xc5, 0x6e, 0xc6, 0x84,
  0x18, 0xf0, 0x7d, 0xec, 0x3a, 0xdc, 0x4d, 0x20, 0x79, 0xee, 0x5f, 0x3e, 0xd7, 0xcb, 0x39, 0x48,
]);

/** System parameter FK (GB/T 32907-2016 §7.3). */
const FK = /* @__PURE__ */ Object.freeze([0xa3b1bac6, 0x56aa3350, 0x677d9197, 0xb27022dc] as const);

const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));

// T-tables: T0[a] = L(Sbox(a) << 24); T1..T3 are T0 rotated right by 8/16/24 bits, so that
// T(x) = L(τ(x)) = T0[x>>>24] ^ T1[(x>>>16)&255] ^ T2[(x>>>8)&255] ^ T3[x&255]. Built lazily on first use.
let T0: Int32Array | undefined;
let T1: Int32Array = new Int32Array(0);
let T2: Int32Array = T1;
let T3: Int32Array = T1;

function initTables(): void {
  if (T0) return;
  const t0 = new Int32Array(256);
  const t1 = new Int32Array(256);
  const t2 = new Int32Array(256);
  const t3 = new Int32Array(256);
  for (let a = 0; a < 256; a++) {
    const b = SBOX[a]! << 24;
    // L(B) = B ^ (B <<< 2) ^ (B <<< 10) ^ (B <<< 18) ^ (B <<< 24)   (§6.2)
    const l = b ^ rotl(b, 2) ^ rotl(b, 10) ^ rotl(b, 18) ^ rotl(b, 24);
    t0[a] = l;
    t1[a] = rotl(l, 24);
    t2[a] = rotl(l, 16);
    t3[a] = rotl(l, 8);
  }
  T1 = t1;
  T2 = t2;
  T3 = t3;
  T0 = t0;
}

/** τ then L' (key schedule, §7.3): L'(B) = B ^ (B <<< 13) ^ (B <<< 23). */
function tPrime(x: number): number {
  const b =
    (SBOX[x >>> 24]! << 24) | (SBOX[(x >>> 16) & 255]! << 16) | (SBOX[(x >>> 8) & 255]! << 8) | SBOX[x & 255]!;
  return b ^ rotl(b, 13) ^ rotl(b, 23);
}

/** Expanded SM4 key: 32 encryption round keys and the same in reverse order for decryption. */
export interface _Sm4Key {
  readonly enc: Int32Array;
  readonly dec: Int32Array;
}

/**
 * Key expansion (GB/T 32907-2016 §7.3). Internal.
 * @param key - 16-byte key (validated by the caller)
 */
export function _expandKey(key: Uint8Array): _Sm4Key {
  initTables();
  const enc = new Int32Array(32);
  const dec = new Int32Array(32);
  let k0 = ((key[0]! << 24) | (key[1]! << 16) | (key[2]! << 8) | key[3]!) ^ FK[0];
  let k1 = ((key[4]! << 24) | (key[5]! << 16) | (key[6]! << 8) | key[7]!) ^ FK[1];
  let k2 = ((key[8]! << 24) | (key[9]! << 16) | (key[10]! << 8) | key[11]!) ^ FK[2];
  let k3 = ((key[12]! << 24) | (key[13]! << 16) | (key[14]! << 8) | key[15]!) ^ FK[3];
  for (let i = 0; i < 32; i++) {
    // CK_i bytes are (4i + j) * 7 mod 256, j = 0..3
    const c = 28 * i;
    const ck = (((c & 255) << 24) | (((c + 7) & 255) << 16) | (((c + 14) & 255) << 8) | ((c + 21) & 255)) >>> 0;
    const rk = k0 ^ tPrime(k1 ^ k2 ^ k3 ^ ck);
    enc[i] = rk;
    dec[31 - i] = rk;
    k0 = k1;
    k1 = k2;
    k2 = k3;
    k3 = rk;
  }
  return { enc, dec };
}

/** Output of {@link cryptWords}: the four output words Y0..Y3 (big-endian word order of the block). */
const OUT = /* @__PURE__ */ new Int32Array(4);

/**
 * The 32 rounds + reverse transform R on one block given as 4 words; result in `OUT`. Internal, hot.
 * Encryption with `rk = key.enc`, decryption with `rk = key.dec` (§7.1, §7.2).
 */
function cryptWords(rk: Int32Array, x0: number, x1: number, x2: number, x3: number): void {
  const t0 = T0!;
  const t1 = T1;
  const t2 = T2;
  const t3 = T3;
  let t: number;
  // 32 rounds fully unrolled (constant round-key offsets, no loop bookkeeping)
  t = x1 ^ x2 ^ x3 ^ rk[0]!;
  x0 ^= t0[t >>> 24]! ^ t1[(t >>> 16) & 255]! ^ t2[(t >>> 8) & 255]! ^ t3[t & 255]!;
  t = x2 ^ x3 ^ x0 ^ rk[1]!;
  x1 ^= t0[t >>> 24]! ^ t1[(t >>> 16) & 255]! ^ t2[(t >>> 8) & 255]! ^ t3[t & 255]!;
  t = x3 ^ x0 ^ x1 ^ rk[2]!;
  x2 ^= t0[t >>> 24]! ^ t1[(t >>> 16) & 255]! ^ t2[(t >>> 8) & 255]! ^ t3[t & 255]!;
  t = x0 ^ x1 ^ x2 ^ rk[3]!;
  x3 ^= t0[t >>> 24]! ^ t1[(t >>> 16) & 255]! ^ t2[(t >>> 8) & 255]! ^ t3[t & 255]!;
  t = x1 ^ x2 ^ x3 ^ rk[4]!;
  x0 ^= t0[t >>> 24]! ^ t1[(t >>> 16) & 255]! ^ t2[(t >>> 8) & 255]! ^ t3[t & 255]!;
  t = x2 ^ x3 ^ x0 ^ rk[5]!;
  x1 ^= t0[t >>> 24]! ^ t1[(t >>> 16) & 255]! ^ t2[(t >>> 8) & 255]! ^ t3[t & 255]!;
  t = x3 ^ x0 ^ x1 ^ rk[6]!;
  x2 ^= t0[t >>> 24]! ^ t1[(t >>> 16) & 255]! ^ t2[(t >>> 8) & 255]! ^ t3[t & 255]!;
  t = x0 ^ x1 ^ x2 ^ rk[7]!;
  x3 ^= t0[t >>> 24]! ^ t1[(t >>> 16) & 255]! ^ t2[(t >>> 8) & 255]! ^ t3[t & 255]!;
  t = x1 ^ x2 ^ x3 ^ rk[8]!;
  x0 ^= t0[t >>> 24]! ^ t1[(t >>> 16) & 255]! ^ t2[(t >>> 8) & 255]! ^ t3[t & 255]!;
  t = x2 ^ x3 ^ x0 ^ rk[9]!;
  x1 ^= t0[t >>> 24]! ^ t1[(t >>> 16) & 255]! ^ t2[(t >>> 8) & 255]! ^ t3[t & 255]!;
  t = x3 ^ x0 ^ x1 ^ rk[10]!;
  x2 ^= t0[t >>> 24]! ^ t1[(t >>> 16) & 255]! ^ t2[(t >>> 8) & 255]! ^ t3[t & 255]!;
  t = x0 ^ x1 ^ x2 ^ rk[11]!;
  x3 ^= t0[t >>> 24]! ^ t1[(t >>> 16) & 255]! ^ t2[(t >>> 8) & 255]! ^ t3[t & 255]!;
  t = x1 ^ x2 ^ x3 ^ rk[12]!;
  x0 ^= t0[t >>> 24]! ^ t1[(t >>> 16) & 255]! ^ t2[(t >>> 8) & 255]! ^ t3[t & 255]!;
  t = x2 ^ x3 ^ x0 ^ rk[13]!;
  x1 ^= t0[t >>> 24]! ^ t1[(t >>> 16) & 255]! ^ t2[(t >>> 8) & 255]! ^ t3[t & 255]!;
  t = x3 ^ x0 ^ x1 ^ rk[14]!;
  x2 ^= t0[t >>> 24]! ^ t1[(t >>> 16) & 255]! ^ t2[(t >>> 8) & 255]! ^ t3[t & 255]!;
  t = x0 ^ x1 ^ x2 ^ rk[15]!;
  x3 ^= t0[t >>> 24]! ^ t1[(t >>> 16) & 255]! ^ t2[(t >>> 8) & 255]! ^ t3[t & 255]!;
  t = x1 ^ x2 ^ x3 ^ rk[16]!;
  x0 ^= t0[t >>> 24]! ^ t1[(t >>> 16) & 255]! ^ t2[(t >>> 8) & 255]! ^ t3[t & 255]!;
  t = x2 ^ x3 ^ x0 ^ rk[17]!;
  x1 ^= t0[t >>> 24]! ^ t1[(t >>> 16) & 255]! ^ t2[(t >>> 8) & 255]! ^ t3[t & 255]!;
  t = x3 ^ x0 ^ x1 ^ rk[18]!;
  x2 ^= t0[t >>> 24]! ^ t1[(t >>> 16) & 255]! ^ t2[(t >>> 8) & 255]! ^ t3[t & 255]!;
  t = x0 ^ x1 ^ x2 ^ rk[19]!;
  x3 ^= t0[t >>> 24]! ^ t1[(t >>> 16) & 255]! ^ t2[(t >>> 8) & 255]! ^ t3[t & 255]!;
  t = x1 ^ x2 ^ x3 ^ rk[20]!;
  x0 ^= t0[t >>> 24]! ^ t1[(t >>> 16) & 255]! ^ t2[(t >>> 8) & 255]! ^ t3[t & 255]!;
  t = x2 ^ x3 ^ x0 ^ rk[21]!;
  x1 ^= t0[t >>> 24]! ^ t1[(t >>> 16) & 255]! ^ t2[(t >>> 8) & 255]! ^ t3[t & 255]!;
  t = x3 ^ x0 ^ x1 ^ rk[22]!;
  x2 ^= t0[t >>> 24]! ^ t1[(t >>> 16) & 255]! ^ t2[(t >>> 8) & 255]! ^ t3[t & 255]!;
  t = x0 ^ x1 ^ x2 ^ rk[23]!;
  x3 ^= t0[t >>> 24]! ^ t1[(t >>> 16) & 255]! ^ t2[(t >>> 8) & 255]! ^ t3[t & 255]!;
  t = x1 ^ x2 ^ x3 ^ rk[24]!;
  x0 ^= t0[t >>> 24]! ^ t1[(t >>> 16) & 255]! ^ t2[(t >>> 8) & 255]! ^ t3[t & 255]!;
  t = x2 ^ x3 ^ x0 ^ rk[25]!;
  x1 ^= t0[t >>> 24]! ^ t1[(t >>> 16) & 255]! ^ t2[(t >>> 8) & 255]! ^ t3[t & 255]!;
  t = x3 ^ x0 ^ x1 ^ rk[26]!;
  x2 ^= t0[t >>> 24]! ^ t1[(t >>> 16) & 255]! ^ t2[(t >>> 8) & 255]! ^ t3[t & 255]!;
  t = x0 ^ x1 ^ x2 ^ rk[27]!;
  x3 ^= t0[t >>> 24]! ^ t1[(t >>> 16) & 255]! ^ t2[(t >>> 8) & 255]! ^ t3[t & 255]!;
  t = x1 ^ x2 ^ x3 ^ rk[28]!;
  x0 ^= t0[t >>> 24]! ^ t1[(t >>> 16) & 255]! ^ t2[(t >>> 8) & 255]! ^ t3[t & 255]!;
  t = x2 ^ x3 ^ x0 ^ rk[29]!;
  x1 ^= t0[t >>> 24]! ^ t1[(t >>> 16) & 255]! ^ t2[(t >>> 8) & 255]! ^ t3[t & 255]!;
  t = x3 ^ x0 ^ x1 ^ rk[30]!;
  x2 ^= t0[t >>> 24]! ^ t1[(t >>> 16) & 255]! ^ t2[(t >>> 8) & 255]! ^ t3[t & 255]!;
  t = x0 ^ x1 ^ x2 ^ rk[31]!;
  x3 ^= t0[t >>> 24]! ^ t1[(t >>> 16) & 255]! ^ t2[(t >>> 8) & 255]! ^ t3[t & 255]!;
  OUT[0] = x3;
  OUT[1] = x2;
  OUT[2] = x1;
  OUT[3] = x0;
}

const rd = (b: Uint8Array, o: number): number => (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
function wr(b: Uint8Array, o: number, w: number): void {
  b[o] = w >>> 24;
  b[o + 1] = w >>> 16;
  b[o + 2] = w >>> 8;
  b[o + 3] = w;
}

/**
 * ECB over whole blocks (internal: known-answer tests and CBC-MAC only; never exported as a mode).
 * @param decrypt - use the decryption round keys
 */
export function _ecb(k: _Sm4Key, data: Uint8Array, out: Uint8Array, decrypt = false): void {
  const rk = decrypt ? k.dec : k.enc;
  for (let o = 0; o + 16 <= data.length; o += 16) {
    cryptWords(rk, rd(data, o), rd(data, o + 4), rd(data, o + 8), rd(data, o + 12));
    wr(out, o, OUT[0]!);
    wr(out, o + 4, OUT[1]!);
    wr(out, o + 8, OUT[2]!);
    wr(out, o + 12, OUT[3]!);
  }
}

/** Encrypts one 16-byte block in place with expanded key `k` (internal). */
export function _encryptBlockInPlace(k: _Sm4Key, block: Uint8Array): void {
  _ecb(k, block, block, false);
}

/**
 * CTR keystream XOR. `wordBits = 128` increments the whole counter block (big-endian); `32` increments only the
 * last 32 bits (GCM `inc32`). `counter` (16 bytes) is advanced in place past the blocks used.
 */
export function _ctr(k: _Sm4Key, counter: Uint8Array, data: Uint8Array, out: Uint8Array, wordBits: 32 | 128): void {
  const rk = k.enc;
  let c0 = rd(counter, 0);
  let c1 = rd(counter, 4);
  let c2 = rd(counter, 8);
  let c3 = rd(counter, 12);
  const n = data.length;
  const full = n - (n % 16);
  let o = 0;
  for (; o < full; o += 16) {
    cryptWords(rk, c0, c1, c2, c3);
    const y0 = OUT[0]!;
    const y1 = OUT[1]!;
    const y2 = OUT[2]!;
    const y3 = OUT[3]!;
    wr(out, o, rd(data, o) ^ y0);
    wr(out, o + 4, rd(data, o + 4) ^ y1);
    wr(out, o + 8, rd(data, o + 8) ^ y2);
    wr(out, o + 12, rd(data, o + 12) ^ y3);
    c3 = (c3 + 1) | 0;
    if (c3 === 0 && wordBits === 128) {
      c2 = (c2 + 1) | 0;
      if (c2 === 0) {
        c1 = (c1 + 1) | 0;
        if (c1 === 0) c0 = (c0 + 1) | 0;
      }
    }
  }
  if (o < n) {
    cryptWords(rk, c0, c1, c2, c3);
    const ks = new Uint8Array(16);
    wr(ks, 0, OUT[0]!);
    wr(ks, 4, OUT[1]!);
    wr(ks, 8, OUT[2]!);
    wr(ks, 12, OUT[3]!);
    for (let i = 0; o + i < n; i++) out[o + i] = data[o + i]! ^ ks[i]!;
    ks.fill(0);
    c3 = (c3 + 1) | 0;
    if (c3 === 0 && wordBits === 128) {
      c2 = (c2 + 1) | 0;
      if (c2 === 0) {
        c1 = (c1 + 1) | 0;
        if (c1 === 0) c0 = (c0 + 1) | 0;
      }
    }
  }
  wr(counter, 0, c0);
  wr(counter, 4, c1);
  wr(counter, 8, c2);
  wr(counter, 12, c3);
}

/** CBC encryption of whole blocks; `iv` is not modified. */
export function _cbcEncrypt(k: _Sm4Key, iv: Uint8Array, data: Uint8Array, out: Uint8Array): void {
  const rk = k.enc;
  let y0 = rd(iv, 0);
  let y1 = rd(iv, 4);
  let y2 = rd(iv, 8);
  let y3 = rd(iv, 12);
  for (let o = 0; o + 16 <= data.length; o += 16) {
    cryptWords(rk, y0 ^ rd(data, o), y1 ^ rd(data, o + 4), y2 ^ rd(data, o + 8), y3 ^ rd(data, o + 12));
    y0 = OUT[0]!;
    y1 = OUT[1]!;
    y2 = OUT[2]!;
    y3 = OUT[3]!;
    wr(out, o, y0);
    wr(out, o + 4, y1);
    wr(out, o + 8, y2);
    wr(out, o + 12, y3);
  }
}

function cbcDecryptBlocks(k: _Sm4Key, iv: Uint8Array, data: Uint8Array, out: Uint8Array): void {
  const rk = k.dec;
  let p0 = rd(iv, 0);
  let p1 = rd(iv, 4);
  let p2 = rd(iv, 8);
  let p3 = rd(iv, 12);
  for (let o = 0; o + 16 <= data.length; o += 16) {
    const c0 = rd(data, o);
    const c1 = rd(data, o + 4);
    const c2 = rd(data, o + 8);
    const c3 = rd(data, o + 12);
    cryptWords(rk, c0, c1, c2, c3);
    wr(out, o, OUT[0]! ^ p0);
    wr(out, o + 4, OUT[1]! ^ p1);
    wr(out, o + 8, OUT[2]! ^ p2);
    wr(out, o + 12, OUT[3]! ^ p3);
    p0 = c0;
    p1 = c1;
    p2 = c2;
    p3 = c3;
  }
}

/**
 * Checks PKCS#7 padding of the last block without data-dependent branches; returns the unpadded length or -1.
 * @internal
 */
export function _pkcs7Unpad(buf: Uint8Array): number {
  const n = buf.length;
  if (n === 0 || n % 16 !== 0) return -1;
  const p = buf[n - 1]!;
  // bad = 1 when p == 0 or p > 16
  let bad = ((p - 1) >>> 31) | ((16 - p) >>> 31);
  for (let i = 1; i <= 16; i++) {
    // inPad = all-ones when i <= p
    const inPad = -(((i - p - 1) >>> 31) & 1) & 0xff;
    bad |= (buf[n - i]! ^ p) & inPad;
  }
  const ok = ((bad | -bad) >>> 31) ^ 1; // 1 when bad == 0
  return ok ? n - p : -1;
}

/** A block-cipher mode instance: `encrypt` and `decrypt` are independent single-shot calls. */
export interface Sm4Cipher {
  /** Encrypts `data` (CBC adds PKCS#7 padding; GCM/CCM append the 16-byte tag). */
  encrypt(data: Uint8Array): Uint8Array;
  /** Decrypts `data`; throws {@link DecryptError} for any authentication/padding/length failure. */
  decrypt(data: Uint8Array): Uint8Array;
}

function checkKey(key: unknown): Uint8Array {
  return abytes(key, 16, 'key');
}

function optAad(aad: unknown): Uint8Array {
  return aad === undefined ? new Uint8Array(0) : abytes(aad, undefined, 'aad');
}

/** Portable GCM core: H = E_K(0^128), GCTR with inc32. */
export function _gcmCore(k: _Sm4Key): GcmCore {
  return {
    hashKey: () => {
      const h = new Uint8Array(16);
      _encryptBlockInPlace(k, h);
      return h;
    },
    gctr: (j0, data, out) => {
      const mask = j0.slice();
      _encryptBlockInPlace(k, mask);
      const c = j0.slice();
      _inc32(c);
      _ctr(k, c, data, out, 32);
      return mask;
    },
  };
}

/** GCM inc32 on a 16-byte counter block, in place. */
export function _inc32(c: Uint8Array): void {
  const w = (rd(c, 12) + 1) | 0;
  wr(c, 12, w);
}

export function _ccmCore(k: _Sm4Key): CcmCore {
  return {
    cbcMac: (data, out) => {
      const iv = new Uint8Array(16);
      const tmp = new Uint8Array(data.length);
      _cbcEncrypt(k, iv, data, tmp);
      out.set(tmp.subarray(tmp.length - 16));
      tmp.fill(0);
    },
    ctr: (counter, data, out) => _ctr(k, counter.slice(), data, out, 128),
  };
}

/** Validates and builds GCM inputs shared by the portable and Node paths. */
export function _gcmArgs(key: unknown, nonce: unknown, aad: unknown): { key: Uint8Array; nonce: Uint8Array; aad: Uint8Array } {
  return { key: checkKey(key), nonce: abytesRange(nonce, 1, 1 << 16, 'nonce'), aad: optAad(aad) };
}

/** Validates CCM inputs (RFC 8998 uses 12-byte nonces; SP 800-38C allows 7..13). */
export function _ccmArgs(key: unknown, nonce: unknown, aad: unknown): { key: Uint8Array; nonce: Uint8Array; aad: Uint8Array } {
  return { key: checkKey(key), nonce: abytesRange(nonce, 7, 13, 'nonce'), aad: optAad(aad) };
}

/** Validates CBC/CTR inputs. */
export function _ivArgs(key: unknown, iv: unknown): { key: Uint8Array; iv: Uint8Array } {
  return { key: checkKey(key), iv: abytes(iv, 16, 'iv') };
}

/**
 * SM4-CBC with PKCS#7 padding (GB/T 32907-2016 + ISO/IEC 10116 CBC, RFC 5652 §6.3 padding). Unauthenticated:
 * prefer GCM/CCM. `decrypt` throws one generic {@link DecryptError} for bad length or bad padding.
 * @param key - 16-byte key
 * @param iv - 16-byte IV (unpredictable for each message)
 * @returns `{encrypt, decrypt}`
 * @throws {InputError} on a wrong key/iv
 * @example
 * ```ts
 * const ct = sm4.cbc(key, iv).encrypt(utf8ToBytes('hello'));
 * ```
 */
function cbc(key: Uint8Array, iv: Uint8Array): Sm4Cipher {
  const a = _ivArgs(key, iv);
  const iv0 = a.iv.slice();
  const k = _expandKey(a.key);
  return {
    encrypt(data: Uint8Array): Uint8Array {
      abytes(data, undefined, 'data');
      const p = 16 - (data.length % 16);
      const buf = new Uint8Array(data.length + p);
      buf.set(data);
      buf.fill(p, data.length);
      _cbcEncrypt(k, iv0, buf, buf);
      return buf;
    },
    decrypt(data: Uint8Array): Uint8Array {
      abytes(data, undefined, 'data');
      if (data.length === 0 || data.length % 16 !== 0) throw new DecryptError();
      const out = new Uint8Array(data.length);
      cbcDecryptBlocks(k, iv0, data, out);
      const n = _pkcs7Unpad(out);
      if (n < 0) {
        out.fill(0);
        throw new DecryptError();
      }
      return out.subarray(0, n);
    },
  };
}

/**
 * SM4-CTR (NIST SP 800-38A §6.5) with the whole 16-byte counter block incremented as a 128-bit big-endian integer
 * (as OpenSSL `sm4-ctr`). Unauthenticated: prefer GCM/CCM. Never reuse a (key, iv) pair.
 * @param key - 16-byte key
 * @param iv - 16-byte initial counter block
 * @returns `{encrypt, decrypt}` (the same operation)
 * @throws {InputError} on a wrong key/iv/data
 * @example
 * ```ts
 * const ct = sm4.ctr(key, iv).encrypt(data);
 * ```
 */
function ctr(key: Uint8Array, iv: Uint8Array): Sm4Cipher {
  const a = _ivArgs(key, iv);
  const iv0 = a.iv.slice();
  const k = _expandKey(a.key);
  const run = (data: Uint8Array): Uint8Array => {
    abytes(data, undefined, 'data');
    const out = new Uint8Array(data.length);
    _ctr(k, iv0.slice(), data, out, 128);
    return out;
  };
  return { encrypt: run, decrypt: run };
}

/**
 * SM4-GCM (RFC 8998 §3.1, NIST SP 800-38D): 16-byte tag appended to the ciphertext. 12-byte nonces are the
 * default and recommended; other lengths (1..65536 bytes) use the GHASH-derived J0 of SP 800-38D §7.1.
 * @param key - 16-byte key
 * @param nonce - nonce, 12 bytes recommended; never reuse with the same key
 * @param aad - optional associated data (authenticated, not encrypted)
 * @returns `{encrypt, decrypt}`; `decrypt` throws {@link DecryptError} on any authentication failure
 * @throws {InputError} on wrong argument types/lengths
 * @example
 * ```ts
 * const sealed = sm4.gcm(key, nonce, aad).encrypt(plaintext);
 * const opened = sm4.gcm(key, nonce, aad).decrypt(sealed);
 * ```
 */
export function _sm4GcmMode(key: Uint8Array, nonce: Uint8Array, aad?: Uint8Array): Sm4Cipher {
  const a = _gcmArgs(key, nonce, aad);
  return createGcm(_gcmCore(_expandKey(a.key)), a.nonce.slice(), a.aad.slice());
}

/**
 * SM4-CCM (RFC 8998 §3.2, NIST SP 800-38C) with a 16-byte tag. RFC 8998 uses 12-byte nonces; 7..13 are accepted.
 * @param key - 16-byte key
 * @param nonce - 7..13-byte nonce (12 recommended); never reuse with the same key
 * @param aad - optional associated data
 * @returns `{encrypt, decrypt}`; `decrypt` throws {@link DecryptError} on any authentication failure
 * @throws {InputError} on wrong argument types/lengths; {@link LimitError} when the message exceeds 2^(8q) bytes
 * @example
 * ```ts
 * const sealed = sm4.ccm(key, nonce).encrypt(plaintext);
 * ```
 */
export function _sm4CcmMode(key: Uint8Array, nonce: Uint8Array, aad?: Uint8Array): Sm4Cipher {
  const a = _ccmArgs(key, nonce, aad);
  return createCcm(_ccmCore(_expandKey(a.key)), a.nonce.slice(), a.aad.slice(), 16);
}

/**
 * Encrypts exactly one 16-byte block (the raw SM4 permutation, GB/T 32907-2016 §7.1). This is the block primitive
 * for building other constructions, not an encryption mode.
 * @param key - 16-byte key
 * @param block - 16-byte block
 * @returns the 16-byte ciphertext block
 * @throws {InputError} on wrong lengths
 * @example
 * ```ts
 * sm4.encryptBlock(hexToBytes('0123456789abcdeffedcba9876543210'), hexToBytes('0123456789abcdeffedcba9876543210'));
 * // 681edf34d206965e86b3e94f536e4246
 * ```
 */
function encryptBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  const k = _expandKey(checkKey(key));
  const out = new Uint8Array(16);
  _ecb(k, abytes(block, 16, 'block'), out, false);
  return out;
}

/**
 * Decrypts exactly one 16-byte block (GB/T 32907-2016 §7.2).
 * @param key - 16-byte key
 * @param block - 16-byte ciphertext block
 * @returns the 16-byte plaintext block
 * @throws {InputError} on wrong lengths
 * @example
 * ```ts
 * sm4.decryptBlock(key, sm4.encryptBlock(key, block)); // block
 * ```
 */
function decryptBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  const k = _expandKey(checkKey(key));
  const out = new Uint8Array(16);
  _ecb(k, abytes(block, 16, 'block'), out, true);
  return out;
}

/** Shape of the `sm4` bundle (identical on the portable and Node paths). */
export interface Sm4 {
  /** Block size in bytes. */
  readonly blockSize: 16;
  /** Key size in bytes. */
  readonly keyLength: 16;
  /** Encrypts one 16-byte block (GB/T 32907-2016 §7.1). Not a mode. */
  readonly encryptBlock: (key: Uint8Array, block: Uint8Array) => Uint8Array;
  /** Decrypts one 16-byte block (GB/T 32907-2016 §7.2). */
  readonly decryptBlock: (key: Uint8Array, block: Uint8Array) => Uint8Array;
  /** CBC with PKCS#7 padding; 16-byte IV. Unauthenticated. */
  readonly cbc: (key: Uint8Array, iv: Uint8Array) => Sm4Cipher;
  /** CTR with a 128-bit big-endian counter; 16-byte initial counter block. Unauthenticated. */
  readonly ctr: (key: Uint8Array, iv: Uint8Array) => Sm4Cipher;
  /** GCM (RFC 8998 §3.1), 16-byte tag appended; 12-byte nonce recommended. */
  readonly gcm: (key: Uint8Array, nonce: Uint8Array, aad?: Uint8Array) => Sm4Cipher;
  /** CCM (RFC 8998 §3.2), 16-byte tag appended; 7..13-byte nonce (12 in RFC 8998). */
  readonly ccm: (key: Uint8Array, nonce: Uint8Array, aad?: Uint8Array) => Sm4Cipher;
}

/**
 * SM4 (GB/T 32907-2016): 128-bit block, 128-bit key. Modes `cbc`, `ctr`, `gcm` (RFC 8998), `ccm` (RFC 8998) and
 * the single-block primitive. Pure TypeScript; the `"node"` export condition substitutes native CBC/CTR and
 * native-CTR + GHASH for GCM.
 * @example
 * ```ts
 * import { sm4, randomBytes } from '@privkit/core';
 * const key = randomBytes(16), nonce = randomBytes(12);
 * const sealed = sm4.gcm(key, nonce).encrypt(data);
 * ```
 */
export const sm4: Sm4 = /* @__PURE__ */ Object.freeze({
  blockSize: 16,
  keyLength: 16,
  encryptBlock,
  decryptBlock,
  cbc,
  ctr,
  gcm: _sm4GcmMode,
  ccm: _sm4CcmMode,
} as const);
