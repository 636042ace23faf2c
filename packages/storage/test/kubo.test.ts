import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { equalBytes } from '@privkit/core';
import { UNIXFS_LAYOUTS, unixfsCid } from '@privkit/ledger';
import { createKuboStorage } from '@privkit/storage';
import { storeConformance } from './_conformance.js';
import { startKuboServer, type KuboServer } from './_kubo-server.js';

let server: KuboServer;
beforeAll(async () => {
  server = await startKuboServer();
});
afterAll(async () => server.close());

describe('Kubo RPC back end (against an in-process Kubo RPC server on Helia)', () => {
  storeConformance(async () => createKuboStorage({ url: server.url }), false);

  it('content above one chunk gets Kubo\'s CIDv1 layout (256 KiB, 174 links)', async () => {
    const store = await createKuboStorage({ url: server.url });
    const b = new Uint8Array(randomBytes(600_000));
    const { cid } = await store.put(b);
    expect(cid).toBe(unixfsCid(b, UNIXFS_LAYOUTS.kuboV1));
    expect(equalBytes(await store.get(cid), b)).toBe(true);
    await store.close();
  });

  it('provider returns different bytes for a CID: STORAGE_INTEGRITY', async () => {
    const store = await createKuboStorage({ url: server.url });
    const { cid } = await store.put(new Uint8Array(randomBytes(1000)));
    server.lie.cat = true;
    try {
      await expect(store.get(cid)).rejects.toMatchObject({ name: 'StorageError', code: 'STORAGE_INTEGRITY' });
    } finally {
      server.lie.cat = false;
    }
  });

  it('provider returns a CID of other content on add: STORAGE_INTEGRITY', async () => {
    const store = await createKuboStorage({ url: server.url });
    server.lie.add = true;
    try {
      await expect(store.put(new Uint8Array(randomBytes(1000)))).rejects.toMatchObject({ code: 'STORAGE_INTEGRITY' });
    } finally {
      server.lie.add = false;
    }
  });

  it('an unreachable daemon is STORAGE_UNAVAILABLE; a bad URL is STORAGE_INVALID_INPUT', async () => {
    const store = await createKuboStorage({ url: 'http://127.0.0.1:9', timeoutMs: 2000 });
    await expect(store.get(unixfsCid(new Uint8Array(1)))).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    await expect(store.has(unixfsCid(new Uint8Array(1)))).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    await expect(createKuboStorage({ url: 'ftp://x' })).rejects.toMatchObject({ code: 'STORAGE_INVALID_INPUT' });
    await expect(createKuboStorage({ url: 'not a url' })).rejects.toMatchObject({ code: 'STORAGE_INVALID_INPUT' });
  });
});
