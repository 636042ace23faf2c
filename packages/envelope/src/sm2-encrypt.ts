/**
 * SM2 public-key encryption, GB/T 32918.4-2016 §6 (encryption) and §7 (decryption), on the recommended curve
 * sm2p256v1 (GB/T 32918.5-2017), with SM3 as hash and the SM3-KDF of §5.4.3.
 *
 * Output `C1 ‖ C3 ‖ C2` (the 2016 order) by default; `C1 ‖ C2 ‖ C3` (the 2010 draft order used by older code) on
 * request; C1 as an uncompressed SEC1 point with or without its `04` prefix. Point and scalar arithmetic use
 * JavaScript BigInt and are not constant-time.
 * @module
 */
import { abytes, aobject, aoneOf, abool, bytesToNumberBE, equalBytes, InputError, KeyError, numberToBytesBE, randomBytes, sm2 } from '@privkit/core';
import { sm3, sm3Kdf } from './_core.js';

const Sm2Point = sm2.Point;
import { OpenError } from './errors.js';
import { mulWindow4, recipientPoint } from './_sm2mul.js';

/** Ciphertext component orders. */
export type Sm2CipherMode = 'c1c3c2' | 'c1c2c3';
/** Options of {@link sm2Encrypt} / {@link sm2Decrypt}. */
export interface Sm2EncryptOptions {
  /** Component order: `c1c3c2` (GB/T 32918.4-2016, default) or `c1c2c3` (legacy). */
  readonly mode?: Sm2CipherMode;
  /** Whether C1 carries the `04` uncompressed-point prefix (default true; sm-crypto omits it). */
  readonly prefix?: boolean;
}

const N = Sm2Point.CURVE().n;
const MODES: readonly Sm2CipherMode[] = ['c1c3c2', 'c1c2c3'];

function opts(o: unknown): { mode: Sm2CipherMode; prefix: boolean } {
  const x = aobject<Sm2EncryptOptions>(o, 'options') ?? {};
  const mode = x.mode === undefined ? 'c1c3c2' : aoneOf(x.mode, MODES, 'options.mode');
  const prefix = x.prefix === undefined ? true : abool(x.prefix, 'options.prefix');
  return { mode, prefix };
}

function randomK(): bigint {
  for (;;) {
    const k = bytesToNumberBE(randomBytes(32));
    if (k > 0n && k < N) return k;
  }
}

function xorInPlace(t: Uint8Array, m: Uint8Array): Uint8Array {
  for (let i = 0; i < t.length; i++) t[i]! ^= m[i]!;
  return t;
}
function allZero(t: Uint8Array): boolean {
  let acc = 0;
  for (let i = 0; i < t.length; i++) acc |= t[i]!;
  return acc === 0;
}

/** Internal: encryption with a given k (known-answer tests). Returns undefined when t is all zero (retry). */
export function _sm2EncryptWithK(msg: Uint8Array, publicKey: Uint8Array, k: bigint, mode: Sm2CipherMode, prefix: boolean): Uint8Array | undefined {
  const P = recipientPoint(publicKey);
  const C1 = Sm2Point.BASE.multiply(k).toBytes(false);
  const S = mulWindow4(P, k);
  if (!S) throw new KeyError('"publicKey" has small order');
  const x2 = numberToBytesBE(S.x, 32);
  const y2 = numberToBytesBE(S.y, 32);
  const t = sm3Kdf(new Uint8Array([...x2, ...y2]), msg.length);
  if (allZero(t)) return undefined;
  const C2 = xorInPlace(t, msg);
  const C3 = sm3.create().update(x2).update(msg).update(y2).digest();
  const c1 = prefix ? C1 : C1.subarray(1);
  const out = new Uint8Array(c1.length + 32 + C2.length);
  out.set(c1, 0);
  if (mode === 'c1c3c2') {
    out.set(C3, c1.length);
    out.set(C2, c1.length + 32);
  } else {
    out.set(C2, c1.length);
    out.set(C3, c1.length + C2.length);
  }
  return out;
}

/**
 * SM2 public-key encryption (GB/T 32918.4-2016 §6.1).
 * @param plaintext - message, at least 1 byte
 * @param publicKey - recipient SM2 public key, uncompressed (65 bytes, `04 ‖ x ‖ y`) or compressed (33 bytes)
 * @param options - `mode` (`c1c3c2` default, `c1c2c3`), `prefix` (C1 with `04`, default true)
 * @returns `C1 ‖ C3 ‖ C2` (or `C1 ‖ C2 ‖ C3`); 97 + len bytes with prefix, 96 + len without
 * @throws {InputError} bad arguments; {KeyError} invalid public key
 * @example
 * ```ts
 * const ct = sm2Encrypt(utf8ToBytes('encryption standard'), publicKey);
 * const pt = sm2Decrypt(ct, secretKey);
 * ```
 */
export function sm2Encrypt(plaintext: Uint8Array, publicKey: Uint8Array, options?: Sm2EncryptOptions): Uint8Array {
  abytes(plaintext, undefined, 'plaintext');
  if (plaintext.length === 0) throw new InputError('"plaintext" expected at least 1 byte, got length=0', { code: 'INVALID_LENGTH' });
  abytes(publicKey, [33, 65], 'publicKey');
  const { mode, prefix } = opts(options);
  for (;;) {
    const c = _sm2EncryptWithK(plaintext, publicKey, randomK(), mode, prefix);
    if (c) return c;
  }
}

/**
 * SM2 public-key decryption (GB/T 32918.4-2016 §7.1). Every failure (C1 not on the curve, all-zero KDF output,
 * C3 mismatch, wrong key, wrong mode) is the generic {@link OpenError}.
 * @param ciphertext - output of {@link sm2Encrypt} (same `mode`/`prefix` options)
 * @param secretKey - 32-byte SM2 secret key
 * @param options - `mode`, `prefix`
 * @returns the plaintext
 * @throws {OpenError} decryption failed; {InputError} bad argument types
 * @example
 * ```ts
 * const pt = sm2Decrypt(ct, secretKey, { mode: 'c1c2c3', prefix: false });
 * ```
 */
export function sm2Decrypt(ciphertext: Uint8Array, secretKey: Uint8Array, options?: Sm2EncryptOptions): Uint8Array {
  abytes(ciphertext, undefined, 'ciphertext');
  abytes(secretKey, 32, 'secretKey');
  const { mode, prefix } = opts(options);
  const d = bytesToNumberBE(secretKey);
  if (d <= 0n || d >= N) throw new KeyError('"secretKey" is not a valid SM2 secret key');
  const c1Len = prefix ? 65 : 64;
  if (ciphertext.length < c1Len + 32 + 1) throw new OpenError();
  try {
    const c1 = ciphertext.subarray(0, c1Len);
    const C1 = Sm2Point.fromBytes(prefix ? c1 : new Uint8Array([4, ...c1]));
    C1.assertValidity();
    const msgLen = ciphertext.length - c1Len - 32;
    const C3 = mode === 'c1c3c2' ? ciphertext.subarray(c1Len, c1Len + 32) : ciphertext.subarray(c1Len + msgLen);
    const C2 = mode === 'c1c3c2' ? ciphertext.subarray(c1Len + 32) : ciphertext.subarray(c1Len, c1Len + msgLen);
    if (C1.is0()) throw new OpenError();
    const S = mulWindow4(C1, d);
    if (!S) throw new OpenError();
    const x2 = numberToBytesBE(S.x, 32);
    const y2 = numberToBytesBE(S.y, 32);
    const t = sm3Kdf(new Uint8Array([...x2, ...y2]), msgLen);
    if (allZero(t)) throw new OpenError();
    const m = xorInPlace(t, C2);
    const u = sm3.create().update(x2).update(m).update(y2).digest();
    if (!equalBytes(u, C3)) {
      m.fill(0);
      throw new OpenError();
    }
    return m;
  } catch {
    throw new OpenError();
  }
}
