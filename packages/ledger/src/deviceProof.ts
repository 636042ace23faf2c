/**
 * Device proofs: a TPM quote bound into an integrity record together with the attestation key's public area, so any
 * reader of the record re-verifies — from the record alone — which device (AK name) in which measured state (PCR
 * selection and digest) produced it. The quote's extraData is the record's proof message (id, anchor and storage
 * address), so a proof cannot be moved to another record.
 *
 * Encoding (FORMAT.md §2.3): `u16 len(TPMT_PUBLIC) ‖ TPMT_PUBLIC ‖ u16 len(TPMS_ATTEST) ‖ TPMS_ATTEST ‖ TPMT_SIGNATURE`.
 * Verification: TPM 2.0 Library Part 3 §18.4 (TPM2_Quote) via `@privkit/attest` `verifyQuote`; the AK name is
 * `nameAlg ‖ H(TPMT_PUBLIC)` (Part 1 §16).
 * @module
 */
import { abytes, concatBytes, equalBytes, u16BE } from '@privkit/core';
import { parseTpmtPublic, verifyQuote, type PcrValues } from '@privkit/attest';
import { LedgerFormatError } from './errors.js';

/** A device proof's parts: the AK public area and the quote. */
export interface DeviceProof {
  /** The attestation key's TPMT_PUBLIC (or TPM2B_PUBLIC: a leading size is removed). */
  akPublic: Uint8Array;
  /** TPMS_ATTEST. */
  attest: Uint8Array;
  /** TPMT_SIGNATURE. */
  signature: Uint8Array;
}

/** What a reader learns from a device proof. */
export interface DeviceProofCheck {
  /** True when the quote verifies under the AK in the proof, over this record's proof message, and meets the expectations given. */
  verified: boolean;
  /** The AK's TPM name (nameAlg ‖ H(TPMT_PUBLIC)): which device. */
  akName?: Uint8Array;
  /** The quoted PCR digest and selection: which measured state. */
  pcrDigest?: Uint8Array;
  pcrSelections?: readonly { hashAlg: number; pcrs: readonly number[] }[];
  /** Why not verified: malformed proof, bad signature or nonce, AK not expected, PCRs not expected. */
  reason?: 'malformed' | 'quote-invalid' | 'ak-not-expected' | 'pcr-mismatch';
}

/** Options of {@link checkDeviceProof}: the reader's policy. */
export interface DeviceProofPolicy {
  /** Accept only these AK names (TPM names); omit to accept any AK and read `akName` from the result. */
  expectedAkNames?: readonly Uint8Array[];
  /** The quote must select exactly these PCRs with these values. */
  expectedPcrs?: PcrValues;
}

const stripTpm2b = (b: Uint8Array) => (b.length >= 2 && ((b[0]! << 8) | b[1]!) === b.length - 2 ? b.subarray(2) : b);

/**
 * Encodes a device proof as submitter-proof bytes (kind `deviceQuote`).
 * @throws {InputError} for non-bytes; {@link LedgerFormatError} `LEDGER_INVALID_RECORD` for parts above 65,535 bytes
 */
export function encodeDeviceProof(p: DeviceProof): Uint8Array {
  const ak = stripTpm2b(abytes(p?.akPublic, undefined, 'akPublic'));
  abytes(p.attest, undefined, 'attest');
  abytes(p.signature, undefined, 'signature');
  if (ak.length > 0xffff || p.attest.length > 0xffff) throw new LedgerFormatError('device proof part too large', { code: 'LEDGER_INVALID_RECORD' });
  return concatBytes(u16BE(ak.length), ak, u16BE(p.attest.length), p.attest, p.signature);
}

/**
 * Decodes {@link encodeDeviceProof} bytes.
 * @throws {LedgerFormatError} `LEDGER_INVALID_RECORD` when malformed
 */
export function decodeDeviceProof(bytes: Uint8Array): DeviceProof {
  abytes(bytes, undefined, 'bytes');
  const bad = () => new LedgerFormatError('malformed device proof', { code: 'LEDGER_INVALID_RECORD' });
  if (bytes.length < 4) throw bad();
  const n = (bytes[0]! << 8) | bytes[1]!;
  if (2 + n + 2 > bytes.length) throw bad();
  const m = (bytes[2 + n]! << 8) | bytes[3 + n]!;
  const sigAt = 4 + n + m;
  if (n === 0 || m === 0 || sigAt >= bytes.length) throw bad();
  return { akPublic: bytes.slice(2, 2 + n), attest: bytes.slice(4 + n, sigAt), signature: bytes.slice(sigAt) };
}

/**
 * Verifies a device proof over `message` (the record's proof message) under the AK carried in the proof, and applies
 * the reader's policy. Never throws for a hostile proof: the outcome is in the result.
 * @example
 * const c = checkDeviceProof(bytes, proofMessage(id, anchor, cid), { expectedAkNames: [ak.name] });
 * c.verified; c.akName; c.pcrDigest
 */
export function checkDeviceProof(bytes: Uint8Array, message: Uint8Array, policy: DeviceProofPolicy = {}): DeviceProofCheck {
  let p: DeviceProof;
  let akName: Uint8Array;
  let publicKey;
  try {
    p = decodeDeviceProof(bytes);
    publicKey = parseTpmtPublic(p.akPublic);
    akName = publicKey.name!;
  } catch {
    return { verified: false, reason: 'malformed' };
  }
  let r;
  try {
    r = verifyQuote(p, { publicKey, nonce: message });
  } catch {
    return { verified: false, akName, reason: 'quote-invalid' };
  }
  if (!r.verified || !r.parsed) return { verified: false, akName, reason: 'quote-invalid' };
  const out = {
    akName,
    pcrDigest: r.parsed.pcrDigest,
    pcrSelections: r.parsed.pcrSelections.map((s) => ({ hashAlg: s.hashAlg, pcrs: s.pcrs })),
  };
  if (policy.expectedAkNames && !policy.expectedAkNames.some((n) => equalBytes(n, akName))) return { verified: false, ...out, reason: 'ak-not-expected' };
  if (policy.expectedPcrs) {
    let ok = false;
    try {
      ok = verifyQuote(p, { publicKey, nonce: message, expectedPcrs: policy.expectedPcrs }).verified;
    } catch {
      ok = false;
    }
    if (!ok) return { verified: false, ...out, reason: 'pcr-mismatch' };
  }
  return { verified: true, ...out };
}
