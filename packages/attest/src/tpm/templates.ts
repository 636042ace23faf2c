/**
 * Key templates (TPMT_PUBLIC) the client creates keys from:
 * - EK templates L-1 (RSA 2048) and L-2 (ECC NIST P-256) of the TCG EK Credential Profile for TPM Family 2.0
 *   (v2.x, §B.3.3–B.3.4): fixedTPM | fixedParent | sensitiveDataOrigin | adminWithPolicy | restricted | decrypt,
 *   authPolicy = PolicySecret(TPM_RH_ENDORSEMENT), AES-128-CFB, zero-filled unique.
 * - The SRK of the TCG TPM v2.0 Provisioning Guidance (§7.5.1): ECC P-256 storage key, userWithAuth | noDA,
 *   AES-128-CFB.
 * - Restricted signing attestation keys: ECDSA P-256/SHA-256 and RSASSA-PKCS1-v1_5 2048/SHA-256 (the AK templates
 *   `tpm2_createak` uses), fixedTPM | fixedParent | sensitiveDataOrigin | userWithAuth | restricted | sign.
 * @module
 */
import { hexToBytes } from '@privkit/core';
import { TPM_ALG, TPM_ECC, Writer } from '../_tpm.js';

/** The EK policy: TPM2_PolicySecret(TPM_RH_ENDORSEMENT) digest (TCG EK Credential Profile §B.3.2). */
export const EK_POLICY = hexToBytes('837197674484b3f81a90cc8d46a5d724fd52d76e06520b64f2a1da1b331469aa');
/** TPMA_OBJECT of the EK templates (0x000300b2). */
export const EK_ATTRIBUTES = 0x000300b2;
/** TPMA_OBJECT of the SRK (0x00030472). */
export const SRK_ATTRIBUTES = 0x00030472;
/** TPMA_OBJECT of the attestation keys (0x00050072). */
export const AK_ATTRIBUTES = 0x00050072;
/** NV indices of the EK certificates (TCG EK Credential Profile §2.2.1.4): RSA 2048, ECC P-256. */
export const EK_CERT_NV = Object.freeze({ rsa: 0x01c00002, ecc: 0x01c0000a } as const);

/** Key algorithms of the templates. */
export type TpmKeyAlg = 'rsa' | 'ecc';

function aes128cfb(w: Writer): Writer {
  return w.u16(0x0006).u16(128).u16(0x0043); // TPM_ALG_AES, 128 bits, TPM_ALG_CFB
}

function rsaStorage(attributes: number, policy: Uint8Array): Uint8Array {
  const w = new Writer().u16(TPM_ALG.RSA).u16(TPM_ALG.SHA256).u32(attributes).tpm2b(policy);
  return aes128cfb(w).u16(TPM_ALG.NULL).u16(2048).u32(0).tpm2b(new Uint8Array(256)).finish();
}
function eccStorage(attributes: number, policy: Uint8Array, unique: number): Uint8Array {
  const w = new Writer().u16(TPM_ALG.ECC).u16(TPM_ALG.SHA256).u32(attributes).tpm2b(policy);
  return aes128cfb(w).u16(TPM_ALG.NULL).u16(TPM_ECC.NIST_P256).u16(TPM_ALG.NULL).tpm2b(new Uint8Array(unique)).tpm2b(new Uint8Array(unique)).finish();
}

/** The EK template (L-1 for `rsa`, L-2 for `ecc`) as a TPMT_PUBLIC. */
export function ekTemplate(alg: TpmKeyAlg): Uint8Array {
  return alg === 'rsa' ? rsaStorage(EK_ATTRIBUTES, EK_POLICY) : eccStorage(EK_ATTRIBUTES, EK_POLICY, 32);
}

/** The SRK template (ECC P-256, empty unique) as a TPMT_PUBLIC. */
export function srkTemplate(): Uint8Array {
  return eccStorage(SRK_ATTRIBUTES, new Uint8Array(0), 0);
}

/** A restricted signing AK template: ECDSA P-256/SHA-256 (`ecc`) or RSASSA 2048/SHA-256 (`rsa`). */
export function akTemplate(alg: TpmKeyAlg): Uint8Array {
  const w = new Writer().u16(alg === 'rsa' ? TPM_ALG.RSA : TPM_ALG.ECC).u16(TPM_ALG.SHA256).u32(AK_ATTRIBUTES).tpm2b(new Uint8Array(0)).u16(TPM_ALG.NULL);
  if (alg === 'rsa') return w.u16(TPM_ALG.RSASSA).u16(TPM_ALG.SHA256).u16(2048).u32(0).tpm2b(new Uint8Array(0)).finish();
  return w.u16(TPM_ALG.ECDSA).u16(TPM_ALG.SHA256).u16(TPM_ECC.NIST_P256).u16(TPM_ALG.NULL).tpm2b(new Uint8Array(0)).tpm2b(new Uint8Array(0)).finish();
}
