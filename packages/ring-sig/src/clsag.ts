/**
 * CLSAG — Concise Linkable Spontaneous Anonymous Group signatures (Goodell, Noether, RandomRun, eprint 2019/654,
 * §3 and Monero's instantiation) over ristretto255, with one key column (`I` only) or two (`I` and the auxiliary
 * image `D`, e.g. a commitment-to-zero column). Aggregation coefficients μ_0, μ_1 and every round challenge are
 * hashed from the domain-separated transcript digest (FORMAT.md §2).
 * @module
 */
import { DST, ORDER, hashToScalar, scalarToBytes, xmd64, type Point } from './_group.js';
import type { PreparedRing } from './_ring.js';
import { hedgedScalars, sagSign, sagVerify } from './_sag.js';
import { transcriptDigest } from './_transcript.js';
import type { DecodedSignature } from './signature.js';

/** Auxiliary key column: decoded points and concatenated encodings. */
export interface AuxColumn {
  points: readonly Point[];
  bytes: Uint8Array;
}

/** Raw signing result. */
export interface RawSignature {
  c0: bigint;
  s: bigint[];
  I: Uint8Array;
  D: Uint8Array | undefined;
}

function aggregation(digest: Uint8Array, twoColumns: boolean): bigint[] {
  const mu0 = hashToScalar(digest, DST.clsagAgg0);
  return twoColumns ? [mu0, hashToScalar(digest, DST.clsagAgg1)] : [mu0];
}

/**
 * CLSAG signing at position `pi` with secret `x` (and auxiliary secret `z` when `aux` is given).
 * eprint 2019/654 §3 "Signing": α random, c_{π+1} = H(… αG, αHp_π), s_π = α − c_π(μ_0 x + μ_1 z).
 * @returns the raw signature (c_0, s, I, D)
 */
export function clsagSign(a: {
  ring: PreparedRing;
  aux: AuxColumn | undefined;
  pi: number;
  x: bigint;
  z: bigint | undefined;
  message: Uint8Array;
  scopeBytes: Uint8Array;
  rand32: Uint8Array;
}): RawSignature {
  const hp = a.ring.hashPoints(a.scopeBytes);
  const base = hp[a.pi]!;
  const I = base.multiply(a.x);
  const D = a.aux ? base.multiply(a.z!) : undefined;
  const IBytes = I.toBytes();
  const DBytes = D?.toBytes();
  const digest = transcriptDigest({
    scheme: 'clsag',
    columns: a.aux ? 2 : 1,
    ringBytes: a.ring.ringBytes,
    auxBytes: a.aux?.bytes,
    scopeBytes: a.scopeBytes,
    message: a.message,
    keyImage: IBytes,
    auxImage: DBytes,
  });
  const weights = aggregation(digest, !!a.aux);
  const w = a.aux ? (weights[0]! * a.x + weights[1]! * a.z!) % ORDER : (weights[0]! * a.x) % ORDER;
  const secret = a.aux ? new Uint8Array([...scalarToBytes(a.x), ...scalarToBytes(a.z!)]) : scalarToBytes(a.x);
  const rand = hedgedScalars(a.rand32, secret, digest, DST.nonce, xmd64);
  secret.fill(0);
  const n = a.ring.n;
  const { c0, s } = sagSign(
    {
      roundDst: DST.clsagRound,
      digest,
      weights,
      columns: a.aux ? [a.ring.points, a.aux.points] : [a.ring.points],
      images: D ? [I, D] : [I],
      hp,
      tables: a.ring.tables,
    },
    a.pi,
    w,
    rand(n),
    rand,
  );
  return { c0, s, I: IBytes, D: DBytes };
}

/**
 * CLSAG verification (eprint 2019/654 §3 "Verification"): recompute μ_0, μ_1, walk the ring from c_0 and check the
 * loop closes. The caller has checked scheme, ring size and column count.
 * @returns true when the signature verifies
 */
export function clsagVerify(
  ring: PreparedRing,
  aux: AuxColumn | undefined,
  sig: DecodedSignature,
  message: Uint8Array,
  scopeBytes: Uint8Array,
): boolean {
  const digest = transcriptDigest({
    scheme: 'clsag',
    columns: aux ? 2 : 1,
    ringBytes: ring.ringBytes,
    auxBytes: aux?.bytes,
    scopeBytes,
    message,
    keyImage: sig.IBytes,
    auxImage: sig.DBytes,
  });
  const weights = aggregation(digest, !!aux);
  return sagVerify(
    {
      roundDst: DST.clsagRound,
      digest,
      weights,
      columns: aux ? [ring.points, aux.points] : [ring.points],
      images: sig.D ? [sig.I, sig.D] : [sig.I],
      hp: ring.hashPoints(scopeBytes),
      tables: ring.tables,
    },
    sig.c0,
    sig.s,
  );
}

