/**
 * The integrity service: data-integrity records for blocks kept in untrusted storage (cloud, IPFS), anchored on a
 * ledger through any {@link LedgerAdapter}.
 *
 * Single blocks: the owner hashes the block (SHA-256 — the digest inside the block's IPFS CIDv1), draws a 32-byte
 * nonce, and records under the block id a public anchor `SHA-256(DST_ANCHOR ‖ nonce ‖ digest)` (a hiding
 * commitment: the ledger does not reveal the digest, so nobody can confirm a guess of the block from it) and, in
 * the data part, an envelope of `digest ‖ nonce` to the owner (and authorised consumers), bound to the id as AAD.
 * The owner or a consumer verifies a block fetched from storage, or a digest the storage returns, by opening the
 * envelope, re-checking the anchor, and comparing digests (constant-time). Sampled verification checks k random
 * blocks of a data set and reports the probability of catching corruption.
 *
 * Merkle batches: many block digests anchored as one RFC 9162 root in one transaction; inclusion proofs per block
 * are verified against the anchored root by anyone.
 *
 * Submitter proofs: a record may carry a quote (attest), a device proof (quote + AK public area, re-verifiable from
 * the record alone) or a linkable ring signature (ring-sig) over {@link proofMessage} (id, anchor, storage address);
 * the service checks it with the application's verifier before anchoring, and anyone who can read the record can
 * re-check it.
 *
 * Storage: a record may carry the content address (CID) of the stored block (Protocol I: BlockID ↔ ObjectID).
 * `recordBlock` can store the block and record its address in one call; `verifyStored` fetches by the recorded
 * address and compares (Protocol I); `verifyAddress` compares the address a provider reports (Protocol II);
 * `verifySample` audits samples fetched from storage. Only envelopes are written to storage (IPFS is public).
 *
 * Who wrote a record: every verification reports the record's ledger owner and whether the digest envelope was
 * sender-authenticated; `expectedOwner` and `senderPublicKey` make them part of "intact". Format: FORMAT.md.
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { CID } from 'multiformats/cid';
import {
  abytes, anumber, aobject, bytesToNumberBE, concatBytes, equalBytes, InputError, randomBytes, u16BE, utf8ToBytes,
} from '@privkit/core';
import { inspect, keyId, open as openEnvelope, seal as sealEnvelope, type SuiteLike } from '@privkit/envelope';
import { assertRecordId, type LedgerAdapter, type LedgerRecord } from './adapter.js';
import { blockCid, blockMatchesCid, parseContentCid } from './cid.js';
import { checkDeviceProof, type DeviceProofCheck, type DeviceProofPolicy } from './deviceProof.js';
import { LedgerError, LedgerFormatError } from './errors.js';
import { buildMerkleTree, verifyMerkleProof, type MerkleProof } from './merkle.js';

const DST_ANCHOR = utf8ToBytes('PrivKit/ledger/v1/block-anchor');
const DST_AAD = utf8ToBytes('PrivKit/ledger/v1/block-envelope');
const DST_AAD_V2 = utf8ToBytes('PrivKit/ledger/v2/block-envelope');
const DST_PROOF = utf8ToBytes('PrivKit/ledger/v1/submitter-proof');
const MAGIC = utf8ToBytes('PKIR');
/** The data-part version written (2: with a storage address field); version 1 records are still read. */
const FORMAT_VERSION = 2;

/** Record kinds in the data part. */
export const RECORD_KIND = Object.freeze({ block: 1, batch: 2 } as const);
/** Submitter proof kinds. */
export const PROOF_KIND = Object.freeze({ none: 0, quote: 1, ringSignature: 2, deviceQuote: 3 } as const);
export type ProofKind = 'quote' | 'ringSignature' | 'deviceQuote';
const PROOF_NAMES: Record<number, ProofKind | undefined> = { 1: 'quote', 2: 'ringSignature', 3: 'deviceQuote' };

/**
 * The storage the integrity service writes to and reads from: `put` returns the content address (CID), `get`
 * returns the bytes for a CID. `@privkit/storage` stores (embedded IPFS, Kubo, directory) have this shape; the service
 * re-checks every CID and every byte itself, so a hostile store cannot make a record or a verification lie.
 */
export interface BlockStore {
  put(bytes: Uint8Array): Promise<{ cid: string }>;
  get(cid: string): Promise<Uint8Array>;
}

/** Who must have written the record (item 6 of issue #16): checked by every verification when given. */
export interface VerifyOptions {
  /** The ledger identity that must own the record (whoever creates an id first owns it). */
  expectedOwner?: string;
  /** The sender key the digest envelope must be authenticated by (records sealed with `senderSecretKey`); required to open such records. */
  senderPublicKey?: Uint8Array;
}

/** A submitter proof carried by a record, in its own encoding (a PrivKit quote or ring signature). */
export interface SubmitterProof {
  kind: ProofKind;
  bytes: Uint8Array;
}

/** Checks a submitter proof over `message`; return true only for a valid proof. */
export type ProofVerifier = (proof: SubmitterProof, message: Uint8Array) => boolean | Promise<boolean>;

/** Options of {@link createIntegrityService}. */
export interface IntegrityServiceOptions {
  /** Envelope suite for the encrypted digests (default X25519-SHA256-AES-256-GCM). */
  suite?: SuiteLike;
  /** Checks submitter proofs before anchoring (required when records carry proofs). */
  verifyProof?: ProofVerifier;
}

/** The decoded data part of an integrity record. */
export interface IntegrityRecordData {
  kind: 'block' | 'batch';
  proof?: SubmitterProof;
  /** The stored block's content address (CID string), when recorded (format version 2). */
  address?: string;
  envelope: Uint8Array;
  /** Format version of the encoding (1 or 2); absent means the current version. */
  version?: 1 | 2;
}

/** Outcome of a block, digest, address or stored-data verification. */
export interface BlockCheck {
  intact: boolean;
  /**
   * Why not intact: `owner-mismatch` (the record is not `expectedOwner`'s), `sender-mismatch` (the digest envelope is
   * not authenticated by `senderPublicKey`), `data-deleted` (the record's data part was deleted), `anchor-mismatch`
   * (the anchor does not match the encrypted digest), `digest-mismatch` (block/digest differs), `address-mismatch`
   * (storage's address or bytes do not match the recorded CID), `no-address` (the record has no storage address),
   * `data-unavailable` (storage could not produce the data: lost, or a digest kept without the data).
   */
  reason?: 'owner-mismatch' | 'sender-mismatch' | 'data-deleted' | 'anchor-mismatch' | 'digest-mismatch' | 'address-mismatch' | 'no-address' | 'data-unavailable';
  /** The record's ledger owner (who wrote it), when the record could be read. */
  owner?: string;
  /** True when the digest envelope was sender-authenticated by `senderPublicKey`. */
  senderAuthenticated?: boolean;
}

/** Outcome of a sampled verification. */
export interface SampleReport {
  /** Block ids checked. */
  checked: string[];
  /** Block ids that failed (not intact, or storage could not produce them). */
  failed: string[];
  /** P(at least one of `assumedCorrupted` corrupted blocks is among the k sampled) = 1 − C(n−c, k)/C(n, k). */
  detectionProbability: number;
  assumedCorrupted: number;
}

/** The binary CID of an address string (u8-length-prefixed in the data part and the proof message). */
function addressBytes(address: string | undefined): Uint8Array {
  return address === undefined ? new Uint8Array() : parseContentCid(address).bytes;
}

/**
 * Encodes the data part (version 2): magic ‖ 2 ‖ kind ‖ proofKind ‖ u16 proofLen ‖ proof ‖ u8 addrLen ‖ binary CID ‖
 * envelope (FORMAT.md §2).
 */
export function encodeRecordData(d: IntegrityRecordData): Uint8Array {
  aobject(d, 'data', false);
  const proof = d.proof?.bytes ?? new Uint8Array();
  if (proof.length > 0xffff) throw new LedgerFormatError('submitter proof too large', { code: 'LEDGER_INVALID_RECORD' });
  const pk = d.proof ? PROOF_KIND[d.proof.kind] : PROOF_KIND.none;
  if (pk === undefined) throw new LedgerFormatError('unknown proof kind', { code: 'LEDGER_INVALID_RECORD' });
  const addr = addressBytes(d.address);
  return concatBytes(MAGIC, new Uint8Array([FORMAT_VERSION, RECORD_KIND[d.kind], pk]), u16BE(proof.length), proof, new Uint8Array([addr.length]), addr, d.envelope);
}

/**
 * Decodes the data part of an integrity record.
 * @throws {LedgerFormatError} `LEDGER_INVALID_RECORD` on a malformed or unknown-version encoding
 */
export function decodeRecordData(data: Uint8Array): IntegrityRecordData {
  abytes(data, undefined, 'data');
  const bad = (why: string) => new LedgerFormatError(`not a PrivKit integrity record: ${why}`, { code: 'LEDGER_INVALID_RECORD' });
  if (data.length < 9 || !equalBytes(data.subarray(0, 4), MAGIC)) throw bad('magic');
  const version = data[4];
  if (version !== 1 && version !== 2) throw bad(`unknown version ${version}`);
  const kind = data[5] === RECORD_KIND.block ? 'block' : data[5] === RECORD_KIND.batch ? 'batch' : undefined;
  if (!kind) throw bad('kind');
  const pk = data[6]!;
  const len = (data[7]! << 8) | data[8]!;
  if (9 + len > data.length) throw bad('truncated proof');
  const proofKind = pk === PROOF_KIND.none ? undefined : (PROOF_NAMES[pk] ?? null);
  if (proofKind === null || (proofKind === undefined && len !== 0)) throw bad('proof kind');
  let off = 9 + len;
  let address: string | undefined;
  if (version === 2) {
    if (off >= data.length) throw bad('truncated address');
    const n = data[off]!;
    if (off + 1 + n > data.length) throw bad('truncated address');
    if (n > 0) {
      try {
        address = parseContentCid(CID.decode(data.subarray(off + 1, off + 1 + n)).toString()).toString();
      } catch (cause) {
        throw new LedgerFormatError('not a PrivKit integrity record: address', { code: 'LEDGER_INVALID_RECORD', cause });
      }
    }
    off += 1 + n;
  }
  const out: IntegrityRecordData = { kind, envelope: data.slice(off), version };
  if (proofKind) out.proof = { kind: proofKind, bytes: data.slice(9, 9 + len) };
  if (address !== undefined) out.address = address;
  return out;
}

/**
 * Encodes a TPM quote (`{attest, signature}` as made by `@privkit/attest`'s `quote` or a real TPM) as submitter proof
 * bytes: `u16 len(attest) ‖ attest ‖ signature`. Quote the proof message as the nonce (`quote({ nonce: message, … })`).
 */
export function encodeQuoteProof(q: { attest: Uint8Array; signature: Uint8Array }): Uint8Array {
  abytes(q?.attest, undefined, 'attest');
  abytes(q?.signature, undefined, 'signature');
  if (q.attest.length > 0xffff) throw new LedgerFormatError('attest too large', { code: 'LEDGER_INVALID_RECORD' });
  return concatBytes(u16BE(q.attest.length), q.attest, q.signature);
}

/**
 * Decodes {@link encodeQuoteProof} bytes.
 * @throws {LedgerFormatError} `LEDGER_INVALID_RECORD` when malformed
 */
export function decodeQuoteProof(bytes: Uint8Array): { attest: Uint8Array; signature: Uint8Array } {
  abytes(bytes, undefined, 'bytes');
  const n = bytes.length >= 2 ? (bytes[0]! << 8) | bytes[1]! : -1;
  if (n < 0 || 2 + n >= bytes.length) throw new LedgerFormatError('malformed quote proof', { code: 'LEDGER_INVALID_RECORD' });
  return { attest: bytes.slice(2, 2 + n), signature: bytes.slice(2 + n) };
}

/**
 * The message a submitter proof signs: SHA-256(DST ‖ u16 len(id) ‖ id ‖ anchor), followed before hashing by
 * `u8 len(cid) ‖ binary CID` when the record carries a storage address (so a proof binds where the data lives).
 */
export function proofMessage(id: string, anchor: Uint8Array, address?: string): Uint8Array {
  assertRecordId(id);
  abytes(anchor, 32, 'anchor');
  const idBytes = utf8ToBytes(id);
  const addr = addressBytes(address);
  const suffix = address === undefined ? new Uint8Array() : concatBytes(new Uint8Array([addr.length]), addr);
  return sha256(concatBytes(DST_PROOF, u16BE(idBytes.length), idBytes, anchor, suffix));
}

function anchorOf(digest: Uint8Array, nonce: Uint8Array): Uint8Array {
  return sha256(concatBytes(DST_ANCHOR, nonce, digest));
}

/** The envelope AAD: v1 `DST ‖ id`; v2 `DST2 ‖ u16 len(id) ‖ id ‖ u8 len(cid) ‖ cid` (binds the storage address). */
function aadOf(id: string, version: 1 | 2 = FORMAT_VERSION, address?: string): Uint8Array {
  const idBytes = utf8ToBytes(id);
  if (version === 1) return concatBytes(DST_AAD, idBytes);
  const addr = addressBytes(address);
  return concatBytes(DST_AAD_V2, u16BE(idBytes.length), idBytes, new Uint8Array([addr.length]), addr);
}

const sameIdentity = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function readVerifyOptions(o: unknown): VerifyOptions {
  if (o === undefined) return {};
  if (o === null || typeof o !== 'object') throw new InputError('options must be an object', { code: 'INVALID_TYPE' });
  const v = o as VerifyOptions;
  if (v.expectedOwner !== undefined && (typeof v.expectedOwner !== 'string' || v.expectedOwner === '')) {
    throw new InputError('"expectedOwner" must be a non-empty string', { code: 'INVALID_VALUE' });
  }
  if (v.senderPublicKey !== undefined) abytes(v.senderPublicKey, undefined, 'senderPublicKey');
  return v;
}

/**
 * P(detect) of sampling `k` of `n` blocks when `corrupted` of them are bad: 1 − C(n−c, k)/C(n, k).
 * @throws {InputError} on out-of-range arguments
 */
export function detectionProbability(n: number, corrupted: number, k: number): number {
  anumber(n, 'n', 1);
  anumber(corrupted, 'corrupted', 0, n);
  anumber(k, 'k', 0, n);
  let miss = 1;
  for (let i = 0; i < k; i++) {
    miss *= (n - corrupted - i) / (n - i);
    if (miss <= 0) return 1;
  }
  return 1 - miss;
}

/** k distinct indexes in [0, n) from the CSPRNG (partial Fisher–Yates with rejection-sampled indexes). */
function sampleIndexes(n: number, k: number): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const range = n - i;
    const limit = Math.floor(2 ** 32 / range) * range;
    let r: number;
    do r = Number(bytesToNumberBE(randomBytes(4)));
    while (r >= limit);
    const j = i + (r % range);
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx.slice(0, k);
}

/** Options of {@link IntegrityService.recordBlock}. */
export interface RecordBlockOptions {
  /** Public keys the digest envelope is sealed to (owner first, then authorised consumers). */
  recipients: Uint8Array[];
  /** Seal the digest envelope in auth mode (verifiers then pass the matching `senderPublicKey`). */
  senderSecretKey?: Uint8Array;
  /** Produces the submitter proof over {@link proofMessage} (id, anchor, storage address). */
  proof?: (message: Uint8Array) => SubmitterProof | Promise<SubmitterProof>;
  /** Store the block here and record its address (Protocol I). The block must be a PrivKit envelope. */
  store?: BlockStore;
  /** Record this address for a block already stored (checked against the block). */
  address?: string;
}

/** Options of {@link IntegrityService.verifySample}. */
export interface SampleOptions extends VerifyOptions {
  /** Corrupted blocks assumed for the detection probability (default 1). */
  assumedCorrupted?: number;
}

/** The integrity service bound to one ledger adapter (one identity). */
export interface IntegrityService {
  /**
   * Records a block: anchor + envelope of its digest to `recipients` (owner first), optionally with a submitter
   * proof produced over {@link proofMessage}, and — with `store` — stores the block and records its CID.
   */
  recordBlock(id: string, block: Uint8Array, options: RecordBlockOptions): Promise<{ anchor: Uint8Array; cid: string; version: number; txId: string }>;
  /**
   * Re-wraps a record's digest to a new set of recipients (owner only) and, optionally, grants a ledger reader.
   * Sender-authenticated records need `senderPublicKey` to open and `senderSecretKey` to re-seal (they stay authenticated).
   */
  share(id: string, options: { secretKey: Uint8Array; recipients: Uint8Array[]; reader?: string; expiresAt?: number; senderPublicKey?: Uint8Array; senderSecretKey?: Uint8Array }): Promise<{ version: number }>;
  /** Owner or consumer: checks a block fetched from storage against the record. */
  verifyBlock(id: string, block: Uint8Array, secretKey: Uint8Array, options?: VerifyOptions): Promise<BlockCheck>;
  /** Owner or consumer: checks a digest (SHA-256 of the block) that the storage returned instead of the data. */
  verifyDigest(id: string, digest: Uint8Array, secretKey: Uint8Array, options?: VerifyOptions): Promise<BlockCheck>;
  /**
   * Protocol II: checks the content address a storage provider reports for the block against the recorded one (and,
   * for a raw CID, its digest against the encrypted digest). Catches a provider that re-addressed or replaced the
   * data; cannot catch one that keeps the address/digest without the data (use {@link verifyStored}).
   */
  verifyAddress(id: string, cid: string, secretKey: Uint8Array, options?: VerifyOptions): Promise<BlockCheck>;
  /**
   * Protocol I: fetches the block from `store` by the recorded address and checks it (bytes against the CID, digest
   * against the record). Catches wrong bytes for a CID and data kept only as a digest (`data-unavailable`).
   */
  verifyStored(id: string, store: BlockStore, secretKey: Uint8Array, options?: VerifyOptions): Promise<BlockCheck & { block?: Uint8Array }>;
  /**
   * Checks `k` random blocks of a data set; `source` is a {@link BlockStore} (samples fetched by their recorded
   * addresses, as {@link verifyStored}) or a function asking storage for a block by id (or throwing).
   */
  verifySample(ids: string[], k: number, source: BlockStore | ((id: string) => Promise<Uint8Array>), secretKey: Uint8Array, options?: SampleOptions): Promise<SampleReport>;
  /**
   * Anchors a Merkle batch of blocks under `id`; returns the root and one inclusion proof per block. `address` records
   * the storage address of the batch's manifest (e.g. an envelope listing the blocks' CIDs), bound into the proof message.
   */
  recordBatch(id: string, blocks: Uint8Array[], options?: { proof?: (message: Uint8Array) => SubmitterProof | Promise<SubmitterProof>; address?: string }): Promise<{ root: Uint8Array; proofs: MerkleProof[]; cids: string[]; version: number; txId: string; gasUsed?: bigint }>;
  /** Anyone: checks that `block` is in the batch anchored under `id` (by `expectedOwner`, when given). */
  verifyBatchMember(id: string, block: Uint8Array, proof: MerkleProof, options?: { expectedOwner?: string }): Promise<boolean>;
  /**
   * Anyone who can read the record: re-checks its submitter proof with `verifier` (false when it carries none).
   * @throws {InputError} when `record` is not a record (id, 32-byte anchor, data bytes) or `verifier` not a function
   */
  recheckProof(record: LedgerRecord, verifier: ProofVerifier): Promise<boolean>;
  /**
   * Anyone who can read the record: re-verifies its device proof (kind `deviceQuote`) from the record alone — which
   * AK (device) in which PCR state produced it — under the reader's `policy`.
   * @throws {InputError} when `record` is not a record (id, 32-byte anchor, data bytes)
   */
  checkDeviceProof(record: LedgerRecord, policy?: DeviceProofPolicy): DeviceProofCheck;
}

/**
 * A {@link ProofVerifier} for device proofs: accepts a `deviceQuote` whose quote verifies over the proof message and
 * meets `policy` (expected AK names, expected PCRs). Pass it as `verifyProof` so only devices in a good state anchor.
 */
export function deviceProofVerifier(policy: DeviceProofPolicy = {}): ProofVerifier {
  return (proof, message) => proof.kind === 'deviceQuote' && checkDeviceProof(proof.bytes, message, policy).verified;
}

/** A {@link LedgerRecord} argument, checked (records come from the caller, who may hand over anything). */
function recordOf(record: unknown): LedgerRecord {
  const r = aobject<LedgerRecord>(record, 'record', false)!;
  assertRecordId(r.id);
  abytes(r.anchor, 32, 'record.anchor');
  abytes(r.data, undefined, 'record.data');
  return r;
}

/**
 * Creates the integrity service on a ledger adapter.
 * @example
 * const svc = createIntegrityService(ledger);
 * await svc.recordBlock('dataset-1/block-0', envelope, { recipients: [ownerPk], store: ipfs });
 * (await svc.verifyStored('dataset-1/block-0', ipfs, ownerSk, { expectedOwner: ownerLedgerId })).intact
 */
export function createIntegrityService(adapter: LedgerAdapter, options: IntegrityServiceOptions = {}): IntegrityService {
  if (!adapter || typeof adapter.put !== 'function') throw new InputError('createIntegrityService needs a LedgerAdapter', { code: 'INVALID_TYPE' });
  const suite: SuiteLike = options.suite ?? 'X25519-SHA256-AES-256-GCM';

  async function checkedProof(message: Uint8Array, make?: (m: Uint8Array) => SubmitterProof | Promise<SubmitterProof>) {
    if (!make) return undefined;
    const proof = await make(message);
    if (!options.verifyProof) throw new LedgerFormatError('a submitter proof needs a verifyProof option', { code: 'LEDGER_INVALID_RECORD' });
    let ok = false;
    try {
      ok = (await options.verifyProof(proof, message)) === true;
    } catch {
      ok = false;
    }
    if (!ok) throw new LedgerFormatError('the submitter proof does not verify: not anchored', { code: 'LEDGER_INVALID_RECORD' });
    return proof;
  }

  /** Opens a block record's digest envelope after the owner and sender checks; a finished BlockCheck when they fail. */
  async function readDigest(id: string, secretKey: Uint8Array, vo: VerifyOptions): Promise<
    { digest: Uint8Array; anchorOk: boolean; owner: string; senderAuthenticated: boolean; address?: string } | BlockCheck
  > {
    const rec = await adapter.get(id);
    const owner = rec.owner;
    if (vo.expectedOwner !== undefined && !sameIdentity(owner, vo.expectedOwner)) return { intact: false, reason: 'owner-mismatch', owner };
    if (rec.deleted) return { intact: false, reason: 'data-deleted', owner };
    const d = decodeRecordData(rec.data);
    if (d.kind !== 'block') throw new LedgerFormatError(`${id} is not a block record`, { code: 'LEDGER_INVALID_RECORD' });
    const payload = openDigestEnvelope(id, d, secretKey, vo.senderPublicKey);
    if (payload === 'sender-mismatch') return { intact: false, reason: 'sender-mismatch', owner, senderAuthenticated: false };
    if (payload.length !== 64) throw new LedgerFormatError('malformed digest payload', { code: 'LEDGER_INVALID_RECORD' });
    const digest = payload.slice(0, 32);
    return {
      digest, owner, senderAuthenticated: vo.senderPublicKey !== undefined,
      anchorOk: equalBytes(anchorOf(digest, payload.subarray(32)), rec.anchor),
      ...(d.address === undefined ? {} : { address: d.address }),
    };
  }

  /**
   * Opens the digest envelope with the record's AAD. With `senderPublicKey`, the envelope must be authenticated by
   * that key (its header's sender key id is checked first, then `open` authenticates it).
   */
  function openDigestEnvelope(id: string, d: IntegrityRecordData, secretKey: Uint8Array, senderPublicKey?: Uint8Array): Uint8Array | 'sender-mismatch' {
    const aad = aadOf(id, d.version ?? FORMAT_VERSION, d.address);
    const info = inspect(d.envelope);
    if (senderPublicKey === undefined) {
      if (info.senderKeyId) throw new LedgerFormatError('the record is sender-authenticated: pass options.senderPublicKey', { code: 'LEDGER_INVALID_RECORD' });
      return openEnvelope(d.envelope, secretKey, { aad });
    }
    if (!info.senderKeyId || !equalBytes(info.senderKeyId, keyId(info.suite, senderPublicKey))) return 'sender-mismatch';
    return openEnvelope(d.envelope, secretKey, { aad, senderPublicKey });
  }

  const done = (r: Awaited<ReturnType<typeof readDigest>>): r is BlockCheck => 'intact' in r;
  const result = (r: { owner: string; senderAuthenticated: boolean }, intact: boolean, reason?: BlockCheck['reason']): BlockCheck =>
    ({ intact, ...(reason ? { reason } : {}), owner: r.owner, senderAuthenticated: r.senderAuthenticated });

  async function checkDigest(id: string, digest: Uint8Array, secretKey: Uint8Array, vo: VerifyOptions): Promise<BlockCheck> {
    const r = await readDigest(id, secretKey, vo);
    if (done(r)) return r;
    if (!r.anchorOk) return result(r, false, 'anchor-mismatch');
    return equalBytes(r.digest, digest) ? result(r, true) : result(r, false, 'digest-mismatch');
  }

  async function verifyStored(id: string, store: BlockStore, secretKey: Uint8Array, vo: VerifyOptions): Promise<BlockCheck & { block?: Uint8Array }> {
    if (!store || typeof store.get !== 'function') throw new InputError('"store" must have get(cid)', { code: 'INVALID_TYPE' });
    const r = await readDigest(id, secretKey, vo);
    if (done(r)) return r;
    if (!r.anchorOk) return result(r, false, 'anchor-mismatch');
    if (r.address === undefined) return result(r, false, 'no-address');
    let block: Uint8Array;
    try {
      block = await store.get(r.address);
      abytes(block, undefined, 'block');
    } catch (e) {
      // A store that detected bytes not matching the CID says so; anything else: the data could not be produced.
      return result(r, false, (e as { code?: string })?.code === 'STORAGE_INTEGRITY' ? 'address-mismatch' : 'data-unavailable');
    }
    if (!blockMatchesCid(block, r.address)) return result(r, false, 'address-mismatch');
    if (!equalBytes(sha256(block), r.digest)) return result(r, false, 'digest-mismatch');
    return { ...result(r, true), block };
  }

  async function storeBlock(block: Uint8Array, opts: RecordBlockOptions): Promise<string | undefined> {
    if (opts.store === undefined && opts.address === undefined) return undefined;
    let cid = opts.address;
    if (opts.store !== undefined) {
      if (typeof opts.store?.put !== 'function') throw new InputError('"store" must have put(bytes)', { code: 'INVALID_TYPE' });
      try {
        inspect(block);
      } catch (cause) {
        throw new LedgerFormatError('only PrivKit envelopes are written to storage: seal the block first', { code: 'LEDGER_INVALID_RECORD', cause });
      }
      cid = (await opts.store.put(block))?.cid;
      if (opts.address !== undefined && cid !== opts.address) throw new LedgerFormatError('the store addressed the block differently from "address"', { code: 'LEDGER_INVALID_RECORD' });
    }
    if (typeof cid !== 'string' || !blockMatchesCid(block, cid)) throw new LedgerFormatError('the storage address does not address the block', { code: 'LEDGER_INVALID_RECORD' });
    return parseContentCid(cid).toString();
  }

  const service: IntegrityService = {
    async recordBlock(id, block, opts) {
      assertRecordId(id);
      abytes(block, undefined, 'block');
      if (!opts || !Array.isArray(opts.recipients) || opts.recipients.length === 0) {
        throw new LedgerFormatError('"recipients" must list at least the owner public key', { code: 'LEDGER_INVALID_RECORD' });
      }
      const digest = sha256(block);
      const nonce = randomBytes(32);
      const anchor = anchorOf(digest, nonce);
      const address = await storeBlock(block, opts);
      const proof = await checkedProof(proofMessage(id, anchor, address), opts.proof);
      const envelope = sealEnvelope(concatBytes(digest, nonce), opts.recipients, {
        suite, aad: aadOf(id, FORMAT_VERSION, address), ...(opts.senderSecretKey ? { senderSecretKey: opts.senderSecretKey } : {}),
      });
      const data = encodeRecordData({ kind: 'block', envelope, ...(proof ? { proof } : {}), ...(address ? { address } : {}) });
      const r = await adapter.put(id, { anchor, data });
      return { anchor, cid: address ?? blockCid(block), version: r.version, txId: r.txId };
    },
    async share(id, opts) {
      assertRecordId(id);
      const rec = await adapter.get(id);
      if (rec.owner.toLowerCase() !== adapter.identity.toLowerCase()) throw new LedgerError('only the owner shares a record', { code: 'LEDGER_ACCESS_DENIED' });
      const d = decodeRecordData(rec.data);
      const payload = openDigestEnvelope(id, d, opts.secretKey, opts.senderPublicKey);
      if (payload === 'sender-mismatch') throw new LedgerError('the record is not authenticated by senderPublicKey', { code: 'LEDGER_ACCESS_DENIED' });
      if (opts.senderPublicKey !== undefined && opts.senderSecretKey === undefined) {
        throw new LedgerFormatError('a sender-authenticated record is re-sealed with options.senderSecretKey', { code: 'LEDGER_INVALID_RECORD' });
      }
      const envelope = sealEnvelope(payload, opts.recipients, {
        suite, aad: aadOf(id, FORMAT_VERSION, d.address), ...(opts.senderSecretKey ? { senderSecretKey: opts.senderSecretKey } : {}),
      });
      const { version: _v, ...rest } = d;
      const r = await adapter.put(id, { anchor: rec.anchor, data: encodeRecordData({ ...rest, envelope }) }, { expectedVersion: rec.version });
      if (opts.reader !== undefined) {
        await adapter.grant(id, opts.reader, opts.expiresAt ?? Math.floor(Date.now() / 1000) + 86400);
      }
      return { version: r.version };
    },
    async verifyBlock(id, block, secretKey, vo) {
      assertRecordId(id);
      abytes(block, undefined, 'block');
      return checkDigest(id, sha256(block), secretKey, readVerifyOptions(vo));
    },
    async verifyDigest(id, digest, secretKey, vo) {
      assertRecordId(id);
      abytes(digest, 32, 'digest');
      return checkDigest(id, digest, secretKey, readVerifyOptions(vo));
    },
    async verifyAddress(id, cid, secretKey, vo) {
      assertRecordId(id);
      const claimed = parseContentCid(cid);
      const r = await readDigest(id, secretKey, readVerifyOptions(vo));
      if (done(r)) return r;
      if (!r.anchorOk) return result(r, false, 'anchor-mismatch');
      if (r.address === undefined) return result(r, false, 'no-address');
      if (!equalBytes(parseContentCid(r.address).bytes, claimed.bytes)) return result(r, false, 'address-mismatch');
      if (claimed.code === 0x55 && !equalBytes(claimed.multihash.digest, r.digest)) return result(r, false, 'digest-mismatch');
      return result(r, true);
    },
    async verifyStored(id, store, secretKey, vo) {
      assertRecordId(id);
      return verifyStored(id, store, secretKey, readVerifyOptions(vo));
    },
    async verifySample(ids, k, source, secretKey, opts = {}) {
      if (!Array.isArray(ids) || ids.length === 0) throw new InputError('"ids" must be a non-empty list', { code: 'INVALID_VALUE' });
      anumber(k, 'k', 1, ids.length);
      const vo = readVerifyOptions(opts);
      const assumed = opts.assumedCorrupted ?? 1;
      const isStore = typeof source === 'object' && source !== null && typeof (source as BlockStore).get === 'function';
      if (!isStore && typeof source !== 'function') throw new InputError('"source" must be a BlockStore or a fetch function', { code: 'INVALID_TYPE' });
      const checked: string[] = [];
      const failed: string[] = [];
      for (const i of sampleIndexes(ids.length, k)) {
        const id = ids[i]!;
        checked.push(id);
        if (isStore) {
          if (!(await verifyStored(id, source as BlockStore, secretKey, vo)).intact) failed.push(id);
          continue;
        }
        let block: Uint8Array;
        try {
          block = await (source as (id: string) => Promise<Uint8Array>)(id);
        } catch {
          failed.push(id); // storage could not produce it: not intact
          continue;
        }
        if (!(await service.verifyBlock(id, block, secretKey, vo)).intact) failed.push(id);
      }
      return { checked, failed, assumedCorrupted: assumed, detectionProbability: detectionProbability(ids.length, assumed, k) };
    },
    async recordBatch(id, blocks, opts = {}) {
      assertRecordId(id);
      if (!Array.isArray(blocks)) throw new InputError('"blocks" expected an array of Uint8Array', { code: 'INVALID_TYPE' });
      aobject(opts, 'options');
      const digests = blocks.map((b, i) => sha256(abytes(b, undefined, `blocks[${i}]`)));
      const tree = buildMerkleTree(digests);
      const address = opts.address === undefined ? undefined : parseContentCid(opts.address).toString();
      const proof = await checkedProof(proofMessage(id, tree.root, address), opts.proof);
      const data = encodeRecordData({ kind: 'batch', envelope: new Uint8Array(), ...(proof ? { proof } : {}), ...(address ? { address } : {}) });
      const r = await adapter.put(id, { anchor: tree.root, data });
      return {
        root: tree.root,
        proofs: digests.map((_, i) => tree.proof(i)),
        cids: blocks.map(blockCid),
        version: r.version,
        txId: r.txId,
        ...(r.gasUsed === undefined ? {} : { gasUsed: r.gasUsed }),
      };
    },
    async verifyBatchMember(id, block, proof, vo) {
      assertRecordId(id);
      abytes(block, undefined, 'block');
      const { expectedOwner } = readVerifyOptions(vo);
      const { anchor, owner } = await adapter.getAnchor(id);
      if (expectedOwner !== undefined && !sameIdentity(owner, expectedOwner)) return false;
      return verifyMerkleProof(anchor, sha256(block), proof);
    },
    async recheckProof(record, verifier) {
      if (typeof verifier !== 'function') throw new InputError('"verifier" expected a function', { code: 'INVALID_TYPE' });
      const d = decodeRecordData(recordOf(record).data);
      if (!d.proof) return false;
      try {
        return (await verifier(d.proof, proofMessage(record.id, record.anchor, d.address))) === true;
      } catch {
        return false;
      }
    },
    checkDeviceProof(record, policy = {}) {
      const d = decodeRecordData(recordOf(record).data);
      if (d.proof?.kind !== 'deviceQuote') return { verified: false, reason: 'malformed' };
      return checkDeviceProof(d.proof.bytes, proofMessage(record.id, record.anchor, d.address), policy);
    },
  };
  return Object.freeze(service);
}
