import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFabricAdapter, type LedgerAdapter } from '@privkit/ledger';
import { createFabricTestNetwork, runLedgerConformance, type FabricTestNetwork } from '@privkit/ledger/testing';
import { runFabricScenario } from './_fabric-scenario.js';

let net: FabricTestNetwork;
let adapters: LedgerAdapter[];

beforeAll(async () => {
  net = await createFabricTestNetwork();
  adapters = await Promise.all([0, 1, 2].map((i) => {
    const { contract, network } = net.connect(i);
    return createFabricAdapter({ contract, network });
  }));
}, 60_000);
afterAll(async () => net?.close());

describe('Fabric back end (real chaincode in fabric-shim, real fabric-gateway client, TEST HARNESS peer)', () => {
  it('round-trips a record with private data', async () => {
    const [alice, bob] = adapters as [LedgerAdapter, LedgerAdapter];
    expect(alice.identity).toMatch(/^Org1MSP::x509::/);
    const r = await alice.put('fab-1', { anchor: new Uint8Array(32).fill(1), data: new Uint8Array([1, 2, 3]) });
    expect(r.version).toBe(1);
    expect((await alice.get('fab-1')).data).toEqual(new Uint8Array([1, 2, 3]));
    await expect(bob.get('fab-1')).rejects.toMatchObject({ code: 'LEDGER_ACCESS_DENIED' });
    await alice.grant('fab-1', bob.identity, Math.floor(Date.now() / 1000) + 10 * 365 * 86400);
    expect((await bob.get('fab-1')).data).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('runs the real-network test\'s scenario: every operation succeeds for every organisation', async () => {
    const ok = await runFabricScenario(adapters, 'scenario');
    for (const op of ['put', 'get', 'getAnchor', 'history', 'grant', 'revoke', 'deleteData', 'subscribe']) expect(ok[op]).toBeGreaterThan(0);
  });

  it('passes the shared conformance suite', async () => {
    await runLedgerConformance(async () => ({ adapters, advanceTime: async (s) => net.advanceTime(s) }), { numRuns: 10, maxCommands: 12 });
  });
});

describe('Fabric semantics in the harness', () => {
  it('only a salted hash of the data part reaches the channel, only the owner organisation\'s peer holds it; delete purges it and keeps the hash history', async () => {
    const [alice] = adapters as [LedgerAdapter];
    const secret = new TextEncoder().encode('very secret digest envelope');
    await alice.put('fab-private', { anchor: new Uint8Array(32).fill(9), data: secret });
    const KEY = '_implicit_org_Org1MSP\u0000fab-private';
    const view = net.inspect();
    expect(view.privateData.get('Org2MSP')!.has(KEY)).toBe(false);
    expect(view.privateData.get('Org3MSP')!.has(KEY)).toBe(false);
    const org1 = view.privateData.get('Org1MSP')!;
    const hashes = view.privateDataHashes.get(KEY);
    expect(hashes).toHaveLength(1);
    const { createHash } = await import('node:crypto');
    // The hash on the channel is of salt ‖ data, not of the data alone.
    expect(Buffer.from(hashes![0]!).equals(createHash('sha256').update(secret).digest())).toBe(false);
    const stored = org1.get(KEY)!;
    expect(stored.subarray(16)).toEqual(Buffer.from(secret));
    // No public state value contains the secret.
    expect([...view.publicKeys].some((k) => k.includes('secret'))).toBe(false);
    await alice.deleteData('fab-private');
    const after = net.inspect();
    expect(after.privateData.get('Org1MSP')!.has(KEY)).toBe(false);
    expect(after.privateDataHashes.get(KEY)).toHaveLength(1);
    const rec = await alice.get('fab-private');
    expect(rec.deleted).toBe(true);
    expect(rec.data).toHaveLength(0);
    expect((await alice.history('fab-private')).map((h) => h.deleted)).toEqual([false, true]);
  });

  it('concurrent updates from the same version: one commits, the other fails MVCC validation (LEDGER_CONFLICT)', async () => {
    const [alice] = adapters as [LedgerAdapter];
    await alice.put('fab-race', { anchor: new Uint8Array(32).fill(1) });
    const results = await Promise.allSettled([
      alice.put('fab-race', { anchor: new Uint8Array(32).fill(2) }),
      alice.put('fab-race', { anchor: new Uint8Array(32).fill(3) }),
    ]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const bad = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(bad).toHaveLength(1);
    expect(bad[0]!.reason).toMatchObject({ code: 'LEDGER_CONFLICT' });
    expect((await alice.getAnchor('fab-race')).version).toBe(2);
  });

  it('delivers chaincode events after commit', async () => {
    const [alice] = adapters as [LedgerAdapter];
    const seen: string[] = [];
    const stop = await alice.subscribe((e) => seen.push(`${e.type}:${e.id}`));
    await new Promise((r) => setTimeout(r, 200)); // let the event stream reach the gateway (events start at the next commit)
    await alice.put('fab-events', { anchor: new Uint8Array(32).fill(5) });
    await alice.grant('fab-events', (adapters[1] as LedgerAdapter).identity, Math.floor(Date.now() / 1000) + 10 * 365 * 86400);
    for (let i = 0; i < 50 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    stop();
    expect(seen).toEqual(['put:fab-events', 'grant:fab-events']);
  });
});
