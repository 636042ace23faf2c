/**
 * Protocols I–II of the data-integrity service end to end on real storage: the record carries the storage address;
 * `recordBlock` stores an envelope and records its CID in one call; verification fetches from storage (Protocol I) or
 * compares the address the provider reports (Protocol II); sampled audits fetch their samples from storage. A provider
 * returning different bytes for a CID, or keeping a digest without the data, is caught — each by the protocol that can.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { equalBytes, getHash } from '@privkit/core';
import { hpke, seal } from '@privkit/envelope';
import { MAX_DATA_LENGTH, createIntegrityService, createMemoryLedger, decodeRecordData, unixfsCid } from '@privkit/ledger';
import { createDirectoryStorage, createIpfsStorage, createKuboStorage, type ContentStore } from '@privkit/storage';
import { startKuboServer, type KuboServer } from './_kubo-server.js';

const sha256 = getHash('sha256');
const suite = hpke.suite(0x0020, 0x0001, 0x0002);
const owner = suite.kem.generateKeyPair();
const vo = { expectedOwner: 'owner' };
const dirs: string[] = [];
let ipfs: ContentStore;
let kubo: KuboServer;

beforeAll(async () => {
  dirs.push(await mkdtemp(join(tmpdir(), 'privkit-int-')));
  ipfs = await createIpfsStorage({ directory: dirs[0]! });
  kubo = await startKuboServer();
});
afterAll(async () => {
  await ipfs?.close();
  await kubo?.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** A sealed reading: what the integrity service writes to storage (never plaintext). */
const sealed = (n: number) => seal(new Uint8Array(randomBytes(n)), [owner.publicKey]);

function service() {
  const ledger = createMemoryLedger();
  return { ledger, svc: createIntegrityService(ledger.as('owner')) };
}

describe('Protocol I/II on embedded IPFS', () => {
  it('recordBlock stores the envelope and records its CID; both protocols pass on honest storage', async () => {
    const { ledger, svc } = service();
    const env = sealed(4096);
    const r = await svc.recordBlock('city/b0', env, { recipients: [owner.publicKey], store: ipfs });
    expect(r.cid).toBe(unixfsCid(env));
    expect(decodeRecordData((await ledger.as('owner').get('city/b0')).data).address).toBe(r.cid);
    expect(await ipfs.has(r.cid)).toBe(true);
    const one = await svc.verifyStored('city/b0', ipfs, owner.secretKey, vo);
    expect(one).toMatchObject({ intact: true, owner: 'owner' });
    expect(equalBytes(one.block!, env)).toBe(true);
    expect(await svc.verifyAddress('city/b0', r.cid, owner.secretKey, vo)).toMatchObject({ intact: true });
    expect((await svc.verifyAddress('city/b0', unixfsCid(sealed(10)), owner.secretKey, vo)).reason).toBe('address-mismatch');
  });

  it('only envelopes are written to storage: plaintext is refused before anything is stored', async () => {
    const { svc, ledger } = service();
    const plain = new TextEncoder().encode('{"meter":"A-17","kWh":3.2}');
    await expect(svc.recordBlock('city/plain', plain, { recipients: [owner.publicKey], store: ipfs })).rejects.toMatchObject({ code: 'LEDGER_INVALID_RECORD' });
    expect(await ipfs.has(unixfsCid(plain))).toBe(false);
    await expect(ledger.as('x').getAnchor('city/plain')).rejects.toMatchObject({ code: 'LEDGER_NOT_FOUND' });
  });

  it('digest without data: the provider deleted the block but still reports its address and digest — Protocol II passes, Protocol I and the sampled audit catch it', async () => {
    const { svc } = service();
    const ids: string[] = [];
    const cids: string[] = [];
    const envs: Uint8Array[] = [];
    for (let i = 0; i < 6; i++) {
      const env = sealed(512);
      ids.push(`set/${i}`);
      envs.push(env);
      cids.push((await svc.recordBlock(`set/${i}`, env, { recipients: [owner.publicKey], store: ipfs })).cid);
    }
    await ipfs.delete!(cids[3]!); // the provider drops the data, keeps the address and digest
    expect(await ipfs.has(cids[3]!)).toBe(false);
    // Protocol II (address/digest comparison) cannot tell:
    expect(await svc.verifyAddress('set/3', cids[3]!, owner.secretKey, vo)).toMatchObject({ intact: true });
    expect(await svc.verifyDigest('set/3', sha256(envs[3]!), owner.secretKey, vo)).toMatchObject({ intact: true });
    // Protocol I fetches the data:
    expect(await svc.verifyStored('set/3', ipfs, owner.secretKey, vo)).toMatchObject({ intact: false, reason: 'data-unavailable' });
    const audit = await svc.verifySample(ids, ids.length, ipfs, owner.secretKey, vo);
    expect(audit.failed).toEqual(['set/3']);
    expect(audit.detectionProbability).toBe(1);
  });

  it('a BFV-sized upload (~88 KB) does not fit the 16 KiB data field: it is stored and its CID recorded', async () => {
    const { svc, ledger } = service();
    const env = sealed(88_000);
    expect(env.length).toBeGreaterThan(MAX_DATA_LENGTH);
    const r = await svc.recordBlock('he/upload-1', env, { recipients: [owner.publicKey], store: ipfs });
    expect((await ledger.as('owner').get('he/upload-1')).data.length).toBeLessThan(400);
    expect(await svc.verifyStored('he/upload-1', ipfs, owner.secretKey, vo)).toMatchObject({ intact: true });
    expect(r.cid).toMatch(/^bafkrei/);
  });
});

describe('a hostile storage provider', () => {
  it('different bytes for a CID (Kubo daemon lies on cat): Protocol I catches it, Protocol II cannot', async () => {
    const store = await createKuboStorage({ url: kubo.url });
    const { svc } = service();
    const env = sealed(2048);
    const { cid } = await svc.recordBlock('k/1', env, { recipients: [owner.publicKey], store });
    kubo.lie.cat = true;
    try {
      expect(await svc.verifyStored('k/1', store, owner.secretKey, vo)).toMatchObject({ intact: false, reason: 'address-mismatch' });
      expect(await svc.verifyAddress('k/1', cid, owner.secretKey, vo)).toMatchObject({ intact: true });
      expect((await svc.verifySample(['k/1'], 1, store, owner.secretKey, vo)).failed).toEqual(['k/1']);
    } finally {
      kubo.lie.cat = false;
    }
    expect(await svc.verifyStored('k/1', store, owner.secretKey, vo)).toMatchObject({ intact: true });
  });

  it('different bytes for a CID from a store that does not check (raw BlockStore): the service checks itself', async () => {
    const { svc } = service();
    const env = sealed(100);
    const honest = await createDirectoryStorage({ directory: (dirs.push(await mkdtemp(join(tmpdir(), 'privkit-int-'))), dirs.at(-1)!) });
    await svc.recordBlock('raw/1', env, { recipients: [owner.publicKey], store: honest });
    const other = sealed(100);
    const liar = { put: honest.put, get: async () => other };
    expect(await svc.verifyStored('raw/1', liar, owner.secretKey, vo)).toMatchObject({ intact: false, reason: 'address-mismatch' });
    // And a store that returns a CID that does not address the block is refused at recording time.
    await expect(svc.recordBlock('raw/2', env, { recipients: [owner.publicKey], store: { put: async () => ({ cid: unixfsCid(other) }), get: liar.get } }))
      .rejects.toMatchObject({ code: 'LEDGER_INVALID_RECORD' });
    // A file replaced on disk under the directory store: the store itself refuses it.
    const { cid } = await honest.put(other);
    await writeFile(join(dirs.at(-1)!, cid), env);
    await expect(honest.get(cid)).rejects.toMatchObject({ code: 'STORAGE_INTEGRITY' });
    await honest.close();
  });
});

describe('CIDv0 addresses', () => {
  it('a record carrying a CIDv0 (Kubo classic layout) verifies against a store holding that form', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'privkit-int-'));
    dirs.push(dir);
    const store = await createDirectoryStorage({ directory: dir });
    const { svc } = service();
    const env = sealed(300_000); // two 256 KiB chunks in Kubo's layout
    const { cid } = await store.put(env, { cidVersion: 0 });
    expect(cid).toMatch(/^Qm/);
    const r = await svc.recordBlock('v0/1', env, { recipients: [owner.publicKey], address: cid });
    expect(r.cid).toBe(cid);
    expect(await svc.verifyStored('v0/1', store, owner.secretKey, vo)).toMatchObject({ intact: true });
    expect(await svc.verifyAddress('v0/1', cid, owner.secretKey, vo)).toMatchObject({ intact: true });
    // the same bytes under their CIDv1 are a different address
    expect((await svc.verifyAddress('v0/1', unixfsCid(env), owner.secretKey, vo)).reason).toBe('address-mismatch');
    await expect(svc.recordBlock('v0/2', env, { recipients: [owner.publicKey], address: unixfsCid(sealed(10), { cidVersion: 0 }) }))
      .rejects.toMatchObject({ code: 'LEDGER_INVALID_RECORD' });
    await expect(svc.verifyStored('v0/1', {} as never, owner.secretKey)).rejects.toMatchObject({ name: 'InputError', code: 'INVALID_TYPE' });
    await expect(svc.verifyAddress('v0/1', 'not-a-cid', owner.secretKey)).rejects.toMatchObject({ code: 'LEDGER_INVALID_RECORD' });
    await store.close();
  });
});
