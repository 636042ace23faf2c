/**
 * @privkit/attest/tpm — a TPM 2.0 client in TypeScript (Node only): TCP transport to swtpm and the MS simulator,
 * the kernel resource manager `/dev/tpmrm0`, the commands a device needs to attest (Startup, GetCapability,
 * GetRandom, PCR_Read/Extend, CreatePrimary with the TCG EK templates and an SRK, Create/Load of restricted signing
 * AKs, ReadPublic, Quote, FlushContext, EvictControl, NV_ReadPublic/NV_Read, ActivateCredential with a policy
 * session), TPM-resident attestation keys with the software key's interface, and MakeCredential for verifiers.
 * @module
 */
export { openTpm } from './client.js';
export type { ActivateCredentialInput, OpenTpmOptions, TpmAttestationKey, TpmClient, TpmKeyObject, TpmQuoteInput, TpmTransportSpec } from './client.js';
export type { TpmCapability, TpmNvPublic } from './commands.js';
export { makeCredential, kdfa, kdfe } from './makeCredential.js';
export type { Credential, MakeCredentialInput } from './makeCredential.js';
export { TpmFrameError, TpmResponseError, TpmTransportError } from './errors.js';
export type { TpmFrameErrorCode, TpmTransportErrorCode } from './errors.js';
export { tpmRcName } from './responseCodes.js';
export { ekTemplate, srkTemplate, akTemplate, EK_CERT_NV } from './templates.js';
export type { TpmKeyAlg } from './templates.js';
