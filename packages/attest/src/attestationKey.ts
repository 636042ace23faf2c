/**
 * Software attestation keys: ECDSA P-256/SHA-256 (default; FIPS 186-5 §6, noble p256), SM2/SM3 (GB/T 32918.2-2016,
 * core `sm2`) and Ed25519 (RFC 8032 §5.1, noble ed25519). Each signs TPM structures into a TPMT_SIGNATURE.
 * @module
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { nobleBackend, type SigBackend } from './_backend.js';
import { abytes, aobject, aoneOf, copyBytes, KeyError, sm2 } from '@privkit/core';
import { hashToAlg, Writer } from './_tpm.js';
import { buildTpmtPublic, spkiPem, type AkPublicKey } from './akPublic.js';
import { encodeTpmtSignature } from './tpmtSignature.js';
import type { PcrBankAlg } from './pcr.js';

/** Attestation-key algorithms. */
export type AttestationKeyAlg = 'ecdsa-p256' | 'sm2' | 'ed25519';
/** Every {@link AttestationKeyAlg}, frozen. */
export const ATTESTATION_KEY_ALGS: readonly AttestationKeyAlg[] = Object.freeze(['ecdsa-p256', 'sm2', 'ed25519'] as const);

/** Algorithms of TPM-resident attestation keys (`@privkit/attest/tpm`). */
export type TpmAttestationKeyAlg = 'tpm-ecdsa-p256' | 'tpm-rsassa-2048';

/** What `quote()` asks a key that quotes by itself (a TPM-resident key: TPM2_Quote writes the TPMS_ATTEST). */
export interface QuoteRequest {
  /** The PCR bank to quote. */
  readonly bank: PcrBankAlg;
  /** PCR indices, ascending. */
  readonly selection: readonly number[];
  /** qualifyingData: the nonce, or H(nonce ‖ data). */
  readonly extraData: Uint8Array;
}

/** An attestation key: a software key, or a TPM-resident key from `@privkit/attest/tpm`. */
export interface AttestationKey {
  readonly alg: AttestationKeyAlg | TpmAttestationKeyAlg;
  /**
   * The quote hash: the TPMT_SIGNATURE hash and the pcrDigest / extraData hash. `sha256` for ECDSA P-256 and
   * Ed25519, `sm3` for SM2.
   */
  readonly hash: 'sha256' | 'sm3';
  /** Secret scalar (P-256, SM2: 32 bytes) or seed (Ed25519: 32 bytes). Keep it secret. Empty for a TPM key. */
  readonly secretKey: Uint8Array;
  /** Public part with its TPMT_PUBLIC and TPM name. */
  readonly publicKey: AkPublicKey;
  /** TPM name: nameAlg ‖ H(TPMT_PUBLIC). */
  readonly name: Uint8Array;
  /** TPM2B_PUBLIC: UINT16 size ‖ TPMT_PUBLIC (the format `tpm2_createak -u` writes and `tpm2_checkquote -u` reads). */
  readonly tpm2bPublic: Uint8Array;
  /** The public key as SPKI PEM. */
  readonly pem: string;
  /** Signs `message` (e.g. a TPMS_ATTEST) with the key's scheme and returns a TPMT_SIGNATURE. */
  sign(message: Uint8Array): Uint8Array;
  /**
   * TPM-resident keys only: makes the quote inside the TPM (TPM2_Quote) and returns the TPMS_ATTEST and
   * TPMT_SIGNATURE. `quote()` calls it instead of building the TPMS_ATTEST and calling `sign`.
   */
  readonly tpmQuote?: (request: QuoteRequest) => { attest: Uint8Array; signature: Uint8Array };
}

/** Options for {@link createAttestationKey}. */
export interface AttestationKeyOptions {
  /** Import this secret key instead of generating one (32 bytes). */
  secretKey?: Uint8Array;
}

/**
 * Creates (or imports) a software attestation key.
 *
 * ECDSA P-256 signs SHA-256(message) (TPM_ALG_ECDSA, hedged RFC 6979 nonces); SM2 signs per GB/T 32918.2 §6.1
 * with the default user ID over the message itself (Z_A ‖ M, SM3; TPM_ALG_SM2); Ed25519 is PureEdDSA over the
 * message (TPM_ALG_EDDSA 0x0060, TPM 2.0 Library v1.85).
 * @param alg - `ecdsa-p256` (default), `sm2`, `ed25519`
 * @param options - `secretKey` to import
 * @returns a frozen {@link AttestationKey}
 * @throws {InputError} on bad arguments; {KeyError} (`INVALID_KEY`, from `@privkit/core`) on an invalid secret key
 * @example
 * ```ts
 * const ak = createAttestationKey('ecdsa-p256');
 * ak.pem;  // SPKI PEM for tpm2_checkquote -u
 * ak.name; // 000b…
 * ```
 */
export function createAttestationKey(alg: AttestationKeyAlg = 'ecdsa-p256', options?: AttestationKeyOptions): AttestationKey {
  return _createAttestationKeyWith(nobleBackend, alg, options);
}

/** @internal {@link createAttestationKey} on a given signature back end. */
export function _createAttestationKeyWith(backend: SigBackend, alg: AttestationKeyAlg = 'ecdsa-p256', options?: AttestationKeyOptions): AttestationKey {
  aoneOf(alg, ATTESTATION_KEY_ALGS, 'alg');
  const opts = aobject<AttestationKeyOptions>(options, 'options');
  const imported = opts?.secretKey === undefined ? undefined : copyBytes(abytes(opts.secretKey, 32, 'options.secretKey'));
  let sk: Uint8Array;
  let pub: AkPublicKey;
  try {
    if (alg === 'ecdsa-p256') {
      sk = imported ?? p256.utils.randomSecretKey();
      pub = buildTpmtPublic('p256', p256.getPublicKey(sk, false));
    } else if (alg === 'ed25519') {
      sk = imported ?? ed25519.utils.randomSecretKey();
      pub = buildTpmtPublic('ed25519', ed25519.getPublicKey(sk));
    } else {
      sk = imported ?? sm2.keygen().secretKey;
      pub = buildTpmtPublic('sm2', sm2.getPublicKey(sk, false));
    }
  } catch (e) {
    throw new KeyError('invalid attestation secret key', { cause: e });
  }
  const hash = alg === 'sm2' ? 'sm3' : 'sha256';
  const secret = sk;
  let signer: ((m: Uint8Array) => Uint8Array) | undefined;
  try {
    if (alg === 'ecdsa-p256') signer = backend.p256Signer(secret, pub.key);
    else if (alg === 'ed25519') signer = backend.ed25519Signer(secret, pub.key);
  } catch (e) {
    throw new KeyError('invalid attestation secret key', { cause: e });
  }
  const key: AttestationKey = {
    alg,
    hash,
    secretKey: secret,
    publicKey: pub,
    name: pub.name!,
    tpm2bPublic: new Writer().tpm2b(pub.tpmtPublic!).finish(),
    pem: spkiPem(pub),
    sign(message) {
      abytes(message, undefined, 'message');
      if (alg === 'ecdsa-p256') {
        const sig = signer!(message);
        return encodeTpmtSignature({ sigAlg: 'ecdsa', hashAlg: hashToAlg('sha256'), r: sig.subarray(0, 32), s: sig.subarray(32) });
      }
      if (alg === 'ed25519') return encodeTpmtSignature({ sigAlg: 'eddsa', sig: signer!(message) });
      const sig = sm2.sign(message, secret);
      return encodeTpmtSignature({ sigAlg: 'sm2', hashAlg: hashToAlg('sm3'), r: sig.subarray(0, 32), s: sig.subarray(32, 64) });
    },
  };
  return Object.freeze(key);
}
