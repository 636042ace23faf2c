import { describe, expect, it } from 'vitest';
import { PrivkitError } from '@privkit/core';
import {
  assertRecordId, blockCid, buildMerkleTree, cidDigest, createIntegrityService, createMemoryLedger, decodeMerkleProof,
  decodeRecordData, detectionProbability, encodeMerkleProof, merkleRoot, proofMessage, verifyMerkleProof,
} from '@privkit/ledger';

const bad: unknown[] = [undefined, null, 1, -1, NaN, 'x', {}, [], new Uint16Array(4), { constructor: { name: 'Uint8Array' } }, 10n];

describe('hostile inputs get typed errors', () => {
  it('every public function refuses wrong types with a PrivkitError', async () => {
    const sync: [string, (v: unknown) => unknown][] = [
      ['assertRecordId', (v) => assertRecordId(v)],
      ['blockCid', (v) => blockCid(v as never)],
      ['cidDigest', (v) => cidDigest(v as never)],
      ['buildMerkleTree', (v) => buildMerkleTree(v as never)],
      ['merkleRoot', (v) => merkleRoot([v as never])],
      ['decodeMerkleProof', (v) => decodeMerkleProof(v as never)],
      ['encodeMerkleProof', (v) => encodeMerkleProof({ index: v, size: 1, path: [] } as never)],
      ['verifyMerkleProof(root)', (v) => verifyMerkleProof(v as never, new Uint8Array(1), { index: 0, size: 1, path: [] })],
      ['decodeRecordData', (v) => decodeRecordData(v as never)],
      ['detectionProbability', (v) => detectionProbability(v as never, 5, 3)],
      ['proofMessage', (v) => proofMessage('id', v as never)],
    ];
    for (const [name, f] of sync) {
      for (const v of bad) {
        if (name === 'assertRecordId' && typeof v === 'string') continue; // 'x' is a valid id
        if (name === 'buildMerkleTree' && Array.isArray(v)) { expect(() => f(v), name).toThrow(PrivkitError); continue; }
        let threw: unknown;
        try { f(v); } catch (e) { threw = e; }
        expect(threw, `${name}(${String(v)})`).toBeInstanceOf(PrivkitError);
      }
    }
    const ledger = createMemoryLedger().as('a');
    for (const v of bad) {
      if (typeof v !== 'string') await expect(ledger.put(v as never, { anchor: new Uint8Array(32) }), `put id ${String(v)}`).rejects.toBeInstanceOf(PrivkitError);
      await expect(ledger.put('ok', { anchor: v as never }), `put anchor ${String(v)}`).rejects.toBeInstanceOf(PrivkitError);
      await expect(ledger.grant('ok', 'b', v as never), `grant ${String(v)}`).rejects.toBeInstanceOf(PrivkitError);
    }
    for (const v of [null, -1, NaN, 1.5, 'x', {}, 10n]) {
      await expect(ledger.put('ok', { anchor: new Uint8Array(32) }, { expectedVersion: v as never }), `put version ${String(v)}`).rejects.toBeInstanceOf(PrivkitError);
    }
    const svc = createIntegrityService(ledger);
    await expect(svc.recordBlock('ok', 'nope' as never, { recipients: [] })).rejects.toBeInstanceOf(PrivkitError);
    await expect(svc.recordBlock('ok', new Uint8Array(1), { recipients: [] })).rejects.toBeInstanceOf(PrivkitError);
    await expect(svc.verifyDigest('ok', new Uint8Array(31), new Uint8Array(32))).rejects.toBeInstanceOf(PrivkitError);
    await expect(svc.verifySample([], 1, async () => new Uint8Array(), new Uint8Array(32))).rejects.toBeInstanceOf(PrivkitError);
  });
});

// The shared reflective sweep of @privkit/core/testing over every export of every production entry point: every
// function (and every function inside an exported bundle) gets every value of the shared table in every position.
// Test entries (`@privkit/ledger/testing`) are test infrastructure and are not swept.
import * as entry from '@privkit/ledger';
import { assertHostileSweep } from '@privkit/core/testing';

it('reflective hostile sweep over every export of @privkit/ledger', () => assertHostileSweep(entry, { minCalled: 10 }), 600_000);

it("lone surrogates: record ids 'rec-\\uD800' and 'rec-\\uDFFF' are refused (astring, then the ASCII id alphabet)", () => {
  for (const id of ['rec-\uD800', 'rec-\uDFFF']) {
    let err: unknown;
    try {
      assertRecordId(id);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PrivkitError);
  }
});

// The sweep reaches the objects the factories return (issue #16): the memory ledger, an identity's adapter on it
// and an integrity service over that adapter (each seeded with a real record). After each hostile call the check
// reads the record back — same version, same anchor, one history entry — and the integrity service must still
// verify the genuine block and refuse a tampered one: a rejected call changed nothing on the ledger.
import { randomBytes as rnd } from '@privkit/core';
import { hpke as envelopeHpke } from '@privkit/envelope';

describe('reflective hostile sweep over the objects the factories of @privkit/ledger return', () => {
  const kem = envelopeHpke.suite(0x0020, 0x0001, 0x0002).kem;
  const owner = kem.generateKeyPair();
  const anchor = new Uint8Array(32).fill(7);
  const unchanged = async (a: entry.LedgerAdapter) => {
    const r = await a.get('rec-1');
    if (r.version !== 1 || !Buffer.from(r.anchor).equals(Buffer.from(anchor))) throw new Error('the record changed');
    if ((await a.history('rec-1')).length !== 1) throw new Error('the history changed');
  };
  it('memory ledger, adapter, integrity service', async () => {
    const adapterOf = new WeakMap<object, entry.LedgerAdapter>();
    const block = rnd(300);
    const tampered = Uint8Array.from(block);
    tampered[100]! ^= 1;
    const r = await assertHostileSweep(
      {},
      {
        minCalled: 0,
        seeds: {
          memoryLedger: {
            create: async () => {
              const l = entry.createMemoryLedger();
              await l.as('owner').put('rec-1', { anchor });
              return l;
            },
            check: async (l: entry.MemoryLedger) => {
              if (!Number.isSafeInteger(l.now())) throw new Error('the clock is no longer an integer');
              await unchanged(l.as('owner'));
            },
          },
          memoryAdapter: {
            create: async () => {
              const a = entry.createMemoryLedger().as('owner');
              await a.put('rec-1', { anchor });
              return a;
            },
            check: unchanged,
          },
          integrityService: {
            create: async () => {
              const a = entry.createMemoryLedger().as('owner');
              await a.put('rec-1', { anchor });
              const svc = entry.createIntegrityService(a);
              await svc.recordBlock('ds/b0', block, { recipients: [owner.publicKey] });
              adapterOf.set(svc, a);
              return svc;
            },
            check: async (svc: entry.IntegrityService) => {
              if (!(await svc.verifyBlock('ds/b0', block, owner.secretKey)).intact) throw new Error('the genuine block no longer verifies');
              if ((await svc.verifyBlock('ds/b0', tampered, owner.secretKey)).intact) throw new Error('a tampered block verifies');
              await unchanged(adapterOf.get(svc)!);
            },
          },
        },
      },
    );
    expect(r.called).toEqual(expect.arrayContaining(['memoryLedger.as', 'memoryAdapter.put', 'memoryAdapter.grant', 'integrityService.verifyBlock', 'integrityService.share']));
  }, 600_000);
});

// Bugs the object sweep found (issue #16), each refused now with a typed error and the object left as it was.
describe('found by the object sweep', () => {
  it("memory ledger clock poisoning: advanceTime('abc') made the clock a string, a bigint threw a TypeError", () => {
    const l = entry.createMemoryLedger();
    const t = l.now();
    for (const v of ['abc', '1', 1n, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Symbol('s'), {}, Number.MAX_SAFE_INTEGER]) {
      expect(() => l.advanceTime(v as never), String(typeof v)).toThrow(PrivkitError);
    }
    expect(l.now() - t).toBeLessThanOrEqual(1); // unchanged (the wall clock may tick once)
    l.advanceTime(60);
    expect(Number.isSafeInteger(l.now()) && l.now() - t >= 60).toBe(true);
  });
  it('integrity service: recordBatch with a non-array, recheckProof/checkDeviceProof with a non-record threw TypeErrors', async () => {
    const svc = createIntegrityService(createMemoryLedger().as('owner'));
    for (const v of ['abc', undefined, null, {}, new Uint8Array(3)]) {
      await expect(svc.recordBatch('b-1', v as never)).rejects.toBeInstanceOf(PrivkitError);
      await expect(svc.recheckProof(v as never, () => true)).rejects.toBeInstanceOf(PrivkitError);
      expect(() => svc.checkDeviceProof(v as never)).toThrow(PrivkitError);
    }
    const record = { id: 'r-1', owner: 'o', version: 1, anchor: new Uint8Array(32), data: new Uint8Array(0), deleted: false };
    await expect(svc.recheckProof(record, 'not a function' as never)).rejects.toBeInstanceOf(PrivkitError);
    await expect(svc.recordBatch('b-1', [new Uint8Array(1)], null as never)).rejects.toBeInstanceOf(PrivkitError);
  });
});

// The same sweep over the adapters the real back-end factories return: createEthereumAdapter (through the embedded
// EVM of the testing entry) and createFabricAdapter (real chaincode in fabric-shim, real fabric-gateway client, test
// harness peers). Each is seeded with a real record; after every hostile call the record reads back unchanged.
import { createEthereumTestLedger, createFabricTestNetwork, type FabricTestNetwork } from '@privkit/ledger/testing';
import { afterAll, beforeAll } from 'vitest';

describe('reflective hostile sweep over the Ethereum and Fabric adapters', () => {
  let net: FabricTestNetwork | undefined;
  beforeAll(async () => {
    net = await createFabricTestNetwork();
  }, 120_000);
  afterAll(async () => net?.close());
  const anchor = new Uint8Array(32).fill(9);
  const seed = (make: () => Promise<entry.LedgerAdapter>) => ({
    create: async () => {
      const a = await make();
      await a.put('rec-1', { anchor, data: Uint8Array.of(1, 2, 3) });
      return a;
    },
    check: async (a: entry.LedgerAdapter) => {
      const r = await a.get('rec-1');
      if (r.version !== 1 || !Buffer.from(r.anchor).equals(Buffer.from(anchor)) || !Buffer.from(r.data).equals(Buffer.from([1, 2, 3]))) {
        throw new Error('the record changed');
      }
    },
    // id, input/reader, options/expiry: at most three arguments
    arities: [1, 2, 3],
  });
  it('Ethereum (embedded EVM) and Fabric (test harness) adapters', async () => {
    const eth = await createEthereumTestLedger();
    let n = 0;
    const r = await assertHostileSweep(
      {},
      {
        minCalled: 0,
        timeoutMs: 60_000,
        seeds: {
          // a fresh account per adapter: rec-1 is free for each
          ethereumAdapter: seed(async () => eth.as(n++ % 20)),
          fabricAdapter: seed(async () => {
            const { contract, network } = net!.connect(n++ % 3);
            return entry.createFabricAdapter({ contract, network, readyTimeoutMs: 0 });
          }),
        },
      },
    );
    expect(r.called).toEqual(expect.arrayContaining(['ethereumAdapter.put', 'ethereumAdapter.grant', 'fabricAdapter.put', 'fabricAdapter.subscribe']));
  }, 900_000);
});
