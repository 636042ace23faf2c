/** API lock (CONVENTIONS §13) and frozen exported bundles (§2). */
import { describe, expect, it } from 'vitest';
import * as attest from '../src/index.js';
import * as node from '../src/index.node.js';
import * as testing from '../src/testing.js';

const names = (m: object) => Object.keys(m).sort();

describe('API lock', () => {
  it('index.ts', () => {
    expect(names(attest)).toMatchInlineSnapshot(`
      [
        "ATTESTATION_KEY_ALGS",
        "DEFAULT_ALLOWED_HASHES",
        "MAX_LOG_EVENTS",
        "MAX_READING",
        "MAX_STORAGE_ADDRESS",
        "NonceError",
        "PCR_BANK_ALGS",
        "PcrError",
        "SOFTWARE_FIRMWARE_VERSION",
        "TPM_SIG_ALGS",
        "TpmEncodingError",
        "UPLOAD_MAGIC",
        "UPLOAD_STATUS",
        "UPLOAD_VERSION",
        "UploadError",
        "UploadFormatError",
        "checkEventLog",
        "createAttestationKey",
        "createAttestedUpload",
        "createNonceRegistry",
        "createPcrBank",
        "createUploadReceiver",
        "encodeTpmsAttest",
        "encodeTpmtSignature",
        "encodeUploadChallenge",
        "extend",
        "parseAkPublicKey",
        "parseTcgEventLog",
        "parseTpmsAttest",
        "parseTpmtPublic",
        "parseTpmtSignature",
        "parseUploadChallenge",
        "pcrResetLocality",
        "quote",
        "replayEventLog",
        "spkiPem",
        "tpmName",
        "verifyQuote",
        "verifyTpmQuote",
        "verifyUploadResponse",
        "verifyUploadStatement",
      ]
    `);
  });
  it('index.node.ts has exactly the same names', () => {
    expect(names(node)).toEqual(names(attest));
  });
  it('testing.ts', () => {
    expect(names(testing)).toMatchInlineSnapshot(`
      [
        "AdvanceClockCommand",
        "ConsumeCommand",
        "IssueCommand",
        "PurgeCommand",
        "arbAttestationKey",
        "arbMeasurements",
        "arbNonce",
        "arbNonceCommands",
        "arbPcrBankAlg",
        "arbPcrBankWithLog",
        "arbSelection",
        "arbTamperedQuote",
        "arbTpmsAttestFields",
        "arbValidQuote",
        "nonceModelSetup",
      ]
    `);
  });
});

describe('frozen exports', () => {
  it('every exported non-function object is frozen', () => {
    for (const [k, v] of Object.entries(attest)) {
      if (typeof v === 'object' && v !== null) expect(Object.isFrozen(v), k).toBe(true);
    }
  });
});
