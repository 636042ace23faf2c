/** SM2 attestation keys against an independent SM2 implementation (sm-crypto-v2) and node:crypto's SPKI parser. */
import { createPublicKey } from 'node:crypto';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@privkit/core';
import { sm2 as smCrypto } from 'sm-crypto-v2';
import { describe, expect, it } from 'vitest';
import { createAttestationKey, createPcrBank, encodeTpmtSignature, parseTpmtSignature, quote, verifyQuote } from '@privkit/attest';

describe('SM2 attestation keys: cross-implementation', () => {
  const ak = createAttestationKey('sm2');
  const bank = createPcrBank('sm3');
  bank.measure(16, utf8ToBytes('sm firmware'));
  const nonce = new Uint8Array(32).fill(0x42);
  const q = quote({ bank, selection: [16], nonce, key: ak });

  it('sm-crypto-v2 verifies a PrivKit SM2 quote signature (GB/T 32918.2, default user ID, over TPMS_ATTEST)', () => {
    const s = parseTpmtSignature(q.signature);
    if (s.sigAlg !== 'sm2') throw new Error('unexpected');
    const ok = smCrypto.doVerifySignature(q.attest, bytesToHex(s.r) + bytesToHex(s.s), bytesToHex(ak.publicKey.key), {
      hash: true,
      userId: '1234567812345678',
    });
    expect(ok).toBe(true);
  });

  it('verifyQuote accepts a TPMT_SIGNATURE whose SM2 signature was made by sm-crypto-v2', () => {
    const sigHex = smCrypto.doSignature(q.attest, bytesToHex(ak.secretKey), { hash: true, userId: '1234567812345678' });
    const sig = hexToBytes(sigHex);
    const signature = encodeTpmtSignature({ sigAlg: 'sm2', hashAlg: 0x0012, r: sig.subarray(0, 32), s: sig.subarray(32) });
    const r = verifyQuote({ attest: q.attest, signature }, { publicKey: ak.publicKey, nonce, expectedPcrs: bank.pcrValues([16]) });
    expect(r.failures).toEqual([]);
    expect(r.verified).toBe(true);
  });

  it('node:crypto (OpenSSL) parses our SM2 SPKI PEM and re-exports it byte-identically', () => {
    expect(createPublicKey(ak.pem).export({ type: 'spki', format: 'pem' })).toBe(ak.pem);
  });
});
