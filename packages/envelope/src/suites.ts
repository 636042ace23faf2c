/**
 * Registries of HPKE KEMs, KDFs and AEADs by their 2-byte identifiers (RFC 9180 §7), with the PrivKit
 * private-use identifiers documented in FORMAT.md §1, and the named suites.
 * @module
 */
import { anumber, chebyshev, UnsupportedError } from '@privkit/core';
import { getAead, getDhGroup, type Aead, type HashId } from './_core.js';
import { dhkem, type Kem } from './_dhkem.js';

/** KEM identifiers (RFC 9180 §7.1 and IANA; `0xff..` values are PrivKit private ids, FORMAT.md §1). */
export const KEM_ID = Object.freeze({
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
export const KDF_ID = Object.freeze({ HKDF_SHA256: 0x0001, HKDF_SHA384: 0x0002, HKDF_SHA512: 0x0003, HKDF_SM3: 0xff01 } as const);
/** AEAD identifiers (RFC 9180 §7.3; `0xff01` = SM4-GCM, PrivKit private id). */
export const AEAD_ID = Object.freeze({ AES_128_GCM: 0x0001, AES_256_GCM: 0x0002, CHACHA20_POLY1305: 0x0003, SM4_GCM: 0xff01, EXPORT_ONLY: 0xffff } as const);

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

const KDFS: Readonly<Record<number, HpkeKdf>> = Object.freeze({
  0x0001: Object.freeze({ id: 0x0001, name: 'HKDF-SHA256', hash: 'sha256', Nh: 32 } as const),
  0x0002: Object.freeze({ id: 0x0002, name: 'HKDF-SHA384', hash: 'sha384', Nh: 48 } as const),
  0x0003: Object.freeze({ id: 0x0003, name: 'HKDF-SHA512', hash: 'sha512', Nh: 64 } as const),
  0xff01: Object.freeze({ id: 0xff01, name: 'HKDF-SM3', hash: 'sm3', Nh: 32 } as const),
});

function aead(id: number, name: string, coreId: Parameters<typeof getAead>[0], Nk: number): HpkeAead {
  let a: Aead | undefined;
  return Object.freeze({ id, name, Nk, Nn: 12, Nt: 16, impl: () => (a ??= getAead(coreId)) });
}
const AEADS: Readonly<Record<number, HpkeAead>> = Object.freeze({
  0x0001: aead(0x0001, 'AES-128-GCM', 'aes-128-gcm', 16),
  0x0002: aead(0x0002, 'AES-256-GCM', 'aes-256-gcm', 32),
  0x0003: aead(0x0003, 'ChaCha20Poly1305', 'chacha20-poly1305', 32),
  0xff01: aead(0xff01, 'SM4-GCM', 'sm4-gcm', 16),
  0xffff: Object.freeze({ id: 0xffff, name: 'Export-only', Nk: 0, Nn: 0, Nt: 0, impl: undefined }),
});

const KEMS: Readonly<Record<number, Kem>> = Object.freeze({
  0x0010: dhkem({ id: 0x0010, name: 'DHKEM(P-256, HKDF-SHA256)', group: () => getDhGroup('p256'), hash: 'sha256', Nsecret: 32, derive: { bitmask: 0xff } }),
  0x0011: dhkem({ id: 0x0011, name: 'DHKEM(P-384, HKDF-SHA384)', group: () => getDhGroup('p384'), hash: 'sha384', Nsecret: 48, derive: { bitmask: 0xff } }),
  0x0012: dhkem({ id: 0x0012, name: 'DHKEM(P-521, HKDF-SHA512)', group: () => getDhGroup('p521'), hash: 'sha512', Nsecret: 64, derive: { bitmask: 0x01 } }),
  0x0016: dhkem({ id: 0x0016, name: 'DHKEM(secp256k1, HKDF-SHA256)', group: () => getDhGroup('secp256k1'), hash: 'sha256', Nsecret: 32, derive: { bitmask: 0xff } }),
  0x0020: dhkem({ id: 0x0020, name: 'DHKEM(X25519, HKDF-SHA256)', group: () => getDhGroup('x25519'), hash: 'sha256', Nsecret: 32, derive: 'x' }),
  0x0021: dhkem({ id: 0x0021, name: 'DHKEM(X448, HKDF-SHA512)', group: () => getDhGroup('x448'), hash: 'sha512', Nsecret: 64, derive: 'x' }),
  0xff01: dhkem({ id: 0xff01, name: 'DHKEM(SM2, HKDF-SM3)', group: () => getDhGroup('sm2'), hash: 'sm3', Nsecret: 32, derive: { bitmask: 0xff } }),
  // Chebyshev secret keys are short exponents 1 ≤ n < 2^exponentBits in Nsk bytes: the bitmask clears the excess
  // top bits (3072: 275 bits in 35 bytes → 0x07; 2048: 225 bits in 29 bytes → 0x01).
  0xff10: dhkem({ id: 0xff10, name: 'DHKEM(Chebyshev-3072, HKDF-SHA256)', group: () => chebyshev.group('chebyshev-3072'), hash: 'sha256', Nsecret: 32, derive: { bitmask: 0x07 } }),
  0xff11: dhkem({ id: 0xff11, name: 'DHKEM(Chebyshev-2048, HKDF-SHA256)', group: () => chebyshev.group('chebyshev-2048'), hash: 'sha256', Nsecret: 32, derive: { bitmask: 0x01 } }),
});

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
