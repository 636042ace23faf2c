/**
 * Chebyshev-polynomial ("enhanced Chebyshev", Zhang 2008) key agreement over a prime field, at a real security
 * level, with a DHKEM-ready `DhGroup`-shaped object per parameter set.
 *
 * Construction. With x = (α + α⁻¹)/2 mod p, the Chebyshev polynomial satisfies T_n(x) = (αⁿ + α⁻ⁿ)/2, so the
 * semigroup property T_a(T_b(x)) = T_ab(x) gives a Diffie–Hellman exchange. Our parameter sets (see
 * `chebyshev-params.ts`) take p a safe prime (RFC 3526 MODP groups 15 and 14), α a generator of the squares of F_p*
 * (prime order q = (p − 1)/2), so x² − 1 is a quadratic residue (the F_p* case). Evaluation uses the Lucas
 * sequence V_n(P, 1) with P = 2y: V_n = 2·T_n(y) (LUC), computed by a ladder with one squaring and one product per
 * exponent bit. T_n determines αⁿ only up to inversion, so keys n and q − n give the same public key; with short
 * exponents (n < 2^exponentBits ≪ q) no two valid secret keys collide.
 *
 * Security: solving T_n(x) → n is exactly the discrete logarithm in the order-q subgroup of F_p* (from y one
 * recovers αⁿ as a root of z² − 2yz + 1), so key sizes follow finite-field DH (RFC 3526, RFC 7919, NIST SP 800-57).
 *
 * **Not constant-time**: this portable implementation uses JavaScript BigInt, whose arithmetic time depends on
 * the values. The ladder runs the same sequence of operations for every exponent bit (a conditional swap, one
 * product, one squaring), but BigInt itself leaks timing. The Node entry (`chebyshev.node.ts`) does the
 * secret-exponent work in OpenSSL's constant-time modular exponentiation.
 * @module
 */
import { bytesToHex, hexToBytes, randomBytes, utf8ToBytes } from './bytes.js';
import { CHEBYSHEV_PARAMS, type ChebyshevParamsId } from './chebyshev-params.js';
import type { DhGroup } from './dh.js';
import { KeyError, PrivkitError } from './errors.js';
import { hkdf } from './hkdf.js';
import { abytes, aobject, aoneOf } from './validate.js';

export { CHEBYSHEV_PARAMS, type ChebyshevParamsId } from './chebyshev-params.js';

/** One frozen parameter set (`chebyshev.params['chebyshev-3072']`). */
export type ChebyshevParams = (typeof CHEBYSHEV_PARAMS)[ChebyshevParamsId];

/**
 * A Chebyshev parameter set as a Diffie–Hellman group, in the one shape `@privkit/core` uses for every DH group
 * ({@link DhGroup}), so a DHKEM (RFC 9180 §4.1) can be built on it generically. Public keys are big-endian
 * T_n(x) mod p padded to the length of p; the shared value is T_ab(x) mod p, fixed length; `isValidPublicKey` is
 * true for elements of the order-q subgroup other than ±1.
 */
export type ChebyshevDhGroup = DhGroup<ChebyshevParamsId>;

/** Options of {@link Chebyshev.getSharedSecret}. */
export interface ChebyshevSharedSecretOptions {
  /** HKDF `info` (context binding, e.g. a transcript hash); default empty. */
  info?: Uint8Array;
  /** Parameter set; default: inferred from the peer public key's length. */
  paramsId?: ChebyshevParamsId;
}

/** A key pair. */
export interface ChebyshevKeyPair {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
}

/**
 * Arithmetic back end. The portable one is a BigInt Lucas ladder; the Node one uses node:crypto modular
 * exponentiation. Both take validated inputs and return T values in [0, p).
 * @internal
 */
export interface ChebyshevEngine {
  readonly name: 'portable' | 'node';
  /** T_n(x) for the parameter set's x. */
  publicValue(P: ChebyshevParams, n: bigint): bigint;
  /** T_n(y) for a peer value y that passed the range checks; validates subgroup membership (throws KeyError). */
  sharedValue(P: ChebyshevParams, n: bigint, y: bigint): bigint;
}

const IDS = /* @__PURE__ */ Object.freeze(['chebyshev-3072', 'chebyshev-2048'] as const);
const DEFAULT_ID: ChebyshevParamsId = 'chebyshev-3072';

// ---------------------------------------------------------------------------------------------------------------
// Arithmetic (BigInt; not constant-time)

/** (a mod m) in [0, m). @internal */
export function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

/** a / 2 mod odd p. @internal */
export function half(a: bigint, p: bigint): bigint {
  return (a & 1n) === 0n ? a >> 1n : (a + p) >> 1n;
}

/**
 * Lucas sequence V_n(P, 1) mod p by a ladder over `bits` bits of n (most significant first), with the same
 * sequence of operations for every bit: a conditional swap (by masks), one product, one squaring, a swap back.
 * V_n(2y, 1) = 2·T_n(y). @internal
 */
export function lucasV(n: bigint, P: bigint, p: bigint, bits: number): bigint {
  let v0 = 2n;
  let v1 = mod(P, p);
  const pMinusP = p - v1;
  for (let i = bits - 1; i >= 0; i--) {
    const mask = -((n >> BigInt(i)) & 1n); // 0n or -1n (all ones)
    let t = (v0 ^ v1) & mask;
    v0 ^= t;
    v1 ^= t;
    // now (v0, v1) = (V_k, V_{k+1}) when bit = 0, (V_{k+1}, V_k) when bit = 1
    const prod = (v0 * v1 + pMinusP) % p; // V_{2k+1}
    const sq = (v0 * v0 + p - 2n) % p; // V_{2k} (bit 0) or V_{2k+2} (bit 1)
    v0 = sq;
    v1 = prod;
    t = (v0 ^ v1) & mask;
    v0 ^= t;
    v1 ^= t;
  }
  return v0;
}

/** T_n(y) mod p via the Lucas ladder. @internal */
export function chebyshevT(n: bigint, y: bigint, p: bigint, bits = n.toString(2).length): bigint {
  return half(lucasV(n, 2n * y, p, bits), p);
}

/** Jacobi symbol (a | n) for odd n > 0 (Legendre symbol when n is prime). Public inputs only (not constant-time). @internal */
export function jacobi(a: bigint, n: bigint): number {
  a = mod(a, n);
  let t = 1;
  while (a !== 0n) {
    // strip factors of two, up to 31 at a time: (2 | n) = −1 iff n ≡ 3, 5 (mod 8)
    for (;;) {
      const low = Number(a & 0xffffffffn);
      if (low === 0) {
        a >>= 32n; // an even number of halvings: no sign change
        continue;
      }
      const tz = 31 - Math.clz32(low & -low);
      if (tz === 0) break;
      a >>= BigInt(tz);
      const r = Number(n & 7n);
      if ((tz & 1) === 1 && (r === 3 || r === 5)) t = -t;
    }
    const tmp = a;
    a = n;
    n = tmp;
    if ((a & 3n) === 3n && (n & 3n) === 3n) t = -t;
    a %= n;
  }
  return n === 1n ? t : 0;
}

/**
 * Subgroup membership for a peer value y in [0, p): y ∉ {0, 1, p − 1} and y = (β + β⁻¹)/2 with β in the order-q
 * subgroup of F_p*. Uses 2(y − 1) = β⁻¹(β − 1)² and 2(y + 1) = β⁻¹(β + 1)²: both are squares exactly when
 * y² − 1 is a square (β ∈ F_p*, not on the p + 1 side) and β is a square (order q, not 2q). @internal
 */
export function isSubgroupValue(P: ChebyshevParams, y: bigint): boolean {
  const p = P.p;
  if (y <= 1n || y >= p - 1n) return false;
  return jacobi(2n * (y - 1n), p) === 1 && jacobi(2n * (y + 1n), p) === 1;
}

function bigToBytes(v: bigint, length: number): Uint8Array {
  const hex = v.toString(16);
  if (hex.length > 2 * length) throw new PrivkitError(`value does not fit in ${length} bytes`, { code: 'INTERNAL' });
  return hexToBytes(hex.padStart(2 * length, '0'));
}

function bytesToBig(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt(`0x${bytesToHex(b)}`);
}

/** The portable engine: Lucas ladders in BigInt (not constant-time). @internal */
export const portableEngine: ChebyshevEngine = /* @__PURE__ */ Object.freeze({
  name: 'portable' as const,
  publicValue(P: ChebyshevParams, n: bigint): bigint {
    return chebyshevT(n, P.x, P.p, P.exponentBits);
  },
  sharedValue(P: ChebyshevParams, n: bigint, y: bigint): bigint {
    if (!isSubgroupValue(P, y)) throw new KeyError('invalid Chebyshev public key: not in the order-q subgroup');
    return chebyshevT(n, y, P.p, P.exponentBits);
  },
});

// ---------------------------------------------------------------------------------------------------------------
// Key encoding and validation

function getParams(paramsId: unknown): ChebyshevParams {
  const id = aoneOf(paramsId === undefined ? DEFAULT_ID : paramsId, IDS, 'paramsId');
  return CHEBYSHEV_PARAMS[id];
}

function keyLength(value: Uint8Array, length: number, title: string): void {
  if (value.length !== length) {
    throw new KeyError(`"${title}" expected Uint8Array of length ${length}, got length=${value.length}`);
  }
}

function parseSecretKey(P: ChebyshevParams, secretKey: unknown): bigint {
  const sk = abytes(secretKey, undefined, 'secretKey');
  keyLength(sk, P.secretKeyLength, 'secretKey');
  const n = bytesToBig(sk);
  if (n === 0n || n >> BigInt(P.exponentBits) !== 0n) {
    throw new KeyError(`"secretKey" expected an integer in 1..2^${P.exponentBits}−1`);
  }
  return n;
}

function parsePublicKey(P: ChebyshevParams, publicKey: unknown): bigint {
  const pk = abytes(publicKey, undefined, 'publicKey');
  keyLength(pk, P.publicKeyLength, 'publicKey');
  const y = bytesToBig(pk);
  if (y >= P.p) throw new KeyError('invalid Chebyshev public key: not reduced modulo p');
  if (y === 0n || y === 1n || y === P.p - 1n) {
    throw new KeyError('invalid Chebyshev public key: 0, 1 or −1 (small order)');
  }
  return y;
}

function randomSecret(P: ChebyshevParams): Uint8Array {
  const len = P.secretKeyLength;
  const topBits = P.exponentBits - 8 * (len - 1);
  for (;;) {
    const sk = randomBytes(len);
    sk[0] = sk[0]! & ((1 << topBits) - 1);
    if (sk.some((b) => b !== 0)) return sk;
  }
}

function sharedValueChecked(engine: ChebyshevEngine, P: ChebyshevParams, n: bigint, y: bigint): bigint {
  const z = engine.sharedValue(P, n, y);
  // Unreachable for valid inputs (n < q, y of order q); kept as a fail-closed guard.
  if (z <= 1n || z >= P.p - 1n) throw new KeyError('invalid Chebyshev shared value');
  return z;
}

// ---------------------------------------------------------------------------------------------------------------
// Public bundle factory

/** The `chebyshev` API (portable and Node builds share this shape). */
export interface Chebyshev {
  /** The frozen parameter sets by id. */
  readonly params: typeof CHEBYSHEV_PARAMS;
  /** Ids of the parameter sets, strongest first. */
  readonly ids: readonly ChebyshevParamsId[];
  /** Default parameter set (`chebyshev-3072`, 128-bit security). */
  readonly defaultParamsId: ChebyshevParamsId;
  /** Which arithmetic back end this build uses (`portable` BigInt ladder or `node` node:crypto). */
  readonly engine: 'portable' | 'node';
  /** DhGroup-shaped objects by id (for DHKEM). */
  readonly groups: Readonly<Record<ChebyshevParamsId, ChebyshevDhGroup>>;
  group(paramsId: ChebyshevParamsId): ChebyshevDhGroup;
  keygen(paramsId?: ChebyshevParamsId): ChebyshevKeyPair;
  getPublicKey(secretKey: Uint8Array, paramsId?: ChebyshevParamsId): Uint8Array;
  getSharedSecret(secretKey: Uint8Array, peerPublicKey: Uint8Array, options?: ChebyshevSharedSecretOptions): Uint8Array;
  validatePublicKey(publicKey: Uint8Array, paramsId?: ChebyshevParamsId): void;
}

/** HKDF-SHA256 salt used by {@link Chebyshev.getSharedSecret}: `PrivKit/chebyshev/v1/<id>/shared-secret`. */
export function chebyshevKdfSalt(id: ChebyshevParamsId): Uint8Array {
  return utf8ToBytes(`PrivKit/chebyshev/v1/${id}/shared-secret`);
}

/**
 * Builds the `chebyshev` bundle on an arithmetic engine (used by the portable and the Node entry).
 * @internal
 */
export function createChebyshev(engine: ChebyshevEngine): Chebyshev {
  const makeGroup = (id: ChebyshevParamsId): ChebyshevDhGroup => {
    const P = CHEBYSHEV_PARAMS[id];
    return Object.freeze({
      id,
      secretKeyLength: P.secretKeyLength,
      publicKeyLength: P.publicKeyLength,
      sharedSecretLength: P.publicKeyLength,
      randomSecretKey: () => randomSecret(P),
      getPublicKey(secretKey: Uint8Array): Uint8Array {
        return bigToBytes(engine.publicValue(P, parseSecretKey(P, secretKey)), P.publicKeyLength);
      },
      getSharedSecret(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
        const n = parseSecretKey(P, secretKey);
        const y = parsePublicKey(P, publicKey);
        return bigToBytes(sharedValueChecked(engine, P, n, y), P.publicKeyLength);
      },
      isValidPublicKey(publicKey: Uint8Array): boolean {
        try {
          return isSubgroupValue(P, parsePublicKey(P, publicKey));
        } catch {
          return false;
        }
      },
      isValidSecretKey(secretKey: Uint8Array): boolean {
        try {
          parseSecretKey(P, secretKey);
          return true;
        } catch {
          return false;
        }
      },
    });
  };
  const groups = Object.freeze({ 'chebyshev-3072': makeGroup('chebyshev-3072'), 'chebyshev-2048': makeGroup('chebyshev-2048') });
  const groupOf = (paramsId: unknown) => groups[getParams(paramsId).id];

  return Object.freeze({
    params: CHEBYSHEV_PARAMS,
    ids: IDS,
    defaultParamsId: DEFAULT_ID,
    engine: engine.name,
    groups,
    group(paramsId: ChebyshevParamsId): ChebyshevDhGroup {
      return groups[aoneOf(paramsId, IDS, 'paramsId')];
    },
    keygen(paramsId?: ChebyshevParamsId): ChebyshevKeyPair {
      const g = groupOf(paramsId);
      const secretKey = g.randomSecretKey();
      return { secretKey, publicKey: g.getPublicKey(secretKey) };
    },
    getPublicKey(secretKey: Uint8Array, paramsId?: ChebyshevParamsId): Uint8Array {
      return groupOf(paramsId).getPublicKey(secretKey);
    },
    getSharedSecret(secretKey: Uint8Array, peerPublicKey: Uint8Array, options?: ChebyshevSharedSecretOptions): Uint8Array {
      const opts = aobject<ChebyshevSharedSecretOptions>(options, 'options') ?? {};
      const info = opts.info === undefined ? new Uint8Array(0) : abytes(opts.info, undefined, 'info');
      const pk = abytes(peerPublicKey, undefined, 'peerPublicKey');
      let id: ChebyshevParamsId;
      if (opts.paramsId !== undefined) id = aoneOf(opts.paramsId, IDS, 'paramsId');
      else {
        const found = IDS.find((i) => CHEBYSHEV_PARAMS[i].publicKeyLength === pk.length);
        if (!found) {
          throw new KeyError(
            `"peerPublicKey" expected Uint8Array of length ${IDS.map((i) => CHEBYSHEV_PARAMS[i].publicKeyLength).join(' or ')}, got length=${pk.length}`,
          );
        }
        id = found;
      }
      const z = groups[id].getSharedSecret(secretKey, pk);
      try {
        return hkdf('sha256', z, chebyshevKdfSalt(id), info, 32);
      } finally {
        z.fill(0);
      }
    },
    validatePublicKey(publicKey: Uint8Array, paramsId?: ChebyshevParamsId): void {
      const P = getParams(paramsId);
      if (!isSubgroupValue(P, parsePublicKey(P, publicKey))) {
        throw new KeyError('invalid Chebyshev public key: not in the order-q subgroup');
      }
    },
  });
}

/**
 * Chebyshev-polynomial key agreement over F_p (portable build: BigInt Lucas ladder, **not constant-time**).
 *
 * Spec: enhanced Chebyshev polynomials T_n(x) mod p (Zhang 2008), evaluated as Lucas sequences V_n(2x, 1) = 2·T_n(x)
 * (LUC); parameters from RFC 3526 primes (see `chebyshev.params`); shared secret = HKDF-SHA256 (RFC 5869) of the
 * fixed-length T value with salt `PrivKit/chebyshev/v1/<id>/shared-secret` and the caller's `info`.
 *
 * - `keygen(paramsId?)` → `{secretKey, publicKey}`; secret key: big-endian n, 1 ≤ n < 2^exponentBits (275 bits for
 *   `chebyshev-3072`, 225 for `chebyshev-2048`, per RFC 7919 §5.2); public key: T_n(x) mod p, |p| bytes big-endian.
 * - `getPublicKey(secretKey, paramsId?)`.
 * - `getSharedSecret(secretKey, peerPublicKey, {info?, paramsId?})` → 32 bytes; the raw T value is never returned.
 * - `validatePublicKey(publicKey, paramsId?)` throws unless the key lies in the order-q subgroup.
 * - `groups` / `group(id)`: frozen `DhGroup`-shaped objects whose `getSharedSecret` returns the raw fixed-length T
 *   value, as DHKEM (RFC 9180 §4.1) expects.
 *
 * @param secretKey - a secret key from `keygen`/`group.randomSecretKey()`
 * @param peerPublicKey - the peer's public key (validated: range, not 0/±1, in the order-q subgroup)
 * @returns see above
 * @throws {KeyError} `INVALID_KEY` for malformed, out-of-range, small-order or out-of-subgroup keys (including a
 *   wrong key length); `InputError` for wrong argument types or unknown parameter ids
 * @example
 * ```ts
 * import { chebyshev } from '@privkit/core';
 * const alice = chebyshev.keygen();
 * const bob = chebyshev.keygen();
 * const k1 = chebyshev.getSharedSecret(alice.secretKey, bob.publicKey, { info: utf8ToBytes('ctx') });
 * const k2 = chebyshev.getSharedSecret(bob.secretKey, alice.publicKey, { info: utf8ToBytes('ctx') });
 * // k1 and k2 are equal 32-byte keys
 * ```
 */
export const chebyshev: Chebyshev = /* @__PURE__ */ createChebyshev(portableEngine);
