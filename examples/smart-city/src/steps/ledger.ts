/**
 * Steps 4 and 5: integrity records of the stored blocks — one Merkle batch per district anchored on the embedded
 * EVM, and one encrypted-digest record per block on the Fabric test harness (readable by the energy company) — then
 * the energy company audits the blocks a simulated cloud storage returns, one of which storage tampered with.
 * @module
 */
import { bytesToHex } from '@privkit/core';
import {
  createFabricAdapter,
  createIntegrityService,
  detectionProbability,
  type BlockCheck,
  type IntegrityService,
  type LedgerAdapter,
  type MerkleProof,
} from '@privkit/ledger';
import { createEthereumTestLedger, createFabricTestNetwork, type EthereumTestLedger, type FabricTestNetwork } from '@privkit/ledger/testing';
import { bytes, ms, type StepHandle } from '../report.js';
import type { World } from './setup.js';
import type { StoredBlock, UploadResult } from './upload.js';

/** A block as the cloud storage keeps it, with the Merkle proof the owner published for it. */
interface StorageObject {
  block: Uint8Array;
  batchId: string;
  proof: MerkleProof;
}

/** A simulated cloud storage (a key-value store that may misbehave). */
export class CloudStorage {
  private readonly objects = new Map<string, StorageObject>();
  put(id: string, o: StorageObject): void {
    this.objects.set(id, { ...o, block: Uint8Array.from(o.block) });
  }
  get(id: string): StorageObject {
    const o = this.objects.get(id);
    if (!o) throw new Error(`storage: no object ${id}`);
    return o;
  }
  /** Storage flips one bit in the middle of a block (silent corruption or a malicious edit). */
  tamper(id: string): void {
    const o = this.get(id);
    o.block[o.block.length >> 1]! ^= 0x01;
  }
  get ids(): string[] {
    return [...this.objects.keys()];
  }
}

/** The ledgers and services of the run (closed by the scenario). */
export interface Ledgers {
  readonly eth: EthereumTestLedger;
  readonly fabric: FabricTestNetwork;
  readonly fabricAdapters: { readonly transport: LedgerAdapter; readonly energy: LedgerAdapter };
  readonly storage: CloudStorage;
  readonly gas: { readonly deploy: bigint; readonly batches: readonly bigint[] };
}

/** Starts the embedded EVM (and deploys the registry) and the Fabric test network. */
export async function startLedgers(s: StepHandle): Promise<Omit<Ledgers, 'storage' | 'gas'>> {
  let t = performance.now();
  const eth = await createEthereumTestLedger();
  s.fact(`embedded EVM (Hardhat EDR) up, registry contract deployed at ${eth.address}: ${eth.deployGas.toLocaleString('en-US')} gas, ${ms(performance.now() - t)}`);
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

/** Anchors every block of the epoch on both ledgers and hands the blocks to storage. */
export async function anchorBlocks(world: World, uploads: UploadResult, l: Omit<Ledgers, 'storage' | 'gas'>, s: StepHandle): Promise<Ledgers> {
  const storage = new CloudStorage();
  const ethOwner = createIntegrityService(l.eth.as(0));
  const fabOwner = createIntegrityService(l.fabricAdapters.transport);
  const batches: bigint[] = [];
  let t = performance.now();
  for (const district of world.districts) {
    const blocks = uploads.blocks.get(district) ?? [];
    const batchId = `smart-city/${district}/e${world.epoch}/batch`;
    const r = await ethOwner.recordBatch(batchId, blocks.map((b) => b.block));
    batches.push(r.gasUsed ?? 0n);
    blocks.forEach((b, i) => storage.put(b.id, { block: b.block, batchId, proof: r.proofs[i]! }));
    s.fact(`EVM: ${district} batch of ${blocks.length} blocks, Merkle root ${bytesToHex(r.root).slice(0, 16)}…, ${(r.gasUsed ?? 0n).toLocaleString('en-US')} gas, proof ${r.proofs[0]?.path.length ?? 0} hashes`);
  }
  const ethMs = performance.now() - t;
  t = performance.now();
  const all: StoredBlock[] = world.districts.flatMap((d) => [...(uploads.blocks.get(d) ?? [])]);
  const expiresAt = Math.floor(Date.now() / 1000) + 30 * 86400;
  let recordBytes = 0;
  for (const b of all) {
    // The digest travels in an envelope to the owner and the consumer; the public anchor is a hiding commitment.
    await fabOwner.recordBlock(b.id, b.block, { recipients: [world.transport.recordKeys.publicKey, world.energy.recordKeys.publicKey] });
    await l.fabricAdapters.transport.grant(b.id, l.fabricAdapters.energy.identity, expiresAt);
  }
  const sample = all[0] ? await l.fabricAdapters.transport.get(all[0].id) : undefined;
  recordBytes = sample?.data.length ?? 0;
  const fabMs = performance.now() - t;
  const blockBytes = all.reduce((a, b) => a + b.block.length, 0);
  s.fact(`EVM anchoring: ${batches.length} transactions, ${batches.reduce((a, b) => a + b, 0n).toLocaleString('en-US')} gas in total for ${all.length} blocks (${bytes(blockBytes)} of data) in ${ms(ethMs)}`);
  s.fact(`Fabric: ${all.length} block records (${bytes(recordBytes)} private data each: encrypted digest to owner + GridCo) + ${all.length} read grants to ${l.fabricAdapters.energy.identity.split('::')[0]} in ${ms(fabMs)}`);
  s.check('every stored block is anchored in a Merkle batch on the EVM and recorded on Fabric', storage.ids.length === all.length && all.length > 0 && batches.every((g) => g > 0n), `${all.length} blocks`);
  return { ...l, storage, gas: { deploy: l.eth.deployGas, batches } };
}

/** Result of the consumer audit. */
export interface AuditResult {
  readonly tamperedId: string;
  readonly samplingRounds: number;
  readonly sampleSize: number;
  readonly caughtBySampling: boolean;
  readonly sampledFalsePositives: readonly string[];
  readonly fabricFailed: readonly { id: string; reason: BlockCheck['reason'] }[];
  readonly ethereumFailed: readonly string[];
}

/** Storage tampers with one block; the energy company audits (random samples, then every block) on both ledgers. */
export async function auditStorage(world: World, l: Ledgers, s: StepHandle, options: { tamper?: boolean } = {}): Promise<AuditResult> {
  const ids = l.storage.ids;
  // The storage provider silently alters one block of the last district.
  const lastDistrict = world.districts[world.districts.length - 1]!;
  const tamperedId = ids.filter((id) => id.startsWith(`smart-city/${lastDistrict}/`)).at(-1) ?? ids.at(-1)!;
  if (options.tamper !== false) {
    l.storage.tamper(tamperedId);
    s.fact(`cloud storage silently flipped one bit of ${tamperedId}`);
  }

  const fabEnergy: IntegrityService = createIntegrityService(l.fabricAdapters.energy);
  const ethEnergy = createIntegrityService(l.eth.as(1));
  const fetch = async (id: string) => l.storage.get(id).block;
  const k = Math.max(1, Math.ceil(ids.length / 2));
  // Audit policy: sample rounds until a bad block shows up or the chance that one bad block escaped every round is
  // below 10^-9.
  const pRound = detectionProbability(ids.length, 1, k);
  const maxRounds = pRound >= 1 ? 1 : Math.ceil(Math.log(1e-9) / Math.log(1 - pRound));
  let rounds = 0;
  let caught = false;
  const falsePositives = new Set<string>();
  let t = performance.now();
  while (!caught && rounds < maxRounds) {
    rounds++;
    const r = await fabEnergy.verifySample(ids, k, fetch, world.energy.recordKeys.secretKey);
    for (const id of r.failed) (id === tamperedId ? (caught = true) : falsePositives.add(id));
    if (rounds <= 3) s.fact(`sampling round ${rounds}: ${r.checked.length} of ${ids.length} blocks checked against Fabric, failed: ${r.failed.length ? r.failed.join(', ') : 'none'} (P[detect one bad block] = ${(r.detectionProbability * 100).toFixed(1)} %)`);
  }
  const sampleMs = performance.now() - t;
  // Full audit: every block against its Fabric record and against the EVM Merkle root.
  t = performance.now();
  const fabricFailed: { id: string; reason: BlockCheck['reason'] }[] = [];
  const ethereumFailed: string[] = [];
  for (const id of ids) {
    const o = l.storage.get(id);
    const c = await fabEnergy.verifyBlock(id, o.block, world.energy.recordKeys.secretKey);
    if (!c.intact) fabricFailed.push({ id, reason: c.reason });
    if (!(await ethEnergy.verifyBatchMember(o.batchId, o.block, o.proof))) ethereumFailed.push(id);
  }
  const fullMs = performance.now() - t;
  s.fact(`sampling: ${rounds} round(s) of ${k} in ${ms(sampleMs)}; cumulative detection probability ${((1 - (1 - detectionProbability(ids.length, 1, k)) ** rounds) * 100).toFixed(1)} %`);
  s.fact(`full audit of ${ids.length} blocks in ${ms(fullMs)}: Fabric flags ${fabricFailed.map((f) => `${f.id} (${f.reason})`).join(', ') || 'none'}; EVM Merkle proof fails for ${ethereumFailed.join(', ') || 'none'}`);
  s.check('the tampered block was caught by random sampling', caught, `after ${rounds} round(s) (at most ${maxRounds})`);
  s.check('sampling never flagged an intact block', falsePositives.size === 0, [...falsePositives].join(', ') || undefined);
  s.check(
    'full audit: exactly the tampered block fails on Fabric (digest-mismatch) and on the EVM (Merkle proof)',
    fabricFailed.length === 1 && fabricFailed[0]!.id === tamperedId && fabricFailed[0]!.reason === 'digest-mismatch' && ethereumFailed.length === 1 && ethereumFailed[0] === tamperedId,
  );
  return { tamperedId, samplingRounds: rounds, sampleSize: k, caughtBySampling: caught, sampledFalsePositives: [...falsePositives], fabricFailed, ethereumFailed };
}
