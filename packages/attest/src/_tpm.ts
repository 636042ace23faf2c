/**
 * TPM 2.0 constants (TCG Algorithm Registry; TPM 2.0 Library Part 2 §6) and a strict big-endian reader/writer for
 * TPM marshalling. Internal.
 * @module
 */
import { getHash, type CHash } from '@privkit/core';
import { TpmEncodingError } from './errors.js';

/** TPM_ALG_ID values used here (TCG Algorithm Registry, TPM 2.0 Library Part 2 §6.3). */
export const TPM_ALG = Object.freeze({
  RSA: 0x0001,
  SHA1: 0x0004,
  SHA256: 0x000b,
  SHA384: 0x000c,
  SHA512: 0x000d,
  NULL: 0x0010,
  SM3_256: 0x0012,
  RSASSA: 0x0014,
  RSAPSS: 0x0016,
  ECDSA: 0x0018,
  SM2: 0x001b,
  ECC: 0x0023,
  EDDSA: 0x0060,
} as const);

/** TPM_ECC_CURVE values (TPM 2.0 Library Part 2 §6.4). */
export const TPM_ECC = Object.freeze({
  NIST_P256: 0x0003,
  NIST_P384: 0x0004,
  SM2_P256: 0x0020,
  CURVE_25519: 0x0040,
} as const);

/** TPM_GENERATED_VALUE (Part 2 §6.2) — the `magic` of every TPMS_ATTEST. */
export const TPM_GENERATED_VALUE = 0xff544347;
/** TPM_ST_ATTEST_QUOTE (Part 2 §6.9). */
export const TPM_ST_ATTEST_QUOTE = 0x8018;
/** sizeof(TPMU_HA): the largest digest a TPM2B_DIGEST / TPM2B_DATA may hold (SHA-512). */
export const MAX_DIGEST = 64;
/** Number of PCRs in a PC Client TPM (and the largest selection we accept: 3 octets). */
export const PCR_COUNT = 24;

/** Hash ids this package knows, with their TPM_ALG_ID. */
export type TpmHashId = 'sha1' | 'sha256' | 'sha384' | 'sha512' | 'sm3';
const HASH_TO_ALG: Readonly<Record<TpmHashId, number>> = Object.freeze({
  sha1: TPM_ALG.SHA1,
  sha256: TPM_ALG.SHA256,
  sha384: TPM_ALG.SHA384,
  sha512: TPM_ALG.SHA512,
  sm3: TPM_ALG.SM3_256,
});
/** TPM_ALG_ID of a hash id. */
export function hashToAlg(id: TpmHashId): number {
  return HASH_TO_ALG[id];
}
/** Hash id of a TPM_ALG_ID, or undefined when it is not a hash we implement. */
export function algToHash(alg: number): TpmHashId | undefined {
  for (const [k, v] of Object.entries(HASH_TO_ALG)) if (v === alg) return k as TpmHashId;
  return undefined;
}
/** The hash function for an id. */
export function hashFn(id: TpmHashId): CHash {
  return getHash(id);
}
/** Digest length in bytes for a hash id. */
export function hashLen(id: TpmHashId): number {
  return getHash(id).outputLen;
}

/** Strict reader: every read is bounds-checked and `end()` rejects trailing bytes. */
export class Reader {
  private pos = 0;
  constructor(
    private readonly buf: Uint8Array,
    private readonly what: string,
  ) {}
  private need(n: number, field: string): void {
    if (this.pos + n > this.buf.length) {
      throw new TpmEncodingError(`${this.what}: truncated at ${field} (need ${n} bytes at offset ${this.pos})`);
    }
  }
  get offset(): number {
    return this.pos;
  }
  get remaining(): number {
    return this.buf.length - this.pos;
  }
  u8(field: string): number {
    this.need(1, field);
    return this.buf[this.pos++]!;
  }
  u16(field: string): number {
    this.need(2, field);
    const v = (this.buf[this.pos]! << 8) | this.buf[this.pos + 1]!;
    this.pos += 2;
    return v;
  }
  u32(field: string): number {
    this.need(4, field);
    const b = this.buf;
    const p = this.pos;
    const v = ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
    this.pos += 4;
    return v;
  }
  u64(field: string): bigint {
    const hi = this.u32(field);
    const lo = this.u32(field);
    return (BigInt(hi) << 32n) | BigInt(lo);
  }
  bytes(n: number, field: string): Uint8Array {
    this.need(n, field);
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  /** A TPM2B: UINT16 size then that many bytes, size ≤ max. */
  tpm2b(field: string, max: number): Uint8Array {
    const size = this.u16(`${field}.size`);
    if (size > max) throw new TpmEncodingError(`${this.what}: ${field}.size ${size} exceeds ${max}`);
    return this.bytes(size, field);
  }
  end(): void {
    if (this.pos !== this.buf.length) {
      throw new TpmEncodingError(`${this.what}: ${this.buf.length - this.pos} trailing bytes`);
    }
  }
}

/** Growable big-endian writer. */
export class Writer {
  private parts: number[] = [];
  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    this.parts.push((v >>> 8) & 0xff, v & 0xff);
    return this;
  }
  u32(v: number): this {
    this.parts.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
    return this;
  }
  u64(v: bigint): this {
    this.u32(Number((v >> 32n) & 0xffffffffn));
    return this.u32(Number(v & 0xffffffffn));
  }
  bytes(b: Uint8Array): this {
    for (let i = 0; i < b.length; i++) this.parts.push(b[i]!);
    return this;
  }
  tpm2b(b: Uint8Array): this {
    this.u16(b.length);
    return this.bytes(b);
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}
