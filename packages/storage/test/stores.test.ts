import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { equalBytes } from '@privkit/core';
import { createDirectoryStorage, createIpfsStorage, isLoopbackMultiaddr } from '@privkit/storage';
import { storeConformance } from './_conformance.js';

const dirs: string[] = [];
const tmp = async () => {
  const d = await mkdtemp(join(tmpdir(), 'privkit-storage-'));
  dirs.push(d);
  return d;
};
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('directory back end', () => {
  storeConformance(async () => createDirectoryStorage({ directory: await tmp() }));

  it('a file changed on disk is STORAGE_INTEGRITY, never returned (provider returns different bytes)', async () => {
    const directory = await tmp();
    const store = await createDirectoryStorage({ directory });
    const { cid } = await store.put(new TextEncoder().encode('sealed envelope bytes'));
    await writeFile(join(directory, cid), 'other bytes');
    await expect(store.get(cid)).rejects.toMatchObject({ code: 'STORAGE_INTEGRITY' });
    await store.close();
  });
});

describe('embedded IPFS back end (Helia, offline)', () => {
  storeConformance(async () => createIpfsStorage({ directory: await tmp() }));

  it('blocks persist on disk across restarts', async () => {
    const directory = await tmp();
    let store = await createIpfsStorage({ directory });
    const b = new Uint8Array(600_000).fill(7);
    const { cid } = await store.put(b);
    await store.close();
    expect((await readdir(join(directory, 'blocks'))).length).toBeGreaterThan(0);
    store = await createIpfsStorage({ directory });
    expect(equalBytes(await store.get(cid), b)).toBe(true);
    expect(await store.list()).toEqual([cid]);
    await store.close();
  });

  it('refuses non-loopback listen addresses and is offline by default', async () => {
    await expect(createIpfsStorage({ directory: await tmp(), network: { listen: ['/ip4/0.0.0.0/tcp/0'] } })).rejects.toMatchObject({ code: 'STORAGE_INVALID_INPUT' });
    const store = await createIpfsStorage({ directory: await tmp() });
    expect(store.multiaddrs()).toEqual([]);
    expect(store.peerId).toBeUndefined();
    await expect(store.dial('/ip4/127.0.0.1/tcp/4001')).rejects.toMatchObject({ code: 'STORAGE_INVALID_INPUT' });
    await store.close();
    expect(isLoopbackMultiaddr('/ip4/127.0.0.1/tcp/1/p2p/x')).toBe(true);
    expect(isLoopbackMultiaddr('/ip4/10.0.0.1/tcp/1')).toBe(false);
    expect(isLoopbackMultiaddr('/dns4/localhost/tcp/1')).toBe(false);
  });
});

describe('embedded IPFS: hostile DAGs in the blockstore', () => {
  it('a directory node, and a dag-pb chain deeper than 32 levels, are STORAGE_INTEGRITY (bounded walk, no wrong bytes)', async () => {
    const { FsBlockstore } = await import('blockstore-fs');
    const dagPb = await import('@ipld/dag-pb');
    const { UnixFS } = await import('ipfs-unixfs');
    const { CID } = await import('multiformats/cid');
    const { sha256 } = await import('multiformats/hashes/sha2');
    const directory = await tmp();
    const bs = new FsBlockstore(join(directory, 'blocks'));
    await bs.open();
    const putNode = async (node: Parameters<typeof dagPb.encode>[0]) => {
      const bytes = dagPb.encode(dagPb.prepare(node));
      const cid = CID.createV1(dagPb.code, await sha256.digest(bytes));
      await bs.put(cid, bytes);
      return cid;
    };
    const dirCid = await putNode({ Data: new UnixFS({ type: 'directory' }).marshal(), Links: [] });
    let deep = await putNode({ Data: new UnixFS({ type: 'file', data: Uint8Array.of(1) }).marshal(), Links: [] });
    for (let i = 0; i < 40; i++) deep = await putNode({ Data: new UnixFS({ type: 'file' }).marshal(), Links: [{ Hash: deep, Name: '', Tsize: 1 }] });
    await bs.close();
    const store = await createIpfsStorage({ directory });
    await expect(store.get(dirCid.toString())).rejects.toMatchObject({ code: 'STORAGE_INTEGRITY' });
    await expect(store.get(deep.toString())).rejects.toMatchObject({ code: 'STORAGE_INTEGRITY' });
    await store.close();
  });
});
