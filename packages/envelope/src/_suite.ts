/**
 * Suite objects: one frozen object per (KEM, KDF, AEAD), shared by `hpke.suite(ids)` and the named suite constants,
 * and the brand that tells them from look-alikes. Internal.
 * @module
 */
import type { Kem } from './_dhkem.js';
import { ascii, concat } from './_labeled.js';
import type { Suite } from './hpke.js';
import type { HpkeAead, HpkeKdf } from './suites.js';

function u16(n: number): Uint8Array {
  return new Uint8Array([n >>> 8, n & 0xff]);
}

const cache = new Map<number, Suite>();
/** Every suite this module made: only these are accepted where a suite object is passed in. */
const made = new WeakSet<Suite>();

/**
 * The suite of three algorithm objects (the constants of `named.ts`); the same frozen object as
 * `hpke.suite(kem.id, kdf.id, aead.id)`.
 */
export function defineSuite(kem: Kem, kdf: HpkeKdf, aead: HpkeAead): Suite {
  const key = kem.id * 2 ** 32 + kdf.id * 2 ** 16 + aead.id;
  const hit = cache.get(key);
  if (hit) return hit;
  const id = concat([ascii('HPKE'), u16(kem.id), u16(kdf.id), u16(aead.id)]);
  const s: Suite = Object.freeze({ kem, kdf, aead, id });
  cache.set(key, s);
  made.add(s);
  return s;
}

/** True for a suite made by this module (`suite(...)` or a named suite constant), never for a look-alike. */
export function isSuite(s: unknown): s is Suite {
  return typeof s === 'object' && s !== null && made.has(s as Suite);
}

