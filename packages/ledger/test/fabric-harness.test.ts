/**
 * The harness behaves like Fabric where PrivKit depends on it: endorsement policies checked at commit, gateway
 * errors shaped like the real gateway's, batch timeout and CommitStatus waiting for the block, discovery start-up
 * delay, and the registry chaincode exposing only its transactions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFabricAdapter, type LedgerAdapter } from '@privkit/ledger';
import { createFabricTestNetwork, type FabricTestNetwork } from '@privkit/ledger/testing';
import { common, gateway as gw, peer } from '@hyperledger/fabric-protos';
import { signers } from '@hyperledger/fabric-gateway';
import { createHash } from 'node:crypto';

let net: FabricTestNetwork;
let alice: LedgerAdapter;

beforeAll(async () => {
  net = await createFabricTestNetwork({ commitDelayMs: 150 });
  const { contract, network } = net.connect(0);
  alice = await createFabricAdapter({ contract, network });
}, 60_000);
afterAll(async () => net?.close());

describe('Fabric harness semantics', () => {
  it('a transaction endorsed by one organisation fails MAJORITY at commit (ENDORSEMENT_POLICY_FAILURE)', async () => {
    const { contract } = net.connect(0);
    const tx = await contract.submitAsync('privkit.registry:Put', { arguments: ['h-policy', '00'.repeat(32), ''], endorsingOrganizations: ['Org1MSP'] });
    const status = await tx.getStatus();
    expect(status.successful).toBe(false);
    expect(status.code).toBe(10);
    await expect(alice.getAnchor('h-policy')).rejects.toMatchObject({ code: 'LEDGER_NOT_FOUND' });
  });

  it('a client that alters the endorsed response before submitting is invalidated (forged-endorsement attack)', async () => {
    const { gateway, contract } = net.connect(1);
    const unsigned = await contract.newProposal('privkit.registry:Put', { arguments: ['h-forged', '22'.repeat(32), ''] }).endorse();
    const prepared = gw.PreparedTransaction.deserializeBinary(unsigned.getBytes());
    const env = prepared.getEnvelope()!;
    const payload = common.Payload.deserializeBinary(env.getPayload_asU8());
    const tx = peer.Transaction.deserializeBinary(payload.getData_asU8());
    const cap = peer.ChaincodeActionPayload.deserializeBinary(tx.getActionsList()[0]!.getPayload_asU8());
    const cea = cap.getAction()!;
    const prp = peer.ProposalResponsePayload.deserializeBinary(cea.getProposalResponsePayload_asU8());
    const action = peer.ChaincodeAction.deserializeBinary(prp.getExtension_asU8());
    action.getResponse()!.setPayload(Buffer.from('999')); // claim another version than the endorsers computed
    prp.setExtension$(action.serializeBinary());
    cea.setProposalResponsePayload(prp.serializeBinary());
    cap.setAction(cea);
    tx.getActionsList()[0]!.setPayload(cap.serializeBinary());
    payload.setData(tx.serializeBinary());
    env.setPayload(payload.serializeBinary());
    prepared.setEnvelope(env);
    const signature = await signers.newPrivateKeySigner(net.identities[1]!.privateKey)(createHash('sha256').update(env.getPayload_asU8()).digest());
    const submitted = await gateway.newSignedTransaction(prepared.serializeBinary(), signature).submit();
    const status = await submitted.getStatus();
    expect(status.successful).toBe(false);
    expect(status.code).toBe(10); // ENDORSEMENT_POLICY_FAILURE: the peers' signatures no longer match
    await expect(alice.getAnchor('h-forged')).rejects.toMatchObject({ code: 'LEDGER_NOT_FOUND' });
  });

  it('endorsement failures look like the real gateway\'s: the chaincode message only in per-endorser details', async () => {
    const { contract } = net.connect(1);
    await alice.put('h-err', { anchor: new Uint8Array(32) });
    const err = (await contract.submitAsync('privkit.registry:Put', { arguments: ['h-err', '00'.repeat(32), ''] }).catch((e: unknown) => e)) as {
      name: string; code: number; message: string; details: { mspId: string; address: string; message: string }[];
    };
    expect(err.name).toBe('EndorseError');
    expect(err.code).toBe(10); // ABORTED
    expect(err.message).toMatch(/failed to endorse transaction, see attached details/);
    expect(err.message).not.toMatch(/LEDGER_/);
    expect(err.details[0]!.mspId).toBe('Org2MSP');
    expect(err.details[0]!.message).toMatch(/^chaincode response 500, LEDGER_ACCESS_DENIED/);
  });

  it('transactions submitted within the batch timeout share a block; CommitStatus waits for it', async () => {
    const { contract } = net.connect(0);
    const [a, b] = await Promise.all(['h-batch-1', 'h-batch-2'].map((id) => contract.submitAsync('privkit.registry:Put', { arguments: [id, '11'.repeat(32), ''] })));
    const [sa, sb] = await Promise.all([a!.getStatus(), b!.getStatus()]);
    expect(sa.successful && sb.successful).toBe(true);
    expect(sa.blockNumber).toBe(sb.blockNumber);
  });

  it('helper methods of the contract are not transactions (internal-helper-invocation attack)', async () => {
    const [, mallory] = [alice, await createFabricAdapter(net.connect(1))];
    await alice.put('h-helper', { anchor: new Uint8Array(32).fill(4) });
    const { contract } = net.connect(1);
    for (const name of ['_save', 'save', '_load', '_owned', '_clock']) {
      await expect(contract.submitTransaction(`privkit.registry:${name}`, 'h-helper', '"x"')).rejects.toThrow();
    }
    expect((await mallory.getAnchor('h-helper')).owner).toBe(alice.identity);
  });
});

describe('missing private data', () => {
  it('a peer without the committed data part answers LEDGER_UNAVAILABLE, never an empty or wrong data part', async () => {
    await alice.put('h-lost', { anchor: new Uint8Array(32).fill(8), data: new Uint8Array([5, 5, 5]) });
    await net.restartPeer('Org1MSP', { downMs: 20, losePrivateData: true });
    for (let i = 0; i < 100; i++) {
      // wait until the client's connection to the restarted peer is back
      if (await alice.getAnchor('h-lost').then(() => true, () => false)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await alice.getAnchor('h-lost')).version).toBe(1); // the public part is intact
    const err = await alice.get('h-lost').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'LEDGER_UNAVAILABLE' });
    expect(JSON.stringify((err as { cause?: { details?: unknown } }).cause?.details)).toMatch(/does not match the ledger's hash/);
  });
});

describe('hostile options', () => {
  it('createFabricAdapter and subscribe refuse malformed options with typed errors', async () => {
    const { PrivkitError } = await import('@privkit/core');
    const conn = net.connect(0);
    for (const v of [-1, NaN, 1.5, 'x', 10n]) {
      await expect(createFabricAdapter({ ...conn, readyTimeoutMs: v as never })).rejects.toBeInstanceOf(PrivkitError);
      await expect(alice.subscribe(() => undefined, { retry: { maxAttempts: v as never } })).rejects.toBeInstanceOf(PrivkitError);
    }
    await expect(createFabricAdapter({ contract: {} as never })).rejects.toMatchObject({ code: 'LEDGER_INVALID_RECORD' });
    await expect(alice.subscribe(() => undefined, { onError: 'x' as never })).rejects.toBeInstanceOf(PrivkitError);
  });
});

describe('gateway readiness', () => {
  it('createFabricAdapter waits out the discovery start-up delay', async () => {
    const slow = await createFabricTestNetwork({ orgs: ['Org1MSP', 'Org2MSP'], discoveryDelayMs: 400 });
    try {
      const { contract } = slow.connect(0);
      await expect(createFabricAdapter({ contract, readyTimeoutMs: 0 })).rejects.toMatchObject({ code: 'LEDGER_UNAVAILABLE' });
      const ready = await createFabricAdapter({ contract, readyTimeoutMs: 5000 });
      expect(ready.identity).toMatch(/^Org1MSP::/);
    } finally {
      await slow.close();
    }
  });
});
