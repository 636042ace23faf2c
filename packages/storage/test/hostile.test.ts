/**
 * Every public function of @privkit/storage (and the CID and device-proof functions it relies on in @privkit/ledger)
 * answers core's shared table of hostile values with a typed PrivkitError, never a crash or a wrong answer; the API
 * lock of the entry point.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivkitError } from '@privkit/core';
import { hostileValues } from '@privkit/core/testing';
import { blockMatchesCid, checkDeviceProof, decodeDeviceProof, encodeDeviceProof, parseContentCid, unixfsCid } from '@privkit/ledger';
import * as main from '@privkit/storage';
import { createDirectoryStorage, createIpfsStorage, createKuboStorage, type ContentStore } from '@privkit/storage';

const dirs: string[] = [];
const stores: ContentStore[] = [];
beforeAll(async () => {
  for (let i = 0; i < 2; i++) dirs.push(await mkdtemp(join(tmpdir(), 'privkit-hostile-')));
  stores.push(await createDirectoryStorage({ directory: dirs[0]! }), await createIpfsStorage({ directory: dirs[1]! }), await createKuboStorage({ url: 'http://127.0.0.1:9' }));
});
afterAll(async () => {
  for (const s of stores) await s.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('hostile inputs get typed errors', () => {
  it('store methods: put(bytes), get/has/pin/unpin/delete(cid), options', async () => {
    for (const s of stores) {
      for (const h of hostileValues('bytes')) {
        await expect(s.put(h.value as never), `${s.kind}.put(${h.title})`).rejects.toBeInstanceOf(PrivkitError);
      }
      for (const h of hostileValues('string')) {
        for (const m of ['get', 'has', 'pin', 'unpin', 'delete'] as const) {
          const f = s[m] as ((cid: unknown) => Promise<unknown>) | undefined;
          if (f) await expect(f.call(s, h.value), `${s.kind}.${m}(${h.title})`).rejects.toBeInstanceOf(PrivkitError);
        }
      }
      for (const o of [null, 5, 'x', { cidVersion: 3 }, { cidVersion: '1' }]) {
        await expect(s.put(new Uint8Array(1), o as never), `${s.kind}.put options ${JSON.stringify(o)}`).rejects.toBeInstanceOf(PrivkitError);
      }
    }
  });

  it('factories refuse bad options', async () => {
    for (const h of hostileValues('object')) {
      await expect(createDirectoryStorage(h.value as never), `directory(${h.title})`).rejects.toBeInstanceOf(PrivkitError);
      await expect(createIpfsStorage(h.value as never), `ipfs(${h.title})`).rejects.toBeInstanceOf(PrivkitError);
      await expect(createKuboStorage(h.value as never), `kubo(${h.title})`).rejects.toBeInstanceOf(PrivkitError);
    }
    await expect(createDirectoryStorage({ directory: dirs[0]!, maxBytes: -1 })).rejects.toMatchObject({ code: 'STORAGE_INVALID_INPUT' });
    await expect(createIpfsStorage({ directory: dirs[1]!, network: 'yes' as never })).rejects.toMatchObject({ code: 'STORAGE_INVALID_INPUT' });
  });

  it('CID and device-proof functions', () => {
    for (const h of hostileValues('bytes')) {
      expect(() => unixfsCid(h.value as never), `unixfsCid(${h.title})`).toThrow(PrivkitError);
      expect(() => blockMatchesCid(h.value as never, unixfsCid(new Uint8Array(1))), `blockMatchesCid(${h.title})`).toThrow(PrivkitError);
      expect(() => decodeDeviceProof(h.value as never), `decodeDeviceProof(${h.title})`).toThrow(PrivkitError);
      expect(() => encodeDeviceProof({ akPublic: h.value, attest: new Uint8Array(1), signature: new Uint8Array(1) } as never)).toThrow(PrivkitError);
      // checkDeviceProof never throws on hostile proof bytes: the outcome is in the result
      if (h.value instanceof Uint8Array) expect(checkDeviceProof(h.value, new Uint8Array(32)).verified).toBe(false);
    }
    for (const h of hostileValues('string')) expect(() => parseContentCid(h.value as never), `parseContentCid(${h.title})`).toThrow(PrivkitError);
    for (const o of [null, 'x', { cidVersion: 2 }, { chunkSize: 0 }, { chunkSize: 1e12 }, { maxLinks: 1 }, { rawLeaves: 1 }]) {
      expect(() => unixfsCid(new Uint8Array(1), o as never), JSON.stringify(o)).toThrow(PrivkitError);
    }
  });
});

describe('API lock', () => {
  it('main entry', () => {
    expect(Object.keys(main).sort()).toMatchInlineSnapshot(`
      [
        "DEFAULT_MAX_BYTES",
        "StorageError",
        "StorageFormatError",
        "createDirectoryStorage",
        "createIpfsStorage",
        "createKuboStorage",
        "isLoopbackMultiaddr",
      ]
    `);
  });
});

// The shared object sweep of @privkit/core/testing over the stores the factories return (issue #16): every method
// of the directory store, the embedded IPFS node and the Kubo RPC client gets every hostile value in every position, and afterwards the
// store must still hold and return the genuine content under its CID.
import { assertHostileSweep } from '@privkit/core/testing';
import { startKuboServer, type KuboServer } from './_kubo-server.js';

describe('reflective hostile sweep over the stores the factories return', () => {
  let kubo: KuboServer | undefined;
  beforeAll(async () => {
    kubo = await startKuboServer();
  }, 120_000);
  afterAll(async () => kubo?.close());
  it('directory store, embedded IPFS store, Kubo RPC store', async () => {
    const content = new Uint8Array(300).map((_, i) => i);
    const cidOf = new WeakMap<object, string>();
    const seeded = (open: (dir: string) => Promise<ContentStore>) => async () => {
      const dir = await mkdtemp(join(tmpdir(), 'privkit-sweep-'));
      dirs.push(dir);
      const s = await open(dir);
      stores.push(s);
      cidOf.set(s, (await s.put(content)).cid);
      return s;
    };
    const check = async (s: ContentStore) => {
      const cid = cidOf.get(s)!;
      if (!(await s.has(cid))) throw new Error('the content is gone');
      if (!Buffer.from(await s.get(cid)).equals(Buffer.from(content))) throw new Error('the content changed');
    };
    const r = await assertHostileSweep(
      {},
      {
        minCalled: 0,
        seeds: {
          directory: { create: seeded((directory) => createDirectoryStorage({ directory })), check, terminal: ['close'], arities: [1, 2] },
          // starting a Helia node takes about a second: close() (no arguments) is swept on the directory store
          ipfs: { create: seeded((directory) => createIpfsStorage({ directory })), check, skip: ['close'], arities: [1, 2] },
          // a networked node (loopback libp2p): dial, multiaddrs and the network paths of get/has
          ipfsNetworked: { create: seeded((directory) => createIpfsStorage({ directory, network: true })), check, skip: ['close'], arities: [1, 2] },
          // the Kubo RPC client against an in-process Kubo RPC server (test/_kubo-server.ts)
          kubo: { create: seeded(() => createKuboStorage({ url: kubo!.url })), check, terminal: ['close'], arities: [1, 2] },
        },
      },
    );
    expect(r.called).toEqual(expect.arrayContaining(['directory.put', 'directory.get', 'directory.delete', 'ipfs.put', 'ipfs.pin', 'ipfs.unpin', 'ipfsNetworked.dial', 'kubo.put', 'kubo.pin']));
  }, 600_000);
});
