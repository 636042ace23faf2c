/**
 * TPMS_ATTEST for quotes — TPM 2.0 Library Part 2 §10.12.12 (TPMS_ATTEST), §10.12.1 (TPMS_CLOCK_INFO),
 * §10.12.4 (TPMS_QUOTE_INFO), §10.9.7 (TPML_PCR_SELECTION), §10.6.2 (TPMS_PCR_SELECTION). Strict parsing: every
 * length is bounded, no trailing bytes, only `TPM_ST_ATTEST_QUOTE`.
 * @module
 */
import { abigint, abool, abytes, abytesRange, anumber, aobject, InputError } from '@privkit/core';
import { MAX_DIGEST, PCR_COUNT, Reader, TPM_GENERATED_VALUE, TPM_ST_ATTEST_QUOTE, Writer } from './_tpm.js';
import { TpmEncodingError } from './errors.js';

/** TPMS_CLOCK_INFO (Part 2 §10.11.1). */
export interface TpmsClockInfo {
  /** Milliseconds the TPM has been powered (UINT64). */
  readonly clock: bigint;
  /** TPM resets since the last TPM2_Clear (UINT32). */
  readonly resetCount: number;
  /** Shutdown/startup cycles since the last reset (UINT32). */
  readonly restartCount: number;
  /** TPMI_YES_NO: `clock` has not been rolled back. */
  readonly safe: boolean;
}

/** One TPMS_PCR_SELECTION: a bank (TPM_ALG_ID) and the PCR indices selected in it. */
export interface TpmsPcrSelection {
  /** TPM_ALG_ID of the bank, e.g. 0x000b for SHA-256. */
  readonly hashAlg: number;
  /** Octets in the bitmap (3 for 24 PCRs; 1..4 accepted). */
  readonly sizeofSelect: number;
  /** Selected PCR indices, ascending. */
  readonly pcrs: readonly number[];
}

/** A parsed TPMS_ATTEST of type TPM_ST_ATTEST_QUOTE. */
export interface TpmsAttest {
  /** TPM_GENERATED_VALUE, 0xff544347. */
  readonly magic: number;
  /** TPM_ST_ATTEST_QUOTE, 0x8018. */
  readonly type: number;
  /** TPM2B_NAME of the signing key (qualified name on real TPMs). */
  readonly qualifiedSigner: Uint8Array;
  /** TPM2B_DATA: the nonce, or H(nonce ‖ data) when a payload is bound (≤ 64 bytes). */
  readonly extraData: Uint8Array;
  readonly clockInfo: TpmsClockInfo;
  /** UINT64 firmware version. */
  readonly firmwareVersion: bigint;
  /** TPML_PCR_SELECTION. */
  readonly pcrSelections: readonly TpmsPcrSelection[];
  /** TPM2B_DIGEST: H_sig(selected PCR values concatenated in selection order). */
  readonly pcrDigest: Uint8Array;
}

/** Most banks a TPML_PCR_SELECTION may list (HASH_COUNT bound). */
export const MAX_PCR_BANKS = 8;
/** Largest TPM2B_NAME: UINT16 alg + a SHA-512 digest. */
export const MAX_NAME = 2 + MAX_DIGEST;
const MAX_SIZEOF_SELECT = 4;

/** Reads a TPML_PCR_SELECTION (count ≤ 8 banks, sizeofSelect 1..4, PCRs 0..23). */
export function readSelection(r: Reader): TpmsPcrSelection[] {
  const count = r.u32('pcrSelect.count');
  if (count > MAX_PCR_BANKS) throw new TpmEncodingError(`TPMS_ATTEST: pcrSelect.count ${count} exceeds ${MAX_PCR_BANKS}`);
  const out: TpmsPcrSelection[] = [];
  for (let k = 0; k < count; k++) {
    const hashAlg = r.u16(`pcrSelections[${k}].hash`);
    const sizeofSelect = r.u8(`pcrSelections[${k}].sizeofSelect`);
    if (sizeofSelect < 1 || sizeofSelect > MAX_SIZEOF_SELECT) {
      throw new TpmEncodingError(`TPMS_ATTEST: sizeofSelect ${sizeofSelect} not in 1..${MAX_SIZEOF_SELECT}`);
    }
    const bitmap = r.bytes(sizeofSelect, `pcrSelections[${k}].pcrSelect`);
    const pcrs: number[] = [];
    for (let i = 0; i < 8 * sizeofSelect; i++) {
      if ((bitmap[i >> 3]! >> (i & 7)) & 1) {
        if (i >= PCR_COUNT) throw new TpmEncodingError(`TPMS_ATTEST: PCR ${i} selected (only 0..23 exist)`);
        pcrs.push(i);
      }
    }
    out.push(Object.freeze({ hashAlg, sizeofSelect, pcrs: Object.freeze(pcrs) }));
  }
  return out;
}

/**
 * Parses a TPMS_ATTEST of type TPM_ST_ATTEST_QUOTE, strictly.
 *
 * TPM 2.0 Library Part 2 §10.12.12.
 * @param bytes - the raw structure (as `tpm2_quote -m` writes it)
 * @returns every field, frozen
 * @throws {InputError} when `bytes` is not a Uint8Array; {@link TpmEncodingError} `TPM_MALFORMED` on a wrong magic
 *   or type, truncation, oversize lengths, PCR indices ≥ 24, `safe` not 0/1, or trailing bytes
 * @example
 * ```ts
 * const { extraData, pcrDigest, pcrSelections } = parseTpmsAttest(attest);
 * ```
 */
export function parseTpmsAttest(bytes: Uint8Array): TpmsAttest {
  abytes(bytes, undefined, 'attest');
  if (bytes.length > 1024) throw new TpmEncodingError(`TPMS_ATTEST: ${bytes.length} bytes exceeds 1024`);
  const r = new Reader(bytes, 'TPMS_ATTEST');
  const magic = r.u32('magic');
  if (magic !== TPM_GENERATED_VALUE) throw new TpmEncodingError(`TPMS_ATTEST: magic 0x${magic.toString(16)} is not TPM_GENERATED_VALUE`);
  const type = r.u16('type');
  if (type !== TPM_ST_ATTEST_QUOTE) throw new TpmEncodingError(`TPMS_ATTEST: type 0x${type.toString(16)} is not TPM_ST_ATTEST_QUOTE`);
  const qualifiedSigner = r.tpm2b('qualifiedSigner', MAX_NAME);
  const extraData = r.tpm2b('extraData', MAX_DIGEST);
  const clock = r.u64('clockInfo.clock');
  const resetCount = r.u32('clockInfo.resetCount');
  const restartCount = r.u32('clockInfo.restartCount');
  const safeByte = r.u8('clockInfo.safe');
  if (safeByte > 1) throw new TpmEncodingError(`TPMS_ATTEST: clockInfo.safe ${safeByte} is not TPMI_YES_NO`);
  const firmwareVersion = r.u64('firmwareVersion');
  const pcrSelections = readSelection(r);
  const pcrDigest = r.tpm2b('pcrDigest', MAX_DIGEST);
  r.end();
  return Object.freeze({
    magic,
    type,
    qualifiedSigner,
    extraData,
    clockInfo: Object.freeze({ clock, resetCount, restartCount, safe: safeByte === 1 }),
    firmwareVersion,
    pcrSelections: Object.freeze(pcrSelections),
    pcrDigest,
  });
}

/** Fields for {@link encodeTpmsAttest}; `magic` and `type` default to the quote values. */
export interface TpmsAttestFields {
  magic?: number;
  type?: number;
  qualifiedSigner: Uint8Array;
  extraData: Uint8Array;
  clockInfo: TpmsClockInfo;
  firmwareVersion: bigint;
  pcrSelections: readonly TpmsPcrSelection[];
  pcrDigest: Uint8Array;
}

/** Encodes one TPML_PCR_SELECTION (also used by the verifier to compare selections). */
export function encodePcrSelections(sels: readonly TpmsPcrSelection[], title = 'pcrSelections'): Uint8Array {
  if (!Array.isArray(sels) || sels.length > MAX_PCR_BANKS) {
    throw new InputError(`"${title}" expected array of at most ${MAX_PCR_BANKS} selections`, { code: 'INVALID_VALUE' });
  }
  const w = new Writer().u32(sels.length);
  sels.forEach((s, k) => {
    const sel = aobject<TpmsPcrSelection>(s, `${title}[${k}]`, false)!;
    w.u16(anumber(sel.hashAlg, `${title}[${k}].hashAlg`, 0, 0xffff));
    const size = anumber(sel.sizeofSelect, `${title}[${k}].sizeofSelect`, 1, MAX_SIZEOF_SELECT);
    const bitmap = new Uint8Array(size);
    if (!Array.isArray(sel.pcrs)) throw new InputError(`"${title}[${k}].pcrs" expected array`, { code: 'INVALID_TYPE' });
    for (const i of sel.pcrs) {
      anumber(i, `${title}[${k}].pcrs[]`, 0, Math.min(PCR_COUNT, 8 * size) - 1);
      bitmap[i >> 3]! |= 1 << (i & 7);
    }
    w.u8(size).bytes(bitmap);
  });
  return w.finish();
}

/**
 * Encodes a TPMS_ATTEST of type TPM_ST_ATTEST_QUOTE (inverse of {@link parseTpmsAttest}).
 *
 * TPM 2.0 Library Part 2 §10.12.12.
 * @param fields - every field; `magic`/`type` default to 0xff544347 / 0x8018
 * @returns the marshalled structure
 * @throws {InputError} when a field has a wrong type, length or range
 * @example
 * ```ts
 * const bytes = encodeTpmsAttest(parseTpmsAttest(attest)); // byte-identical
 * ```
 */
export function encodeTpmsAttest(fields: TpmsAttestFields): Uint8Array {
  const f = aobject<TpmsAttestFields>(fields, 'fields', false)!;
  const magic = f.magic === undefined ? TPM_GENERATED_VALUE : anumber(f.magic, 'magic', 0, 0xffffffff);
  const type = f.type === undefined ? TPM_ST_ATTEST_QUOTE : anumber(f.type, 'type', 0, 0xffff);
  const ci = aobject<TpmsClockInfo>(f.clockInfo, 'clockInfo', false)!;
  const w = new Writer()
    .u32(magic)
    .u16(type)
    .tpm2b(abytesRange(f.qualifiedSigner, 0, MAX_NAME, 'qualifiedSigner'))
    .tpm2b(abytesRange(f.extraData, 0, MAX_DIGEST, 'extraData'))
    .u64(abigint(ci.clock, 'clockInfo.clock', 0n, 2n ** 64n - 1n))
    .u32(anumber(ci.resetCount, 'clockInfo.resetCount', 0, 0xffffffff))
    .u32(anumber(ci.restartCount, 'clockInfo.restartCount', 0, 0xffffffff))
    .u8(abool(ci.safe, 'clockInfo.safe') ? 1 : 0)
    .u64(abigint(f.firmwareVersion, 'firmwareVersion', 0n, 2n ** 64n - 1n))
    .bytes(encodePcrSelections(f.pcrSelections))
    .tpm2b(abytesRange(f.pcrDigest, 0, MAX_DIGEST, 'pcrDigest'));
  return w.finish();
}
