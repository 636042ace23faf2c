/**
 * Issue #16 item 6: integrity verification checks who wrote a record. Whoever creates an id first owns it, so a
 * verification that does not check the owner (or the sender key of the digest envelope) can be answered "intact" for
 * data of an attacker's choice. Each attack has its regression test, named after it.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { randomBytes } from '@privkit/core';
import { hpke } from '@privkit/envelope';
import { createIntegrityService, createMemoryLedger } from '@privkit/ledger';

const suite = hpke.suite(0x0020, 0x0001, 0x0002);
const keys = () => suite.kem.generateKeyPair();

function world() {
  const ledger = createMemoryLedger();
  const owner = keys();
  const consumer = keys();
  const mallory = keys();
  return {
    ledger, owner, consumer, mallory,
    ownerSvc: createIntegrityService(ledger.as('owner')),
    consumerSvc: createIntegrityService(ledger.as('consumer')),
    mallorySvc: createIntegrityService(ledger.as('mallory')),
  };
}

describe('id squatting: a record created first by another identity', () => {
  it('verifyBlock / verifyDigest report owner-mismatch under expectedOwner, and name the real owner without it', async () => {
    const { consumer, consumerSvc, mallorySvc, ledger } = world();
    const forged = randomBytes(100);
    // Mallory creates the id the consumer expects from the owner, sealed to the consumer, and lets them read it.
    await mallorySvc.recordBlock('ds/b0', forged, { recipients: [consumer.publicKey] });
    await ledger.as('mallory').grant('ds/b0', 'consumer', Math.floor(Date.now() / 1000) + 3600);
    const unchecked = await consumerSvc.verifyBlock('ds/b0', forged, consumer.secretKey);
    expect(unchecked).toMatchObject({ intact: true, owner: 'mallory' }); // the result says who wrote it
    expect(await consumerSvc.verifyBlock('ds/b0', forged, consumer.secretKey, { expectedOwner: 'owner' }))
      .toEqual({ intact: false, reason: 'owner-mismatch', owner: 'mallory' });
    expect(await consumerSvc.verifyDigest('ds/b0', sha256(forged), consumer.secretKey, { expectedOwner: 'owner' }))
      .toMatchObject({ intact: false, reason: 'owner-mismatch' });
    const sample = await consumerSvc.verifySample(['ds/b0'], 1, async () => forged, consumer.secretKey, { expectedOwner: 'owner' });
    expect(sample.failed).toEqual(['ds/b0']);
  });

  it('batch squatting: verifyBatchMember is false for a batch anchored by someone else', async () => {
    const { ownerSvc, mallorySvc } = world();
    const blocks = [randomBytes(10), randomBytes(10)];
    const r = await mallorySvc.recordBatch('batch/1', blocks);
    expect(await ownerSvc.verifyBatchMember('batch/1', blocks[0]!, r.proofs[0]!)).toBe(true);
    expect(await ownerSvc.verifyBatchMember('batch/1', blocks[0]!, r.proofs[0]!, { expectedOwner: 'owner' })).toBe(false);
    expect(await ownerSvc.verifyBatchMember('batch/1', blocks[0]!, r.proofs[0]!, { expectedOwner: 'MALLORY' })).toBe(true);
  });

  it('a bad expectedOwner option is a typed error', async () => {
    const { owner, ownerSvc } = world();
    await ownerSvc.recordBlock('x', randomBytes(8), { recipients: [owner.publicKey] });
    await expect(ownerSvc.verifyBlock('x', randomBytes(8), owner.secretKey, { expectedOwner: 42 as never })).rejects.toMatchObject({ name: 'InputError', code: 'INVALID_VALUE' });
  });
});

describe('sender forgery: a digest envelope not sealed by the expected sender', () => {
  it('a base-mode record is sender-mismatch when a sender key is expected', async () => {
    const { owner, consumer, consumerSvc, mallorySvc, ledger } = world();
    const forged = randomBytes(50);
    await mallorySvc.recordBlock('s/1', forged, { recipients: [consumer.publicKey] });
    await ledger.as('mallory').grant('s/1', 'consumer', Math.floor(Date.now() / 1000) + 3600);
    expect(await consumerSvc.verifyBlock('s/1', forged, consumer.secretKey, { senderPublicKey: owner.publicKey }))
      .toMatchObject({ intact: false, reason: 'sender-mismatch', owner: 'mallory' });
  });

  it('an auth-mode record from another sender key is sender-mismatch', async () => {
    const { owner, consumer, mallory, consumerSvc, mallorySvc, ledger } = world();
    const forged = randomBytes(50);
    await mallorySvc.recordBlock('s/2', forged, { recipients: [consumer.publicKey], senderSecretKey: mallory.secretKey });
    await ledger.as('mallory').grant('s/2', 'consumer', Math.floor(Date.now() / 1000) + 3600);
    expect(await consumerSvc.verifyBlock('s/2', forged, consumer.secretKey, { senderPublicKey: owner.publicKey }))
      .toMatchObject({ intact: false, reason: 'sender-mismatch' });
    // With the right expectations (Mallory's key) it verifies: the check is about who, not whether.
    expect(await consumerSvc.verifyBlock('s/2', forged, consumer.secretKey, { senderPublicKey: mallory.publicKey }))
      .toMatchObject({ intact: true, owner: 'mallory', senderAuthenticated: true });
  });
});

describe('records sealed with senderSecretKey are verifiable and shareable', () => {
  it('verifyBlock, verifyDigest, verifySample and share with the sender key; it stays authenticated after sharing', async () => {
    const { owner, consumer, ownerSvc, consumerSvc } = world();
    const block = randomBytes(200);
    await ownerSvc.recordBlock('a/1', block, { recipients: [owner.publicKey], senderSecretKey: owner.secretKey });
    const vo = { expectedOwner: 'owner', senderPublicKey: owner.publicKey };
    expect(await ownerSvc.verifyBlock('a/1', block, owner.secretKey, vo)).toEqual({ intact: true, owner: 'owner', senderAuthenticated: true });
    expect(await ownerSvc.verifyDigest('a/1', sha256(block), owner.secretKey, vo)).toMatchObject({ intact: true });
    expect((await ownerSvc.verifySample(['a/1'], 1, async () => block, owner.secretKey, vo)).failed).toEqual([]);
    // Without the sender key the record cannot be opened: a typed error that says what to pass.
    await expect(ownerSvc.verifyBlock('a/1', block, owner.secretKey)).rejects.toMatchObject({ code: 'LEDGER_INVALID_RECORD' });
    // Sharing re-seals in auth mode (needs the sender secret key).
    await expect(ownerSvc.share('a/1', { secretKey: owner.secretKey, recipients: [owner.publicKey, consumer.publicKey], senderPublicKey: owner.publicKey }))
      .rejects.toMatchObject({ code: 'LEDGER_INVALID_RECORD' });
    await ownerSvc.share('a/1', {
      secretKey: owner.secretKey, recipients: [owner.publicKey, consumer.publicKey], reader: 'consumer',
      senderPublicKey: owner.publicKey, senderSecretKey: owner.secretKey,
    });
    expect(await consumerSvc.verifyBlock('a/1', block, consumer.secretKey, vo)).toEqual({ intact: true, owner: 'owner', senderAuthenticated: true });
    expect((await consumerSvc.verifyBlock('a/1', randomBytes(200), consumer.secretKey, vo)).reason).toBe('digest-mismatch');
    expect(await ownerSvc.verifyBlock('a/1', block, owner.secretKey, vo)).toMatchObject({ intact: true });
  });

  it('share refuses to re-seal an auth-mode record under the wrong sender key', async () => {
    const { owner, mallory, ownerSvc } = world();
    await ownerSvc.recordBlock('a/2', randomBytes(20), { recipients: [owner.publicKey], senderSecretKey: owner.secretKey });
    await expect(ownerSvc.share('a/2', { secretKey: owner.secretKey, recipients: [owner.publicKey], senderPublicKey: mallory.publicKey, senderSecretKey: mallory.secretKey }))
      .rejects.toMatchObject({ code: 'LEDGER_ACCESS_DENIED' });
  });
});
