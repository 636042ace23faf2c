/**
 * Named suites for envelopes and streams: RFC 9180 ciphersuites, secp256k1 (ledger keys), the PrivKit
 * `SM2-SM3-SM4` national-standard suite and the Chebyshev suites (FORMAT.md §1).
 * @module
 */
import { InputError, isBytes } from '@privkit/core';
import * as hpke from './hpke.js';
import { defineSuite, isSuite } from './_suite.js';
import {
  _AEAD_AES_128_GCM,
  _AEAD_AES_256_GCM,
  _AEAD_CHACHA20_POLY1305,
  _AEAD_SM4_GCM,
  _KDF_SHA256,
  _KDF_SHA384,
  _KDF_SHA512,
  _KDF_SM3,
  _KEM_CHEBYSHEV_2048,
  _KEM_CHEBYSHEV_3072,
  _KEM_P256,
  _KEM_P384,
  _KEM_P521,
  _KEM_SECP256K1,
  _KEM_SM2,
  _KEM_X25519,
  _KEM_X448,
} from './suites.js';

/** Named suites: `[kemId, kdfId, aeadId]` (RFC 9180 §7 ids; `0xff..` are PrivKit private ids, FORMAT.md §1). */
export const suites = /* @__PURE__ */ Object.freeze({
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
  if (isSuite(s)) return s;
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

// One constant per named suite: the same frozen object as `resolveSuite(name)`. Importing a constant (and
// `withSuite`) keeps only that suite's KEM, KDF and AEAD in a bundle; names and `hpke.suite(ids)` keep all of them.

/** `X25519-SHA256-AES-128-GCM`: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM (RFC 9180 §7). */
export const X25519_SHA256_AES_128_GCM: hpke.Suite = /* @__PURE__ */ defineSuite(_KEM_X25519, _KDF_SHA256, _AEAD_AES_128_GCM);
/** `X25519-SHA256-AES-256-GCM` (the default suite). */
export const X25519_SHA256_AES_256_GCM: hpke.Suite = /* @__PURE__ */ defineSuite(_KEM_X25519, _KDF_SHA256, _AEAD_AES_256_GCM);
/** `X25519-SHA256-CHACHA20POLY1305`. */
export const X25519_SHA256_CHACHA20POLY1305: hpke.Suite = /* @__PURE__ */ defineSuite(_KEM_X25519, _KDF_SHA256, _AEAD_CHACHA20_POLY1305);
/** `P256-SHA256-AES-128-GCM`. */
export const P256_SHA256_AES_128_GCM: hpke.Suite = /* @__PURE__ */ defineSuite(_KEM_P256, _KDF_SHA256, _AEAD_AES_128_GCM);
/** `P256-SHA256-AES-256-GCM`. */
export const P256_SHA256_AES_256_GCM: hpke.Suite = /* @__PURE__ */ defineSuite(_KEM_P256, _KDF_SHA256, _AEAD_AES_256_GCM);
/** `P384-SHA384-AES-256-GCM`. */
export const P384_SHA384_AES_256_GCM: hpke.Suite = /* @__PURE__ */ defineSuite(_KEM_P384, _KDF_SHA384, _AEAD_AES_256_GCM);
/** `P521-SHA512-AES-256-GCM`. */
export const P521_SHA512_AES_256_GCM: hpke.Suite = /* @__PURE__ */ defineSuite(_KEM_P521, _KDF_SHA512, _AEAD_AES_256_GCM);
/** `X448-SHA512-AES-256-GCM`. */
export const X448_SHA512_AES_256_GCM: hpke.Suite = /* @__PURE__ */ defineSuite(_KEM_X448, _KDF_SHA512, _AEAD_AES_256_GCM);
/** `X448-SHA512-CHACHA20POLY1305`. */
export const X448_SHA512_CHACHA20POLY1305: hpke.Suite = /* @__PURE__ */ defineSuite(_KEM_X448, _KDF_SHA512, _AEAD_CHACHA20_POLY1305);
/** `SECP256K1-SHA256-AES-256-GCM` (ledger keys). */
export const SECP256K1_SHA256_AES_256_GCM: hpke.Suite = /* @__PURE__ */ defineSuite(_KEM_SECP256K1, _KDF_SHA256, _AEAD_AES_256_GCM);
/** `SM2-SM3-SM4`: DHKEM(SM2, HKDF-SM3), HKDF-SM3, SM4-GCM (PrivKit private ids, FORMAT.md §1). */
export const SM2_SM3_SM4: hpke.Suite = /* @__PURE__ */ defineSuite(_KEM_SM2, _KDF_SM3, _AEAD_SM4_GCM);
/** `CHEBYSHEV3072-SHA256-AES-256-GCM` (PrivKit private KEM id, FORMAT.md §1). */
export const CHEBYSHEV3072_SHA256_AES_256_GCM: hpke.Suite = /* @__PURE__ */ defineSuite(_KEM_CHEBYSHEV_3072, _KDF_SHA256, _AEAD_AES_256_GCM);
/** `CHEBYSHEV2048-SHA256-AES-256-GCM` (PrivKit private KEM id, FORMAT.md §1). */
export const CHEBYSHEV2048_SHA256_AES_256_GCM: hpke.Suite = /* @__PURE__ */ defineSuite(_KEM_CHEBYSHEV_2048, _KDF_SHA256, _AEAD_AES_256_GCM);
