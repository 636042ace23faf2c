/**
 * Registries of HPKE KEMs, KDFs and AEADs by their 2-byte identifiers (RFC 9180 §7), with the PrivKit
 * private-use identifiers documented in FORMAT.md §1, and the named suites.
 * @module
 */
import {
  aes128Gcm,
  aes256Gcm,
  anumber,
  chacha20Poly1305,
  chebyshev,
  p256Group,
  p384Group,
  p521Group,
  secp256k1Group,
  sm2Group,
  sm4Gcm,
  UnsupportedError,
  x25519Group,
  x448Group,
} from '@privkit/core';
import type { Aead, HashId } from './_core.js';
import { dhkem, type Kem } from './_dhkem.js';

/** KEM identifiers (RFC 9180 §7.1 and IANA; `0xff..` values are PrivKit private ids, FORMAT.md §1). */
export const KEM_ID = /* @__PURE__ */ Object.freeze({
  P256_SHA256: 0x0010,
  P384_SHA384: 0x0011,
  P521_SHA512: 0x0012,
  SECP256K1_SHA256: 0x0016,
  X25519_SHA256: 0x0020,
  X448_SHA512: 0x0021,
  SM2_SM3: 0xff01,
  CHEBYSHEV_3072_SHA256: 0xff10,
  CHEBYSHEV_2048_SHA256: 0xff11,
} as const);
/** KDF identifiers (RFC 9180 §7.2; `0xff01` = HKDF-SM3, PrivKit private id). */
export const KDF_ID = /* @__PURE__ */ Object.freeze({ HKDF_SHA256: 0x0001, HKDF_SHA384: 0x0002, HKDF_SHA512: 0x0003, HKDF_SM3: 0xff01 } as const);
/** AEAD identifiers (RFC 9180 §7.3; `0xff01` = SM4-GCM, PrivKit private id). */
export const AEAD_ID = /* @__PURE__ */ Object.freeze({ AES_128_GCM: 0x0001, AES_256_GCM: 0x0002, CHACHA20_POLY1305: 0x0003, SM4_GCM: 0xff01, EXPORT_ONLY: 0xffff } as const);

/** An HPKE KDF (RFC 9180 §4, §7.2). */
export interface HpkeKdf {
  readonly id: number;
  readonly name: string;
  readonly hash: HashId;
  readonly Nh: number;
}
/** An HPKE AEAD (RFC 9180 §7.3). `impl` is absent for export-only. */
export interface HpkeAead {
  readonly id: number;
  readonly name: string;
  readonly Nk: number;
  readonly Nn: number;
  readonly Nt: number;
  readonly impl: (() => Aead) | undefined;
}

// One constant per KEM, KDF and AEAD (internal), so that a suite built from constants (`named.ts`) keeps only its
// own algorithms in a bundle; the registries below list all of them for lookups by identifier.

const kdf = (id: number, name: string, hash: HashId, Nh: number): HpkeKdf => Object.freeze({ id, name, hash, Nh });
export const _KDF_SHA256: HpkeKdf = /* @__PURE__ */ kdf(0x0001, 'HKDF-SHA256', 'sha256', 32);
export const _KDF_SHA384: HpkeKdf = /* @__PURE__ */ kdf(0x0002, 'HKDF-SHA384', 'sha384', 48);
export const _KDF_SHA512: HpkeKdf = /* @__PURE__ */ kdf(0x0003, 'HKDF-SHA512', 'sha512', 64);
export const _KDF_SM3: HpkeKdf = /* @__PURE__ */ kdf(0xff01, 'HKDF-SM3', 'sm3', 32);

const aead = (id: number, name: string, impl: Aead, Nk: number): HpkeAead => Object.freeze({ id, name, Nk, Nn: 12, Nt: 16, impl: () => impl });
export const _AEAD_AES_128_GCM: HpkeAead = /* @__PURE__ */ aead(0x0001, 'AES-128-GCM', aes128Gcm, 16);
export const _AEAD_AES_256_GCM: HpkeAead = /* @__PURE__ */ aead(0x0002, 'AES-256-GCM', aes256Gcm, 32);
export const _AEAD_CHACHA20_POLY1305: HpkeAead = /* @__PURE__ */ aead(0x0003, 'ChaCha20Poly1305', chacha20Poly1305, 32);
export const _AEAD_SM4_GCM: HpkeAead = /* @__PURE__ */ aead(0xff01, 'SM4-GCM', sm4Gcm, 16);
const AEAD_EXPORT_ONLY: HpkeAead = /* @__PURE__ */ Object.freeze({ id: 0xffff, name: 'Export-only', Nk: 0, Nn: 0, Nt: 0, impl: undefined });

export const _KEM_P256: Kem = /* @__PURE__ */ dhkem({ id: 0x0010, name: 'DHKEM(P-256, HKDF-SHA256)', group: () => p256Group, hash: 'sha256', Nsecret: 32, derive: { bitmask: 0xff } });
export const _KEM_P384: Kem = /* @__PURE__ */ dhkem({ id: 0x0011, name: 'DHKEM(P-384, HKDF-SHA384)', group: () => p384Group, hash: 'sha384', Nsecret: 48, derive: { bitmask: 0xff } });
export const _KEM_P521: Kem = /* @__PURE__ */ dhkem({ id: 0x0012, name: 'DHKEM(P-521, HKDF-SHA512)', group: () => p521Group, hash: 'sha512', Nsecret: 64, derive: { bitmask: 0x01 } });
export const _KEM_SECP256K1: Kem = /* @__PURE__ */ dhkem({ id: 0x0016, name: 'DHKEM(secp256k1, HKDF-SHA256)', group: () => secp256k1Group, hash: 'sha256', Nsecret: 32, derive: { bitmask: 0xff } });
export const _KEM_X25519: Kem = /* @__PURE__ */ dhkem({ id: 0x0020, name: 'DHKEM(X25519, HKDF-SHA256)', group: () => x25519Group, hash: 'sha256', Nsecret: 32, derive: 'x' });
export const _KEM_X448: Kem = /* @__PURE__ */ dhkem({ id: 0x0021, name: 'DHKEM(X448, HKDF-SHA512)', group: () => x448Group, hash: 'sha512', Nsecret: 64, derive: 'x' });
export const _KEM_SM2: Kem = /* @__PURE__ */ dhkem({ id: 0xff01, name: 'DHKEM(SM2, HKDF-SM3)', group: () => sm2Group, hash: 'sm3', Nsecret: 32, derive: { bitmask: 0xff } });
// Chebyshev secret keys are short exponents 1 ≤ n < 2^exponentBits in Nsk bytes: the bitmask clears the excess
// top bits (3072: 275 bits in 35 bytes → 0x07; 2048: 225 bits in 29 bytes → 0x01).
export const _KEM_CHEBYSHEV_3072: Kem = /* @__PURE__ */ dhkem({ id: 0xff10, name: 'DHKEM(Chebyshev-3072, HKDF-SHA256)', group: () => chebyshev.group('chebyshev-3072'), hash: 'sha256', Nsecret: 32, derive: { bitmask: 0x07 } });
export const _KEM_CHEBYSHEV_2048: Kem = /* @__PURE__ */ dhkem({ id: 0xff11, name: 'DHKEM(Chebyshev-2048, HKDF-SHA256)', group: () => chebyshev.group('chebyshev-2048'), hash: 'sha256', Nsecret: 32, derive: { bitmask: 0x01 } });

const byId = <T extends { id: number }>(xs: T[]): Readonly<Record<number, T>> => Object.freeze(Object.fromEntries(xs.map((x) => [x.id, x])));
const KDFS = /* @__PURE__ */ byId([_KDF_SHA256, _KDF_SHA384, _KDF_SHA512, _KDF_SM3]);
const AEADS = /* @__PURE__ */ byId([_AEAD_AES_128_GCM, _AEAD_AES_256_GCM, _AEAD_CHACHA20_POLY1305, _AEAD_SM4_GCM, AEAD_EXPORT_ONLY]);
const KEMS = /* @__PURE__ */ byId([_KEM_P256, _KEM_P384, _KEM_P521, _KEM_SECP256K1, _KEM_X25519, _KEM_X448, _KEM_SM2, _KEM_CHEBYSHEV_3072, _KEM_CHEBYSHEV_2048]);

function hex4(n: number): string {
  return `0x${n.toString(16).padStart(4, '0')}`;
}
/** Own-property lookup of a 16-bit registry id (never an inherited property such as `constructor`). */
function lookupId<T>(table: Readonly<Record<number, T>>, id: unknown, what: string): T {
  anumber(id, 'id', 0, 0xffff);
  if (!Object.hasOwn(table, id as number)) throw new UnsupportedError(`unsupported ${what} id ${hex4(id as number)}`);
  return table[id as number]!;
}
/** The KEM with identifier `id`. @throws {InputError} when `id` is not a 16-bit integer; {UnsupportedError} */
export function getKem(id: number): Kem {
  return lookupId(KEMS, id, 'KEM');
}
/** The KDF with identifier `id`. @throws {InputError} when `id` is not a 16-bit integer; {UnsupportedError} */
export function getKdf(id: number): HpkeKdf {
  return lookupId(KDFS, id, 'KDF');
}
/** The AEAD with identifier `id`. @throws {InputError} when `id` is not a 16-bit integer; {UnsupportedError} */
export function getAeadById(id: number): HpkeAead {
  return lookupId(AEADS, id, 'AEAD');
}
