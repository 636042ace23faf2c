/**
 * TPMT_SIGNATURE — TPM 2.0 Library Part 2 §11.3.4, with TPMS_SIGNATURE_RSA (§11.3.1), TPMS_SIGNATURE_ECC (§11.3.2)
 * and TPM2B_SIGNATURE_EDDSA (TPM 2.0 Library v1.85: sigAlg TPM_ALG_EDDSA 0x0060 followed by a sized R ‖ S).
 * @module
 */
import { abytesRange, anumber, aobject, aoneOf } from '@privkit/core';
import { Reader, TPM_ALG, Writer } from './_tpm.js';
import { TpmEncodingError } from './errors.js';

/** Signature schemes this package reads and writes. */
export type TpmSigAlg = 'rsassa' | 'rsapss' | 'ecdsa' | 'sm2' | 'eddsa';
/** Every {@link TpmSigAlg}, frozen. */
export const TPM_SIG_ALGS: readonly TpmSigAlg[] = Object.freeze(['rsassa', 'rsapss', 'ecdsa', 'sm2', 'eddsa'] as const);

/** A parsed TPMT_SIGNATURE. */
export type TpmtSignature =
  | { readonly sigAlg: 'rsassa' | 'rsapss'; readonly hashAlg: number; readonly sig: Uint8Array }
  | { readonly sigAlg: 'ecdsa' | 'sm2'; readonly hashAlg: number; readonly r: Uint8Array; readonly s: Uint8Array }
  | { readonly sigAlg: 'eddsa'; readonly sig: Uint8Array };

const ALG_OF: Readonly<Record<TpmSigAlg, number>> = Object.freeze({
  rsassa: TPM_ALG.RSASSA,
  rsapss: TPM_ALG.RSAPSS,
  ecdsa: TPM_ALG.ECDSA,
  sm2: TPM_ALG.SM2,
  eddsa: TPM_ALG.EDDSA,
});
/** TPM2B_PUBLIC_KEY_RSA bound (MAX_RSA_KEY_BYTES for 4096-bit keys). */
const MAX_RSA_BYTES = 512;
/** MAX_ECC_KEY_BYTES (P-521). */
const MAX_ECC_BYTES = 66;
/** 2 × MAX_ECC_KEY_BYTES (Ed448 needs 114). */
const MAX_EDDSA_BYTES = 132;

/**
 * Parses a TPMT_SIGNATURE (as `tpm2_quote -s` writes it), strictly.
 * @param bytes - the raw structure
 * @returns the scheme, hash algorithm id and signature components
 * @throws {InputError} when not a Uint8Array; {@link TpmEncodingError} `TPM_MALFORMED` (truncated, oversize,
 *   trailing bytes) or `TPM_UNSUPPORTED_ALG` (another sigAlg, including TPM_ALG_NULL)
 * @example
 * ```ts
 * const sig = parseTpmtSignature(bytes); // { sigAlg: 'ecdsa', hashAlg: 0x000b, r, s }
 * ```
 */
export function parseTpmtSignature(bytes: Uint8Array): TpmtSignature {
  abytesRange(bytes, 0, 1024, 'signature');
  const r = new Reader(bytes, 'TPMT_SIGNATURE');
  const alg = r.u16('sigAlg');
  let out: TpmtSignature;
  if (alg === TPM_ALG.RSASSA || alg === TPM_ALG.RSAPSS) {
    const hashAlg = r.u16('hash');
    const sig = r.tpm2b('sig', MAX_RSA_BYTES);
    out = { sigAlg: alg === TPM_ALG.RSASSA ? 'rsassa' : 'rsapss', hashAlg, sig };
  } else if (alg === TPM_ALG.ECDSA || alg === TPM_ALG.SM2) {
    const hashAlg = r.u16('hash');
    const rr = r.tpm2b('signatureR', MAX_ECC_BYTES);
    const ss = r.tpm2b('signatureS', MAX_ECC_BYTES);
    out = { sigAlg: alg === TPM_ALG.ECDSA ? 'ecdsa' : 'sm2', hashAlg, r: rr, s: ss };
  } else if (alg === TPM_ALG.EDDSA) {
    out = { sigAlg: 'eddsa', sig: r.tpm2b('eddsa', MAX_EDDSA_BYTES) };
  } else {
    throw new TpmEncodingError(`TPMT_SIGNATURE: sigAlg 0x${alg.toString(16).padStart(4, '0')} is not supported`, {
      code: 'TPM_UNSUPPORTED_ALG',
    });
  }
  r.end();
  return Object.freeze(out);
}

/**
 * Encodes a TPMT_SIGNATURE (inverse of {@link parseTpmtSignature}).
 * @param sig - the scheme and its components
 * @returns the marshalled structure
 * @throws {InputError} on bad fields
 * @example
 * ```ts
 * encodeTpmtSignature({ sigAlg: 'ecdsa', hashAlg: 0x000b, r, s });
 * ```
 */
export function encodeTpmtSignature(sig: TpmtSignature): Uint8Array {
  const s = aobject<TpmtSignature>(sig, 'sig', false)!;
  const alg = aoneOf(s.sigAlg, TPM_SIG_ALGS, 'sig.sigAlg');
  const w = new Writer().u16(ALG_OF[alg]);
  if (s.sigAlg === 'rsassa' || s.sigAlg === 'rsapss') {
    w.u16(anumber(s.hashAlg, 'sig.hashAlg', 0, 0xffff)).tpm2b(abytesRange(s.sig, 1, MAX_RSA_BYTES, 'sig.sig'));
  } else if (s.sigAlg === 'ecdsa' || s.sigAlg === 'sm2') {
    w.u16(anumber(s.hashAlg, 'sig.hashAlg', 0, 0xffff))
      .tpm2b(abytesRange(s.r, 1, MAX_ECC_BYTES, 'sig.r'))
      .tpm2b(abytesRange(s.s, 1, MAX_ECC_BYTES, 'sig.s'));
  } else if (s.sigAlg === 'eddsa') {
    w.tpm2b(abytesRange(s.sig, 1, MAX_EDDSA_BYTES, 'sig.sig'));
  }
  return w.finish();
}
