/**
 * CID agreement: the CIDs PrivKit computes (`unixfsCid`, `blockCid` of @privkit/ledger) equal the ones IPFS's own
 * UnixFS importer (ipfs-unixfs-importer, as used by Helia's `addBytes`) gives the same bytes, over random sizes from
 * 0 B to several MiB, for CIDv1 (raw leaves) and CIDv0 (dag-pb leaves); `blockMatchesCid` accepts every form.
 */
import { randomBytes } from 'node:crypto';
import { MemoryBlockstore } from 'blockstore-core';
import fc from 'fast-check';
import { importer } from 'ipfs-unixfs-importer';
import { describe, expect, it } from 'vitest';
import { blockCid, blockMatchesCid, unixfsCid, UNIXFS_CHUNK_SIZE, UNIXFS_MAX_LINKS } from '@privkit/ledger';

async function heliaCid(bytes: Uint8Array, cidVersion: 0 | 1): Promise<string> {
  const bs = new MemoryBlockstore();
  let last;
  for await (const e of importer([{ content: bytes }], bs, { cidVersion, rawLeaves: cidVersion === 1 })) last = e;
  return last!.cid.toString();
}

const CHUNK = UNIXFS_CHUNK_SIZE;
// Sizes around the layout's edges: empty, one chunk, chunk boundaries, a full 174-link node and one more chunk
// (which adds a second tree level).
const EDGES = [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, UNIXFS_MAX_LINKS * CHUNK, UNIXFS_MAX_LINKS * CHUNK + 1];

describe('CID agreement with the IPFS UnixFS importer', () => {
  it('edge sizes, CIDv1 and CIDv0', async () => {
    for (const n of EDGES) {
      const b = randomBytes(n);
      for (const v of [1, 0] as const) {
        const cid = unixfsCid(b, { cidVersion: v });
        expect(cid, `size ${n} v${v}`).toBe(await heliaCid(b, v));
        expect(blockMatchesCid(b, cid)).toBe(true);
      }
    }
  });

  it('random sizes from 0 B to 4 MiB (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 4 * 1024 * 1024 }), fc.constantFrom(0 as const, 1 as const), async (n, v) => {
        const b = randomBytes(n);
        const cid = unixfsCid(b, { cidVersion: v });
        expect(cid).toBe(await heliaCid(b, v));
        expect(blockMatchesCid(b, cid)).toBe(true);
      }),
      { numRuns: 24 },
    );
  });

  it('a single raw chunk: unixfsCid v1 is blockCid', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 4096 }), (b) => unixfsCid(b) === blockCid(b)));
  });

  it('blockMatchesCid refuses other bytes under every form', () => {
    const b = randomBytes(CHUNK + 100);
    const other = Uint8Array.from(b);
    other[CHUNK + 5]! ^= 1;
    for (const cid of [unixfsCid(b), unixfsCid(b, { cidVersion: 0 }), unixfsCid(b, { cidVersion: 1, rawLeaves: false }), blockCid(b)]) {
      expect(blockMatchesCid(b, cid)).toBe(true);
      expect(blockMatchesCid(other, cid)).toBe(false);
    }
  });
});
