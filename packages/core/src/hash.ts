/**
 * Hash registry: one lookup from a stable id to a noble-compatible {@link CHash} (`hash(msg)`, `hash.create()`,
 * `outputLen`, `blockLen`). HKDF, HMAC and signatures take a {@link HashId} and resolve it here.
 * @module
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import type { CHash } from '@noble/hashes/utils.js';
import { sm3 } from './sm3.js';
import { UnsupportedError } from './errors.js';
import { astring } from './validate.js';

export type { CHash } from '@noble/hashes/utils.js';

/** Ids accepted by {@link getHash}. */
export type HashId = 'sha1' | 'sha256' | 'sha384' | 'sha512' | 'sm3';

/** Every id accepted by {@link getHash}, frozen. */
export const HASH_IDS: readonly HashId[] = Object.freeze(['sha1', 'sha256', 'sha384', 'sha512', 'sm3'] as const);

/** Resolves a registry id: InputError for a non-string, UnsupportedError for an unknown id (internal). */
export function _lookupId<T extends string>(id: unknown, ids: readonly T[], what: string): T {
  const s = astring(id, what);
  if (!(ids as readonly string[]).includes(s)) {
    throw new UnsupportedError(`unknown ${what} "${s.slice(0, 64)}"; expected one of ${ids.join(', ')}`);
  }
  return s as T;
}

const HASHES: Readonly<Record<HashId, CHash>> = Object.freeze({
  sha1: sha1 as CHash,
  sha256: sha256 as CHash,
  sha384: sha384 as CHash,
  sha512: sha512 as CHash,
  sm3: sm3 as unknown as CHash,
});

/**
 * Returns the hash function for `id` (FIPS 180-4 SHA-1/SHA-256/SHA-384/SHA-512, GB/T 32905-2016 SM3).
 *
 * **SHA-1 is broken for collision resistance** (SHAttered, 2017): it is registered only so that legacy TPM 2.0
 * quotes over the SHA-1 PCR bank can be verified. Never use it to sign, commit to or derive anything new.
 *
 * The returned object is the portable (pure-JS) implementation, frozen; it is the same object on every call.
 * (Under the `"node"` export condition, `getHash` is the `node:crypto`-backed version in `hash.node.ts`.)
 * @param id - one of `sha1 | sha256 | sha384 | sha512 | sm3`
 * @returns the noble-compatible hash: `h(msg)`, `h.create().update(a).update(b).digest()`, `h.outputLen`, `h.blockLen`
 * @throws {InputError} `INVALID_TYPE` for a non-string id
 * @throws {UnsupportedError} `UNSUPPORTED` for an unknown id
 * @example
 * ```ts
 * const h = getHash('sm3');
 * h(utf8ToBytes('abc')); // 66c7f0f4…
 * ```
 */
export function getHash(id: HashId): CHash {
  return HASHES[_lookupId(id, HASH_IDS, 'hashId')];
}
