/**
 * Named suites for envelopes and streams: RFC 9180 ciphersuites, secp256k1 (ledger keys), the PrivKit
 * `SM2-SM3-SM4` national-standard suite and the Chebyshev suites (FORMAT.md §1).
 * @module
 */
import { InputError, isBytes } from '@privkit/core';
import * as hpke from './hpke.js';

/** Named suites: `[kemId, kdfId, aeadId]` (RFC 9180 §7 ids; `0xff..` are PrivKit private ids, FORMAT.md §1). */
export const suites = Object.freeze({
  'X25519-SHA256-AES-128-GCM': Object.freeze([0x0020, 0x0001, 0x0001] as const),
  'X25519-SHA256-AES-256-GCM': Object.freeze([0x0020, 0x0001, 0x0002] as const),
  'X25519-SHA256-CHACHA20POLY1305': Object.freeze([0x0020, 0x0001, 0x0003] as const),
  'P256-SHA256-AES-128-GCM': Object.freeze([0x0010, 0x0001, 0x0001] as const),
  'P256-SHA256-AES-256-GCM': Object.freeze([0x0010, 0x0001, 0x0002] as const),
  'P384-SHA384-AES-256-GCM': Object.freeze([0x0011, 0x0002, 0x0002] as const),
  'P521-SHA512-AES-256-GCM': Object.freeze([0x0012, 0x0003, 0x0002] as const),
  'X448-SHA512-AES-256-GCM': Object.freeze([0x0021, 0x0003, 0x0002] as const),
  'X448-SHA512-CHACHA20POLY1305': Object.freeze([0x0021, 0x0003, 0x0003] as const),
  'SECP256K1-SHA256-AES-256-GCM': Object.freeze([0x0016, 0x0001, 0x0002] as const),
  'SM2-SM3-SM4': Object.freeze([0xff01, 0xff01, 0xff01] as const),
  'CHEBYSHEV3072-SHA256-AES-256-GCM': Object.freeze([0xff10, 0x0001, 0x0002] as const),
  'CHEBYSHEV2048-SHA256-AES-256-GCM': Object.freeze([0xff11, 0x0001, 0x0002] as const),
} as const);

/** A suite name of {@link suites}. */
export type SuiteName = keyof typeof suites;
/** A suite name, or a suite object from `hpke.suite(kemId, kdfId, aeadId)`. */
export type SuiteLike = SuiteName | hpke.Suite;

/**
 * Resolves a suite name or suite object to the (cached, frozen) {@link hpke.Suite}.
 * @throws {InputError} unknown name; {UnsupportedError} unknown ids
 */
export function resolveSuite(s: unknown): hpke.Suite {
  if (typeof s === 'string') {
    const ids = (suites as Record<string, readonly [number, number, number]>)[s];
    if (!ids) throw new InputError(`"suite" unknown suite name ${JSON.stringify(s)}`, { code: 'INVALID_VALUE' });
    return hpke.suite(ids[0], ids[1], ids[2]);
  }
  const x = s as hpke.Suite | null;
  if (typeof x === 'object' && x !== null && x.kem && x.kdf && x.aead && isBytes(x.id)) {
    return hpke.suite(x.kem.id, x.kdf.id, x.aead.id);
  }
  throw new InputError('"suite" expected a suite name or hpke.suite(...)', { code: 'INVALID_TYPE' });
}
