/**
 * Software quotes in the exact TPM 2.0 format: TPMS_ATTEST (TPM_ST_ATTEST_QUOTE) signed into a TPMT_SIGNATURE by a
 * software attestation key — TPM 2.0 Library Part 3 §18.4 (TPM2_Quote), Part 2 §10.12.12.
 *
 * Payload binding: with `data`, `extraData = H(nonce ‖ data)` where H is the key's quote hash (SHA-256, or SM3 for
 * SM2 keys); without, `extraData = nonce`. The verifier supplies the nonce it issued, so the split between nonce and
 * data is fixed by the verifier.
 * @module
 */
import { abigint, abytes, abytesRange, aobject, concatBytes, InputError } from '@privkit/core';
import { nobleBackend, type SigBackend } from './_backend.js';
import { hashFn, hashToAlg, MAX_DIGEST, type TpmHashId } from './_tpm.js';
import type { AttestationKey } from './attestationKey.js';
import type { AkPublicKey } from './akPublic.js';
import { checkSelection, type PcrBank, type PcrValues } from './pcr.js';
import { encodeTpmsAttest, parseTpmsAttest, type TpmsAttest, type TpmsClockInfo } from './tpmsAttest.js';
import { checkAllowedHashes, checkKeyArg, checkPcrs, verifyCore, type VerifyResult } from './verifyTpmQuote.js';

/** A quote: the raw TPMS_ATTEST, the raw TPMT_SIGNATURE, and the parsed attest. */
export interface Quote {
  readonly attest: Uint8Array;
  readonly signature: Uint8Array;
  readonly parsed: TpmsAttest;
}

/** Firmware version written into software quotes: ASCII "PrivKit" ‖ 0x01. */
export const SOFTWARE_FIRMWARE_VERSION = 0x507269764b697401n;

/** Input of {@link quote}. */
export interface QuoteInput {
  /** The PCR bank to quote. */
  bank: PcrBank;
  /** PCR indices to include, at least one (sorted ascending in the quote). */
  selection: readonly number[];
  /** The verifier's nonce (1..64 bytes). */
  nonce: Uint8Array;
  /** Optional payload bound into extraData as H(nonce ‖ data). */
  data?: Uint8Array;
  /** The signing attestation key. */
  key: AttestationKey;
  /** Clock info to report (default: clock = Date.now() ms, counts 0, safe). */
  clockInfo?: TpmsClockInfo;
  /** Firmware version to report (default {@link SOFTWARE_FIRMWARE_VERSION}). */
  firmwareVersion?: bigint;
}

/** The extraData a quote carries: `nonce`, or `H(nonce ‖ data)` when `data` is bound. */
export function quoteExtraData(hash: TpmHashId, nonce: Uint8Array, data?: Uint8Array): Uint8Array {
  return data === undefined ? Uint8Array.from(nonce) : hashFn(hash)(concatBytes(nonce, data));
}

/**
 * Produces a TPM 2.0 quote over PCRs of a software bank, signed by a software attestation key.
 *
 * pcrDigest = H(PCR[i₁] ‖ PCR[i₂] ‖ …) over the selection in ascending order, H = the key's quote hash (what a TPM
 * does: the signing scheme's hash, not the bank's). qualifiedSigner = the key's TPM name.
 * TPM 2.0 Library Part 3 §18.4.
 * @param input - `{bank, selection, nonce, data?, key, clockInfo?, firmwareVersion?}`
 * @returns `{attest, signature, parsed}`
 * @throws {InputError} on bad arguments
 * @example
 * ```ts
 * const q = quote({ bank, selection: [16, 23], nonce, key: ak });
 * verifyQuote(q, { publicKey: ak.publicKey, nonce, expectedPcrs: bank.pcrValues([16, 23]) }).verified; // true
 * ```
 */
export function quote(input: QuoteInput): Quote {
  const i = aobject<QuoteInput>(input, 'input', false)!;
  const bank = aobject<PcrBank>(i.bank, 'bank', false)!;
  if (typeof bank.read !== 'function') throw new InputError('"bank" expected PcrBank', { code: 'INVALID_TYPE' });
  const key = aobject<AttestationKey>(i.key, 'key', false)!;
  if (typeof key.sign !== 'function' || !key.publicKey) throw new InputError('"key" expected AttestationKey', { code: 'INVALID_TYPE' });
  const sel = checkSelection(i.selection, 'selection', 1);
  const nonce = abytesRange(i.nonce, 1, MAX_DIGEST, 'nonce');
  const data = i.data === undefined ? undefined : abytes(i.data, undefined, 'data');
  const ci = i.clockInfo ?? { clock: BigInt(Date.now()), resetCount: 0, restartCount: 0, safe: true };
  const fw = i.firmwareVersion === undefined ? SOFTWARE_FIRMWARE_VERSION : abigint(i.firmwareVersion, 'firmwareVersion', 0n, 2n ** 64n - 1n);
  if (typeof key.tpmQuote === 'function') {
    // A TPM-resident key: the TPM quotes its own PCRs of bank.alg and writes the TPMS_ATTEST itself.
    const q = key.tpmQuote({ bank: bank.alg, selection: sel, extraData: quoteExtraData(key.hash, nonce, data) });
    return Object.freeze({ attest: q.attest, signature: q.signature, parsed: parseTpmsAttest(q.attest) });
  }
  const h = hashFn(key.hash);
  const attest = encodeTpmsAttest({
    qualifiedSigner: key.name,
    extraData: quoteExtraData(key.hash, nonce, data),
    clockInfo: ci,
    firmwareVersion: fw,
    pcrSelections: [{ hashAlg: hashToAlg(bank.alg), sizeofSelect: 3, pcrs: sel }],
    pcrDigest: h(concatBytes(...sel.map((k) => bank.read(k)))),
  });
  const signature = key.sign(attest);
  return Object.freeze({ attest, signature, parsed: parseTpmsAttest(attest) });
}

/** Options of {@link verifyQuote}. */
export interface VerifyQuoteOptions {
  /** The attestation key: AkPublicKey (e.g. `ak.publicKey`), SPKI PEM, or TPMT_PUBLIC / TPM2B_PUBLIC bytes. */
  publicKey: AkPublicKey | string | Uint8Array;
  /** The nonce the verifier issued (1..64 bytes without data; any length ≤ 64 with data). */
  nonce: Uint8Array;
  /** PCR values the quote must attest, exactly. */
  expectedPcrs?: PcrValues;
  /** The payload the quote must bind (extraData = H(nonce ‖ data)). */
  data?: Uint8Array;
  /** Accepted signature hashes (default sha256, sha384, sm3). */
  allowedHashes?: readonly TpmHashId[];
  /**
   * The qualifiedSigner to require instead of the key's name: a TPM-resident key's qualified name (`ak.qualifiedName`
   * from `@privkit/attest/tpm`; TPM2_Quote writes the qualified name, which depends on the key's parents).
   */
  qualifiedSigner?: Uint8Array;
}

/**
 * Verifies a quote produced by {@link quote} (or any TPMS_ATTEST/TPMT_SIGNATURE pair), failing closed. Same checks
 * as `verifyTpmQuote`, plus: when the key's TPM name is known, qualifiedSigner must equal it (or `qualifiedSigner`
 * when given — for TPM-resident keys, whose quotes carry the qualified name); with `data`, extraData
 * must equal H(nonce ‖ data).
 * @param q - `{attest, signature}` (a {@link Quote})
 * @param options - `{publicKey, nonce, expectedPcrs?, data?, allowedHashes?}`
 * @returns `{verified, failures, parsed}`
 * @throws {InputError} only for arguments of the wrong type
 * @example
 * ```ts
 * const r = verifyQuote(q, { publicKey: ak.publicKey, nonce, data: payload });
 * r.verified; r.failures; // [{ code: 'QUOTE_NONCE_MISMATCH', … }] on a swapped payload
 * ```
 */
export function verifyQuote(q: Pick<Quote, 'attest' | 'signature'>, options: VerifyQuoteOptions): VerifyResult {
  return _verifyQuoteWith(nobleBackend, q, options);
}

/** @internal {@link verifyQuote} on a given signature back end. */
export function _verifyQuoteWith(backend: SigBackend, q: Pick<Quote, 'attest' | 'signature'>, options: VerifyQuoteOptions): VerifyResult {
  const qq = aobject<Quote>(q, 'quote', false)!;
  const attest = abytes(qq.attest, undefined, 'quote.attest');
  const signature = abytes(qq.signature, undefined, 'quote.signature');
  const o = aobject<VerifyQuoteOptions>(options, 'options', false)!;
  checkKeyArg(o.publicKey, 'options.publicKey');
  const nonce = abytesRange(o.nonce, 0, MAX_DIGEST, 'options.nonce');
  const data = o.data === undefined ? undefined : abytes(o.data, undefined, 'options.data');
  const pcrs = checkPcrs(o.expectedPcrs);
  const allowedHashes = checkAllowedHashes(o.allowedHashes);
  const expectedSigner = o.qualifiedSigner === undefined ? undefined : abytesRange(o.qualifiedSigner, 2, MAX_DIGEST + 2, 'options.qualifiedSigner');
  return verifyCore({
    attest,
    signature,
    akPublicKey: o.publicKey,
    expectedExtraData: (hash) => quoteExtraData(hash, nonce, data),
    pcrs,
    allowedHashes,
    checkSigner: true,
    ...(expectedSigner === undefined ? {} : { expectedSigner }),
    backend,
  });
}
