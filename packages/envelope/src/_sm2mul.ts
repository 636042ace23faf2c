/**
 * Scalar multiplication helpers for SM2 encryption. Internal.
 *
 * `mulWindow4`: fixed 4-bit window, always 4 doublings + 1 (complete-formula) addition per window, 64 windows for a
 * 256-bit scalar; the table lookup is indexed by secret digits and BigInt arithmetic is not constant-time (as
 * everywhere in BigInt code). About 2× faster than a 1-bit ladder for a one-off point.
 * `recipientPoint`: decodes and validates a public key and, from its second use on, attaches a cached fixed-base
 * table (noble `precompute(6)`, public data only) so repeated encryption to the same key is as fast as k·G.
 * @module
 */
import { KeyError } from '@privkit/core';
import { Sm2Point } from './_core.js';

type Point = InstanceType<typeof Sm2Point>;

/** n·P with a fixed 4-bit window (n < 2^256). Not constant-time (BigInt). */
export function mulWindow4(P: Point, n: bigint): Point {
  const T: Point[] = [Sm2Point.ZERO, P];
  for (let i = 2; i < 16; i++) T.push(T[i - 1]!.add(P));
  let acc = Sm2Point.ZERO;
  for (let i = 63; i >= 0; i--) {
    acc = acc.double().double().double().double();
    acc = acc.add(T[Number((n >> BigInt(4 * i)) & 15n)]!);
  }
  return acc;
}

const CACHE_SIZE = 8;
const seen = new Map<string, { point: Point; uses: number }>();

function hex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += b[i]!.toString(16).padStart(2, '0');
  return s;
}

/** Decodes + validates an SM2 public key (throws KeyError), with the LRU table cache described above. */
export function recipientPoint(publicKey: Uint8Array): { point: Point; precomputed: boolean } {
  const key = hex(publicKey);
  const hit = seen.get(key);
  if (hit) {
    seen.delete(key);
    seen.set(key, hit);
    if (hit.uses++ === 1) hit.point.precompute(6, false);
    return { point: hit.point, precomputed: hit.uses >= 2 };
  }
  let point: Point;
  try {
    point = Sm2Point.fromBytes(publicKey);
    point.assertValidity();
  } catch (e) {
    throw new KeyError('"publicKey" is not a valid SM2 public key', { cause: e });
  }
  if (point.is0()) throw new KeyError('"publicKey" is the point at infinity');
  seen.set(key, { point, uses: 1 });
  if (seen.size > CACHE_SIZE) seen.delete(seen.keys().next().value!);
  return { point, precomputed: false };
}
