/**
 * @privkit/attest — Node entry, selected by the "node" export condition. Same API as the portable entry; ECDSA
 * P-256/P-384 and Ed25519 signing and verification run on node:crypto (OpenSSL). RSA verification, SM2 (core) and
 * all parsing are the same code as the portable entry.
 * @module
 */
import { nodeBackend } from './_backend.node.js';
import { _createAttestationKeyWith, type AttestationKey, type AttestationKeyAlg, type AttestationKeyOptions } from './attestationKey.js';
import {
  _createUploadReceiverWith,
  _verifyUploadResponseWith,
  _verifyUploadStatementWith,
  type UploadReceiver,
  type UploadReceiverOptions,
  type UploadResponse,
  type UploadStatement,
} from './attestedUpload.js';
import type { AkPublicKey } from './akPublic.js';
import { _verifyQuoteWith, type Quote, type VerifyQuoteOptions } from './quote.js';
import { _verifyTpmQuoteWith, type VerifyResult, type VerifyTpmQuoteInput } from './verifyTpmQuote.js';

export * from './index.js';

/**
 * Creates (or imports) a software attestation key — node:crypto signing for ECDSA P-256 and Ed25519.
 * Same contract as the portable `createAttestationKey`.
 * @param alg - `ecdsa-p256` (default), `sm2`, `ed25519`
 * @param options - `secretKey` to import
 * @returns a frozen AttestationKey
 * @throws {InputError} on bad arguments; {KeyError} on an invalid secret key
 * @example
 * ```ts
 * const ak = createAttestationKey();
 * ```
 */
export function createAttestationKey(alg: AttestationKeyAlg = 'ecdsa-p256', options?: AttestationKeyOptions): AttestationKey {
  return _createAttestationKeyWith(nodeBackend, alg, options);
}

/**
 * Verifies a TPM 2.0 quote, failing closed — node:crypto for ECDSA/Ed25519 signatures. Same contract as the
 * portable `verifyTpmQuote` (TPM 2.0 Library Part 3 §18.4).
 * @param input - `{attest, signature, akPublicKey, nonce, pcrs?, allowedHashes?}`
 * @returns `{verified, failures, parsed}`
 * @throws {InputError} only for arguments of the wrong type
 * @example
 * ```ts
 * verifyTpmQuote({ attest, signature, akPublicKey: pem, nonce }).verified;
 * ```
 */
export function verifyTpmQuote(input: VerifyTpmQuoteInput): VerifyResult {
  return _verifyTpmQuoteWith(nodeBackend, input);
}

/**
 * Verifies a quote, failing closed — node:crypto for ECDSA/Ed25519 signatures. Same contract as the portable
 * `verifyQuote`.
 * @param q - `{attest, signature}`
 * @param options - `{publicKey, nonce, expectedPcrs?, data?, allowedHashes?}`
 * @returns `{verified, failures, parsed}`
 * @throws {InputError} only for arguments of the wrong type
 * @example
 * ```ts
 * verifyQuote(q, { publicKey: ak.publicKey, nonce }).verified;
 * ```
 */
export function verifyQuote(q: Pick<Quote, 'attest' | 'signature'>, options: VerifyQuoteOptions): VerifyResult {
  return _verifyQuoteWith(nodeBackend, q, options);
}

/**
 * Receiver side of the attested upload protocol — node:crypto for ECDSA/Ed25519. Same contract as the portable
 * `createUploadReceiver` (FORMAT.md §3).
 * @param options - `{registry, secretKey, signingKey, sensors, suites?}`
 * @returns an UploadReceiver
 * @throws {InputError} on bad options
 * @example
 * ```ts
 * const rx = createUploadReceiver({ registry, secretKey, signingKey, sensors });
 * ```
 */
export function createUploadReceiver(options: UploadReceiverOptions): UploadReceiver {
  return _createUploadReceiverWith(nodeBackend, options);
}

/**
 * Sensor side: checks the receiver's signed response — node:crypto for ECDSA/Ed25519. Same contract as the
 * portable `verifyUploadResponse` (FORMAT.md §3.3).
 * @param response - the response bytes
 * @param options - `{receiverKey, upload}`
 * @returns `{accepted, status, nonce}`
 * @throws {InputError} bad argument types; {UploadFormatError} malformed responses; {UploadError} invalid responses
 * @example
 * ```ts
 * verifyUploadResponse(response, { receiverKey, upload }).accepted;
 * ```
 */
export function verifyUploadResponse(
  response: Uint8Array,
  options: { receiverKey: AkPublicKey | string | Uint8Array; upload: Uint8Array },
): UploadResponse {
  return _verifyUploadResponseWith(nodeBackend, response, options);
}

/**
 * Checks a receiver's signed upload statement — node:crypto for ECDSA/Ed25519. Same contract as the portable
 * `verifyUploadStatement` (FORMAT.md §3.4).
 * @param statement - the statement bytes
 * @param options - `{receiverKey, upload?, quote?}`
 * @returns the statement's fields
 * @throws {InputError} bad argument types; {UploadFormatError} malformed statements; {UploadError} invalid statements
 * @example
 * ```ts
 * verifyUploadStatement(statement, { receiverKey }).storageAddress;
 * ```
 */
export function verifyUploadStatement(
  statement: Uint8Array,
  options: { receiverKey: AkPublicKey | string | Uint8Array; upload?: Uint8Array; quote?: { attest: Uint8Array } },
): UploadStatement {
  return _verifyUploadStatementWith(nodeBackend, statement, options);
}
