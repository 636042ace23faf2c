/**
 * Regression tests for the findings of issue #17 on a real Fabric 2.5 network, reproduced in the harness
 * (three organisations, one peer each, MAJORITY endorsement, the shipped collections_config.json where
 * `privkitPrivate` is OR(Org1MSP, Org2MSP) with memberOnlyRead/memberOnlyWrite).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFabricAdapter, createIntegrityService, type LedgerAdapter } from '@privkit/ledger';
import { hpke } from '@privkit/envelope';
import { createFabricTestNetwork, runLedgerConformance, type FabricTestNetwork } from '@privkit/ledger/testing';
import { common, gateway as gw, peer } from '@hyperledger/fabric-protos';
import { signers, type Gateway } from '@hyperledger/fabric-gateway';
import { createHash } from 'node:crypto';

let net: FabricTestNetwork;
let adapters: LedgerAdapter[];
const YEAR = 365 * 86400;
const suite = hpke.suite(0x0020, 0x0001, 0x0002);
const now = () => Math.floor(Date.now() / 1000);

/** Evaluates `fn` as identity `i` with the signed proposal's timestamp set to `seconds` (the client chooses it). */
async function backdatedEvaluate(net: FabricTestNetwork, gateway: Gateway, i: number, fn: string, args: string[], seconds: number) {
  const unsigned = gateway.getNetwork(net.channel).getContract(net.chaincode).newProposal(fn, { arguments: args });
  const pt = gw.ProposedTransaction.deserializeBinary(unsigned.getBytes());
  const sp = pt.getProposal()!;
  const proposal = peer.Proposal.deserializeBinary(sp.getProposalBytes_asU8());
  const header = common.Header.deserializeBinary(proposal.getHeader_asU8());
  const ch = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
  ch.getTimestamp()!.setSeconds(seconds);
  header.setChannelHeader(ch.serializeBinary());
  proposal.setHeader(header.serializeBinary());
  sp.setProposalBytes(proposal.serializeBinary());
  pt.setProposal(sp);
  const signature = await signers.newPrivateKeySigner(net.identities[i]!.privateKey)(createHash('sha256').update(sp.getProposalBytes_asU8()).digest());
  try {
    const out = await gateway.newSignedProposal(pt.serializeBinary(), signature).evaluate();
    return { ok: true, text: Buffer.from(out).toString() };
  } catch (e) {
    return { ok: false, text: String(e) };
  }
}

beforeAll(async () => {
  net = await createFabricTestNetwork(); // Org1MSP, Org2MSP, Org3MSP; the shipped collections_config.json
  adapters = await Promise.all(net.identities.map((_, i) => createFabricAdapter(net.connect(i))));
}, 60_000);
afterAll(async () => net?.close());

describe('finding 1: grants across organisations (Org3 is in no configured collection)', () => {
  it('an Org3 owner puts a record with data and reads it back', async () => {
    const carol = adapters[2]!;
    expect(carol.identity).toMatch(/^Org3MSP::/);
    await carol.put('f1-own', { anchor: new Uint8Array(32).fill(1), data: new Uint8Array([7, 7]) });
    expect((await carol.get('f1-own')).data).toEqual(new Uint8Array([7, 7]));
  });
  it('an Org3 grantee reads what an Org1 owner shared with it', async () => {
    const [alice, , carol] = adapters as [LedgerAdapter, LedgerAdapter, LedgerAdapter];
    await alice.put('f1-shared', { anchor: new Uint8Array(32).fill(2), data: new Uint8Array([1, 2, 3]) });
    await alice.grant('f1-shared', carol.identity, now() + YEAR);
    expect((await carol.get('f1-shared')).data).toEqual(new Uint8Array([1, 2, 3]));
  });
});

describe('finding 1: the grant model holds for every organisation', () => {
  it('the integrity service shares a block with an Org3 consumer, who verifies it', async () => {
    const [alice, , carol] = adapters as [LedgerAdapter, LedgerAdapter, LedgerAdapter];
    const owner = suite.kem.generateKeyPair();
    const consumer = suite.kem.generateKeyPair();
    const block = new TextEncoder().encode('sensor block 17');
    const svc = createIntegrityService(alice);
    await svc.recordBlock('f1-share', block, { recipients: [owner.publicKey] });
    await svc.share('f1-share', { secretKey: owner.secretKey, recipients: [owner.publicKey, consumer.publicKey], reader: carol.identity });
    expect((await createIntegrityService(carol).verifyBlock('f1-share', block, consumer.secretKey)).intact).toBe(true);
  });

  it('the conformance suite passes with three organisations where the third is outside any collection', async () => {
    await runLedgerConformance(async () => ({ adapters, advanceTime: async (s) => net.advanceTime(s) }), { numRuns: 15, maxCommands: 12 });
  });

  it('with an explicit member-only collection, the peer\'s refusal surfaces as LEDGER_ACCESS_DENIED (not UNAVAILABLE)', async () => {
    const legacy = await createFabricTestNetwork({ contract: { collection: 'privkitPrivate' } });
    try {
      const [alice, carol] = await Promise.all([0, 2].map((i) => {
        const { contract, network } = legacy.connect(i);
        return createFabricAdapter({ contract, network });
      })) as [LedgerAdapter, LedgerAdapter];
      await expect(carol.put('f1-legacy', { anchor: new Uint8Array(32), data: new Uint8Array([1]) })).rejects.toMatchObject({ code: 'LEDGER_ACCESS_DENIED' });
      await alice.put('f1-legacy-a', { anchor: new Uint8Array(32), data: new Uint8Array([1]) });
      await alice.grant('f1-legacy-a', carol.identity, now() + YEAR);
      await expect(carol.get('f1-legacy-a')).rejects.toMatchObject({ code: 'LEDGER_ACCESS_DENIED' });
    } finally {
      await legacy.close();
    }
  });
});

describe('finding 2: grant expiry on a clock the reader does not control', () => {
  // A network of its own: these tests move its clock.
  let clockNet: FabricTestNetwork;
  let adapters: LedgerAdapter[];
  beforeAll(async () => {
    clockNet = await createFabricTestNetwork({ orgs: ['Org1MSP', 'Org2MSP'] });
    adapters = await Promise.all([0, 1].map((i) => createFabricAdapter(clockNet.connect(i))));
  });
  afterAll(async () => clockNet?.close());

  it('back-dated read after expiry is denied', async () => {
    const [alice, bob] = adapters as [LedgerAdapter, LedgerAdapter];
    await alice.put('f2-expiry', { anchor: new Uint8Array(32).fill(3), data: new Uint8Array([4, 2]) });
    await alice.grant('f2-expiry', bob.identity, now() + 3600);
    expect((await bob.get('f2-expiry')).data).toEqual(new Uint8Array([4, 2]));
    clockNet.advanceTime(7200);
    await expect(bob.get('f2-expiry')).rejects.toMatchObject({ code: 'LEDGER_ACCESS_DENIED' });
    // The same Get, with the proposal timestamp the client signs set back before the expiry.
    const { gateway } = clockNet.connect(1);
    const forged = await backdatedEvaluate(clockNet, gateway, 1, 'privkit.registry:Get', ['f2-expiry'], now() - 7200);
    expect(forged.ok).toBe(false);
    expect(forged.text).not.toContain('"data"');
  });

  it('a proposal timestamp far from the endorsing peer\'s clock is refused (LEDGER_CLOCK_SKEW)', async () => {
    const [alice, bob] = adapters as [LedgerAdapter, LedgerAdapter];
    await alice.put('f2-skew', { anchor: new Uint8Array(32).fill(3), data: new Uint8Array([1]) });
    await alice.grant('f2-skew', bob.identity, now() + 30 * 86400);
    const { gateway } = clockNet.connect(1);
    for (const shift of [-3600, +3600]) {
      const forged = await backdatedEvaluate(clockNet, gateway, 1, 'privkit.registry:Get', ['f2-skew'], now() + shift);
      expect(forged.ok).toBe(false);
      expect(forged.text).toMatch(/LEDGER_CLOCK_SKEW/);
    }
    // within the bound the read is served
    expect((await backdatedEvaluate(clockNet, gateway, 1, 'privkit.registry:Get', ['f2-skew'], now() - 60)).ok).toBe(true);
  });
});

describe('finding 3: event subscriptions survive a peer restart', () => {
  it('subscription survives a peer restart without losing or duplicating an event', async () => {
    const [alice, bob] = adapters as [LedgerAdapter, LedgerAdapter];
    const seen: string[] = [];
    const errors: unknown[] = [];
    const stop = await alice.subscribe((e) => seen.push(`${e.type}:${e.id}`), { onError: (e) => errors.push(e), retry: { initialDelayMs: 20, maxDelayMs: 200 } });
    await bob.put('f3-before', { anchor: new Uint8Array(32).fill(1) });
    for (let i = 0; i < 100 && seen.length < 1; i++) await new Promise((r) => setTimeout(r, 20));
    // Org1's peer (alice's gateway) restarts; Org2 commits meanwhile (MAJORITY: Org2 + Org3 endorse).
    const restart = net.restartPeer('Org1MSP', { downMs: 300 });
    await new Promise((r) => setTimeout(r, 50));
    await bob.put('f3-during', { anchor: new Uint8Array(32).fill(2) });
    await restart;
    await bob.put('f3-after', { anchor: new Uint8Array(32).fill(3) });
    for (let i = 0; i < 200 && seen.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200)); // a duplicate would arrive now
    stop();
    expect(seen).toEqual(['put:f3-before', 'put:f3-during', 'put:f3-after']);
    expect(errors.length).toBeGreaterThan(0); // the drop was reported, not swallowed
  });

  it('with a batch timeout (several transactions per block), a restart neither loses nor repeats events', async () => {
    const batched = await createFabricTestNetwork({ commitDelayMs: 120 });
    try {
      const [a, b] = await Promise.all([0, 1].map((i) => createFabricAdapter(batched.connect(i))));
      const seen: string[] = [];
      const stop = await a!.subscribe((e) => seen.push(e.id), { retry: { initialDelayMs: 20, maxDelayMs: 100 } });
      await Promise.all(['b1', 'b2', 'b3'].map((id) => b!.put(id, { anchor: new Uint8Array(32) }))); // one block
      const restart = batched.restartPeer('Org1MSP', { downMs: 200 });
      await Promise.all(['d1', 'd2'].map((id) => b!.put(id, { anchor: new Uint8Array(32) })));
      await restart;
      await Promise.all(['a1', 'a2'].map((id) => b!.put(id, { anchor: new Uint8Array(32) })));
      for (let i = 0; i < 200 && seen.length < 7; i++) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 200));
      stop();
      expect([...seen].sort()).toEqual(['a1', 'a2', 'b1', 'b2', 'b3', 'd1', 'd2']);
    } finally {
      await batched.close();
    }
  });
});
