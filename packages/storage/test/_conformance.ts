/**
 * The behaviour every back end must show, run against each (directory, embedded IPFS, Kubo RPC): round trips with
 * PrivKit's own CIDs, presence, listing, removal, typed errors for bad CIDs and missing content, closing.
 */
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { equalBytes } from '@privkit/core';
import { blockMatchesCid, unixfsCid } from '@privkit/ledger';
import { StorageFormatError, type ContentStore } from '@privkit/storage';

/**
 * @param open - opens a fresh store
 * @param helialayout - true when `put` must give exactly `unixfsCid(bytes)` (Helia's layout) at every size; false for
 *   back ends that may chunk larger content their own way (Kubo: 256 KiB, 174 links) — equal up to one chunk.
 */
export function storeConformance(open: () => Promise<ContentStore>, heliaLayout = true) {
  it('put returns the CID PrivKit computes (v1 default, v0 on request); get returns the same bytes', async () => {
    const store = await open();
    try {
      for (const n of [0, 4096, 300_000]) {
        const b = new Uint8Array(randomBytes(n));
        const { cid, size } = await store.put(b);
        if (heliaLayout || n <= 262_144) expect(cid).toBe(unixfsCid(b));
        expect(blockMatchesCid(b, cid)).toBe(true);
        expect(size).toBe(n);
        expect(equalBytes(await store.get(cid), b)).toBe(true);
        expect(await store.has(cid)).toBe(true);
      }
      const b0 = new Uint8Array(randomBytes(5000));
      const { cid: v0 } = await store.put(b0, { cidVersion: 0 });
      expect(v0).toMatch(/^Qm/);
      expect(v0).toBe(unixfsCid(b0, { cidVersion: 0 }));
      expect(blockMatchesCid(await store.get(v0), v0)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('list names what was put; unknown CIDs are absent and STORAGE_NOT_FOUND', async () => {
    const store = await open();
    try {
      const { cid } = await store.put(new Uint8Array(randomBytes(100)));
      expect(await store.list()).toContain(cid);
      const absent = unixfsCid(new Uint8Array(randomBytes(64)));
      expect(await store.has(absent)).toBe(false);
      await expect(store.get(absent)).rejects.toMatchObject({ name: 'StorageError', code: 'STORAGE_NOT_FOUND' });
    } finally {
      await store.close();
    }
  });

  it('malformed CIDs and inputs are typed errors', async () => {
    const store = await open();
    try {
      for (const bad of ['', 'not-a-cid', '../../etc/passwd', 'bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy' /* dag-cbor */]) {
        await expect(store.get(bad)).rejects.toMatchObject({ code: 'STORAGE_INVALID_CID' });
        // every method reports a malformed CID as such (the directory store's has() once called it STORAGE_UNAVAILABLE)
        await expect(store.has(bad)).rejects.toBeInstanceOf(StorageFormatError);
        await expect(store.has(bad)).rejects.toMatchObject({ code: 'STORAGE_INVALID_CID' });
      }
      await expect(store.put('x' as never)).rejects.toMatchObject({ code: 'STORAGE_INVALID_INPUT' });
      await expect(store.put(new Uint8Array(1), { cidVersion: 2 as never })).rejects.toMatchObject({ code: 'STORAGE_INVALID_INPUT' });
      const { cid } = await store.put(new Uint8Array(2000));
      await expect(store.get(cid, { maxBytes: 1000 })).rejects.toMatchObject({ code: 'STORAGE_TOO_LARGE' });
    } finally {
      await store.close();
    }
  });

  it('removal (delete or unpin) and closing', async () => {
    const store = await open();
    const { cid } = await store.put(new Uint8Array(randomBytes(3000)));
    if (store.delete) {
      await store.delete(cid);
      expect(await store.has(cid)).toBe(false);
      expect(await store.list()).not.toContain(cid);
    } else {
      await store.unpin!(cid);
      expect(await store.list()).not.toContain(cid);
      await store.pin!(cid);
      expect(await store.list()).toContain(cid);
    }
    await store.close();
    await store.close(); // idempotent
    await expect(store.get(cid)).rejects.toMatchObject({ code: 'STORAGE_CLOSED' });
  });
}
