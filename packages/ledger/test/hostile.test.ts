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
