/**
 * Ring preparation shared by the schemes and by ring contexts: validation (size, canonical non-identity members,
 * no duplicates), decoding, the member hash-to-points Hp(P_i) per scope, and optional per-point wNAF tables.
 * @module
 */
import { abytes, bytesToHex, InputError } from '@privkit/core';
import { pointFromBytes, type Point } from './_group.js';
import { MAX_RING, MIN_RING, memberHashPoint } from './_transcript.js';
import { RingSigError } from './errors.js';

/**
 * Window of the per-point fixed-base tables built by ring contexts (noble `precompute(W)`): wider for small rings,
 * where the per-verification fixed costs dominate. Memory per point: W=8 ~0.9 MB, W=6 ~0.3 MB, W=4 ~0.11 MB.
 */
export function tableWindow(n: number): number {
  return n <= 32 ? 8 : n <= 128 ? 6 : 4;
}
/** Ring contexts keep Hp sets (with tables) for at most this many scopes (oldest evicted first). */
export const SCOPE_CACHE = 4;

/** A decoded, validated ring. */
export interface PreparedRing {
  readonly n: number;
  readonly members: readonly Uint8Array[];
  readonly points: readonly Point[];
  readonly ringBytes: Uint8Array;
  /** True when the member points and hash points carry wNAF tables (ring context). */
  readonly tables: boolean;
  /** Hp(scopeField ‖ P_i) for every member, for this scope field (cached in contexts). */
  hashPoints(scopeBytes: Uint8Array): readonly Point[];
}

/** Validates and decodes a ring (array of 32-byte encodings). Throws InputError / RingSigError(RING_INVALID). */
export function decodeRing(ring: unknown, title = 'ring'): { members: Uint8Array[]; points: Point[]; bytes: Uint8Array } {
  if (!Array.isArray(ring)) {
    throw new InputError(`"${title}" expected array of Uint8Array, got type=${ring === null ? 'null' : typeof ring}`, {
      code: 'INVALID_TYPE',
    });
  }
  if (ring.length < MIN_RING || ring.length > MAX_RING) {
    throw new RingSigError(`"${title}" expected ${MIN_RING}..${MAX_RING} members, got ${ring.length}`, { code: 'RING_INVALID' });
  }
  const n = ring.length;
  const members: Uint8Array[] = new Array(n);
  const points: Point[] = new Array(n);
  const bytes = new Uint8Array(32 * n);
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const m: unknown = ring[i];
    abytes(m, 32, `${title}[${i}]`);
    const copy = Uint8Array.from(m as Uint8Array);
    const p = pointFromBytes(copy);
    if (!p) {
      throw new RingSigError(`"${title}[${i}]" is not a canonical non-identity ristretto255 element`, { code: 'RING_INVALID' });
    }
    const hex = bytesToHex(copy);
    if (seen.has(hex)) throw new RingSigError(`"${title}[${i}]" duplicates an earlier member`, { code: 'RING_INVALID' });
    seen.add(hex);
    members[i] = copy;
    points[i] = p;
    bytes.set(copy, 32 * i);
  }
  return { members, points, bytes };
}

/**
 * Prepares a ring. With `tables`, member points get wNAF tables (window `window`, default {@link tableWindow}) and
 * Hp sets are cached per scope.
 */
export function prepareRing(ring: unknown, tables: boolean, title = 'ring', window?: number): PreparedRing {
  const { members, points, bytes } = decodeRing(ring, title);
  const W = window ?? tableWindow(members.length);
  if (tables) for (const p of points) p.precompute(W, true);
  const cache = new Map<string, readonly Point[]>();
  const hashPoints = (scopeBytes: Uint8Array): readonly Point[] => {
    const key = bytesToHex(scopeBytes);
    const hit = cache.get(key);
    if (hit) return hit;
    const hp = members.map((m) => memberHashPoint(scopeBytes, m));
    if (!tables) return hp;
    for (const p of hp) p.precompute(W, true);
    if (cache.size >= SCOPE_CACHE) cache.delete(cache.keys().next().value as string);
    cache.set(key, hp);
    return hp;
  };
  return Object.freeze({ n: members.length, members, points, ringBytes: bytes, tables, hashPoints });
}
