import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFabricAdapter, type LedgerAdapter } from '@privkit/ledger';
import { createFabricTestNetwork, runLedgerConformance, type FabricTestNetwork } from '@privkit/ledger/testing';

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
    await alice.grant('fab-1', bob.identity, Math.floor(Date.now() / 1000) + 60);
    expect((await bob.get('fab-1')).data).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('passes the shared conformance suite', async () => {
    await runLedgerConformance(async () => ({ adapters, advanceTime: async (s) => net.advanceTime(s) }), { numRuns: 10, maxCommands: 12 });
  });
});
