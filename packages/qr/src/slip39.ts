/**
 * SLIP-0039 Shamir mnemonics (satoshilabs SLIP-0039): a second, interoperable share encoding — two-level
 * (groups of members) Shamir sharing over GF(2^8) with the digest share at x = 254 and the secret at x = 255,
 * the 4-round PBKDF2-SHA256 Feistel encryption of the master secret, and RS1024-checksummed 10-bit words.
 * Written from the specification; checked against all 45 trezor/python-shamir-mnemonic vectors.
 * SLIP-0039 words are letters and spaces, so an upper-cased mnemonic fits QR alphanumeric mode.
 * @module
 */
import { hmac } from '@noble/hashes/hmac.js';
import { pbkdf2 } from '@noble/hashes/pbkdf2.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { abool, abytes, aobject, anumber, astring, concatBytes, equalBytes, InputError, isBytes, LimitError, randomBytes, utf8ToBytes } from '@privkit/core';
import { SLIP39_WORDS } from './_slip39-wordlist.js';
import { QrFormatError, ShareError } from './errors.js';
import { _symbol, type EccLevel, type QrFrame } from './qr.js';

const RADIX_BITS = 10;
const ID_BITS = 15;
const METADATA_WORDS = 7;
const MIN_WORDS = 20;
const CHECKSUM_WORDS = 3;
const DIGEST_INDEX = 254;
const SECRET_INDEX = 255;
const DIGEST_LENGTH = 4;
const ROUNDS = 4;
const BASE_ITERATIONS = 10000;

let wordlist: readonly string[] | undefined;
let wordIndex: Map<string, number> | undefined;
function words(): readonly string[] {
  wordlist ??= Object.freeze(SLIP39_WORDS.split(' '));
  return wordlist;
}
function indexOf(w: string): number | undefined {
  wordIndex ??= new Map(words().map((x, i) => [x, i]));
  return wordIndex.get(w);
}

// ---- GF(2^8), Rijndael polynomial x^8 + x^4 + x^3 + x + 1 (SLIP-0039 §"Shamir's secret sharing") ----
let EXP: Uint8Array | undefined;
let LOG: Uint8Array | undefined;
function tables(): [Uint8Array, Uint8Array] {
  if (!EXP || !LOG) {
    EXP = new Uint8Array(255);
    LOG = new Uint8Array(256);
    let p = 1;
    for (let i = 0; i < 255; i++) {
      EXP[i] = p;
      LOG[p] = i;
      p ^= (p << 1) ^ (p & 0x80 ? 0x11b : 0); // multiply by the generator 3
      p &= 0xff;
    }
  }
  return [EXP, LOG];
}

/** Lagrange interpolation at x of the points (xs[i], ys[i]) over GF(2^8). Not constant-time (table lookups). */
function interpolate(points: readonly { x: number; data: Uint8Array }[], x: number): Uint8Array {
  const hit = points.find((p) => p.x === x);
  if (hit) return hit.data.slice();
  const [E, L] = tables();
  const len = points[0]!.data.length;
  const out = new Uint8Array(len);
  for (const pi of points) {
    // basis_i(x) = Π_{j≠i} (x − x_j) / (x_i − x_j); subtraction is xor
    let logBasis = 0;
    for (const pj of points) {
      if (pj === pi) continue;
      logBasis += L[x ^ pj.x]! - L[pi.x ^ pj.x]!;
    }
    logBasis = ((logBasis % 255) + 255) % 255;
    for (let k = 0; k < len; k++) {
      const y = pi.data[k]!;
      if (y !== 0) out[k]! ^= E[(L[y]! + logBasis) % 255]!;
    }
  }
  return out;
}

// ---- RS1024 checksum (SLIP-0039 §"Checksum") ----
const GEN = [0xe0e040, 0x1c1c080, 0x3838100, 0x7070200, 0xe0e0009, 0x1c0c2412, 0x38086c24, 0x3090fc48, 0x21b1f890, 0x3f3f120];
function polymod(values: Iterable<number>): number {
  let chk = 1;
  for (const v of values) {
    const b = chk >>> 20;
    chk = (((chk & 0xfffff) << 10) ^ v) >>> 0;
    for (let i = 0; i < 10; i++) if ((b >>> i) & 1) chk = (chk ^ GEN[i]!) >>> 0;
  }
  return chk;
}
const customization = (ext: boolean) => [...(ext ? 'shamir_extendable' : 'shamir')].map((c) => c.charCodeAt(0));
function checksumOk(ext: boolean, data: number[]): boolean {
  return polymod([...customization(ext), ...data]) === 1;
}
function checksumCreate(ext: boolean, data: number[]): number[] {
  const pm = polymod([...customization(ext), ...data, 0, 0, 0]) ^ 1;
  return [2, 1, 0].map((i) => (pm >>> (10 * i)) & 1023);
}

// ---- Feistel encryption of the master secret (SLIP-0039 §"Encryption of the master secret") ----
function roundFn(i: number, pass: Uint8Array, e: number, salt: Uint8Array, r: Uint8Array): Uint8Array {
  return pbkdf2(sha256, concatBytes(Uint8Array.of(i), pass), concatBytes(salt, r), { c: (BASE_ITERATIONS << e) / ROUNDS, dkLen: r.length });
}
function saltFor(id: number, ext: boolean): Uint8Array {
  return ext ? new Uint8Array(0) : concatBytes(utf8ToBytes('shamir'), Uint8Array.of(id >> 8, id & 0xff));
}
const xor = (a: Uint8Array, b: Uint8Array) => a.map((v, i) => v ^ b[i]!);
function feistel(data: Uint8Array, pass: Uint8Array, e: number, id: number, ext: boolean, decrypt: boolean): Uint8Array {
  const h = data.length / 2;
  let l = data.slice(0, h);
  let r = data.slice(h);
  const salt = saltFor(id, ext);
  for (let k = 0; k < ROUNDS; k++) {
    const i = decrypt ? ROUNDS - 1 - k : k;
    [l, r] = [r, xor(l, roundFn(i, pass, e, salt, r))];
  }
  return concatBytes(r, l);
}

/** A parsed SLIP-0039 share. @internal */
export interface Slip39Share {
  id: number;
  ext: boolean;
  e: number;
  groupIndex: number;
  groupThreshold: number;
  groupCount: number;
  memberIndex: number;
  memberThreshold: number;
  value: Uint8Array;
}

/** Parses and checks one mnemonic (words, length, RS1024, padding). @internal */
export function _parseSlip39(mnemonic: string, n = 1): Slip39Share {
  const ws = mnemonic.trim().toLowerCase().split(/\s+/);
  const idx = ws.map((w, i) => {
    const v = indexOf(w);
    if (v === undefined) throw new QrFormatError(`mnemonic ${n}: word ${i + 1} is not in the SLIP-0039 wordlist`, { code: 'QR_TEXT_INVALID' });
    return v;
  });
  if (idx.length < MIN_WORDS) throw new QrFormatError(`mnemonic ${n}: at least ${MIN_WORDS} words expected, got ${idx.length}`, { code: 'QR_MALFORMED' });
  const padding = (RADIX_BITS * (idx.length - METADATA_WORDS)) % 16;
  if (padding > 8) throw new QrFormatError(`mnemonic ${n}: invalid length ${idx.length}`, { code: 'QR_MALFORMED' });
  const ext = ((idx[1]! >> 4) & 1) === 1;
  if (!checksumOk(ext, idx)) throw new QrFormatError(`mnemonic ${n}: RS1024 checksum mismatch`, { code: 'QR_CHECKSUM' });
  const head = (BigInt(idx[0]!) << 30n) | (BigInt(idx[1]!) << 20n) | (BigInt(idx[2]!) << 10n) | BigInt(idx[3]!);
  const f = (shift: bigint, bits: bigint) => Number((head >> shift) & ((1n << bits) - 1n));
  const share: Slip39Share = {
    id: f(25n, 15n),
    ext,
    e: f(20n, 4n),
    groupIndex: f(16n, 4n),
    groupThreshold: f(12n, 4n) + 1,
    groupCount: f(8n, 4n) + 1,
    memberIndex: f(4n, 4n),
    memberThreshold: f(0n, 4n) + 1,
    value: new Uint8Array(0),
  };
  if (share.groupThreshold > share.groupCount) {
    throw new QrFormatError(`mnemonic ${n}: group threshold cannot exceed the group count`, { code: 'QR_MALFORMED' });
  }
  const valueWords = idx.slice(4, idx.length - CHECKSUM_WORDS);
  let v = 0n;
  for (const w of valueWords) v = (v << 10n) | BigInt(w);
  const bytes = (RADIX_BITS * valueWords.length - padding) / 8;
  if (v >> BigInt(8 * bytes) !== 0n) throw new QrFormatError(`mnemonic ${n}: invalid padding`, { code: 'QR_MALFORMED' });
  const value = new Uint8Array(bytes);
  for (let i = bytes - 1; i >= 0; i--) {
    value[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  share.value = value;
  return share;
}

function recoverSecret(threshold: number, points: { x: number; data: Uint8Array }[]): Uint8Array {
  if (threshold === 1) return points[0]!.data.slice();
  const secret = interpolate(points, SECRET_INDEX);
  const digestShare = interpolate(points, DIGEST_INDEX);
  const digest = digestShare.subarray(0, DIGEST_LENGTH);
  const randomPart = digestShare.subarray(DIGEST_LENGTH);
  if (!equalBytes(digest, hmac(sha256, randomPart, secret).subarray(0, DIGEST_LENGTH))) {
    throw new ShareError('invalid digest of the shared secret (wrong or corrupted share)', { code: 'SHARE_INTEGRITY' });
  }
  return secret;
}

function passBytes(p: unknown): Uint8Array {
  if (p === undefined) return new Uint8Array(0);
  if (typeof p === 'string') {
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i);
      if (c < 32 || c > 126) throw new InputError('"passphrase" expected printable ASCII (SLIP-0039 §"Passphrase")', { code: 'INVALID_VALUE' });
    }
    return utf8ToBytes(p);
  }
  if (isBytes(p)) return p;
  throw new InputError(`"passphrase" expected string or Uint8Array, got type=${p === null ? 'null' : typeof p}`, { code: 'INVALID_TYPE' });
}

/**
 * Recovers the master secret from SLIP-0039 mnemonics (SLIP-0039 §"Combining shares"): exactly the group threshold
 * of groups, each with exactly its member threshold of mnemonics, in any order (identical duplicates are ignored).
 * @param mnemonics - the mnemonics (words separated by whitespace, any case)
 * @param passphrase - optional printable-ASCII passphrase (default '')
 * @returns the master secret
 * @throws {InputError} for wrong argument types
 * @throws {QrFormatError} QR_TEXT_INVALID (unknown word), QR_MALFORMED (length, padding, parameters), QR_CHECKSUM (RS1024)
 * @param options - `{maxIterationExponent = DEFAULT_MAX_ITERATION_EXPONENT}`: the largest PBKDF2 cost exponent a
 *   mnemonic may demand (the exponent travels in the mnemonic, so whoever wrote it chooses the cost)
 * @throws {ShareError} SHARE_GROUP_MISMATCH (different sets or parameters), SHARE_DUPLICATE (one index, two values),
 *   SHARE_TOO_FEW (wrong number of groups or members), SHARE_INTEGRITY (invalid digest)
 * @throws {LimitError} LIMIT_EXCEEDED when the iteration exponent exceeds `maxIterationExponent` (checked before any
 *   key derivation)
 * @example slip39Combine([m1, m3], 'TREZOR')
 */
export function slip39Combine(mnemonics: readonly string[], passphrase?: string | Uint8Array, options?: Slip39CombineOptions): Uint8Array {
  if (!Array.isArray(mnemonics)) throw new InputError('"mnemonics" expected array of strings', { code: 'INVALID_TYPE' });
  const o = aobject<Slip39CombineOptions>(options, 'options') ?? {};
  const maxE = anumber(o.maxIterationExponent === undefined ? DEFAULT_MAX_ITERATION_EXPONENT : o.maxIterationExponent, 'maxIterationExponent', 0, 15);
  if (mnemonics.length === 0) throw new ShareError('no mnemonics given', { code: 'SHARE_TOO_FEW' });
  const pass = passBytes(passphrase);
  const shares = mnemonics.map((m, i) => _parseSlip39(astring(m, `mnemonics[${i}]`, 4096), i + 1));
  const s0 = shares[0]!;
  for (const s of shares) {
    if (s.id !== s0.id || s.ext !== s0.ext || s.e !== s0.e || s.groupThreshold !== s0.groupThreshold || s.groupCount !== s0.groupCount) {
      throw new ShareError('mnemonics belong to different share sets (identifier, iteration exponent or group parameters differ)', { code: 'SHARE_GROUP_MISMATCH' });
    }
  }
  if (s0.e > maxE) {
    throw new LimitError(`iteration exponent ${s0.e} (${BASE_ITERATIONS << s0.e} PBKDF2 iterations) exceeds maxIterationExponent ${maxE}`);
  }
  if (s0.value.length < 16 || s0.value.length % 2 !== 0) {
    throw new QrFormatError(`master secret length ${s0.value.length * 8} bits is not a multiple of 16 of at least 128`, { code: 'QR_MALFORMED' });
  }
  const groups = new Map<number, Slip39Share[]>();
  for (const s of shares) {
    const g = groups.get(s.groupIndex) ?? [];
    if (g.length && g[0]!.memberThreshold !== s.memberThreshold) throw new ShareError(`group ${s.groupIndex}: member thresholds differ`, { code: 'SHARE_GROUP_MISMATCH' });
    if (g.some((o) => o.value.length !== s.value.length)) throw new ShareError('share values differ in length', { code: 'SHARE_GROUP_MISMATCH' });
    const same = g.find((o) => o.memberIndex === s.memberIndex);
    if (same) {
      if (!equalBytes(same.value, s.value)) throw new ShareError(`group ${s.groupIndex}: member index ${s.memberIndex} used twice`, { code: 'SHARE_DUPLICATE' });
      continue;
    }
    g.push(s);
    groups.set(s.groupIndex, g);
  }
  if (groups.size < s0.groupThreshold) throw new ShareError(`${groups.size} groups given, ${s0.groupThreshold} needed`, { code: 'SHARE_TOO_FEW' });
  if (groups.size !== s0.groupThreshold) throw new ShareError(`exactly ${s0.groupThreshold} groups expected, got ${groups.size}`, { code: 'SHARE_TOO_FEW' });
  const groupPoints = [...groups.entries()].map(([gi, g]) => {
    if (g.length !== g[0]!.memberThreshold) {
      throw new ShareError(`group ${gi}: exactly ${g[0]!.memberThreshold} mnemonics expected, got ${g.length}`, { code: 'SHARE_TOO_FEW' });
    }
    return { x: gi, data: recoverSecret(g[0]!.memberThreshold, g.map((s) => ({ x: s.memberIndex, data: s.value }))) };
  });
  const ems = recoverSecret(s0.groupThreshold, groupPoints);
  return feistel(ems, pass, s0.e, s0.id, s0.ext, true);
}

function splitSecretRaw(threshold: number, count: number, secret: Uint8Array): { x: number; data: Uint8Array }[] {
  if (threshold === 1) return Array.from({ length: count }, (_, i) => ({ x: i, data: secret.slice() }));
  const randomCount = threshold - 2;
  const shares = Array.from({ length: randomCount }, (_, i) => ({ x: i, data: randomBytes(secret.length) }));
  const randomPart = randomBytes(secret.length - DIGEST_LENGTH);
  const digest = hmac(sha256, randomPart, secret).subarray(0, DIGEST_LENGTH);
  const base = [...shares, { x: DIGEST_INDEX, data: concatBytes(digest, randomPart) }, { x: SECRET_INDEX, data: secret }];
  for (let i = randomCount; i < count; i++) shares.push({ x: i, data: interpolate(base, i) });
  return shares;
}

/** Mnemonic words of one share (SLIP-0039 §"Format of the share mnemonic"). @internal */
export function _encodeMnemonic(s: Slip39Share): string {
  const bits = s.value.length * 8;
  const valueWords = Math.ceil(bits / RADIX_BITS);
  let acc = BigInt(s.id);
  const push = (v: number, n: number) => (acc = (acc << BigInt(n)) | BigInt(v));
  push(s.ext ? 1 : 0, 1);
  push(s.e, 4);
  push(s.groupIndex, 4);
  push(s.groupThreshold - 1, 4);
  push(s.groupCount - 1, 4);
  push(s.memberIndex, 4);
  push(s.memberThreshold - 1, 4);
  let v = 0n;
  for (const b of s.value) v = (v << 8n) | BigInt(b);
  acc = (acc << BigInt(valueWords * RADIX_BITS)) | v;
  const n = 4 + valueWords;
  const idx: number[] = [];
  for (let i = n - 1; i >= 0; i--) idx.push(Number((acc >> BigInt(i * RADIX_BITS)) & 1023n));
  const all = [...idx, ...checksumCreate(s.ext, idx)];
  return all.map((i) => words()[i]!).join(' ');
}

/**
 * Default largest SLIP-0039 iteration exponent {@link slip39Combine} accepts: e = 5 is 320,000 PBKDF2-HMAC-SHA256
 * iterations (1069 ms in bench/suites/qr-hostile.ts on a loaded shared machine); each step doubles the cost.
 */
export const DEFAULT_MAX_ITERATION_EXPONENT = 5;

/** Options of {@link slip39Combine}. */
export interface Slip39CombineOptions {
  /** Largest iteration exponent accepted (0..15, default {@link DEFAULT_MAX_ITERATION_EXPONENT}). */
  maxIterationExponent?: number;
}

/** Options of {@link slip39Split}. */
export interface Slip39SplitOptions {
  /** Groups needed, 1..16 (default 1). */
  groupThreshold?: number;
  /** One `[memberThreshold, memberCount]` per group (1..16 each; a threshold of 1 requires a count of 1). */
  groups: readonly (readonly [number, number])[];
  /** Printable-ASCII passphrase (default ''). */
  passphrase?: string | Uint8Array;
  /** PBKDF2 cost exponent e: 10000·2^e iterations in total (0..15, default 1). */
  iterationExponent?: number;
  /** Extendable backup flag (SLIP-0039 2024 revision; default true). */
  extendable?: boolean;
}

/**
 * Splits a master secret into SLIP-0039 mnemonics (SLIP-0039 §"Generating the shares").
 * @param masterSecret - an even number of bytes, 16..256 (128-bit and 256-bit secrets are the common sizes)
 * @param options - `{groupThreshold, groups, passphrase, iterationExponent, extendable}`
 * @returns one array of mnemonics per group
 * @throws {InputError} for wrong types or parameters
 * @example
 * ```ts
 * const [[a, b, c]] = slip39Split(seed, { groups: [[2, 3]] });
 * slip39Combine([c, a]); // seed
 * ```
 */
export function slip39Split(masterSecret: Uint8Array, options: Slip39SplitOptions): string[][] {
  const ms = abytes(masterSecret, undefined, 'masterSecret');
  if (ms.length < 16 || ms.length % 2 !== 0 || ms.length > 256) {
    throw new InputError(`"masterSecret" expected an even length of 16..256 bytes, got length=${ms.length}`, { code: 'INVALID_LENGTH' });
  }
  const o = aobject<Slip39SplitOptions>(options, 'options', false)!;
  if (!Array.isArray(o.groups) || o.groups.length < 1 || o.groups.length > 16) {
    throw new InputError('"groups" expected 1..16 [threshold, count] pairs', { code: 'INVALID_VALUE' });
  }
  const groupThreshold = anumber(o.groupThreshold === undefined ? 1 : o.groupThreshold, 'groupThreshold', 1, o.groups.length);
  const groups = o.groups.map((g, i) => {
    if (!Array.isArray(g) || g.length !== 2) throw new InputError(`"groups[${i}]" expected [threshold, count]`, { code: 'INVALID_TYPE' });
    const n = anumber(g[1], `groups[${i}][1]`, 1, 16);
    const t = anumber(g[0], `groups[${i}][0]`, 1, n);
    if (t === 1 && n > 1) throw new InputError(`"groups[${i}]" 1-of-n member sharing is not allowed; use [1, 1]`, { code: 'INVALID_VALUE' });
    return [t, n] as const;
  });
  const e = anumber(o.iterationExponent === undefined ? 1 : o.iterationExponent, 'iterationExponent', 0, 15);
  const ext = o.extendable === undefined ? true : abool(o.extendable, 'extendable');
  const pass = passBytes(o.passphrase);
  const idBytes = randomBytes(2);
  const id = ((idBytes[0]! << 8) | idBytes[1]!) & ((1 << ID_BITS) - 1);
  const ems = feistel(ms, pass, e, id, ext, false);
  const groupShares = splitSecretRaw(groupThreshold, groups.length, ems);
  return groupShares.map((gs, gi) => {
    const [t, n] = groups[gi]!;
    return splitSecretRaw(t, n, gs.data).map((m) =>
      _encodeMnemonic({ id, ext, e, groupIndex: gs.x, groupThreshold, groupCount: groups.length, memberIndex: m.x, memberThreshold: t, value: m.data }),
    );
  });
}

/**
 * Renders one SLIP-0039 mnemonic as a QR symbol: upper-cased (letters and spaces fit QR alphanumeric mode), ECC Q.
 * `decodeQrImage` returns it as `{type: 'slip39', mnemonic}`.
 * @param mnemonic - a mnemonic from {@link slip39Split} (checked: words, length, checksum)
 * @param options - `{ecc}` (default 'Q')
 * @returns the frame
 * @throws {InputError} for wrong argument types
 * @throws {QrFormatError} for an invalid mnemonic
 * @example renderSvg(slip39ToQr(mnemonic))
 */
export function slip39ToQr(mnemonic: string, options?: { ecc?: EccLevel }): QrFrame {
  astring(mnemonic, 'mnemonic', 4096);
  const o = aobject<{ ecc?: EccLevel }>(options, 'options') ?? {};
  const ecc = o.ecc === undefined ? 'Q' : o.ecc;
  if (!['L', 'M', 'Q', 'H'].includes(ecc as string)) throw new InputError(`"ecc" expected one of L, M, Q, H`, { code: 'INVALID_VALUE' });
  _parseSlip39(mnemonic);
  const text = mnemonic.trim().toUpperCase().split(/\s+/).join(' ');
  return _symbol(text, 'slip39', ecc);
}
