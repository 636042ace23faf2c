/**
 * SM2 digital signatures (GB/T 32918.1-2016 and GB/T 32918.2-2016) on the recommended curve sm2p256v1
 * (GB/T 32918.5-2017), built on `@noble/curves`' short-Weierstrass factory.
 *
 * - Z_A = SM3(ENTL_A ‖ ID_A ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A) with the default user ID `1234567812345678`
 *   (GM/T 0009-2012 §10); e = SM3(Z_A ‖ M).
 * - Nonces are deterministic, RFC 6979 §3.2-style: an HMAC-DRBG over HMAC-SM3 seeded with `d ‖ e` (and the
 *   caller's `extraEntropy`, when given, for hedged signatures). GB/T 32918.2 only requires k uniform in
 *   [1, n−1] and secret; a deterministic k removes the dependency on a good RNG at signing time.
 * - Signatures are raw `r ‖ s` (64 bytes) by default or DER (`SEQUENCE { INTEGER r, INTEGER s }`, GM/T 0009).
 *
 * Point arithmetic and scalar arithmetic use JavaScript BigInt and are **not constant-time**; noble's fixed-window,
 * scalar-blinded multiplication avoids secret-dependent branches in the group law, but BigInt operations themselves
 * may leak timing.
 *
 * Caches (speed only, no change in results): the public point of a secret-key array already seen (weakly held,
 * checked against a keyed HMAC-SM3 tag of the array's current contents), and up to 64 validated public points with
 * precomputation tables for verification (public data).
 * @module
 */
import { hmac } from '@noble/hashes/hmac.js';
import { DER, weierstrass, type WeierstrassPoint, type WeierstrassPointCons } from '@noble/curves/abstract/weierstrass.js';
import { createHmacDrbg } from '@noble/curves/utils.js';
import { bytesToNumberBE, concatBytes, equalBytes, numberToBytesBE, randomBytes, utf8ToBytes } from './bytes.js';
import { InputError, KeyError } from './errors.js';
import { sm3 } from './sm3.js';
import { abool, abytes, aobject, isBytes } from './validate.js';

/** Parameters of the SM2 recommended curve sm2p256v1 (GB/T 32918.5-2017 §2). Frozen. */
export const SM2_PARAMS = Object.freeze({
  p: 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn,
  a: 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn,
  b: 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n,
  n: 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n,
  h: 1n,
  Gx: 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n,
  Gy: 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n,
} as const);

/** Default signer identity (GM/T 0009-2012 §10): the ASCII string `1234567812345678`. */
export const SM2_DEFAULT_USER_ID = '1234567812345678';

/** Options of {@link sm2}`.sign`. */
export interface Sm2SignOptions {
  /** Signer identity ID_A (bytes, or a string UTF-8 encoded); default `1234567812345678`; at most 8191 bytes. */
  userId?: Uint8Array | string;
  /** Return DER (`SEQUENCE {r, s}`) instead of raw `r ‖ s`. Default false. */
  der?: boolean;
  /** Hedging: `true` mixes 32 fresh random bytes into the nonce DRBG, or pass your own bytes. Default false. */
  extraEntropy?: boolean | Uint8Array;
}

/** Options of {@link sm2}`.verify`. */
export interface Sm2VerifyOptions {
  /** Signer identity ID_A; must equal the one used to sign. Default `1234567812345678`. */
  userId?: Uint8Array | string;
  /** The signature is DER (`SEQUENCE {r, s}`) instead of raw `r ‖ s`. Default false. */
  der?: boolean;
}

const P = SM2_PARAMS;
const N = P.n;
const Point: WeierstrassPointCons<bigint> = /* @__PURE__ */ weierstrass<bigint>({
  p: P.p,
  n: P.n,
  h: P.h,
  a: P.a,
  b: P.b,
  Gx: P.Gx,
  Gy: P.Gy,
});

let baseTuned = false;
/** The generator, with a width-8 precomputation window set on first use (no work at import time). */
function G(): WeierstrassPoint<bigint> {
  if (!baseTuned) {
    Point.BASE.precompute(8);
    baseTuned = true;
  }
  return Point.BASE;
}
let gVerify: WeierstrassPoint<bigint> | undefined;
/**
 * A second copy of the generator for verification's public-scalar multiplication: noble keeps one table per point,
 * and the blinded secret-scalar path (signing) needs a wider table than the unblinded one, so sharing Point.BASE
 * would rebuild the table whenever signing and verifying alternate.
 */
function GV(): WeierstrassPoint<bigint> {
  gVerify ??= new Point(P.Gx, P.Gy, 1n).precompute(8);
  return gVerify;
}

const LENGTHS = Object.freeze({
  secretKey: 32,
  publicKey: 65,
  publicKeyCompressed: 33,
  signature: 64,
  seed: 48,
} as const);

const DEFAULT_ID = /* @__PURE__ */ utf8ToBytes(SM2_DEFAULT_USER_ID);
const CURVE_BYTES = /* @__PURE__ */ concatBytes(
  numberToBytesBE(P.a, 32),
  numberToBytesBE(P.b, 32),
  numberToBytesBE(P.Gx, 32),
  numberToBytesBE(P.Gy, 32),
);

const mod = (a: bigint, m: bigint) => {
  const r = a % m;
  return r < 0n ? r + m : r;
};

function userIdBytes(v: unknown): Uint8Array {
  if (v === undefined) return DEFAULT_ID;
  const id = typeof v === 'string' ? utf8ToBytes(v) : v;
  if (!isBytes(id)) {
    throw new InputError(`"userId" expected Uint8Array or string, got type=${v === null ? 'null' : typeof v}`, {
      code: 'INVALID_TYPE',
    });
  }
  // ENTL is a 16-bit bit length (GB/T 32918.2 §5.5): at most 8191 bytes.
  if (id.length > 8191) {
    throw new InputError(`"userId" expected Uint8Array of length 0..8191, got length=${id.length}`, {
      code: 'INVALID_LENGTH',
    });
  }
  return id;
}

function secretScalar(sk: unknown): bigint {
  abytes(sk, 32, 'secretKey');
  const d = bytesToNumberBE(sk as Uint8Array);
  // GB/T 32918.1 §6.1: d ∈ [1, n−2] (so that 1 + d is invertible mod n).
  if (d < 1n || d > N - 2n) throw new KeyError('SM2 secret key out of range [1, n-2]');
  return d;
}

/**
 * Verifiers often check many signatures of one signer: validated public points are kept in a small LRU (public data
 * only); a key seen a second time gets a width-4 precomputation table (t·P_A about 3× cheaper), a key seen 32 times
 * a width-8 one. Bounded: {@link PUB_LRU_SIZE} keys.
 */
const PUB_LRU_SIZE = 64;
const pubLru = new Map<string, { A: WeierstrassPoint<bigint>; uses: number }>();
const keyOf = (b: Uint8Array) => {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
};

function publicPoint(pk: unknown): WeierstrassPoint<bigint> {
  abytes(pk, [65, 33], 'publicKey');
  const key = keyOf(pk as Uint8Array);
  const hit = pubLru.get(key);
  if (hit) {
    pubLru.delete(key); // refresh LRU position
    pubLru.set(key, hit);
    hit.uses++;
    if (hit.uses === 2) hit.A.precompute(4);
    else if (hit.uses === 32) hit.A.precompute(8); // a frequent signer: wider table (≈ 30 ms once)
    return hit.A;
  }
  let A: WeierstrassPoint<bigint>;
  try {
    A = Point.fromBytes(pk as Uint8Array);
    A.assertValidity();
  } catch (e) {
    throw new KeyError('SM2 public key is not a valid point of sm2p256v1', { cause: e });
  }
  pubLru.set(key, { A, uses: 1 });
  if (pubLru.size > PUB_LRU_SIZE) pubLru.delete(pubLru.keys().next().value as string);
  return A;
}

/**
 * Public points of secret keys already seen, keyed by the caller's secret-key array (weakly: entries die with the
 * array) and checked against a keyed SM3-HMAC tag of its current contents, so a mutated array is recomputed.
 * Saves the d·G multiplication that Z_A needs when the same key signs repeatedly. The tag key is random per process.
 */
const pubCache = new WeakMap<Uint8Array, { tag: Uint8Array; A: WeierstrassPoint<bigint> }>();
let tagKey: Uint8Array | undefined;
function publicOf(sk: Uint8Array, d: bigint): WeierstrassPoint<bigint> {
  tagKey ??= randomBytes(32);
  const tag = hmac(sm3, tagKey, sk);
  const hit = pubCache.get(sk);
  if (hit && equalBytes(hit.tag, tag)) return hit.A;
  const A = G().multiply(d);
  pubCache.set(sk, { tag, A });
  return A;
}

function zaOf(id: Uint8Array, A: WeierstrassPoint<bigint>): Uint8Array {
  const bits = id.length * 8;
  const uncompressed = A.toBytes(false);
  return sm3
    .create()
    .update(Uint8Array.of(bits >>> 8, bits & 0xff))
    .update(id)
    .update(CURVE_BYTES)
    .update(uncompressed.subarray(1))
    .digest();
}

function digestE(za: Uint8Array, msg: Uint8Array): bigint {
  return bytesToNumberBE(sm3.create().update(za).update(msg).digest());
}

/** One signing attempt with nonce k (GB/T 32918.2 §6.1 A4–A6); undefined when the spec says to pick another k. */
function signWithK(e: bigint, d: bigint, k: bigint): { r: bigint; s: bigint } | undefined {
  if (k < 1n || k >= N) return undefined;
  const x1 = G().multiply(k).toAffine().x;
  const r = mod(e + x1, N);
  if (r === 0n || r + k === N) return undefined;
  const s = mod(Point.Fn.inv(1n + d) * mod(k - r * d, N), N);
  if (s === 0n) return undefined;
  return { r, s };
}

function encodeSig(sig: { r: bigint; s: bigint }, der: boolean): Uint8Array {
  if (der) {
    const hex = DER.hexFromSig(sig);
    const out = new Uint8Array(hex.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    return out;
  }
  return concatBytes(numberToBytesBE(sig.r, 32), numberToBytesBE(sig.s, 32));
}

/**
 * Internal, for known-answer tests only: signs with a caller-chosen nonce `k` (GB/T 32918.2 §6.1 A4–A6).
 * Never use outside tests: a repeated or predictable k reveals the secret key.
 */
export function _sm2SignWithK(msg: Uint8Array, secretKey: Uint8Array, k: bigint, userId?: Uint8Array | string): Uint8Array {
  const d = secretScalar(secretKey);
  const A = G().multiply(d);
  const e = digestE(zaOf(userIdBytes(userId), A), abytes(msg, undefined, 'message'));
  const sig = signWithK(e, d, k);
  if (!sig) throw new InputError('k rejected by GB/T 32918.2 §6.1 A5/A6', { code: 'INVALID_VALUE' });
  return encodeSig(sig, false);
}

const drbg = /* @__PURE__ */ createHmacDrbg<{ r: bigint; s: bigint }>(32, 32, (key: Uint8Array, msg: Uint8Array) =>
  hmac(sm3, key, msg),
);

function isValidSecretKey(secretKey: Uint8Array): boolean {
  if (!isBytes(secretKey) || secretKey.length !== 32) return false;
  const d = bytesToNumberBE(secretKey);
  return d >= 1n && d <= N - 2n;
}

function isValidPublicKey(publicKey: Uint8Array): boolean {
  try {
    publicPoint(publicKey);
    return true;
  } catch {
    return false;
  }
}

function computeZa(publicKey: Uint8Array, userId?: Uint8Array | string): Uint8Array {
  return zaOf(userIdBytes(userId), publicPoint(publicKey));
}

function keygen(seed?: Uint8Array): { secretKey: Uint8Array; publicKey: Uint8Array } {
  const s = seed === undefined ? randomBytes(LENGTHS.seed) : abytes(seed, undefined, 'seed');
  if (s.length < 40 || s.length > 1024) {
    throw new InputError(`"seed" expected Uint8Array of length 40..1024, got length=${s.length}`, {
      code: 'INVALID_LENGTH',
    });
  }
  // FIPS 186-5 A.2.1-style reduction into [1, n−2] (bias ≤ 2^-64 with ≥ 40 seed bytes).
  const d = mod(bytesToNumberBE(s), N - 2n) + 1n;
  const secretKey = numberToBytesBE(d, 32);
  return { secretKey, publicKey: G().multiply(d).toBytes(false) };
}

function getPublicKey(secretKey: Uint8Array, compressed = false): Uint8Array {
  const d = secretScalar(secretKey);
  abool(compressed, 'compressed');
  return publicOf(secretKey, d).toBytes(compressed);
}

function sign(message: Uint8Array, secretKey: Uint8Array, options?: Sm2SignOptions): Uint8Array {
  abytes(message, undefined, 'message');
  const d = secretScalar(secretKey);
  const o = aobject<Sm2SignOptions>(options, 'options') ?? {};
  const id = userIdBytes(o.userId);
  const der = o.der === undefined ? false : abool(o.der, 'der');
  let extra: Uint8Array | undefined;
  if (o.extraEntropy === true) extra = randomBytes(32);
  else if (o.extraEntropy !== undefined && o.extraEntropy !== false) extra = abytes(o.extraEntropy, undefined, 'extraEntropy');
  const A = publicOf(secretKey, d);
  const e = digestE(zaOf(id, A), message);
  // RFC 6979 §3.2 seed: int2octets(d) ‖ bits2octets(e) [‖ extra entropy]
  const seedParts = [numberToBytesBE(d, 32), numberToBytesBE(mod(e, N), 32)];
  if (extra) seedParts.push(extra);
  const sig = drbg(concatBytes(...seedParts), (kBytes: Uint8Array) => signWithK(e, d, bytesToNumberBE(kBytes)));
  return encodeSig(sig, der);
}

function verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array, options?: Sm2VerifyOptions): boolean {
  abytes(signature, undefined, 'signature');
  abytes(message, undefined, 'message');
  const o = aobject<Sm2VerifyOptions>(options, 'options') ?? {};
  const id = userIdBytes(o.userId);
  const der = o.der === undefined ? false : abool(o.der, 'der');
  const A = publicPoint(publicKey);
  let r: bigint;
  let s: bigint;
  if (der) {
    try {
      ({ r, s } = DER.toSig(signature));
    } catch {
      return false; // malformed DER is an invalid signature, not a usage error
    }
  } else {
    abytes(signature, 64, 'signature');
    r = bytesToNumberBE(signature.subarray(0, 32));
    s = bytesToNumberBE(signature.subarray(32));
  }
  // B1, B2: r', s' ∈ [1, n−1]
  if (r < 1n || r >= N || s < 1n || s >= N) return false;
  try {
    const e = digestE(zaOf(id, A), message);
    const t = mod(r + s, N); // B5
    if (t === 0n) return false;
    const X = GV().multiplyUnsafe(s).add(A.multiplyUnsafe(t)); // B6: s'G + tP_A
    if (X.is0()) return false;
    return mod(e + X.toAffine().x, N) === r; // B7
  } catch {
    return false;
  }
}

/**
 * SM2 signer (GB/T 32918.2-2016 §6–7) over sm2p256v1, with the PrivKit signer shape
 * `{lengths, keygen, getPublicKey, sign, verify, Point, CURVE, utils}`. Frozen.
 *
 * - `keygen(seed?)` → `{secretKey (32 B), publicKey (65 B uncompressed SEC1)}`; `seed` (40..1024 B, default 48
 *   random bytes) is reduced into [1, n−2]. Throws `InputError` for a wrong seed.
 * - `getPublicKey(sk, compressed = false)` → 65 or 33 bytes. Throws `InputError`/`KeyError`.
 * - `sign(msg, sk, {userId?, der?, extraEntropy?})` → 64-byte `r ‖ s` or DER. Deterministic nonces
 *   (HMAC-DRBG/HMAC-SM3 over `d ‖ e`, RFC 6979 §3.2 style) unless `extraEntropy` is given.
 * - `verify(sig, msg, pk, {userId?, der?})` → boolean; false for any well-typed invalid signature (including
 *   malformed DER, r or s outside [1, n−1], r + s ≡ 0); throws `InputError` for wrong types or a raw signature
 *   that is not 64 bytes, `KeyError` for a public key that is not a curve point.
 * - `utils.isValidSecretKey`, `utils.isValidPublicKey` (never throw), `utils.computeZa(pk, userId?)`.
 *
 * BigInt arithmetic is not constant-time (see the module notes).
 * @example
 * ```ts
 * const { secretKey, publicKey } = sm2.keygen();
 * const sig = sm2.sign(utf8ToBytes('hello'), secretKey, { userId: 'alice@example.com' });
 * sm2.verify(sig, utf8ToBytes('hello'), publicKey, { userId: 'alice@example.com' }); // true
 * ```
 */
export const sm2 = /* @__PURE__ */ Object.freeze({
  name: 'sm2' as const,
  lengths: LENGTHS,
  CURVE: SM2_PARAMS,
  Point,
  keygen,
  getPublicKey,
  sign,
  verify,
  utils: Object.freeze({ isValidSecretKey, isValidPublicKey, computeZa }),
});

/** Type of the {@link sm2} signer bundle. */
export type Sm2 = typeof sm2;
