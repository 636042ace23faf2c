/**
 * Steps 4 and 5: the stored blocks go to a storage provider running an embedded IPFS node (Helia), sealed first —
 * IPFS is public, so only envelopes are written. Integrity records: one Merkle batch per district on the embedded EVM
 * (with the CID of an encrypted manifest of the district's block CIDs) and one encrypted-digest record per block on
 * the Fabric test harness carrying the block's CID (readable by the energy company). Every record carries a device
 * proof: the records gateway's TPM quote over the record's proof message, re-verifiable by any reader from the record
 * alone. Then the energy company audits the provider, which misbehaves twice: wrong bytes for one CID, and one block
 * dropped while its address and digest are still reported.
 * @module
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPcrBank, extend, quote, type AttestationKey, type PcrBank, type PcrValues } from '@privkit/attest';
import { bytesToHex, getHash, utf8ToBytes } from '@privkit/core';
import { seal } from '@privkit/envelope';
import {
  createFabricAdapter,
  createIntegrityService,
  detectionProbability,
  deviceProofVerifier,
  encodeDeviceProof,
  type BlockCheck,
  type BlockStore,
  type DeviceProofPolicy,
  type IntegrityService,
  type LedgerAdapter,
  type MerkleProof,
  type SubmitterProof,
} from '@privkit/ledger';
import { createEthereumTestLedger, createFabricTestNetwork, type EthereumTestLedger, type FabricTestNetwork } from '@privkit/ledger/testing';
import { createIpfsStorage, type IpfsStore } from '@privkit/storage';
import { bytes, ms, type StepHandle } from '../report.js';
import type { World } from './setup.js';
import type { StoredBlock, UploadResult } from './upload.js';

/** Where a block lives: its CID on IPFS, its EVM batch and the Merkle proof the owner published for it. */
interface Placement {
  cid: string;
  batchId: string;
  proof: MerkleProof;
}

/**
 * The storage provider: runs the IPFS node that holds the city's (sealed) blocks and answers requests for them. It is
 * not trusted, and in this run it misbehaves: it can serve wrong bytes for a CID, or drop a block while it still
 * reports the block's address (Protocol II's question) as if it had it.
 */
export class StorageProvider implements BlockStore {
  private readonly wrong = new Set<string>();
  private constructor(readonly node: IpfsStore, private readonly dir: string) {}
  static async start(): Promise<StorageProvider> {
    const dir = await mkdtemp(join(tmpdir(), 'privkit-smart-city-ipfs-'));
    return new StorageProvider(await createIpfsStorage({ directory: dir }), dir);
  }
  put(bytes: Uint8Array): Promise<{ cid: string }> {
    return this.node.put(bytes);
  }
  async get(cid: string): Promise<Uint8Array> {
    const b = await this.node.get(cid);
    if (!this.wrong.has(cid)) return b;
    const c = Uint8Array.from(b);
    c[c.length >> 1]! ^= 0x01;
    return c;
  }
  /** Protocol II: the address the provider says it holds for a block — it keeps answering after dropping the data. */
  reportAddress(cid: string): string {
    return cid;
  }
  /** Attack 1: serve other bytes (one bit flipped) for this CID. */
  serveWrongBytes(cid: string): void {
    this.wrong.add(cid);
  }
  /** Attack 2: drop the data (unpin and garbage-collect) but keep reporting its address and digest. */
  async dropData(cid: string): Promise<void> {
    await this.node.delete!(cid);
  }
  async close(): Promise<void> {
    await this.node.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** The records gateway: a device with a TPM that quotes its measured state over every record it writes. */
interface RecordsGateway {
  readonly ak: AttestationKey;
  readonly bank: PcrBank;
  readonly policy: DeviceProofPolicy;
  prove(message: Uint8Array): SubmitterProof;
}

function recordsGateway(ak: AttestationKey): RecordsGateway {
  const bank = createPcrBank('sha256');
  extend(bank, 0, getHash('sha256')(utf8ToBytes('records gateway firmware v3.1')));
  const expectedPcrs: PcrValues = { hash: 'sha256', values: { 0: bank.read(0) } };
  return {
    ak,
    bank,
    policy: { expectedAkNames: [ak.name], expectedPcrs },
    prove: (message) => ({
      kind: 'deviceQuote',
      bytes: encodeDeviceProof({ akPublic: ak.tpm2bPublic, ...quote({ bank, selection: [0], nonce: message, key: ak }) }),
    }),
  };
}

/** The ledgers and services of the run (closed by the scenario). */
export interface Ledgers {
  readonly eth: EthereumTestLedger;
  readonly fabric: FabricTestNetwork;
  readonly fabricAdapters: { readonly transport: LedgerAdapter; readonly energy: LedgerAdapter };
  readonly storage: StorageProvider;
  readonly placements: ReadonlyMap<string, Placement>;
  readonly gateway: RecordsGateway;
  readonly gas: { readonly deploy: bigint; readonly batches: readonly bigint[] };
}

/** The ledgers before anything is anchored. */
export type LedgerBase = Omit<Ledgers, 'storage' | 'gas' | 'placements' | 'gateway'>;

/** Starts the embedded EVM (and deploys the registry) and the Fabric test network. */
export async function startLedgers(s: StepHandle): Promise<LedgerBase> {
  let t = performance.now();
  const eth = await createEthereumTestLedger();
  s.fact(`embedded EVM (Hardhat 3 EDR) up, registry contract deployed at ${eth.address}: ${eth.deployGas.toLocaleString('en-US')} gas, ${ms(performance.now() - t)}`);
  t = performance.now();
  const fabric = await createFabricTestNetwork({ orgs: ['TransportMSP', 'GridCoMSP', 'HealthMSP'] });
  const [transport, energy] = await Promise.all([0, 1].map((i) => {
    const { contract, network } = fabric.connect(i);
    return createFabricAdapter({ contract, network });
  }));
  s.fact(`Fabric test harness (gateway + registry chaincode over gRPC) up in ${ms(performance.now() - t)}; organisations ${fabric.identities.map((i) => i.mspId).join(', ')}`);
  s.check('registry contract deployed on the embedded EVM', eth.deployGas > 0n && /^0x[0-9a-fA-F]{40}$/.test(eth.address));
  s.check('owner and consumer have distinct Fabric identities', transport!.identity !== energy!.identity, `${transport!.identity.split('::')[0]} / ${energy!.identity.split('::')[0]}`);
  return { eth, fabric, fabricAdapters: { transport: transport!, energy: energy! } };
}

/**
 * Seals every block of the epoch to the owner and GridCo, stores the envelopes on the provider's IPFS node, and
 * anchors them on both ledgers with their CIDs and the records gateway's device proof.
 */
export async function anchorBlocks(world: World, uploads: UploadResult, l: LedgerBase, s: StepHandle): Promise<Ledgers> {
  let t = performance.now();
  const storage = await StorageProvider.start();
  const gateway = recordsGateway(world.transport.gateways.hpke.signer);
  const recipients = [world.transport.recordKeys.publicKey, world.energy.recordKeys.publicKey];
  const ethOwner = createIntegrityService(l.eth.as(0), { verifyProof: deviceProofVerifier(gateway.policy) });
  const fabOwner = createIntegrityService(l.fabricAdapters.transport, { verifyProof: deviceProofVerifier(gateway.policy) });
  // Only envelopes go to IPFS (it is public): each block sealed to the owner and GridCo, bound to its id.
  const sealed = new Map<string, Uint8Array>();
  const all: StoredBlock[] = world.districts.flatMap((d) => [...(uploads.blocks.get(d) ?? [])]);
  for (const b of all) sealed.set(b.id, seal(b.block, recipients, { aad: utf8ToBytes(b.id) }));
  s.fact(`storage provider: embedded IPFS node (Helia, blockstore on disk, offline) up in ${ms(performance.now() - t)}`);
  const placements = new Map<string, Placement>();
  const batches: bigint[] = [];
  t = performance.now();
  for (const district of world.districts) {
    const blocks = uploads.blocks.get(district) ?? [];
    const batchId = `smart-city/${district}/e${world.epoch}/batch`;
    const envs = blocks.map((b) => sealed.get(b.id)!);
    const cids: string[] = [];
    for (const e of envs) cids.push((await storage.put(e)).cid);
    // The batch's manifest (block ids ↔ CIDs), itself an envelope on IPFS; its CID goes on the EVM with the root.
    const manifest = seal(utf8ToBytes(JSON.stringify(blocks.map((b, i) => [b.id, cids[i]]))), recipients, { aad: utf8ToBytes(batchId) });
    const { cid: manifestCid } = await storage.put(manifest);
    const r = await ethOwner.recordBatch(batchId, envs, { address: manifestCid, proof: gateway.prove });
    batches.push(r.gasUsed ?? 0n);
    blocks.forEach((b, i) => placements.set(b.id, { cid: cids[i]!, batchId, proof: r.proofs[i]! }));
    s.fact(`EVM: ${district} batch of ${blocks.length} blocks, Merkle root ${bytesToHex(r.root).slice(0, 16)}…, manifest ${manifestCid.slice(0, 16)}…, ${(r.gasUsed ?? 0n).toLocaleString('en-US')} gas, proof ${r.proofs[0]?.path.length ?? 0} hashes`);
  }
  const ethMs = performance.now() - t;
  t = performance.now();
  const expiresAt = Math.floor(Date.now() / 1000) + 30 * 86400;
  let recordBytes = 0;
  for (const b of all) {
    // Stored and recorded in one call: the record carries the CID, the digest travels in an envelope to the owner
    // and the consumer, the public anchor is a hiding commitment, and the gateway's quote binds id, anchor and CID.
    const r = await fabOwner.recordBlock(b.id, sealed.get(b.id)!, { recipients, store: storage, proof: gateway.prove });
    if (r.cid !== placements.get(b.id)!.cid) throw new Error(`CID of ${b.id} differs between the ledgers`);
    await l.fabricAdapters.transport.grant(b.id, l.fabricAdapters.energy.identity, expiresAt);
  }
  const sample = all[0] ? await l.fabricAdapters.transport.get(all[0].id) : undefined;
  recordBytes = sample?.data.length ?? 0;
  const fabMs = performance.now() - t;
  const blockBytes = [...sealed.values()].reduce((a, b) => a + b.length, 0);
  s.fact(`IPFS: ${all.length} sealed blocks (${bytes(blockBytes)}, ${bytes(Math.max(...[...sealed.values()].map((e) => e.length)))} the largest — more than a ledger's 16 KiB data field) + ${world.districts.length} manifests, CIDv1 e.g. ${placements.get(all[0]?.id ?? '')?.cid ?? '-'}`);
  s.fact(`EVM anchoring: ${batches.length} transactions, ${batches.reduce((a, b) => a + b, 0n).toLocaleString('en-US')} gas in total for ${all.length} blocks in ${ms(ethMs)}`);
  s.fact(`Fabric: ${all.length} block records (${bytes(recordBytes)} private data each: CID + device proof + encrypted digest to owner and GridCo) + ${all.length} read grants to ${l.fabricAdapters.energy.identity.split('::')[0]} in ${ms(fabMs)}`);
  const held = await Promise.all(all.map((b) => storage.node.has(placements.get(b.id)!.cid)));
  s.check('every block is stored sealed on IPFS, anchored in a Merkle batch on the EVM and recorded with its CID on Fabric', held.every(Boolean) && placements.size === all.length && all.length > 0 && batches.every((g) => g > 0n), `${all.length} blocks`);

  // Any reader of a record re-verifies, from the record alone, which device in which measured state wrote it.
  const fabEnergy = createIntegrityService(l.fabricAdapters.energy);
  await l.eth.as(0).grant(`smart-city/${world.districts[0]}/e${world.epoch}/batch`, l.eth.as(1).identity, expiresAt);
  const ethReader = createIntegrityService(l.eth.as(1));
  const fabCheck = all[0] ? fabEnergy.checkDeviceProof(await l.fabricAdapters.energy.get(all[0].id), gateway.policy) : undefined;
  const ethCheck = ethReader.checkDeviceProof(await l.eth.as(1).get(`smart-city/${world.districts[0]}/e${world.epoch}/batch`), gateway.policy);
  s.fact(`device proof in each record: AK ${bytesToHex(fabCheck?.akName ?? new Uint8Array()).slice(0, 20)}…, PCR digest ${bytesToHex(fabCheck?.pcrDigest ?? new Uint8Array()).slice(0, 16)}… (quote over id ‖ anchor ‖ CID)`);
  s.check('GridCo re-verifies the records gateway\'s device proof from a Fabric record and from an EVM batch record alone', fabCheck?.verified === true && ethCheck.verified);
  return { ...l, storage, placements, gateway, gas: { deploy: l.eth.deployGas, batches } };
}

/** Result of the consumer audit. */
export interface AuditResult {
  /** The block whose CID the provider serves wrong bytes for. */
  readonly tamperedId: string;
  /** The block the provider dropped while still reporting its address and digest. */
  readonly droppedId: string;
  readonly samplingRounds: number;
  readonly sampleSize: number;
  readonly caughtBySampling: boolean;
  readonly sampledFalsePositives: readonly string[];
  readonly fabricFailed: readonly { id: string; reason: BlockCheck['reason'] }[];
  readonly ethereumFailed: readonly string[];
  /** Blocks Protocol II (comparing the address the provider reports) flags: none — it cannot see either attack. */
  readonly addressCheckFailed: readonly string[];
}

/**
 * The provider misbehaves (wrong bytes for one CID, one block dropped); the energy company audits it — random samples
 * fetched from IPFS (Protocol I), then every block against both ledgers, and Protocol II's address comparison.
 */
export async function auditStorage(world: World, l: Ledgers, s: StepHandle, options: { tamper?: boolean } = {}): Promise<AuditResult> {
  const ids = [...l.placements.keys()];
  const lastDistrict = world.districts[world.districts.length - 1]!;
  const tamperedId = ids.filter((id) => id.startsWith(`smart-city/${lastDistrict}/`)).at(-1) ?? ids.at(-1)!;
  const droppedId = ids.find((id) => id !== tamperedId) ?? ids[0]!;
  if (options.tamper !== false) {
    l.storage.serveWrongBytes(l.placements.get(tamperedId)!.cid);
    await l.storage.dropData(l.placements.get(droppedId)!.cid);
    s.fact(`the storage provider serves other bytes for the CID of ${tamperedId}, and dropped ${droppedId} (still reporting its address)`);
  }
  const bad = new Set(options.tamper !== false ? [tamperedId, droppedId] : []);

  const fabEnergy: IntegrityService = createIntegrityService(l.fabricAdapters.energy);
  const ethEnergy = createIntegrityService(l.eth.as(1));
  const owner = { expectedOwner: l.fabricAdapters.transport.identity };
  const sk = world.energy.recordKeys.secretKey;
  const k = Math.max(1, Math.ceil(ids.length / 2));
  // Audit policy: sample rounds (fetching from IPFS) until a bad block shows up or the chance that a bad block
  // escaped every round is below 10^-9.
  const pRound = detectionProbability(ids.length, 1, k);
  const maxRounds = pRound >= 1 ? 1 : Math.ceil(Math.log(1e-9) / Math.log(1 - pRound));
  let rounds = 0;
  let caught = false;
  const falsePositives = new Set<string>();
  let t = performance.now();
  while (!caught && rounds < maxRounds) {
    rounds++;
    const r = await fabEnergy.verifySample(ids, k, l.storage, sk, owner);
    for (const id of r.failed) (bad.has(id) ? (caught = true) : falsePositives.add(id));
    if (rounds <= 3) s.fact(`sampling round ${rounds}: ${r.checked.length} of ${ids.length} blocks fetched from IPFS and checked against Fabric, failed: ${r.failed.length ? r.failed.join(', ') : 'none'} (P[detect one bad block] = ${(r.detectionProbability * 100).toFixed(1)} %)`);
  }
  const sampleMs = performance.now() - t;
  // Full audit, Protocol I: every block fetched by its CID, against its Fabric record and against the EVM Merkle root.
  t = performance.now();
  const fabricFailed: { id: string; reason: BlockCheck['reason'] }[] = [];
  const ethereumFailed: string[] = [];
  const addressCheckFailed: string[] = [];
  const ethOwner = { expectedOwner: l.eth.as(0).identity };
  for (const id of ids) {
    const p = l.placements.get(id)!;
    const c = await fabEnergy.verifyStored(id, l.storage, sk, owner);
    if (!c.intact) fabricFailed.push({ id, reason: c.reason });
    let onEvm = false;
    try {
      onEvm = await ethEnergy.verifyBatchMember(p.batchId, await l.storage.get(p.cid), p.proof, ethOwner);
    } catch {
      onEvm = false; // the provider cannot produce the block
    }
    if (!onEvm) ethereumFailed.push(id);
    // Protocol II: compare the address the provider reports with the recorded one.
    if (!(await fabEnergy.verifyAddress(id, l.storage.reportAddress(p.cid), sk, owner)).intact) addressCheckFailed.push(id);
  }
  const fullMs = performance.now() - t;
  s.fact(`sampling: ${rounds} round(s) of ${k} in ${ms(sampleMs)}; cumulative detection probability ${((1 - (1 - detectionProbability(ids.length, 1, k)) ** rounds) * 100).toFixed(1)} %`);
  s.fact(`full audit of ${ids.length} blocks in ${ms(fullMs)}: Fabric flags ${fabricFailed.map((f) => `${f.id} (${f.reason})`).join(', ') || 'none'}; EVM Merkle proof fails for ${ethereumFailed.join(', ') || 'none'}; Protocol II flags ${addressCheckFailed.join(', ') || 'none'}`);
  s.check('the provider\'s misbehaviour was caught by random sampling from IPFS', caught, `after ${rounds} round(s) (at most ${maxRounds})`);
  s.check('sampling never flagged an intact block', falsePositives.size === 0, [...falsePositives].join(', ') || undefined);
  const sorted = (a: string[]) => [...a].sort().join();
  s.check(
    'full audit (Protocol I): exactly the two bad blocks fail on Fabric (address-mismatch: wrong bytes; data-unavailable: digest without data) and on the EVM',
    fabricFailed.length === 2 && fabricFailed.some((f) => f.id === tamperedId && f.reason === 'address-mismatch') && fabricFailed.some((f) => f.id === droppedId && f.reason === 'data-unavailable') &&
      sorted(ethereumFailed) === sorted([tamperedId, droppedId]),
  );
  s.check('Protocol II (the address the provider reports) passes every block: only fetching the data catches these attacks', addressCheckFailed.length === 0);
  return { tamperedId, droppedId, samplingRounds: rounds, sampleSize: k, caughtBySampling: caught, sampledFalsePositives: [...falsePositives], fabricFailed, ethereumFailed, addressCheckFailed };
}
