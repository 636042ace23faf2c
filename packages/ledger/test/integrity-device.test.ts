/**
 * Quote → ledger: a device proof (TPM quote over the record's proof message + the AK public area) is checked before
 * anchoring and re-verified by any reader from the record alone — which AK (device), in which PCR state.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { equalBytes, randomBytes, utf8ToBytes } from '@privkit/core';
import { createAttestationKey, createPcrBank, extend, quote } from '@privkit/attest';
import { hpke } from '@privkit/envelope';
import {
  blockCid, checkDeviceProof, createIntegrityService, createMemoryLedger, decodeDeviceProof, decodeRecordData,
  deviceProofVerifier, encodeDeviceProof, proofMessage, LedgerFormatError,
} from '@privkit/ledger';

const suite = hpke.suite(0x0020, 0x0001, 0x0002);

function device() {
  const bank = createPcrBank('sha256');
  extend(bank, 0, sha256(utf8ToBytes('firmware v1')));
  const ak = createAttestationKey('ecdsa-p256');
  const expectedPcrs = { hash: 'sha256' as const, values: { 0: bank.read(0) } };
  const prove = (m: Uint8Array) => ({
    kind: 'deviceQuote' as const,
    bytes: encodeDeviceProof({ akPublic: ak.tpm2bPublic, ...quote({ bank, selection: [0], nonce: m, key: ak }) }),
  });
  return { bank, ak, expectedPcrs, prove };
}

describe('device proofs in integrity records', () => {
  it('a reader re-verifies which device state produced a record from the record alone', async () => {
    const d = device();
    const ledger = createMemoryLedger();
    const owner = suite.kem.generateKeyPair();
    const svc = createIntegrityService(ledger.as('gw'), { verifyProof: deviceProofVerifier({ expectedAkNames: [d.ak.name], expectedPcrs: d.expectedPcrs }) });
    const block = randomBytes(64);
    await svc.recordBlock('dev/1', block, { recipients: [owner.publicKey], address: blockCid(block), proof: d.prove });
    await ledger.as('gw').grant('dev/1', 'auditor', Math.floor(Date.now() / 1000) + 3600);
    const rec = await ledger.as('auditor').get('dev/1');
    const reader = createIntegrityService(ledger.as('auditor'));
    // Any reader: no policy → learns the AK name and PCR digest; with a policy → verified against it.
    const seen = reader.checkDeviceProof(rec);
    expect(seen.verified).toBe(true);
    expect(equalBytes(seen.akName!, d.ak.name)).toBe(true);
    expect(seen.pcrSelections).toEqual([{ hashAlg: 0x000b, pcrs: [0] }]);
    expect(reader.checkDeviceProof(rec, { expectedAkNames: [d.ak.name], expectedPcrs: d.expectedPcrs }).verified).toBe(true);
    expect(reader.checkDeviceProof(rec, { expectedAkNames: [createAttestationKey('ecdsa-p256').name] }).reason).toBe('ak-not-expected');
    const otherPcrs = { hash: 'sha256' as const, values: { 0: sha256(utf8ToBytes('other')) } };
    expect(reader.checkDeviceProof(rec, { expectedPcrs: otherPcrs }).reason).toBe('pcr-mismatch');
  });

  it('device proof replay: a proof moved to another record (id, anchor or address) does not verify', async () => {
    const d = device();
    const ledger = createMemoryLedger();
    const owner = suite.kem.generateKeyPair();
    const svc = createIntegrityService(ledger.as('gw'), { verifyProof: deviceProofVerifier() });
    const block = randomBytes(64);
    await svc.recordBlock('dev/2', block, { recipients: [owner.publicKey], address: blockCid(block), proof: d.prove });
    const rec = await ledger.as('gw').get('dev/2');
    const proof = decodeRecordData(rec.data).proof!;
    const msg = proofMessage('dev/2', rec.anchor, blockCid(block));
    expect(checkDeviceProof(proof.bytes, msg).verified).toBe(true);
    expect(checkDeviceProof(proof.bytes, proofMessage('dev/3', rec.anchor, blockCid(block))).reason).toBe('quote-invalid');
    expect(checkDeviceProof(proof.bytes, proofMessage('dev/2', randomBytes(32), blockCid(block))).reason).toBe('quote-invalid');
    expect(checkDeviceProof(proof.bytes, proofMessage('dev/2', rec.anchor, blockCid(randomBytes(8)))).reason).toBe('quote-invalid');
    expect(checkDeviceProof(proof.bytes, proofMessage('dev/2', rec.anchor)).reason).toBe('quote-invalid');
    // The AK carried in the proof swapped for another device's: the signature no longer verifies.
    const parts = decodeDeviceProof(proof.bytes);
    const swapped = encodeDeviceProof({ ...parts, akPublic: createAttestationKey('ecdsa-p256').tpm2bPublic });
    expect(checkDeviceProof(swapped, msg).verified).toBe(false);
  });

  it('a device whose measured state changed is refused before anchoring', async () => {
    const d = device();
    const ledger = createMemoryLedger();
    const owner = suite.kem.generateKeyPair();
    const svc = createIntegrityService(ledger.as('gw'), { verifyProof: deviceProofVerifier({ expectedPcrs: d.expectedPcrs }) });
    extend(d.bank, 0, sha256(utf8ToBytes('malware')));
    await expect(svc.recordBlock('dev/4', randomBytes(8), { recipients: [owner.publicKey], proof: d.prove })).rejects.toMatchObject({ code: 'LEDGER_INVALID_RECORD' });
    await expect(ledger.as('x').getAnchor('dev/4')).rejects.toMatchObject({ code: 'LEDGER_NOT_FOUND' });
  });

  it('hostile device-proof bytes never throw from checkDeviceProof; decode is typed', () => {
    const m = randomBytes(32);
    for (const b of [new Uint8Array(0), new Uint8Array(3), Uint8Array.of(0, 1, 0, 1, 9), randomBytes(300)]) {
      expect(checkDeviceProof(b, m)).toMatchObject({ verified: false });
    }
    expect(() => decodeDeviceProof(Uint8Array.of(0, 9, 1))).toThrow(LedgerFormatError);
  });
});
