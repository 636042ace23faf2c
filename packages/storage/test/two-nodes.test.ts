/**
 * Two embedded IPFS nodes on loopback, real libp2p (TCP on 127.0.0.1, Noise, Yamux, identify) and bitswap: the
 * consumer fetches by CID a block that only the owner's node stored, and verifies it against the CID.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { equalBytes } from '@privkit/core';
import { hpke, seal } from '@privkit/envelope';
import { blockMatchesCid, createIntegrityService, createMemoryLedger } from '@privkit/ledger';
import { createIpfsStorage, type IpfsStore } from '@privkit/storage';

let owner: IpfsStore;
let consumer: IpfsStore;
const dirs: string[] = [];

beforeAll(async () => {
  for (let i = 0; i < 2; i++) dirs.push(await mkdtemp(join(tmpdir(), 'privkit-node-')));
  owner = await createIpfsStorage({ directory: dirs[0]!, network: true });
  consumer = await createIpfsStorage({ directory: dirs[1]!, network: { fetchTimeoutMs: 20_000 } });
  await consumer.dial(owner.multiaddrs()[0]!);
});
afterAll(async () => {
  await consumer?.close();
  await owner?.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('two Helia nodes on loopback', () => {
  it('listen on 127.0.0.1 only', () => {
    expect(owner.multiaddrs().length).toBeGreaterThan(0);
    for (const a of [...owner.multiaddrs(), ...consumer.multiaddrs()]) expect(a).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\//);
    expect(owner.peerId).not.toBe(consumer.peerId);
  });

  it('the consumer fetches by CID over bitswap what the owner stored, and verifies it', async () => {
    const small = new Uint8Array(randomBytes(4096));
    const large = new Uint8Array(randomBytes(1_500_000)); // two 1 MiB leaves under a dag-pb root

    const a = await owner.put(small);
    const b = await owner.put(large);
    expect(await consumer.has(a.cid)).toBe(false);
    const gotSmall = await consumer.get(a.cid);
    const gotLarge = await consumer.get(b.cid);
    expect(equalBytes(gotSmall, small)).toBe(true);
    expect(equalBytes(gotLarge, large)).toBe(true);
    expect(blockMatchesCid(gotLarge, b.cid)).toBe(true);
    // fetched blocks are now held by the consumer too
    expect(await consumer.has(b.cid)).toBe(true);
  });

  it('Protocol I across nodes: a consumer verifies a record by fetching the block from its own node over bitswap', async () => {
    const kem = hpke.suite(0x0020, 0x0001, 0x0002).kem;
    const ownerKeys = kem.generateKeyPair();
    const consumerKeys = kem.generateKeyPair();
    const ledger = createMemoryLedger();
    const ownerSvc = createIntegrityService(ledger.as('owner'));
    const env = seal(new Uint8Array(randomBytes(20_000)), [ownerKeys.publicKey, consumerKeys.publicKey]);
    const { cid } = await ownerSvc.recordBlock('net/1', env, { recipients: [ownerKeys.publicKey, consumerKeys.publicKey], store: owner });
    await ledger.as('owner').grant('net/1', 'consumer', Math.floor(Date.now() / 1000) + 3600);
    expect(await consumer.has(cid)).toBe(false);
    const check = await createIntegrityService(ledger.as('consumer')).verifyStored('net/1', consumer, consumerKeys.secretKey, { expectedOwner: 'owner' });
    expect(check).toMatchObject({ intact: true, owner: 'owner' });
    expect(await consumer.has(cid)).toBe(true);
  });

  it('a CID nobody holds is STORAGE_NOT_FOUND after the timeout, not a hang', async () => {
    const { unixfsCid } = await import('@privkit/ledger');
    await expect(consumer.get(unixfsCid(new Uint8Array(randomBytes(32))), { signal: AbortSignal.timeout(1500) })).rejects.toMatchObject({ code: 'STORAGE_NOT_FOUND' });
  });

  it('dialling a non-loopback address is refused', async () => {
    await expect(consumer.dial('/ip4/192.0.2.1/tcp/4001/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA')).rejects.toMatchObject({ code: 'STORAGE_INVALID_INPUT' });
  });
});
