/**
 * Hash registry backed by `node:crypto` (OpenSSL): SHA-256/384/512 and SM3 as noble-compatible {@link CHash}
 * objects over `createHash`, same ids, lengths and outputs as the portable registry. SHA-1 (legacy verification
 * only) stays on the portable implementation. Selected by the `"node"` export condition (`index.node.ts`).
 * @module
 */
import { _nodeCHash } from './_node-hash.js';
import { HASH_IDS, _lookupId, getHash as portableGetHash, type CHash, type HashId } from './hash.js';
import { sm3 } from './sm3.node.js';

// DER-encoded OIDs (NIST CSOR 2.16.840.1.101.3.4.2.{1,2,3}), as the portable objects carry them.
const oid = (last: number): Uint8Array => Uint8Array.from([0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, last]);

let NODE: Readonly<Record<HashId, CHash>> | undefined;

/**
 * Returns the hash function for `id` (FIPS 180-4 SHA-256/SHA-384/SHA-512, GB/T 32905-2016 SM3) computed by
 * `node:crypto` — the Node entry's `getHash`, same contract as the portable one. `sha1` (broken for collision
 * resistance, legacy TPM verification only) is the portable implementation.
 * @param id - one of `sha1 | sha256 | sha384 | sha512 | sm3`
 * @returns the frozen noble-compatible hash (`h(msg)`, `h.create().update(a).digest()`, `outputLen`, `blockLen`),
 *   the same object on every call
 * @throws {InputError} `INVALID_TYPE` for a non-string id
 * @throws {UnsupportedError} `UNSUPPORTED` for an unknown id
 * @example
 * ```ts
 * const h = getHash('sha256');
 * h(utf8ToBytes('abc')); // ba7816bf…
 * ```
 */
export function getHash(id: HashId): CHash {
  const hid = _lookupId(id, HASH_IDS, 'hashId');
  NODE ??= Object.freeze({
    sha1: portableGetHash('sha1'),
    sha256: _nodeCHash('sha256', 64, 32, oid(1)),
    sha384: _nodeCHash('sha384', 128, 48, oid(2)),
    sha512: _nodeCHash('sha512', 128, 64, oid(3)),
    sm3: sm3 as unknown as CHash,
  });
  return NODE[hid];
}
