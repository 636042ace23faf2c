/**
 * CID agreement: the CIDs PrivKit computes (`unixfsCid`, `blockCid` of @privkit/ledger) equal the ones IPFS's own
 * code gives the same bytes — Helia's `unixfs.addBytes` with its defaults, and the UnixFS importer
 * (ipfs-unixfs-importer) with Kubo's layouts (CIDv0 with dag-pb leaves; CIDv1 with raw leaves) — over random sizes
 * from 0 B to several MiB; `blockMatchesCid` accepts every form and refuses other bytes.
 */
import { randomBytes } from 'node:crypto';
import { unixfs } from '@helia/unixfs';
import { MemoryBlockstore } from 'blockstore-core';
import fc from 'fast-check';
import { createHeliaLight } from 'helia';
import { importer } from 'ipfs-unixfs-importer';
import { fixedSize } from 'ipfs-unixfs-importer/chunker';
import { balanced } from 'ipfs-unixfs-importer/layout';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNIXFS_LAYOUTS, blockCid, blockMatchesCid, unixfsCid, type UnixfsLayout } from '@privkit/ledger';

let helia: ReturnType<typeof createHeliaLight>;
beforeAll(async () => {
  helia = createHeliaLight();
  await helia.start();
});
afterAll(async () => helia.stop());

const heliaCid = async (bytes: Uint8Array) => (await unixfs(helia).addBytes(bytes)).toString();

async function importerCid(bytes: Uint8Array, l: UnixfsLayout): Promise<string> {
  let last;
  for await (const e of importer([{ content: bytes }], new MemoryBlockstore(), {
    cidVersion: l.cidVersion, rawLeaves: l.rawLeaves, chunker: fixedSize({ chunkSize: l.chunkSize }), layout: balanced({ maxChildrenPerNode: l.maxLinks }),
  })) last = e;
  return last!.cid.toString();
}

const MiB = 1_048_576;
const K = UNIXFS_LAYOUTS.kubo.chunkSize;
// Sizes around the layouts' edges: empty, chunk boundaries of both chunkers, a full 174-link node and one more chunk
// (a second tree level in Kubo's layout).
const EDGES = [0, 1, K - 1, K, K + 1, MiB - 1, MiB, MiB + 1, 2 * MiB, 174 * K, 174 * K + 1];

async function agree(b: Uint8Array) {
  const v1 = unixfsCid(b);
  expect(v1, `helia ${b.length}`).toBe(await heliaCid(b));
  expect(blockMatchesCid(b, v1)).toBe(true);
  for (const name of ['kubo', 'kuboV1'] as const) {
    const cid = unixfsCid(b, UNIXFS_LAYOUTS[name]);
    expect(cid, `${name} ${b.length}`).toBe(await importerCid(b, UNIXFS_LAYOUTS[name]));
    expect(blockMatchesCid(b, cid)).toBe(true);
  }
  expect(unixfsCid(b, { cidVersion: 0 })).toBe(unixfsCid(b, UNIXFS_LAYOUTS.kubo));
}

describe('CID agreement with IPFS', () => {
  it('edge sizes: Helia addBytes defaults, Kubo v0 and v1 layouts', async () => {
    for (const n of EDGES) await agree(new Uint8Array(randomBytes(n)));
  });

  it('random sizes from 0 B to 5 MiB (fast-check)', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: 5 * MiB }), async (n) => agree(new Uint8Array(randomBytes(n)))), { numRuns: 16 });
  });

  it('a single raw chunk: unixfsCid v1 is blockCid', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 4096 }), (b) => unixfsCid(b) === blockCid(b)));
  });

  it('blockMatchesCid refuses other bytes under every form', () => {
    const b = new Uint8Array(randomBytes(MiB + 100));
    const other = Uint8Array.from(b);
    other[MiB + 5]! ^= 1;
    const forms = [unixfsCid(b), unixfsCid(b, UNIXFS_LAYOUTS.kubo), unixfsCid(b, UNIXFS_LAYOUTS.kuboV1), unixfsCid(b, { ...UNIXFS_LAYOUTS.kubo, cidVersion: 1 })];
    expect(new Set(forms).size).toBe(4);
    for (const cid of forms) {
      expect(blockMatchesCid(b, cid)).toBe(true);
      expect(blockMatchesCid(other, cid)).toBe(false);
    }
    const small = b.slice(0, 10);
    const raw = blockCid(small);
    expect(blockMatchesCid(small, raw)).toBe(true);
    small[3]! ^= 0x80;
    expect(blockMatchesCid(small, raw)).toBe(false);
  });

  it('layout options are validated', () => {
    expect(() => unixfsCid(new Uint8Array(1), { cidVersion: 2 as never })).toThrow(/cidVersion/);
    expect(() => unixfsCid(new Uint8Array(1), { chunkSize: 0 })).toThrow(/chunkSize/);
    expect(() => unixfsCid(new Uint8Array(1), { maxLinks: 1 })).toThrow(/maxLinks/);
    expect(() => unixfsCid(new Uint8Array(1), { rawLeaves: 'yes' as never })).toThrow(/rawLeaves/);
    expect(Object.isFrozen(UNIXFS_LAYOUTS) && Object.isFrozen(UNIXFS_LAYOUTS.helia)).toBe(true);
  });
});
