/**
 * Diffie–Hellman groups with one shape ({@link DhGroup}) for every curve PrivKit supports: NIST P-256/P-384/P-521
 * (FIPS 186-5, SEC 1 v2 §3.3.1 ECDH), secp256k1 (SEC 2), SM2 sm2p256v1 (GB/T 32918.5-2017), X25519 and X448
 * (RFC 7748). Portable implementation on `@noble/curves`; the Node entry swaps in `node:crypto` (see `dh.node.ts`).
 *
 * Weierstrass groups: secret keys are fixed-length big-endian scalars in [1, n−1]; public keys are uncompressed
 * SEC1 points `04 ‖ x ‖ y` (compressed points are rejected); the shared secret is the x-coordinate of d·Q
 * (SEC 1 v2 §3.3.1, as HPKE's DHKEM uses it). Peer public keys are fully validated (on the curve, not the
 * identity; every supported Weierstrass curve has cofactor 1).
 *
 * X25519/X448: RFC 7748 §5 raw 32/56-byte keys; any secret key of the right length is valid (it is clamped); an
 * all-zero shared secret — a small-order peer key — is rejected (RFC 7748 §6.1, RFC 9180 §7.1.4).
 *
 * BigInt field arithmetic is not constant-time; noble's Montgomery ladder and fixed-window multiplications avoid
 * secret-dependent branches at the group-law level only.
 * @module
 */
import { x25519 } from '@noble/curves/ed25519.js';
import { x448 } from '@noble/curves/ed448.js';
import type { WeierstrassPoint, WeierstrassPointCons } from '@noble/curves/abstract/weierstrass.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToNumberBE, numberToBytesBE, randomBytes } from './bytes.js';
import { KeyError } from './errors.js';
import { sm2 } from './sm2.js';
import { abytes, isBytes } from './validate.js';
import { _lookupId } from './hash.js';

/** Ids accepted by {@link getDhGroup}. */
export type DhGroupId = 'p256' | 'p384' | 'p521' | 'x25519' | 'x448' | 'secp256k1' | 'sm2';

/** Every id accepted by {@link getDhGroup}, frozen. */
export const DH_GROUP_IDS: readonly DhGroupId[] = Object.freeze([
  'p256',
  'p384',
  'p521',
  'x25519',
  'x448',
  'secp256k1',
  'sm2',
] as const);

/**
 * One Diffie–Hellman group. Shared by every curve (and by `chebyshev`), so KEMs can be built generically.
 *
 * Errors: a non-Uint8Array argument or a key of the wrong length throws `InputError`
 * (`INVALID_TYPE`/`INVALID_LENGTH`); a well-sized secret key out of range, or a public key that is not a valid
 * group element (off the curve, identity, small order, all-zero shared secret) throws `KeyError` (`INVALID_KEY`).
 */
export interface DhGroup<Id extends string = string> {
  /** Group id, e.g. `p256` (other packages' groups, e.g. Chebyshev parameter sets, use their own ids). */
  readonly id: Id;
  /** Secret key length in bytes. */
  readonly secretKeyLength: number;
  /** Public key length in bytes (uncompressed SEC1 for Weierstrass groups). */
  readonly publicKeyLength: number;
  /** Shared secret length in bytes. */
  readonly sharedSecretLength: number;
  /** A fresh uniformly random valid secret key (from `crypto.getRandomValues`). */
  randomSecretKey(): Uint8Array;
  /** The public key of `secretKey`. Throws `InputError` / `KeyError`. */
  getPublicKey(secretKey: Uint8Array): Uint8Array;
  /** The shared secret of `secretKey` and the peer's `publicKey`, after validating `publicKey`. */
  getSharedSecret(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array;
  /** True when `publicKey` is a valid, non-identity, non-small-order public key of this group. Never throws. */
  isValidPublicKey(publicKey: Uint8Array): boolean;
  /** True when `secretKey` is a valid secret key of this group. Never throws. */
  isValidSecretKey(secretKey: Uint8Array): boolean;
}

/** Sizes and curve data of a Weierstrass DH group (shared with the Node fast path). */
export interface _WeierstrassDhSpec {
  id: DhGroupId;
  Point: WeierstrassPointCons<bigint>;
  /** Field/scalar byte length. */
  size: number;
}

/** Validates a Weierstrass secret key (internal; shared with the Node path). */
export function _wSecret(spec: _WeierstrassDhSpec, sk: unknown): bigint {
  abytes(sk, spec.size, 'secretKey');
  const d = bytesToNumberBE(sk as Uint8Array);
  if (d < 1n || d >= spec.Point.Fn.ORDER) throw new KeyError(`${spec.id} secret key out of range [1, n-1]`);
  return d;
}

/** The never-throwing validity checks of a Weierstrass group (shared with the Node path). @internal */
export function _wValidity(spec: _WeierstrassDhSpec): Pick<DhGroup, 'isValidPublicKey' | 'isValidSecretKey'> {
  const ok = (f: () => unknown): boolean => {
    try {
      f();
      return true;
    } catch {
      return false;
    }
  };
  return {
    isValidPublicKey: (publicKey: Uint8Array) => ok(() => _wPublic(spec, publicKey)),
    isValidSecretKey: (secretKey: Uint8Array) => ok(() => _wSecret(spec, secretKey)),
  };
}

/** Decodes and validates an uncompressed SEC1 public key (internal; shared with the Node path). */
export function _wPublic(spec: _WeierstrassDhSpec, pk: unknown): WeierstrassPoint<bigint> {
  abytes(pk, 1 + 2 * spec.size, 'publicKey');
  if ((pk as Uint8Array)[0] !== 0x04) throw new KeyError(`${spec.id} public key must be an uncompressed SEC1 point`);
  try {
    const Q = spec.Point.fromBytes(pk as Uint8Array);
    Q.assertValidity(); // on the curve and not the identity; cofactor 1, so in the prime-order group
    return Q;
  } catch (e) {
    throw new KeyError(`${spec.id} public key is not a valid curve point`, { cause: e });
  }
}

/** A uniformly random scalar in [1, n−1] by rejection sampling (internal; shared with the Node path). */
export function _wRandom(spec: _WeierstrassDhSpec): Uint8Array {
  const n = spec.Point.Fn.ORDER;
  const bits = n.toString(2).length;
  const topMask = (1 << (bits % 8 || 8)) - 1;
  for (;;) {
    const b = randomBytes(spec.size);
    b[0]! &= topMask;
    const d = bytesToNumberBE(b);
    if (d >= 1n && d < n) return b;
  }
}

function weierstrassGroup(spec: _WeierstrassDhSpec): DhGroup<DhGroupId> {
  const { id, size, Point } = spec;
  return Object.freeze({
    id,
    secretKeyLength: size,
    publicKeyLength: 1 + 2 * size,
    sharedSecretLength: size,
    randomSecretKey: () => _wRandom(spec),
    getPublicKey(secretKey: Uint8Array): Uint8Array {
      return Point.BASE.multiply(_wSecret(spec, secretKey)).toBytes(false);
    },
    getSharedSecret(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
      const d = _wSecret(spec, secretKey);
      const Q = _wPublic(spec, publicKey);
      const S = Q.multiply(d);
      if (S.is0()) throw new KeyError(`${id} shared point is the identity`);
      return numberToBytesBE(S.toAffine().x, size);
    },
    ..._wValidity(spec),
  });
}

/** Montgomery (RFC 7748) group description (internal; shared with the Node path). */
export interface _MontgomeryDhSpec {
  id: 'x25519' | 'x448';
  size: number;
  scalarMult(scalar: Uint8Array, u: Uint8Array): Uint8Array;
  scalarMultBase(scalar: Uint8Array): Uint8Array;
}

function isZero(b: Uint8Array): boolean {
  let acc = 0;
  for (let i = 0; i < b.length; i++) acc |= b[i]!;
  return acc === 0;
}

/** Rejects an all-zero X25519/X448 output (RFC 7748 §6.1/§6.2; internal; shared with the Node path). */
export function _mCheckShared(id: string, out: Uint8Array): Uint8Array {
  if (isZero(out)) throw new KeyError(`${id} shared secret is all-zero (small-order public key)`);
  return out;
}

function montgomeryGroup(spec: _MontgomeryDhSpec): DhGroup<DhGroupId> {
  const { id, size } = spec;
  // A clamped scalar is a multiple of the cofactor, so k·u = 0 exactly when u has small order (RFC 7748 §5, §7).
  const probe = new Uint8Array(size).fill(0x55);
  return Object.freeze({
    id,
    secretKeyLength: size,
    publicKeyLength: size,
    sharedSecretLength: size,
    randomSecretKey: () => randomBytes(size),
    getPublicKey(secretKey: Uint8Array): Uint8Array {
      abytes(secretKey, size, 'secretKey');
      return spec.scalarMultBase(secretKey);
    },
    getSharedSecret(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
      abytes(secretKey, size, 'secretKey');
      abytes(publicKey, size, 'publicKey');
      let out: Uint8Array;
      try {
        out = spec.scalarMult(secretKey, publicKey);
      } catch (e) {
        throw new KeyError(`${id} public key rejected`, { cause: e });
      }
      return _mCheckShared(id, out);
    },
    isValidPublicKey(publicKey: Uint8Array): boolean {
      if (!isBytes(publicKey) || publicKey.length !== size) return false;
      try {
        return !isZero(spec.scalarMult(probe, publicKey));
      } catch {
        return false;
      }
    },
    isValidSecretKey(secretKey: Uint8Array): boolean {
      return isBytes(secretKey) && secretKey.length === size;
    },
  });
}

/**
 * Curve data per Weierstrass group (internal; shared with the Node path). `Point` is a getter so that defining a
 * spec touches no curve: a bundler drops the curves an app does not use.
 */
export const _P256_SPEC: _WeierstrassDhSpec = /* @__PURE__ */ Object.freeze({ id: 'p256', size: 32, get Point() { return p256.Point; } });
export const _P384_SPEC: _WeierstrassDhSpec = /* @__PURE__ */ Object.freeze({ id: 'p384', size: 48, get Point() { return p384.Point; } });
export const _P521_SPEC: _WeierstrassDhSpec = /* @__PURE__ */ Object.freeze({ id: 'p521', size: 66, get Point() { return p521.Point; } });
export const _SECP256K1_SPEC: _WeierstrassDhSpec = /* @__PURE__ */ Object.freeze({ id: 'secp256k1', size: 32, get Point() { return secp256k1.Point; } });
export const _SM2_SPEC: _WeierstrassDhSpec = /* @__PURE__ */ Object.freeze({ id: 'sm2', size: 32, get Point() { return sm2.Point; } });

// One exported constant per group, so that a bundler keeps only the curves an app imports (`getDhGroup`, which
// takes any id, keeps all of them). Each is the object `getDhGroup` returns for its id.

/** NIST P-256 ECDH (FIPS 186-5; SEC 1 v2 §3.3.1), portable (`@noble/curves`). */
export const p256Group: DhGroup<DhGroupId> = /* @__PURE__ */ weierstrassGroup(_P256_SPEC);
/** NIST P-384 ECDH, portable. */
export const p384Group: DhGroup<DhGroupId> = /* @__PURE__ */ weierstrassGroup(_P384_SPEC);
/** NIST P-521 ECDH, portable. */
export const p521Group: DhGroup<DhGroupId> = /* @__PURE__ */ weierstrassGroup(_P521_SPEC);
/** secp256k1 ECDH (SEC 2), portable. */
export const secp256k1Group: DhGroup<DhGroupId> = /* @__PURE__ */ weierstrassGroup(_SECP256K1_SPEC);
/** SM2 (sm2p256v1) ECDH, x-coordinate shared secret (GB/T 32918.5-2017 curve), portable. */
export const sm2Group: DhGroup<DhGroupId> = /* @__PURE__ */ weierstrassGroup(_SM2_SPEC);
/** X25519 (RFC 7748 §5), portable. */
export const x25519Group: DhGroup<DhGroupId> = /* @__PURE__ */ montgomeryGroup({
  id: 'x25519',
  size: 32,
  // noble's scalarMult rejects low-order inputs itself; we keep our own all-zero check as the spec'd guard.
  scalarMult: (k, u) => x25519.scalarMult(k, u),
  scalarMultBase: (k) => x25519.scalarMultBase(k),
});
/** X448 (RFC 7748 §5), portable. */
export const x448Group: DhGroup<DhGroupId> = /* @__PURE__ */ montgomeryGroup({
  id: 'x448',
  size: 56,
  scalarMult: (k, u) => x448.scalarMult(k, u),
  scalarMultBase: (k) => x448.scalarMultBase(k),
});

/** Builds a `getDhGroup` over the groups of one entry (portable, Node), each filed under its own id. @internal */
export function _dhRegistry(groups: readonly DhGroup<DhGroupId>[]): (id: DhGroupId) => DhGroup<DhGroupId> {
  const table = Object.freeze(Object.fromEntries(groups.map((g) => [g.id, g]))) as Readonly<Record<DhGroupId, DhGroup<DhGroupId>>>;
  return (id: DhGroupId) => table[_lookupId(id, DH_GROUP_IDS, 'groupId')];
}

/**
 * Returns the Diffie–Hellman group `id` (portable implementation on `@noble/curves`; the Node entry returns the
 * `node:crypto`-backed version with the same behaviour). Groups are frozen and created once, on first use.
 * @param id - `p256 | p384 | p521 | x25519 | x448 | secp256k1 | sm2`
 * @returns the {@link DhGroup}
 * @throws {InputError} `INVALID_TYPE` for a non-string id
 * @throws {UnsupportedError} `UNSUPPORTED` for an unknown id
 * @example
 * ```ts
 * const g = getDhGroup('x25519');
 * const a = g.randomSecretKey(), b = g.randomSecretKey();
 * equalBytes(g.getSharedSecret(a, g.getPublicKey(b)), g.getSharedSecret(b, g.getPublicKey(a))); // true
 * ```
 */
export const getDhGroup: (id: DhGroupId) => DhGroup<DhGroupId> = /* @__PURE__ */ _dhRegistry([p256Group, p384Group, p521Group, secp256k1Group, sm2Group, x25519Group, x448Group]);
