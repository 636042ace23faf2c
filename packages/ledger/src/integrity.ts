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
 * Submitter proofs: a record may carry a quote (attest) or a linkable ring signature (ring-sig) over
 * `SHA-256(DST_PROOF ‖ len(id) ‖ id ‖ anchor)`; the service checks it with the application's verifier before
 * anchoring, and anyone who can read the record can re-check it. Format: FORMAT.md.
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import {
  abytes, anumber, aobject, bytesToNumberBE, concatBytes, equalBytes, randomBytes, u16BE, utf8ToBytes,
} from '@privkit/core';
import { open as openEnvelope, seal as sealEnvelope, type SuiteLike } from '@privkit/envelope';
import { assertRecordId, type LedgerAdapter, type LedgerRecord } from './adapter.js';
import { blockCid } from './cid.js';
import { LedgerError } from './errors.js';
import { buildMerkleTree, verifyMerkleProof, type MerkleProof } from './merkle.js';

const DST_ANCHOR = utf8ToBytes('PrivKit/ledger/v1/block-anchor');
const DST_AAD = utf8ToBytes('PrivKit/ledger/v1/block-envelope');
const DST_PROOF = utf8ToBytes('PrivKit/ledger/v1/submitter-proof');
const MAGIC = utf8ToBytes('PKIR');
const FORMAT_VERSION = 1;

/** Record kinds in the data part. */
export const RECORD_KIND = Object.freeze({ block: 1, batch: 2 } as const);
/** Submitter proof kinds. */
export const PROOF_KIND = Object.freeze({ none: 0, quote: 1, ringSignature: 2 } as const);
export type ProofKind = 'quote' | 'ringSignature';

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
  envelope: Uint8Array;
}

/** Outcome of a block or digest verification. */
export interface BlockCheck {
  intact: boolean;
  /** Why not intact: the block/digest differs, the anchor does not match the record, or the data part was deleted. */
  reason?: 'digest-mismatch' | 'anchor-mismatch' | 'data-deleted';
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

/** Encodes the data part: magic ‖ version ‖ kind ‖ proofKind ‖ u16 proofLen ‖ proof ‖ envelope (FORMAT.md). */
export function encodeRecordData(d: IntegrityRecordData): Uint8Array {
  aobject(d, 'data', false);
  const proof = d.proof?.bytes ?? new Uint8Array();
  if (proof.length > 0xffff) throw new LedgerError('submitter proof too large', { code: 'LEDGER_INVALID_RECORD' });
  const pk = d.proof ? PROOF_KIND[d.proof.kind] : PROOF_KIND.none;
  return concatBytes(MAGIC, new Uint8Array([FORMAT_VERSION, RECORD_KIND[d.kind], pk]), u16BE(proof.length), proof, d.envelope);
}

/**
 * Decodes the data part of an integrity record.
 * @throws {LedgerError} `LEDGER_INVALID_RECORD` on a malformed or unknown-version encoding
 */
export function decodeRecordData(data: Uint8Array): IntegrityRecordData {
  abytes(data, undefined, 'data');
  const bad = (why: string) => new LedgerError(`not a PrivKit integrity record: ${why}`, { code: 'LEDGER_INVALID_RECORD' });
  if (data.length < 9 || !equalBytes(data.subarray(0, 4), MAGIC)) throw bad('magic');
  if (data[4] !== FORMAT_VERSION) throw bad(`unknown version ${data[4]}`);
  const kind = data[5] === RECORD_KIND.block ? 'block' : data[5] === RECORD_KIND.batch ? 'batch' : undefined;
  if (!kind) throw bad('kind');
  const pk = data[6];
  const len = (data[7]! << 8) | data[8]!;
  if (9 + len > data.length) throw bad('truncated proof');
  const proofKind = pk === PROOF_KIND.quote ? 'quote' : pk === PROOF_KIND.ringSignature ? 'ringSignature' : pk === PROOF_KIND.none ? undefined : null;
  if (proofKind === null || (proofKind === undefined && len !== 0)) throw bad('proof kind');
  const out: IntegrityRecordData = { kind, envelope: data.slice(9 + len) };
  if (proofKind) out.proof = { kind: proofKind, bytes: data.slice(9, 9 + len) };
  return out;
}

/**
 * Encodes a TPM quote (`{attest, signature}` as made by `@privkit/attest`'s `quote` or a real TPM) as submitter proof
 * bytes: `u16 len(attest) ‖ attest ‖ signature`. Quote the proof message as the nonce (`quote({ nonce: message, … })`).
 */
export function encodeQuoteProof(q: { attest: Uint8Array; signature: Uint8Array }): Uint8Array {
  abytes(q?.attest, undefined, 'attest');
  abytes(q?.signature, undefined, 'signature');
  if (q.attest.length > 0xffff) throw new LedgerError('attest too large', { code: 'LEDGER_INVALID_RECORD' });
  return concatBytes(u16BE(q.attest.length), q.attest, q.signature);
}

/**
 * Decodes {@link encodeQuoteProof} bytes.
 * @throws {LedgerError} `LEDGER_INVALID_RECORD` when malformed
 */
export function decodeQuoteProof(bytes: Uint8Array): { attest: Uint8Array; signature: Uint8Array } {
  abytes(bytes, undefined, 'bytes');
  const n = bytes.length >= 2 ? (bytes[0]! << 8) | bytes[1]! : -1;
  if (n < 0 || 2 + n >= bytes.length) throw new LedgerError('malformed quote proof', { code: 'LEDGER_INVALID_RECORD' });
  return { attest: bytes.slice(2, 2 + n), signature: bytes.slice(2 + n) };
}

/** The message a submitter proof signs: SHA-256(DST ‖ u16 len(id) ‖ id ‖ anchor). */
export function proofMessage(id: string, anchor: Uint8Array): Uint8Array {
  assertRecordId(id);
  abytes(anchor, 32, 'anchor');
  const idBytes = utf8ToBytes(id);
  return sha256(concatBytes(DST_PROOF, u16BE(idBytes.length), idBytes, anchor));
}

function anchorOf(digest: Uint8Array, nonce: Uint8Array): Uint8Array {
  return sha256(concatBytes(DST_ANCHOR, nonce, digest));
}

const aadOf = (id: string) => concatBytes(DST_AAD, utf8ToBytes(id));

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

/** The integrity service bound to one ledger adapter (one identity). */
export interface IntegrityService {
  /**
   * Records a block: anchor + envelope of its digest to `recipients` (owner first), optionally with a submitter
   * proof produced over {@link proofMessage}.
   */
  recordBlock(id: string, block: Uint8Array, options: {
    recipients: Uint8Array[];
    senderSecretKey?: Uint8Array;
    proof?: (message: Uint8Array) => SubmitterProof | Promise<SubmitterProof>;
  }): Promise<{ anchor: Uint8Array; cid: string; version: number; txId: string }>;
  /** Re-wraps a record's digest to a new set of recipients (owner only) and, optionally, grants a ledger reader. */
  share(id: string, options: { secretKey: Uint8Array; recipients: Uint8Array[]; reader?: string; expiresAt?: number }): Promise<{ version: number }>;
  /** Owner or consumer: checks a block fetched from storage against the record. */
  verifyBlock(id: string, block: Uint8Array, secretKey: Uint8Array): Promise<BlockCheck>;
  /** Owner or consumer: checks a digest that the storage returned (instead of the data) against the record. */
  verifyDigest(id: string, digest: Uint8Array, secretKey: Uint8Array): Promise<BlockCheck>;
  /** Checks `k` random blocks of a data set; `fetch` asks storage for a block (or throws). */
  verifySample(ids: string[], k: number, fetch: (id: string) => Promise<Uint8Array>, secretKey: Uint8Array, options?: { assumedCorrupted?: number }): Promise<SampleReport>;
  /** Anchors a Merkle batch of blocks under `id`; returns the root and one inclusion proof per block. */
  recordBatch(id: string, blocks: Uint8Array[], options?: { proof?: (message: Uint8Array) => SubmitterProof | Promise<SubmitterProof> }): Promise<{ root: Uint8Array; proofs: MerkleProof[]; cids: string[]; version: number; txId: string; gasUsed?: bigint }>;
  /** Anyone: checks that `block` is in the batch anchored under `id`. */
  verifyBatchMember(id: string, block: Uint8Array, proof: MerkleProof): Promise<boolean>;
  /** Anyone who can read the record: re-checks its submitter proof with `verifier` (false when it carries none). */
  recheckProof(record: LedgerRecord, verifier: ProofVerifier): Promise<boolean>;
}

/**
 * Creates the integrity service on a ledger adapter.
 * @example
 * const svc = createIntegrityService(ledger);
 * await svc.recordBlock('dataset-1/block-0', block, { recipients: [ownerPk] });
 * (await svc.verifyBlock('dataset-1/block-0', fetched, ownerSk)).intact
 */
export function createIntegrityService(adapter: LedgerAdapter, options: IntegrityServiceOptions = {}): IntegrityService {
  if (!adapter || typeof adapter.put !== 'function') throw new LedgerError('createIntegrityService needs a LedgerAdapter', { code: 'LEDGER_INVALID_RECORD' });
  const suite: SuiteLike = options.suite ?? 'X25519-SHA256-AES-256-GCM';

  async function checkedProof(id: string, anchor: Uint8Array, make?: (m: Uint8Array) => SubmitterProof | Promise<SubmitterProof>) {
    if (!make) return undefined;
    const message = proofMessage(id, anchor);
    const proof = await make(message);
    if (!options.verifyProof) throw new LedgerError('a submitter proof needs a verifyProof option', { code: 'LEDGER_INVALID_RECORD' });
    let ok = false;
    try {
      ok = (await options.verifyProof(proof, message)) === true;
    } catch {
      ok = false;
    }
    if (!ok) throw new LedgerError('the submitter proof does not verify: not anchored', { code: 'LEDGER_INVALID_RECORD' });
    return proof;
  }

  async function readDigest(id: string, secretKey: Uint8Array): Promise<{ digest: Uint8Array; anchorOk: boolean } | 'deleted'> {
    const rec = await adapter.get(id);
    if (rec.deleted) return 'deleted';
    const d = decodeRecordData(rec.data);
    if (d.kind !== 'block') throw new LedgerError(`${id} is not a block record`, { code: 'LEDGER_INVALID_RECORD' });
    const payload = openEnvelope(d.envelope, secretKey, { aad: aadOf(id) });
    if (payload.length !== 64) throw new LedgerError('malformed digest payload', { code: 'LEDGER_INVALID_RECORD' });
    const digest = payload.slice(0, 32);
    return { digest, anchorOk: equalBytes(anchorOf(digest, payload.subarray(32)), rec.anchor) };
  }

  async function checkDigest(id: string, digest: Uint8Array, secretKey: Uint8Array): Promise<BlockCheck> {
    const r = await readDigest(id, secretKey);
    if (r === 'deleted') return { intact: false, reason: 'data-deleted' };
    if (!r.anchorOk) return { intact: false, reason: 'anchor-mismatch' };
    return equalBytes(r.digest, digest) ? { intact: true } : { intact: false, reason: 'digest-mismatch' };
  }

  const service: IntegrityService = {
    async recordBlock(id, block, opts) {
      assertRecordId(id);
      abytes(block, undefined, 'block');
      if (!opts || !Array.isArray(opts.recipients) || opts.recipients.length === 0) {
        throw new LedgerError('"recipients" must list at least the owner public key', { code: 'LEDGER_INVALID_RECORD' });
      }
      const digest = sha256(block);
      const nonce = randomBytes(32);
      const anchor = anchorOf(digest, nonce);
      const proof = await checkedProof(id, anchor, opts.proof);
      const envelope = sealEnvelope(concatBytes(digest, nonce), opts.recipients, {
        suite, aad: aadOf(id), ...(opts.senderSecretKey ? { senderSecretKey: opts.senderSecretKey } : {}),
      });
      const data = encodeRecordData({ kind: 'block', envelope, ...(proof ? { proof } : {}) });
      const r = await adapter.put(id, { anchor, data });
      return { anchor, cid: blockCid(block), version: r.version, txId: r.txId };
    },
    async share(id, opts) {
      assertRecordId(id);
      const rec = await adapter.get(id);
      if (rec.owner.toLowerCase() !== adapter.identity.toLowerCase()) throw new LedgerError('only the owner shares a record', { code: 'LEDGER_ACCESS_DENIED' });
      const d = decodeRecordData(rec.data);
      const payload = openEnvelope(d.envelope, opts.secretKey, { aad: aadOf(id) });
      const envelope = sealEnvelope(payload, opts.recipients, { suite, aad: aadOf(id) });
      const r = await adapter.put(id, { anchor: rec.anchor, data: encodeRecordData({ ...d, envelope }) }, { expectedVersion: rec.version });
      if (opts.reader !== undefined) {
        await adapter.grant(id, opts.reader, opts.expiresAt ?? Math.floor(Date.now() / 1000) + 86400);
      }
      return { version: r.version };
    },
    async verifyBlock(id, block, secretKey) {
      assertRecordId(id);
      abytes(block, undefined, 'block');
      return checkDigest(id, sha256(block), secretKey);
    },
    async verifyDigest(id, digest, secretKey) {
      assertRecordId(id);
      abytes(digest, 32, 'digest');
      return checkDigest(id, digest, secretKey);
    },
    async verifySample(ids, k, fetch, secretKey, opts = {}) {
      if (!Array.isArray(ids) || ids.length === 0) throw new LedgerError('"ids" must be a non-empty list', { code: 'LEDGER_INVALID_RECORD' });
      anumber(k, 'k', 1, ids.length);
      const assumed = opts.assumedCorrupted ?? 1;
      const checked: string[] = [];
      const failed: string[] = [];
      for (const i of sampleIndexes(ids.length, k)) {
        const id = ids[i]!;
        checked.push(id);
        let block: Uint8Array;
        try {
          block = await fetch(id);
        } catch {
          failed.push(id); // storage could not produce it: not intact
          continue;
        }
        if (!(await service.verifyBlock(id, block, secretKey)).intact) failed.push(id);
      }
      return { checked, failed, assumedCorrupted: assumed, detectionProbability: detectionProbability(ids.length, assumed, k) };
    },
    async recordBatch(id, blocks, opts = {}) {
      assertRecordId(id);
      const digests = blocks.map((b, i) => sha256(abytes(b, undefined, `blocks[${i}]`)));
      const tree = buildMerkleTree(digests);
      const proof = await checkedProof(id, tree.root, opts.proof);
      const data = encodeRecordData({ kind: 'batch', envelope: new Uint8Array(), ...(proof ? { proof } : {}) });
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
    async verifyBatchMember(id, block, proof) {
      assertRecordId(id);
      abytes(block, undefined, 'block');
      const { anchor } = await adapter.getAnchor(id);
      return verifyMerkleProof(anchor, sha256(block), proof);
    },
    async recheckProof(record, verifier) {
      const d = decodeRecordData(record.data);
      if (!d.proof) return false;
      try {
        return (await verifier(d.proof, proofMessage(record.id, record.anchor))) === true;
      } catch {
        return false;
      }
    },
  };
  return Object.freeze(service);
}
