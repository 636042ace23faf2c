/**
 * SM3 cryptographic hash (GB/T 32905-2016, ISO/IEC 10118-3:2018), pure TypeScript, as a noble-compatible `CHash`
 * built on `@noble/hashes`' Merkle–Damgård engine (`HashMD`).
 * @module
 */
import { HashMD } from '@noble/hashes/_md.js';
import { hmac } from '@noble/hashes/hmac.js';
import { type CHash, createHasher } from '@noble/hashes/utils.js';
import { InputError } from './errors.js';
import { abytes } from './validate.js';

/** SM3 initial value IV (GB/T 32905-2016 §4.1). */
const SM3_IV = /* @__PURE__ */ Object.freeze([
  0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e,
] as const);

/** Round constants pre-rotated: `T_j <<< (j mod 32)` (GB/T 32905-2016 §4.2, §5.3.3). */
const SM3_TR = /* @__PURE__ */ (() => {
  const t = new Uint32Array(64);
  for (let j = 0; j < 64; j++) {
    const T = j < 16 ? 0x79cc4519 : 0x7a879d8a;
    const s = j % 32;
    t[j] = s === 0 ? T : (T << s) | (T >>> (32 - s));
  }
  return t;
})();

/** Message expansion buffer W_0..W_67 (GB/T 32905-2016 §5.3.2), reused across blocks. */
const SM3_W = /* @__PURE__ */ new Uint32Array(68);

const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));

/** Incremental SM3 state (`sm3.create()`); `update`/`digest`/`clone`/`destroy` as in `@noble/hashes`. */
export class _SM3 extends HashMD<_SM3> {
  protected A = SM3_IV[0] | 0;
  protected B = SM3_IV[1] | 0;
  protected C = SM3_IV[2] | 0;
  protected D = SM3_IV[3] | 0;
  protected E = SM3_IV[4] | 0;
  protected F = SM3_IV[5] | 0;
  protected G = SM3_IV[6] | 0;
  protected H = SM3_IV[7] | 0;

  constructor() {
    super(64, 32, 8, false);
  }

  /**
   * Absorbs `data`.
   * @throws {InputError} when `data` is not a Uint8Array or the instance was finished/destroyed
   */
  override update(data: Uint8Array): this {
    abytes(data, undefined, 'data');
    if (this.destroyed || this.finished) {
      throw new InputError('SM3 instance was already finished or destroyed', { code: 'INVALID_VALUE' });
    }
    return super.update(data);
  }

  /**
   * Writes the digest into `out` (≥ 32 bytes).
   * @throws {InputError} when `out` is too short or the instance was finished/destroyed
   */
  override digestInto(out: Uint8Array): void {
    abytes(out, undefined, 'out');
    if (out.length < 32) {
      throw new InputError(`"out" expected Uint8Array of length >= 32, got length=${out.length}`, {
        code: 'INVALID_LENGTH',
      });
    }
    if (this.destroyed || this.finished) {
      throw new InputError('SM3 instance was already finished or destroyed', { code: 'INVALID_VALUE' });
    }
    super.digestInto(out);
  }

  protected get(): [number, number, number, number, number, number, number, number] {
    const { A, B, C, D, E, F, G, H } = this;
    return [A, B, C, D, E, F, G, H];
  }

  // prettier-ignore
  protected set(A: number, B: number, C: number, D: number, E: number, F: number, G: number, H: number): void {
    this.A = A | 0; this.B = B | 0; this.C = C | 0; this.D = D | 0;
    this.E = E | 0; this.F = F | 0; this.G = G | 0; this.H = H | 0;
  }

  _cloneInto(to?: _SM3): _SM3 {
    const t = to ?? new _SM3();
    t.set(...this.get());
    return this._cloneIntoMeta(t);
  }

  /** Compression function CF (GB/T 32905-2016 §5.3.3) with message expansion (§5.3.2). */
  protected process(view: DataView, offset: number): void {
    const W = SM3_W;
    const TR = SM3_TR;
    for (let i = 0; i < 16; i++, offset += 4) W[i] = view.getUint32(offset, false);
    for (let j = 16; j < 68; j++) {
      const x = W[j - 16]! ^ W[j - 9]! ^ rotl(W[j - 3]!, 15);
      W[j] = x ^ rotl(x, 15) ^ rotl(x, 23) ^ rotl(W[j - 13]!, 7) ^ W[j - 6]!;
    }
    let { A, B, C, D, E, F, G, H } = this;
    for (let j = 0; j < 16; j++) {
      const a12 = rotl(A, 12);
      const ss1 = rotl((a12 + E + TR[j]!) | 0, 7);
      const ss2 = ss1 ^ a12;
      const w = W[j]!;
      const tt1 = ((A ^ B ^ C) + D + ss2 + (w ^ W[j + 4]!)) | 0;
      const tt2 = ((E ^ F ^ G) + H + ss1 + w) | 0;
      D = C;
      C = rotl(B, 9);
      B = A;
      A = tt1;
      H = G;
      G = rotl(F, 19);
      F = E;
      E = tt2 ^ rotl(tt2, 9) ^ rotl(tt2, 17);
    }
    for (let j = 16; j < 64; j++) {
      const a12 = rotl(A, 12);
      const ss1 = rotl((a12 + E + TR[j]!) | 0, 7);
      const ss2 = ss1 ^ a12;
      const w = W[j]!;
      const tt1 = (((A & B) | (C & (A | B))) + D + ss2 + (w ^ W[j + 4]!)) | 0;
      const tt2 = ((G ^ (E & (F ^ G))) + H + ss1 + w) | 0;
      D = C;
      C = rotl(B, 9);
      B = A;
      A = tt1;
      H = G;
      G = rotl(F, 19);
      F = E;
      E = tt2 ^ rotl(tt2, 9) ^ rotl(tt2, 17);
    }
    this.set(A ^ this.A, B ^ this.B, C ^ this.C, D ^ this.D, E ^ this.E, F ^ this.F, G ^ this.G, H ^ this.H);
  }

  protected roundClean(): void {
    SM3_W.fill(0);
  }

  destroy(): void {
    this.destroyed = true;
    this.set(0, 0, 0, 0, 0, 0, 0, 0);
    this.buffer.fill(0);
  }
}

/** The SM3 hash function type: a noble-compatible `CHash` (`sm3(msg)`, `sm3.create()`, `outputLen`, `blockLen`). */
export type Sm3 = CHash;

/**
 * SM3 hash (GB/T 32905-2016): 256-bit digest, 64-byte blocks. Pure TypeScript; in Node the `"node"` export
 * condition substitutes a `node:crypto`-backed implementation with the same interface.
 * @param msg - message bytes
 * @returns the 32-byte digest
 * @throws {InputError} `INVALID_TYPE` when `msg` is not a Uint8Array
 * @example
 * ```ts
 * import { sm3, utf8ToBytes, bytesToHex } from '@privkit/core';
 * bytesToHex(sm3(utf8ToBytes('abc'))); // '66c7f0f4…8f4ba8e0'
 * const h = sm3.create(); h.update(a); h.update(b); h.digest();
 * ```
 */
export const sm3: Sm3 = /* @__PURE__ */ createHasher(() => new _SM3(), {
  // DER encoding of OID 1.2.156.10197.1.401 (GM/T 0006-2012)
  oid: /* @__PURE__ */ Uint8Array.from([0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x83, 0x11]),
}) as Sm3;

/**
 * HMAC-SM3 (RFC 2104 / GB/T 15852.2 with SM3 as the hash).
 * @param key - MAC key (any length)
 * @param msg - message
 * @returns the 32-byte MAC
 * @throws {InputError} `INVALID_TYPE` when an argument is not a Uint8Array
 * @example
 * ```ts
 * const tag = hmacSm3(key, utf8ToBytes('hello'));
 * ```
 */
export function hmacSm3(key: Uint8Array, msg: Uint8Array): Uint8Array {
  abytes(key, undefined, 'key');
  abytes(msg, undefined, 'msg');
  return hmac(sm3, key, msg);
}
