/** TPM client pieces that need no TPM: API lock, frozen constants, response-code names, command marshalling, templates. */
import { bytesToHex, hexToBytes } from '@privkit/core';
import { describe, expect, it } from 'vitest';
import { parseTpmtPublic } from '@privkit/attest';
import * as tpm from '@privkit/attest/tpm';
import { marshalCommand, parseResponse, PASSWORD_AUTH, TPM_CC } from '../src/tpm/_marshal.js';

describe('@privkit/attest/tpm API', () => {
  it('export names (API lock) and frozen constants', () => {
    expect(Object.keys(tpm).sort()).toMatchInlineSnapshot(`
      [
        "EK_CERT_NV",
        "TpmFrameError",
        "TpmResponseError",
        "TpmTransportError",
        "akTemplate",
        "ekTemplate",
        "kdfa",
        "kdfe",
        "makeCredential",
        "openTpm",
        "srkTemplate",
        "tpmRcName",
      ]
    `);
    expect(Object.isFrozen(tpm.EK_CERT_NV)).toBe(true);
    expect(Object.isFrozen(TPM_CC)).toBe(true);
    expect(Object.isFrozen(PASSWORD_AUTH)).toBe(true);
  });
});

describe('tpmRcName (TPM 2.0 Library Part 2 §6.6)', () => {
  const cases: [number, string][] = [
    [0x000, 'TPM_RC_SUCCESS'],
    [0x01e, 'TPM_RC_BAD_TAG'],
    [0x100, 'TPM_RC_INITIALIZE'],
    [0x101, 'TPM_RC_FAILURE'],
    [0x143, 'TPM_RC_COMMAND_CODE'],
    [0x14b, 'TPM_RC_NV_SPACE'],
    [0x902, 'TPM_RC_OBJECT_MEMORY'],
    [0x907, 'TPM_RC_LOCALITY'],
    [0x921, 'TPM_RC_LOCKOUT'],
    [0x922, 'TPM_RC_RETRY'],
    [0x98e, 'TPM_RC_AUTH_FAIL (session 1)'],
    [0x9a2, 'TPM_RC_BAD_AUTH (session 1)'],
    [0x1c4, 'TPM_RC_VALUE (parameter 1)'],
    [0x2c4, 'TPM_RC_VALUE (parameter 2)'],
    [0x184, 'TPM_RC_VALUE (handle 1)'],
    [0x08b, 'TPM_RC_HANDLE'],
    [0x18b, 'TPM_RC_HANDLE (handle 1)'],
    [0x1df, 'TPM_RC_INTEGRITY (parameter 1)'],
    [0x99d, 'TPM_RC_POLICY_FAIL (session 1)'],
    [0x400, 'TPM_RC_VENDOR (0x400)'],
    [0x0bf, 'TPM_RC_FMT1 unknown (0x0bf)'],
    [0x1234, 'TPM_RC unknown (0x1234)'],
    [0x005, 'TPM 1.2 error (0x005)'],
  ];
  for (const [rc, name] of cases) it(`0x${rc.toString(16)} → ${name}`, () => expect(tpm.tpmRcName(rc)).toBe(name));
});

describe('command framing (Part 1 §18)', () => {
  it('TPM2_GetRandom(8) marshals to the bytes swtpm answers', () => {
    expect(bytesToHex(marshalCommand({ cc: 'GetRandom', params: hexToBytes('0008') }))).toBe('80010000000c0000017b0008');
  });
  it('a password session: TPM_ST_SESSIONS, authorizationSize 9, TPM_RS_PW, continueSession', () => {
    const c = marshalCommand({ cc: 'PCR_Extend', handles: [16], auths: [PASSWORD_AUTH], params: hexToBytes('00000000') });
    expect(bytesToHex(c)).toBe('8002' + '0000001f' + '00000182' + '00000010' + '00000009' + '40000009' + '0000' + '01' + '0000' + '00000000');
  });
  it('an error response with parameters or sessions is malformed; a success response must fill responseSize', () => {
    const c = { cc: 'GetRandom' as const };
    expect(() => parseResponse(c, hexToBytes('80010000000a00000101'))).toThrow(tpm.TpmResponseError);
    expect(() => parseResponse(c, hexToBytes('80010000000c000001010000'))).toThrow(/malformed error response/);
    expect(() => parseResponse(c, hexToBytes('80020000000a00000000'))).toThrow(/unexpected tag/);
    expect(() => parseResponse(c, hexToBytes('80010000000b00000000'))).toThrow(/responseSize/);
  });
});

describe('templates', () => {
  it('EK L-1/L-2, SRK and AK templates parse and carry the profile attributes and policy', () => {
    const policy = '837197674484b3f81a90cc8d46a5d724fd52d76e06520b64f2a1da1b331469aa';
    for (const alg of ['rsa', 'ecc'] as const) {
      const ek = tpm.ekTemplate(alg);
      expect(bytesToHex(ek.subarray(4, 8))).toBe('000300b2');
      expect(bytesToHex(ek)).toContain(`0020${policy}`);
      const ak = tpm.akTemplate(alg);
      expect(bytesToHex(ak.subarray(4, 8))).toBe('00050072');
      // symmetric NULL, then the scheme: RSASSA or ECDSA with SHA-256.
      expect(bytesToHex(ak.subarray(10, 16))).toBe(alg === 'rsa' ? '001000140' + '00b' : '00100018000b');
    }
    expect(parseTpmtPublic(tpm.akTemplate('ecc')).scheme).toEqual({ sigAlg: 'ecdsa', hashAlg: 0x000b });
    expect(bytesToHex(tpm.srkTemplate().subarray(4, 8))).toBe('00030472');
    // Each call returns a fresh array: mutating one cannot poison the next key.
    const t = tpm.ekTemplate('rsa');
    t.fill(0);
    expect(bytesToHex(tpm.ekTemplate('rsa').subarray(0, 2))).toBe('0001');
  });
});
