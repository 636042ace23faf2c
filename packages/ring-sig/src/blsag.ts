/**
 * bLSAG — back's Linkable Spontaneous Anonymous Group signatures (Zero to Monero 2nd ed. §3.4) over ristretto255:
 * c_{π+1} = H(digest ‖ αG ‖ αHp_π), L_i = r_iG + c_iP_i, R_i = r_iHp_i + c_iI, s_π = α − c_π·x. The transcript
 * digest (FORMAT.md §2) binds scheme, ring, scope, message and key image; the round hash has its own DST, so a bLSAG
 * signature never verifies as CLSAG or vice versa.
 * @module
 */
import { DST, scalarToBytes, xmd64 } from './_group.js';
import type { PreparedRing } from './_ring.js';
import { hedgedScalars, sagSign, sagVerify } from './_sag.js';
import { transcriptDigest } from './_transcript.js';
import type { RawSignature } from './clsag.js';
import type { DecodedSignature } from './signature.js';

/**
 * bLSAG signing at position `pi` with secret `x` (Zero to Monero §3.4, "Signature").
 * @returns the raw signature (c_0, s, I)
 */
export function blsagSign(a: {
  ring: PreparedRing;
  pi: number;
  x: bigint;
  message: Uint8Array;
  scopeBytes: Uint8Array;
  rand32: Uint8Array;
}): RawSignature {
  const hp = a.ring.hashPoints(a.scopeBytes);
  const I = hp[a.pi]!.multiply(a.x);
  const IBytes = I.toBytes();
  const digest = transcriptDigest({
    scheme: 'blsag',
    columns: 1,
    ringBytes: a.ring.ringBytes,
    auxBytes: undefined,
    scopeBytes: a.scopeBytes,
    message: a.message,
    keyImage: IBytes,
    auxImage: undefined,
  });
  const secret = scalarToBytes(a.x);
  const rand = hedgedScalars(a.rand32, secret, digest, DST.nonce, xmd64);
  secret.fill(0);
  const { c0, s } = sagSign(
    { roundDst: DST.blsagRound, digest, weights: [1n], columns: [a.ring.points], images: [I], hp, tables: a.ring.tables },
    a.pi,
    a.x,
    rand(a.ring.n),
    rand,
  );
  return { c0, s, I: IBytes, D: undefined };
}

/**
 * bLSAG verification (Zero to Monero §3.4, "Verification"); ℓ·I = 0 holds by construction in ristretto255.
 * @returns true when the signature verifies
 */
export function blsagVerify(ring: PreparedRing, sig: DecodedSignature, message: Uint8Array, scopeBytes: Uint8Array): boolean {
  const digest = transcriptDigest({
    scheme: 'blsag',
    columns: 1,
    ringBytes: ring.ringBytes,
    auxBytes: undefined,
    scopeBytes,
    message,
    keyImage: sig.IBytes,
    auxImage: undefined,
  });
  return sagVerify(
    { roundDst: DST.blsagRound, digest, weights: [1n], columns: [ring.points], images: [sig.I], hp: ring.hashPoints(scopeBytes), tables: ring.tables },
    sig.c0,
    sig.s,
  );
}
