/**
 * @privkit/attest — TPM 2.0 quotes: PCR banks, software attestation keys, TPMS_ATTEST / TPMT_SIGNATURE encoding,
 * fail-closed verification of software and real-TPM quotes, nonce challenges and the attested upload protocol.
 * @module
 */
export { TpmEncodingError, PcrError, NonceError, UploadError, UploadFormatError } from './errors.js';
export type { TpmEncodingErrorCode, PcrErrorCode, NonceErrorCode, UploadErrorCode, UploadFormatErrorCode } from './errors.js';
export { createPcrBank, extend, replayEventLog, checkEventLog, pcrResetLocality, PCR_BANK_ALGS } from './pcr.js';
export type { PcrBank, PcrBankAlg, PcrBankOptions, PcrEvent, PcrEventInfo, PcrValues, ReplayOptions } from './pcr.js';
export { parseTcgEventLog, MAX_LOG_EVENTS } from './tcgEventLog.js';
export type { TcgEventLog } from './tcgEventLog.js';
export { parseTpmsAttest, encodeTpmsAttest } from './tpmsAttest.js';
export type { TpmsAttest, TpmsAttestFields, TpmsClockInfo, TpmsPcrSelection } from './tpmsAttest.js';
export { parseTpmtSignature, encodeTpmtSignature, TPM_SIG_ALGS } from './tpmtSignature.js';
export type { TpmtSignature, TpmSigAlg } from './tpmtSignature.js';
export { parseAkPublicKey, parseTpmtPublic, spkiPem, tpmName } from './akPublic.js';
export type { AkPublicKey, AkKeyType, AkScheme } from './akPublic.js';
export { createAttestationKey, ATTESTATION_KEY_ALGS } from './attestationKey.js';
export type { AttestationKey, AttestationKeyAlg, AttestationKeyOptions, QuoteRequest, TpmAttestationKeyAlg } from './attestationKey.js';
export { quote, verifyQuote, SOFTWARE_FIRMWARE_VERSION } from './quote.js';
export type { Quote, QuoteInput, VerifyQuoteOptions } from './quote.js';
export { verifyTpmQuote, DEFAULT_ALLOWED_HASHES } from './verifyTpmQuote.js';
export type { VerifyTpmQuoteInput, VerifyResult, VerifyFailure, QuoteFailureCode } from './verifyTpmQuote.js';
export { createNonceRegistry } from './nonceRegistry.js';
export type { NonceRegistry, NonceRegistryOptions } from './nonceRegistry.js';
export type { TpmHashId } from './_tpm.js';
export {
  createAttestedUpload,
  createUploadReceiver,
  encodeUploadChallenge,
  parseUploadChallenge,
  verifyUploadResponse,
  verifyUploadStatement,
  UPLOAD_STATUS,
  UPLOAD_MAGIC,
  UPLOAD_VERSION,
  MAX_READING,
  MAX_STORAGE_ADDRESS,
} from './attestedUpload.js';
export type {
  AcceptedUpload,
  AttestedUploadInput,
  UploadReceiver,
  UploadReceiverOptions,
  ReceiveResult,
  SensorRecord,
  UploadResponse,
  UploadStatement,
  UploadStatus,
} from './attestedUpload.js';
