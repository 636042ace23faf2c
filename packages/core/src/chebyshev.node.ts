/**
 * Chebyshev key agreement, Node build: the same API as `chebyshev.ts`, with the arithmetic in node:crypto.
 *
 * For our parameter sets x = (α + α⁻¹)/2 with α in F_p*, so T_n(x) = (αⁿ + α⁻ⁿ)/2: one modular exponentiation
 * with the secret short exponent n, done by OpenSSL's constant-time Diffie–Hellman code
 * (`createDiffieHellman(p, 2)` — OpenSSL recognises the RFC 3526 group, so no slow parameter check — then
 * `setPrivateKey(n)` and `computeSecret(base)` return baseⁿ mod p), and one blinded inversion: α⁻ⁿ =
 * r·(αⁿ·r)⁻¹ with r uniform in F_p*, so the (variable-time, Lehmer) inversion only ever sees a uniformly random
 * value. For a peer value y we first recover β with β + β⁻¹ = 2y: β = y + √(y² − 1), the square root being
 * (y² − 1)^((p+1)/4) (p ≡ 3 mod 4), computed on public data with OpenSSL's RSA public operation (modulus p, exponent
 * (p+1)/4, no padding); then β is checked to be a square (order q) and T_n(y) = (βⁿ + β⁻ⁿ)/2, βⁿ natively and β⁻ⁿ by
 * the same blinded inversion. If node:crypto rejects any of this at initialisation, the portable BigInt ladder is
 * used instead (same results; the tests check both paths agree).
 *
 * BigInt glue (additions, the blinding products, a halving, the Jacobi symbol on public values) is not
 * constant-time; the operations with the secret exponent run inside OpenSSL.
 * @module
 */
import {
  constants,
  createDiffieHellman,
  createPublicKey,
  publicEncrypt,
  type DiffieHellman,
  type KeyObject,
} from 'node:crypto';
import { _modInverse } from './_modinv.js';
import { randomBytes } from './bytes.js';
import { CHEBYSHEV_PARAMS, type ChebyshevParamsId } from './chebyshev-params.js';
import {
  createChebyshev,
  jacobi,
  half,
  portableEngine,
  type Chebyshev,
  type ChebyshevEngine,
  type ChebyshevParams,
} from './chebyshev.js';
import { KeyError } from './errors.js';

interface NativeState {
  dh: DiffieHellman;
  sqrtKey: KeyObject;
  alpha: Buffer;
}

const cache = new Map<ChebyshevParamsId, NativeState | null>();

function toBuf(v: bigint, len: number): Buffer {
  return Buffer.from(v.toString(16).padStart(2 * len, '0'), 'hex');
}

function toBig(b: Buffer | Uint8Array): bigint {
  return BigInt(`0x${Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex')}`);
}

function b64u(v: bigint): string {
  let h = v.toString(16);
  if (h.length % 2) h = `0${h}`;
  return Buffer.from(h, 'hex').toString('base64url');
}

/** Lazily builds (once per parameter set) the node:crypto objects; null when this runtime refuses them. */
function native(P: ChebyshevParams): NativeState | null {
  const hit = cache.get(P.id);
  if (hit !== undefined) return hit;
  let state: NativeState | null = null;
  try {
    // Generator 2 makes OpenSSL recognise the RFC 3526 group (no slow DH_check); the generator is never used:
    // every exponentiation goes through computeSecret(base) with our own bases.
    const dh = createDiffieHellman(toBuf(P.p, P.publicKeyLength), Buffer.from([2]));
    if (dh.verifyError !== 0 || toBig(dh.getPrime()) !== P.p) throw new Error('unexpected DH state');
    const sqrtKey = createPublicKey({ key: { kty: 'RSA', n: b64u(P.p), e: b64u((P.p + 1n) / 4n) }, format: 'jwk' });
    const len = P.publicKeyLength;
    state = { dh, sqrtKey, alpha: toBuf(P.alpha, len) };
    // Self-test on known values before trusting the native path: 4^((p+1)/4) = ±2, α^1 = α.
    const r = toBig(publicEncrypt({ key: sqrtKey, padding: constants.RSA_NO_PADDING }, toBuf(4n, len)));
    if (r !== 2n && r !== P.p - 2n) throw new Error('sqrt self-test failed');
    dh.setPrivateKey(Buffer.from([1]));
    if (toBig(dh.computeSecret(state.alpha)) !== P.alpha) throw new Error('modexp self-test failed');
  } catch {
    state = null;
  }
  cache.set(P.id, state);
  return state;
}

/** baseⁿ mod p in OpenSSL (constant-time DH code); the exponent buffer is wiped afterwards. */
function powSecret(s: NativeState, n: Buffer, base: Buffer): bigint {
  s.dh.setPrivateKey(n);
  try {
    return toBig(s.dh.computeSecret(base));
  } finally {
    s.dh.setPrivateKey(Buffer.from([1]));
  }
}

function exponentBuffer(P: ChebyshevParams, n: bigint): Buffer {
  return toBuf(n, P.secretKeyLength);
}

/**
 * z + z⁻¹ mod p for z ≠ 0, with the inverse computed blinded: z⁻¹ = r·(z·r)⁻¹ for a fresh r uniform in F_p* (64
 * extra random bits make the reduction's bias < 2⁻⁶⁴), so the variable-time inversion sees a value independent of z.
 */
function plusInverse(P: ChebyshevParams, z: bigint): bigint {
  const p = P.p;
  let r = 0n;
  while (r === 0n) r = toBig(randomBytes(P.publicKeyLength + 8)) % p;
  return (z + ((_modInverse((z * r) % p, p) * r) % p)) % p;
}

/** The node:crypto engine. @internal */
export const nodeEngine: ChebyshevEngine = /* @__PURE__ */ Object.freeze({
  name: 'node' as const,
  publicValue(P: ChebyshevParams, n: bigint): bigint {
    const s = native(P);
    if (!s) return portableEngine.publicValue(P, n);
    const e = exponentBuffer(P, n);
    try {
      return half(plusInverse(P, powSecret(s, e, s.alpha)), P.p);
    } finally {
      e.fill(0);
    }
  },
  sharedValue(P: ChebyshevParams, n: bigint, y: bigint): bigint {
    const s = native(P);
    if (!s) return portableEngine.sharedValue(P, n, y);
    const p = P.p;
    const len = P.publicKeyLength;
    if (y <= 1n || y >= p - 1n) throw new KeyError('invalid Chebyshev public key: not in the order-q subgroup');
    const d = (y * y - 1n) % p;
    const delta = toBig(publicEncrypt({ key: s.sqrtKey, padding: constants.RSA_NO_PADDING }, toBuf(d, len)));
    // y² − 1 must be a square (β ∈ F_p*, not on the p + 1 side) …
    if ((delta * delta) % p !== d) throw new KeyError('invalid Chebyshev public key: not in the order-q subgroup');
    const beta = (y + delta) % p;
    // … and β must be a square (order q, not 2q).
    if (jacobi(beta, p) !== 1) throw new KeyError('invalid Chebyshev public key: not in the order-q subgroup');
    const e = exponentBuffer(P, n);
    try {
      return half(plusInverse(P, powSecret(s, e, toBuf(beta, len))), p);
    } finally {
      e.fill(0);
    }
  },
});

/** True when the node:crypto path is active for `paramsId` in this runtime (otherwise the BigInt ladder). @internal */
export function chebyshevNativeAvailable(paramsId: ChebyshevParamsId): boolean {
  return native(CHEBYSHEV_PARAMS[paramsId]) !== null;
}

/**
 * Chebyshev-polynomial key agreement over F_p — Node build (node:crypto modular exponentiation; same API and
 * results as the portable build). See the portable `chebyshev` for the full description.
 * @throws {KeyError} `INVALID_KEY` for malformed, out-of-range, small-order or out-of-subgroup keys
 * @example
 * ```ts
 * import { chebyshev } from '@privkit/core'; // Node resolves the "node" condition to this build
 * const { secretKey, publicKey } = chebyshev.keygen('chebyshev-3072');
 * ```
 */
export const chebyshev: Chebyshev = /* @__PURE__ */ createChebyshev(nodeEngine);
