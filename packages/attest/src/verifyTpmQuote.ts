/**
 * Quote verification that fails closed, for software quotes and real TPM output — TPM 2.0 Library Part 3 §18.4
 * (TPM2_Quote), Part 2 §10.12.12 (TPMS_ATTEST), §11.3.4 (TPMT_SIGNATURE).
 * @module
 */
import { abytes, abytesRange, aobject, concatBytes, equalBytes, InputError, isBytes, sm2 } from '@privkit/core';
import { nobleBackend, type SigBackend } from './_backend.js';
import { rsapssVerify, rsassaVerify } from './_rsa.js';
import { algToHash, hashFn, hashLen, hashToAlg, MAX_DIGEST, PCR_COUNT, TPM_GENERATED_VALUE, TPM_ST_ATTEST_QUOTE, type TpmHashId } from './_tpm.js';
import { parseAkPublicKey, TPMA_OBJECT, type AkPublicKey } from './akPublic.js';
import { PCR_BANK_ALGS, type PcrBankAlg, type PcrValues } from './pcr.js';
import { parseTpmsAttest, type TpmsAttest } from './tpmsAttest.js';
import { parseTpmtSignature, type TpmtSignature } from './tpmtSignature.js';

/** Stable codes naming each failed check in a {@link VerifyResult}. */
export type QuoteFailureCode =
  | 'QUOTE_MALFORMED'
  | 'QUOTE_BAD_MAGIC'
  | 'QUOTE_BAD_TYPE'
  | 'QUOTE_SIGNATURE_MALFORMED'
  | 'QUOTE_KEY_INVALID'
  | 'QUOTE_HASH_NOT_ALLOWED'
  | 'QUOTE_SCHEME_MISMATCH'
  | 'QUOTE_SIGNATURE_INVALID'
  | 'QUOTE_SIGNER_MISMATCH'
  | 'QUOTE_NONCE_MISMATCH'
  | 'QUOTE_PCR_SELECTION_MISMATCH'
  | 'QUOTE_PCR_VALUE_INVALID'
  | 'QUOTE_PCR_DIGEST_MISMATCH';

/** One failed check. */
export interface VerifyFailure {
  readonly code: QuoteFailureCode;
  readonly message: string;
}

/** Result of {@link verifyTpmQuote} and `verifyQuote`: `verified` is true only when every check ran and passed. */
export interface VerifyResult {
  readonly verified: boolean;
  readonly failures: readonly VerifyFailure[];
  /** The parsed TPMS_ATTEST when it could be parsed (even if not verified). */
  readonly parsed: TpmsAttest | undefined;
  /**
   * True when the signature verified over TPMS_ATTEST with the given key: the quote is authentic, whatever its
   * content. Only then are its signer, extraData and PCRs compared (and reported in `failures`).
   */
  readonly signatureValid: boolean;
}

/** Hash algorithms accepted for the quote signature / pcrDigest unless `allowedHashes` says otherwise. */
export const DEFAULT_ALLOWED_HASHES: readonly TpmHashId[] = Object.freeze(['sha256', 'sha384', 'sm3'] as const);
const ALL_HASHES: readonly TpmHashId[] = Object.freeze(['sha1', 'sha256', 'sha384', 'sha512', 'sm3'] as const);

/** Input of {@link verifyTpmQuote}. */
export interface VerifyTpmQuoteInput {
  /** Raw TPMS_ATTEST bytes (`tpm2_quote -m`). */
  attest: Uint8Array;
  /** Raw TPMT_SIGNATURE bytes (`tpm2_quote -s`). */
  signature: Uint8Array;
  /** SPKI PEM string, TPMT_PUBLIC or TPM2B_PUBLIC bytes (`tpm2_createak -u`), or a parsed AkPublicKey. */
  akPublicKey: string | Uint8Array | AkPublicKey;
  /** The expected extraData (the nonce the verifier issued), 0..64 bytes. */
  nonce: Uint8Array;
  /** Expected PCR values: the quote must select exactly these PCRs of this bank, and pcrDigest must match. */
  pcrs?: PcrValues;
  /** Hash algorithms accepted for the signature (default sha256, sha384, sm3; add `sha1` for legacy TPMs). */
  allowedHashes?: readonly TpmHashId[];
}

/** @internal Shared verification engine. */
export interface VerifyCoreInput {
  attest: Uint8Array;
  signature: Uint8Array;
  akPublicKey: string | Uint8Array | AkPublicKey;
  expectedExtraData: (hash: TpmHashId) => Uint8Array;
  pcrs: PcrValues | undefined;
  allowedHashes: readonly TpmHashId[];
  checkSigner: boolean;
  /** With checkSigner: the qualifiedSigner expected instead of the key's name (a TPM key's qualified name). */
  expectedSigner?: Uint8Array;
  backend: SigBackend;
}

/** @internal Validates a PcrValues argument. */
export function checkPcrs(pcrs: unknown): PcrValues | undefined {
  const p = aobject<PcrValues>(pcrs, 'pcrs');
  if (p === undefined) return undefined;
  if (!PCR_BANK_ALGS.includes(p.hash)) {
    throw new InputError(`"pcrs.hash" expected one of ${PCR_BANK_ALGS.join(', ')}`, { code: 'INVALID_VALUE' });
  }
  const v = aobject<Record<string, unknown>>(p.values, 'pcrs.values', false)!;
  for (const k of Object.keys(v)) {
    const i = Number(k);
    if (!Number.isInteger(i) || i < 0 || i >= PCR_COUNT || String(i) !== k) {
      throw new InputError(`"pcrs.values" key ${JSON.stringify(k)} is not a PCR index 0..23`, { code: 'INVALID_VALUE' });
    }
    abytes(v[k], undefined, `pcrs.values[${k}]`);
  }
  return p;
}

/** Validates `allowedHashes`. */
export function checkAllowedHashes(a: unknown): readonly TpmHashId[] {
  if (a === undefined) return DEFAULT_ALLOWED_HASHES;
  if (!Array.isArray(a) || a.some((h) => !ALL_HASHES.includes(h))) {
    throw new InputError(`"allowedHashes" expected array of ${ALL_HASHES.join(', ')}`, { code: 'INVALID_VALUE' });
  }
  return a as TpmHashId[];
}

/** Validates the public key argument's type (its content is checked during verification). */
export function checkKeyArg(k: unknown, title: string): void {
  if (typeof k !== 'string' && !isBytes(k) && (typeof k !== 'object' || k === null || Array.isArray(k) || ArrayBuffer.isView(k))) {
    throw new InputError(`"${title}" expected PEM string, TPMT_PUBLIC/TPM2B_PUBLIC bytes or AkPublicKey`, { code: 'INVALID_TYPE' });
  }
}

function pad(b: Uint8Array, len: number): Uint8Array | undefined {
  if (b.length > len) return undefined;
  const out = new Uint8Array(len);
  out.set(b, len - b.length);
  return out;
}

/** The hash a signature commits to (EdDSA has none in TPMT_SIGNATURE: the key's nameAlg, default SHA-256). */
function sigHash(sig: TpmtSignature, key: AkPublicKey | undefined): TpmHashId | undefined {
  if (sig.sigAlg === 'eddsa') return key?.nameAlg ?? 'sha256';
  return algToHash(sig.hashAlg);
}

function verifySig(backend: SigBackend, key: AkPublicKey, sig: TpmtSignature, hash: TpmHashId, msg: Uint8Array): boolean {
  try {
    switch (sig.sigAlg) {
      case 'rsassa':
        return key.type === 'rsa' && rsassaVerify({ n: key.key, e: key.exponent }, hash, msg, sig.sig);
      case 'rsapss':
        return key.type === 'rsa' && rsapssVerify({ n: key.key, e: key.exponent }, hash, msg, sig.sig);
      case 'ecdsa': {
        if (key.type !== 'p256' && key.type !== 'p384') return false;
        const len = key.type === 'p256' ? 32 : 48;
        const r = pad(sig.r, len);
        const s = pad(sig.s, len);
        if (!r || !s) return false;
        return backend.ecdsaVerify(key.type, hash, msg, concatBytes(r, s), key.key);
      }
      case 'sm2': {
        if (key.type !== 'sm2' || hash !== 'sm3') return false;
        const r = pad(sig.r, 32);
        const s = pad(sig.s, 32);
        if (!r || !s) return false;
        return sm2.verify(concatBytes(r, s), msg, key.key) === true;
      }
      case 'eddsa':
        return key.type === 'ed25519' && sig.sig.length === 64 && backend.ed25519Verify(msg, sig.sig, key.key);
    }
  } catch {
    return false;
  }
}

function schemeFits(key: AkPublicKey, sig: TpmtSignature): boolean {
  const typeOk =
    ((sig.sigAlg === 'rsassa' || sig.sigAlg === 'rsapss') && key.type === 'rsa') ||
    (sig.sigAlg === 'ecdsa' && (key.type === 'p256' || key.type === 'p384')) ||
    (sig.sigAlg === 'sm2' && key.type === 'sm2') ||
    (sig.sigAlg === 'eddsa' && key.type === 'ed25519');
  if (!typeOk) return false;
  const sc = key.scheme;
  if (sc === undefined || sc.sigAlg === null) return true;
  if (sc.sigAlg !== sig.sigAlg) return false;
  return sig.sigAlg === 'eddsa' || sc.hashAlg === undefined || sc.hashAlg === sig.hashAlg;
}

/**
 * @internal Verifies a TPMT_SIGNATURE over `msg` with a key (used for upload responses). False on any error.
 */
export function verifySignatureBytes(
  keyInput: string | Uint8Array | AkPublicKey,
  sigBytes: Uint8Array,
  msg: Uint8Array,
  backend: SigBackend = nobleBackend,
): boolean {
  try {
    const key = parseAkPublicKey(keyInput);
    const sig = parseTpmtSignature(sigBytes);
    const hash = sigHash(sig, key);
    if (hash === undefined || !DEFAULT_ALLOWED_HASHES.includes(hash) || !schemeFits(key, sig)) return false;
    return verifySig(backend, key, sig, hash, msg);
  } catch {
    return false;
  }
}

/** @internal The verification engine behind verifyTpmQuote and verifyQuote. */
export function verifyCore(input: VerifyCoreInput): VerifyResult {
  const failures: VerifyFailure[] = [];
  const fail = (code: QuoteFailureCode, message: string) => failures.push(Object.freeze({ code, message }));
  let parsed: TpmsAttest | undefined;
  let signatureOk = false;
  const { attest } = input;
  try {
    if (attest.length >= 4) {
      const magic = ((attest[0]! << 24) | (attest[1]! << 16) | (attest[2]! << 8) | attest[3]!) >>> 0;
      if (magic !== TPM_GENERATED_VALUE) fail('QUOTE_BAD_MAGIC', `magic 0x${magic.toString(16)} is not 0xff544347`);
    }
    if (attest.length >= 6) {
      const type = (attest[4]! << 8) | attest[5]!;
      if (type !== TPM_ST_ATTEST_QUOTE) fail('QUOTE_BAD_TYPE', `type 0x${type.toString(16)} is not TPM_ST_ATTEST_QUOTE`);
    }
    if (failures.length === 0) {
      try {
        parsed = parseTpmsAttest(attest);
      } catch (e) {
        fail('QUOTE_MALFORMED', e instanceof Error ? e.message : 'TPMS_ATTEST could not be parsed');
      }
    }
    let sig: TpmtSignature | undefined;
    try {
      sig = parseTpmtSignature(input.signature);
    } catch (e) {
      fail('QUOTE_SIGNATURE_MALFORMED', e instanceof Error ? e.message : 'TPMT_SIGNATURE could not be parsed');
    }
    let key: AkPublicKey | undefined;
    try {
      key = parseAkPublicKey(input.akPublicKey);
    } catch (e) {
      fail('QUOTE_KEY_INVALID', e instanceof Error ? e.message : 'attestation key could not be parsed');
    }
    if (key?.objectAttributes !== undefined) {
      const need = TPMA_OBJECT.restricted | TPMA_OBJECT.sign;
      if ((key.objectAttributes & need) !== need) {
        fail('QUOTE_KEY_INVALID', 'the attestation key is not a restricted signing key (TPMA_OBJECT restricted|sign)');
        key = undefined;
      }
    }
    let hash: TpmHashId | undefined;
    if (sig) {
      hash = sigHash(sig, key);
      if (hash === undefined || !input.allowedHashes.includes(hash)) {
        fail('QUOTE_HASH_NOT_ALLOWED', `signature hash ${hash ?? 'unknown'} is not in the allow-list`);
        hash = undefined;
      }
    }
    if (sig && key && !schemeFits(key, sig)) {
      fail('QUOTE_SCHEME_MISMATCH', `signature scheme ${sig.sigAlg} does not match the ${key.type} key or its scheme`);
    } else if (sig && key && hash) {
      signatureOk = verifySig(input.backend, key, sig, hash, attest);
      if (!signatureOk) fail('QUOTE_SIGNATURE_INVALID', 'signature does not verify over TPMS_ATTEST');
    }
    // Signature first: the signed content (signer, extraData, PCR selection and digest) is compared only once the
    // signature has verified, so an unauthenticated quote is never evaluated against the verifier's expected PCR
    // values — a verifier that reports failures would otherwise be an oracle for golden values (#16 item 7).
    if (parsed && hash && signatureOk) {
      const signer = input.expectedSigner ?? key?.name;
      if (input.checkSigner && signer !== undefined && !equalBytes(parsed.qualifiedSigner, signer)) {
        fail('QUOTE_SIGNER_MISMATCH', 'qualifiedSigner is not the name of the attestation key');
      }
      const want = input.expectedExtraData(hash);
      if (!equalBytes(parsed.extraData, want)) fail('QUOTE_NONCE_MISMATCH', 'extraData does not match the expected nonce');
      if (input.pcrs) checkQuotedPcrs(parsed, input.pcrs, hash, fail);
    }
  } catch (e) {
    fail('QUOTE_MALFORMED', e instanceof Error ? e.message : 'verification error');
  }
  const verified = signatureOk && parsed !== undefined && failures.length === 0;
  return Object.freeze({ verified, failures: Object.freeze(failures), parsed, signatureValid: signatureOk });
}

function checkQuotedPcrs(
  parsed: TpmsAttest,
  pcrs: PcrValues,
  hash: TpmHashId,
  fail: (code: QuoteFailureCode, message: string) => void,
): void {
  const bank: PcrBankAlg = pcrs.hash;
  const indices = Object.keys(pcrs.values)
    .map(Number)
    .sort((a, b) => a - b);
  const sels = parsed.pcrSelections.filter((s) => s.pcrs.length > 0);
  const sel = sels[0];
  const same =
    sels.length === 1 &&
    sel !== undefined &&
    sel.hashAlg === hashToAlg(bank) &&
    sel.pcrs.length === indices.length &&
    sel.pcrs.every((p, k) => p === indices[k]);
  if (!same) {
    fail('QUOTE_PCR_SELECTION_MISMATCH', `quote does not select exactly ${bank}:${indices.join(',')}`);
    return;
  }
  const len = hashLen(bank);
  const parts: Uint8Array[] = [];
  for (const i of indices) {
    const d = pcrs.values[i]!;
    if (d.length !== len) {
      fail('QUOTE_PCR_VALUE_INVALID', `PCR ${i} value has ${d.length} bytes, expected ${len} for ${bank}`);
      return;
    }
    parts.push(d);
  }
  if (!equalBytes(parsed.pcrDigest, hashFn(hash)(concatBytes(...parts)))) {
    fail('QUOTE_PCR_DIGEST_MISMATCH', `pcrDigest does not match ${hash}(PCR values)`);
  }
}

/**
 * Verifies a TPM 2.0 quote — from a real TPM (`tpm2_quote`), swtpm, or this package — and fails closed.
 *
 * Checks, each reported with a stable code when it fails: magic (0xff544347) and type (TPM_ST_ATTEST_QUOTE),
 * strict TPMS_ATTEST/TPMT_SIGNATURE parsing, hash allow-list, signature scheme vs key (and the key's TPMT_PUBLIC
 * scheme; a TPMT_PUBLIC key must be a restricted signing key), the signature (RSASSA-PKCS1-v1_5 and RSA-PSS with SHA-1/256/384/512, ECDSA P-256/P-384, SM2, Ed25519 —
 * RSA in pure TypeScript, ECDSA/Ed25519 on noble here and on node:crypto in the Node entry), extraData equal to `nonce` (constant-time), and with `pcrs`: exactly that PCR selection and
 * pcrDigest = H_sig(values in index order), where H_sig is the signature's hash (as real TPMs compute it).
 * TPM 2.0 Library Part 3 §18.4; Part 2 §10.12.12, §11.3.4.
 * @param input - `{attest, signature, akPublicKey, nonce, pcrs?, allowedHashes?}`
 * @returns `{verified, failures, parsed}`; `verified` is true only when the signature verified and no check failed
 * @throws {InputError} only for arguments of the wrong type (never for the content of a quote)
 * @example
 * ```ts
 * const r = verifyTpmQuote({ attest, signature, akPublicKey: pem, nonce, pcrs: { hash: 'sha256', values: { 16: v } } });
 * if (!r.verified) reject(r.failures.map((f) => f.code));
 * ```
 */
export function verifyTpmQuote(input: VerifyTpmQuoteInput): VerifyResult {
  return _verifyTpmQuoteWith(nobleBackend, input);
}

/** @internal {@link verifyTpmQuote} on a given signature back end. */
export function _verifyTpmQuoteWith(backend: SigBackend, input: VerifyTpmQuoteInput): VerifyResult {
  const i = aobject<VerifyTpmQuoteInput>(input, 'input', false)!;
  const attest = abytes(i.attest, undefined, 'attest');
  const signature = abytes(i.signature, undefined, 'signature');
  const nonce = abytesRange(i.nonce, 0, MAX_DIGEST, 'nonce');
  checkKeyArg(i.akPublicKey, 'akPublicKey');
  const pcrs = checkPcrs(i.pcrs);
  const allowedHashes = checkAllowedHashes(i.allowedHashes);
  return verifyCore({
    attest,
    signature,
    akPublicKey: i.akPublicKey,
    expectedExtraData: () => nonce,
    pcrs,
    allowedHashes,
    checkSigner: false,
    backend,
  });
}


