/**
 * The linkable spontaneous anonymous group (LSAG) ring loop shared by CLSAG (eprint 2019/654 §3) and bLSAG
 * (Zero to Monero 2nd ed. §3.4). For member i with response r_i and incoming challenge c_i, with key columns
 * K_j (K_0 = ring, K_1 = auxiliary ring), images Y_j (Y_0 = I, Y_1 = D) and weights w_j (bLSAG: w_0 = 1;
 * CLSAG: w_j = μ_j):
 *
 *   L_i = r_i·G + Σ_j (c_i·w_j)·K_j[i]        R_i = r_i·Hp_i + Σ_j (c_i·w_j)·Y_j
 *   c_{i+1} = H_round(digest ‖ enc(L_i) ‖ enc(R_i))
 *
 * Operations on public values use noble's variable-time `multiplyUnsafe` / Strauss–Shamir `mulAddUnsafe`; the
 * signer's own multiplications by the nonce use the constant-time ladder (`multiply`). BigInt field arithmetic is
 * not constant-time (README).
 * @module
 */
import { interleavedMSMUnsafe, mulAddUnsafe } from '@noble/curves/abstract/curve.js';
import { G, ORDER, Point, hashToScalar } from './_group.js';
import { roundInput } from './_transcript.js';

/** Limb width for the split image multiplication of the table (ring-context) path. */
const LIMB_BITS = 64n;
const LIMB_MASK = (1n << LIMB_BITS) - 1n;
const LIMBS = 4;

export interface SagParams {
  roundDst: string;
  digest: Uint8Array;
  /** weights[j] for column j. */
  weights: readonly bigint[];
  /** columns[j][i] = key j of member i. */
  columns: readonly (readonly Point[])[];
  /** images[j] = linking image of column j (I, then D). */
  images: readonly Point[];
  /** Hp_i per member. */
  hp: readonly Point[];
  /** Member and Hp points carry wNAF tables (ring context). */
  tables: boolean;
}

const mod = (x: bigint): bigint => {
  const r = x % ORDER;
  return r < 0n ? r + ORDER : r;
};

function roundHash(p: SagParams, L: Point, R: Point): bigint {
  return hashToScalar(roundInput(p.digest, L.toBytes(), R.toBytes()), p.roundDst);
}

/** Σ_j cw_j·Y_j for the signature's images, evaluated with tables built once per signature. */
type ImagesMul = (cw: readonly bigint[]) => Point;

/**
 * Ring-context path: the images Y_j are multiplied by a fresh challenge at every member, so split each scalar into
 * four 64-bit limbs and evaluate Σ_j Σ_k limb_k(cw_j)·(2^(64k)·Y_j) as one interleaved wNAF MSM over fixed points:
 * 64 shared doublings per member instead of ~253 (the 2^(64k)·Y_j and their odd multiples are built once per
 * signature, ~190 doublings). Without tables (no context) the images share the Strauss–Shamir walk of Hp_i instead.
 */
function imagesMul(p: SagParams): ImagesMul | undefined {
  if (!p.tables) return undefined;
  const bases: Point[] = [];
  for (const Y of p.images) {
    let B = Y;
    for (let k = 0; k < LIMBS; k++) {
      bases.push(B);
      if (k + 1 < LIMBS) for (let d = 0n; d < LIMB_BITS; d++) B = B.double();
    }
  }
  const msm = interleavedMSMUnsafe(Point, bases, 5);
  return (cw) => {
    const limbs: bigint[] = [];
    for (const x of cw) for (let k = 0; k < LIMBS; k++) limbs.push((x >> (LIMB_BITS * BigInt(k))) & LIMB_MASK);
    return msm(limbs);
  };
}

/** One ring step: c_{i+1} from (i, r_i, c_i). */
function step(p: SagParams, im: ImagesMul | undefined, i: number, r: bigint, c: bigint): bigint {
  const k = p.weights.length;
  const cw: bigint[] = new Array(k);
  for (let j = 0; j < k; j++) cw[j] = mod(c * p.weights[j]!);
  let L: Point;
  let R: Point;
  if (im) {
    L = G.multiplyUnsafe(r);
    for (let j = 0; j < k; j++) L = L.add(p.columns[j]![i]!.multiplyUnsafe(cw[j]!));
    R = p.hp[i]!.multiplyUnsafe(r).add(im(cw));
  } else {
    const keys: Point[] = [];
    for (let j = 0; j < k; j++) keys.push(p.columns[j]![i]!);
    L = G.multiplyUnsafe(r).add(k === 1 ? keys[0]!.multiplyUnsafe(cw[0]!) : mulAddUnsafe(Point, keys, cw));
    R = mulAddUnsafe(Point, [p.hp[i]!, ...p.images], [r, ...cw]);
  }
  return roundHash(p, L, R);
}

/**
 * Verifies the loop closes: starting from c_0, after n steps the challenge returns to c_0.
 * @returns true only when every step ran and the loop closed
 */
export function sagVerify(p: SagParams, c0: bigint, s: readonly bigint[]): boolean {
  const im = imagesMul(p);
  let c = c0;
  for (let i = 0; i < s.length; i++) c = step(p, im, i, s[i]!, c);
  return c === c0;
}

/**
 * Signs at position `pi`: `alpha` is the secret nonce, `rand(i)` the fake responses, `w` the weighted secret
 * Σ_j w_j·x_j (the discrete log of Σ_j w_j·K_j[pi] and, over Hp_pi, of Σ_j w_j·Y_j).
 * @returns c_0 and the responses s_0..s_{n-1}
 */
export function sagSign(
  p: SagParams,
  pi: number,
  w: bigint,
  alpha: bigint,
  rand: (i: number) => bigint,
): { c0: bigint; s: bigint[] } {
  const n = p.hp.length;
  const im = imagesMul(p);
  const s: bigint[] = new Array(n).fill(0n);
  const cs: bigint[] = new Array(n).fill(0n);
  // Signer's commitment (constant-time ladder for the secret nonce).
  let c = roundHash(p, G.multiply(alpha), p.hp[pi]!.multiply(alpha));
  for (let t = 1; t < n; t++) {
    const i = (pi + t) % n;
    cs[i] = c;
    s[i] = rand(i);
    c = step(p, im, i, s[i]!, c);
  }
  cs[pi] = c;
  s[pi] = mod(alpha - c * w);
  return { c0: cs[0]!, s };
}

/**
 * Hedged nonce derivation: `K = expand_message_xmd(rand32 ‖ secret ‖ digest, DST_nonce, 64)`, scalar_i =
 * `HashToScalar(K ‖ u16be(i), DST_nonce)`; index n is the signer's α. Safe with a broken RNG (deterministic in the
 * secret and transcript) and with a fault-free RNG (random).
 */
export function hedgedScalars(rand32: Uint8Array, secret: Uint8Array, digest: Uint8Array, dst: string, xmd: (m: Uint8Array, d: string) => Uint8Array): (i: number) => bigint {
  const seed = new Uint8Array(rand32.length + secret.length + digest.length);
  seed.set(rand32, 0);
  seed.set(secret, rand32.length);
  seed.set(digest, rand32.length + secret.length);
  const K = xmd(seed, dst);
  seed.fill(0);
  return (i: number) => {
    const buf = new Uint8Array(66);
    buf.set(K, 0);
    buf[64] = i >>> 8;
    buf[65] = i & 0xff;
    let v = hashToScalar(buf, dst);
    if (v === 0n) v = 1n; // probability 2^-252; keeps α invertible-free of edge cases
    return v;
  };
}
