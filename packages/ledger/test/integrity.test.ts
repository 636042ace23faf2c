import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { concatBytes, randomBytes, utf8ToBytes } from '@privkit/core';
import { hpke } from '@privkit/envelope';
import * as ringSig from '@privkit/ring-sig';
import { createAttestationKey, createPcrBank, extend, quote, verifyQuote } from '@privkit/attest';
import {
  LedgerFormatError, blockCid, createIntegrityService, createMemoryLedger, decodeQuoteProof, decodeRecordData,
  detectionProbability, encodeQuoteProof, encodeRecordData, proofMessage, type SubmitterProof,
} from '@privkit/ledger';
import { createEthereumTestLedger } from '@privkit/ledger/testing';

const suite = hpke.suite(0x0020, 0x0001, 0x0002);
const keys = () => suite.kem.generateKeyPair();

function setup() {
  const ledger = createMemoryLedger();
  const owner = keys();
  const consumer = keys();
  const ownerSvc = createIntegrityService(ledger.as('owner'));
  const consumerSvc = createIntegrityService(ledger.as('consumer'));
  return { ledger, owner, consumer, ownerSvc, consumerSvc };
}

describe('integrity service: single blocks', () => {
  it('owner verifies data and digests returned by storage; tampered blocks are caught', async () => {
    const { owner, ownerSvc } = setup();
    const block = randomBytes(1000);
    const r = await ownerSvc.recordBlock('ds/b0', block, { recipients: [owner.publicKey] });
    expect(r.cid).toBe(blockCid(block));
    expect(await ownerSvc.verifyBlock('ds/b0', block, owner.secretKey)).toMatchObject({ intact: true });
    expect(await ownerSvc.verifyDigest('ds/b0', sha256(block), owner.secretKey)).toMatchObject({ intact: true });
    const tampered = Uint8Array.from(block);
    tampered[500]! ^= 1;
    expect(await ownerSvc.verifyBlock('ds/b0', tampered, owner.secretKey)).toMatchObject({ intact: false, reason: 'digest-mismatch' });
    expect(await ownerSvc.verifyDigest('ds/b0', sha256(tampered), owner.secretKey)).toMatchObject({ intact: false, reason: 'digest-mismatch' });
  });

  it('the public anchor hides the digest (it is a commitment, not the hash)', async () => {
    const { owner, ownerSvc, ledger } = setup();
    const block = utf8ToBytes('guessable reading: 21.5 C');
    await ownerSvc.recordBlock('ds/b1', block, { recipients: [owner.publicKey] });
    const { anchor } = await ledger.as('anyone').getAnchor('ds/b1');
    expect(anchor).not.toEqual(sha256(block));
  });

  it('a consumer verifies only after the owner shares (envelope re-wrapped + ledger grant)', async () => {
    const { owner, consumer, ownerSvc, consumerSvc } = setup();
    const block = randomBytes(64);
    await ownerSvc.recordBlock('ds/b2', block, { recipients: [owner.publicKey] });
    await expect(consumerSvc.verifyBlock('ds/b2', block, consumer.secretKey)).rejects.toMatchObject({ code: 'LEDGER_ACCESS_DENIED' });
    await ownerSvc.share('ds/b2', { secretKey: owner.secretKey, recipients: [owner.publicKey, consumer.publicKey], reader: 'consumer' });
    expect(await consumerSvc.verifyBlock('ds/b2', block, consumer.secretKey)).toMatchObject({ intact: true });
    expect(await consumerSvc.verifyDigest('ds/b2', sha256(block), consumer.secretKey)).toMatchObject({ intact: true });
    expect((await consumerSvc.verifyBlock('ds/b2', randomBytes(64), consumer.secretKey)).intact).toBe(false);
    // Owner still verifies after re-wrapping.
    expect(await ownerSvc.verifyBlock('ds/b2', block, owner.secretKey)).toMatchObject({ intact: true });
  });

  it('a record whose envelope was moved to another id does not open (id bound as AAD)', async () => {
    const { owner, ownerSvc, ledger } = setup();
    const a = randomBytes(32);
    await ownerSvc.recordBlock('ds/a', a, { recipients: [owner.publicKey] });
    const rec = await ledger.as('owner').get('ds/a');
    await ledger.as('owner').put('ds/moved', { anchor: rec.anchor, data: rec.data });
    await expect(ownerSvc.verifyBlock('ds/moved', a, owner.secretKey)).rejects.toMatchObject({ name: 'OpenError' });
  });

  it('a wrong anchor (record rewritten with another anchor) is reported, never "intact"', async () => {
    const { owner, ownerSvc, ledger } = setup();
    const b = randomBytes(32);
    await ownerSvc.recordBlock('ds/c', b, { recipients: [owner.publicKey] });
    const rec = await ledger.as('owner').get('ds/c');
    await ledger.as('owner').put('ds/c', { anchor: randomBytes(32), data: rec.data });
    expect(await ownerSvc.verifyBlock('ds/c', b, owner.secretKey)).toMatchObject({ intact: false, reason: 'anchor-mismatch' });
  });

  it('deleted data is reported as such', async () => {
    const { owner, ownerSvc, ledger } = setup();
    const b = randomBytes(32);
    await ownerSvc.recordBlock('ds/d', b, { recipients: [owner.publicKey] });
    await ledger.as('owner').deleteData('ds/d');
    expect(await ownerSvc.verifyBlock('ds/d', b, owner.secretKey)).toMatchObject({ intact: false, reason: 'data-deleted' });
  });
});

describe('integrity service: sampled verification', () => {
  it('checks k random blocks, catches the tampered one when sampled, and reports the detection probability', async () => {
    const { owner, ownerSvc } = setup();
    const blocks = new Map<string, Uint8Array>();
    for (let i = 0; i < 20; i++) {
      const b = randomBytes(100);
      blocks.set(`set/${i}`, b);
      await ownerSvc.recordBlock(`set/${i}`, b, { recipients: [owner.publicKey] });
    }
    const storage = new Map(blocks);
    storage.set('set/7', randomBytes(100)); // storage corrupted one block
    const ids = [...blocks.keys()];
    const all = await ownerSvc.verifySample(ids, 20, async (id) => storage.get(id)!, owner.secretKey);
    expect(all.failed).toEqual(['set/7']);
    expect(all.detectionProbability).toBe(1);
    const some = await ownerSvc.verifySample(ids, 5, async (id) => storage.get(id)!, owner.secretKey, { assumedCorrupted: 1 });
    expect(new Set(some.checked).size).toBe(5);
    expect(some.failed).toEqual(some.checked.includes('set/7') ? ['set/7'] : []);
    expect(some.detectionProbability).toBeCloseTo(5 / 20, 10);
    const missing = await ownerSvc.verifySample(ids, 20, async (id) => { if (id === 'set/3') throw new Error('gone'); return storage.get(id)!; }, owner.secretKey);
    expect(missing.failed.sort()).toEqual(['set/3', 'set/7']);
  });

  it('detection probability matches 1 − C(n−c,k)/C(n,k)', () => {
    expect(detectionProbability(10_000, 100, 300)).toBeGreaterThan(0.95);
    expect(detectionProbability(10, 0, 5)).toBe(0);
    expect(detectionProbability(10, 2, 9)).toBe(1);
    expect(detectionProbability(4, 1, 2)).toBeCloseTo(0.5, 12);
  });
});

describe('integrity service: Merkle batches and submitter proofs', () => {
  it('anchors 1,000 blocks as one root on the embedded EVM; proofs verify, a tampered block does not', async () => {
    const eth = await createEthereumTestLedger();
    const svc = createIntegrityService(eth.as(0));
    const blocks = Array.from({ length: 1000 }, (_, i) => utf8ToBytes(`reading ${i}`));
    const r = await svc.recordBatch('batch/1', blocks);
    expect(r.gasUsed).toBeLessThan(100_000n);
    const anyone = createIntegrityService(eth.as(5));
    expect(await anyone.verifyBatchMember('batch/1', blocks[123]!, r.proofs[123]!)).toBe(true);
    expect(await anyone.verifyBatchMember('batch/1', utf8ToBytes('reading 124'), r.proofs[123]!)).toBe(false);
    expect(await anyone.verifyBatchMember('batch/1', blocks[124]!, r.proofs[123]!)).toBe(false);
  });

  it('a record with a ring signature over the proof message is anchored, re-checkable, and a bad proof is refused', async () => {
    const members = Array.from({ length: 4 }, () => ringSig.keygen());
    const ring = members.map((m) => m.publicKey);
    const scope = utf8ToBytes('epoch-42');
    const verifyProof = (p: SubmitterProof, message: Uint8Array) =>
      p.kind === 'ringSignature' && ringSig.verify(ringSig.decode(p.bytes), message, ring, { scope });
    const ledger = createMemoryLedger();
    const owner = keys();
    const svc = createIntegrityService(ledger.as('sensor-gw'), { verifyProof });
    const block = randomBytes(80);
    const signer = members[2]!;
    await svc.recordBlock('up/1', block, {
      recipients: [owner.publicKey],
      proof: (m) => ({ kind: 'ringSignature', bytes: ringSig.encode(ringSig.sign(m, ring, signer.secretKey, { scope })) }),
    });
    const rec = await ledger.as('sensor-gw').get('up/1');
    expect(decodeRecordData(rec.data).proof?.kind).toBe('ringSignature');
    expect(await svc.recheckProof(rec, verifyProof)).toBe(true);
    // A proof over another record's message is refused before anchoring.
    await expect(svc.recordBlock('up/2', block, {
      recipients: [owner.publicKey],
      proof: () => ({ kind: 'ringSignature', bytes: ringSig.encode(ringSig.sign(proofMessage('up/1', rec.anchor), ring, signer.secretKey, { scope })) }),
    })).rejects.toMatchObject({ code: 'LEDGER_INVALID_RECORD' });
    await expect(ledger.as('x').getAnchor('up/2')).rejects.toMatchObject({ code: 'LEDGER_NOT_FOUND' });
  });

  it('a record with a TPM-style quote over the proof message is anchored only from a device in the expected state', async () => {
    const bank = createPcrBank('sha256');
    extend(bank, 0, sha256(utf8ToBytes('firmware v1')));
    const ak = createAttestationKey('ecdsa-p256');
    const expectedPcrs = { hash: 'sha256' as const, values: { 0: bank.read(0) } };
    const verifyProof = (p: SubmitterProof, message: Uint8Array) =>
      p.kind === 'quote' && verifyQuote(decodeQuoteProof(p.bytes), { publicKey: ak.publicKey, nonce: message, expectedPcrs }).verified;
    const ledger = createMemoryLedger();
    const owner = keys();
    const svc = createIntegrityService(ledger.as('sensor-gw'), { verifyProof });
    await svc.recordBlock('q/1', randomBytes(40), {
      recipients: [owner.publicKey],
      proof: (m) => ({ kind: 'quote', bytes: encodeQuoteProof(quote({ bank, selection: [0], nonce: m, key: ak })) }),
    });
    expect(await svc.recheckProof(await ledger.as('sensor-gw').get('q/1'), verifyProof)).toBe(true);
    // The same device after a firmware change: its quote no longer matches the expected PCRs — refused.
    extend(bank, 0, sha256(utf8ToBytes('malware')));
    await expect(svc.recordBlock('q/2', randomBytes(40), {
      recipients: [owner.publicKey],
      proof: (m) => ({ kind: 'quote', bytes: encodeQuoteProof(quote({ bank, selection: [0], nonce: m, key: ak })) }),
    })).rejects.toMatchObject({ code: 'LEDGER_INVALID_RECORD' });
    expect(() => decodeQuoteProof(new Uint8Array([0, 9, 1]))).toThrow(LedgerFormatError);
  });

  it('record data encoding round-trips and rejects malformed input with typed errors', () => {
    const d = { kind: 'block' as const, envelope: randomBytes(40), proof: { kind: 'quote' as const, bytes: randomBytes(10) } };
    expect(decodeRecordData(encodeRecordData(d))).toEqual({ ...d, version: 2 });
    const enc = encodeRecordData(d);
    for (const bad of [enc.slice(0, 8), concatBytes(utf8ToBytes('XXXX'), enc.slice(4)), Uint8Array.from(enc, (x, i) => (i === 4 ? 9 : x)), enc.slice(0, 12)]) {
      expect(() => decodeRecordData(bad)).toThrow(LedgerFormatError);
    }
  });
});
