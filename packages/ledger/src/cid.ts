/**
 * IPFS content identifiers for data blocks, computed by PrivKit itself so a block's ledger record and its IPFS
 * address agree without asking a node:
 *
 * - {@link blockCid}: the CIDv1 of one raw block (raw codec 0x55, sha2-256) — IPFS's address of a block up to one
 *   chunk (256 KiB) added with raw leaves, and the digest anchored by a single-block record.
 * - {@link unixfsCid}: the CID that IPFS's UnixFS importer gives a file (Helia `unixfs.addBytes`, `ipfs add`) — fixed
 *   size chunks, balanced DAG, single-chunk files reduced to their leaf; by default Helia's layout (CIDv1, raw leaves,
 *   1 MiB chunks, 1024 links), or for CIDv0 Kubo's (dag-pb UnixFS `file` leaves, 256 KiB, 174 links); see
 *   {@link UNIXFS_LAYOUTS}. Encoding per the dag-pb spec (ipld/specs `block-layer/codecs/dag-pb.md`, via
 *   `@ipld/dag-pb`) and the UnixFS spec (ipfs/specs `UNIXFS.md`, via `ipfs-unixfs`); the importer's layout per
 *   `ipfs-unixfs-importer` (balanced layout, fixed-size chunker). Equality with Helia's importer is a property test.
 * - {@link blockMatchesCid}: checks bytes against a CID of either form (raw, dag-pb v0 or v1).
 * @module
 */
import * as dagPb from '@ipld/dag-pb';
import { UnixFS } from 'ipfs-unixfs';
import { CID } from 'multiformats/cid';
import * as Digest from 'multiformats/hashes/digest';
import { abytes, astring, equalBytes, getHash } from '@privkit/core';
import { LedgerFormatError } from './errors.js';

const RAW_CODEC = 0x55;
const DAG_PB_CODEC = 0x70;
const SHA2_256 = 0x12;
/** Kubo's classic chunk size (`size-262144`), also the IPFS importer's when no profile is given: 256 KiB. */
export const UNIXFS_CHUNK_SIZE = 262_144;
/** Kubo's classic balanced-layout fan-out: 174 links per node. */
export const UNIXFS_MAX_LINKS = 174;

/** A UnixFS file layout: CID version, leaf form, fixed chunk size and balanced-DAG fan-out. */
export interface UnixfsLayout {
  cidVersion: 0 | 1;
  rawLeaves: boolean;
  chunkSize: number;
  maxLinks: number;
}

/**
 * The layouts IPFS implementations use by default: `helia` — `@helia/unixfs` `addBytes` (CIDv1, raw leaves, 1 MiB
 * chunks, 1024 links; the `unixfs-v1-2025` profile of IPIP-499); `kubo` — `ipfs add` (CIDv0, dag-pb leaves, 256 KiB,
 * 174 links; `unixfs-v0-2015`); `kuboV1` — `ipfs add --cid-version=1` (raw leaves, 256 KiB, 174 links).
 */
export const UNIXFS_LAYOUTS: Readonly<Record<'helia' | 'kubo' | 'kuboV1', Readonly<UnixfsLayout>>> = Object.freeze({
  helia: Object.freeze({ cidVersion: 1, rawLeaves: true, chunkSize: 1_048_576, maxLinks: 1024 } as const),
  kubo: Object.freeze({ cidVersion: 0, rawLeaves: false, chunkSize: UNIXFS_CHUNK_SIZE, maxLinks: UNIXFS_MAX_LINKS } as const),
  kuboV1: Object.freeze({ cidVersion: 1, rawLeaves: true, chunkSize: UNIXFS_CHUNK_SIZE, maxLinks: UNIXFS_MAX_LINKS } as const),
});
/** Largest input {@link unixfsCid} and {@link blockMatchesCid} hash (1 GiB), a bound on CPU for hostile sizes. */
export const MAX_CID_INPUT = 1 << 30;

const sha256 = (b: Uint8Array): Uint8Array => getHash('sha256')(b);
const cidOf = (version: 0 | 1, codec: number, bytes: Uint8Array): CID =>
  CID.create(version, codec, Digest.create(SHA2_256, sha256(bytes))) as CID;

/**
 * The CIDv1 (raw, sha2-256) of a block, as a base32 string (`bafkrei…`).
 * @example blockCid(new TextEncoder().encode('hello')) // 'bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq'
 */
export function blockCid(block: Uint8Array): string {
  abytes(block, undefined, 'block');
  return cidOf(1, RAW_CODEC, block).toString();
}

/**
 * Options of {@link unixfsCid}: a partial {@link UnixfsLayout}. Unset fields come from `UNIXFS_LAYOUTS.helia` for
 * CIDv1 (the default) and `UNIXFS_LAYOUTS.kubo` for CIDv0. Raw leaves are always CIDv1 blocks.
 */
export type UnixfsCidOptions = Partial<UnixfsLayout>;

/** One node of the DAG under construction: its CID, cumulative size (Tsize) and file bytes below it. */
interface DagNode { cid: CID; tsize: number; fileSize: number }

/**
 * The CID IPFS's UnixFS importer gives `bytes` as a file (Helia `unixfs.addBytes`, `ipfs add`), computed locally.
 * @param bytes - the file content (0 B to {@link MAX_CID_INPUT})
 * @param options - CID version and leaf form ({@link UnixfsCidOptions}); defaults are Helia's
 * @returns the CID string (base32 `b…` for v1, base58btc `Qm…` for v0)
 * @throws {InputError} for non-bytes or bad options; {@link LedgerFormatError} `LEDGER_INVALID_RECORD` above the size bound
 * @example unixfsCid(new Uint8Array(2_000_000)) // 'bafybei…' (two 1 MiB raw leaves under one dag-pb node)
 */
export function unixfsCid(bytes: Uint8Array, options: UnixfsCidOptions = {}): string {
  abytes(bytes, undefined, 'bytes');
  return unixfsRoot(bytes, readLayout(options)).toString();
}

function readLayout(options: UnixfsCidOptions): UnixfsLayout {
  const bad = (why: string) => new LedgerFormatError(why, { code: 'LEDGER_INVALID_RECORD' });
  if (options === null || typeof options !== 'object') throw bad('options must be an object');
  const version = options.cidVersion ?? 1;
  if (version !== 0 && version !== 1) throw bad('cidVersion must be 0 or 1');
  const base = version === 1 ? UNIXFS_LAYOUTS.helia : UNIXFS_LAYOUTS.kubo;
  const l: UnixfsLayout = { ...base, ...options, cidVersion: version };
  if (typeof l.rawLeaves !== 'boolean') throw bad('rawLeaves must be a boolean');
  if (!Number.isSafeInteger(l.chunkSize) || l.chunkSize < 1 || l.chunkSize > 4 * 1_048_576) throw bad('chunkSize must be an integer in [1, 4 MiB]');
  if (!Number.isSafeInteger(l.maxLinks) || l.maxLinks < 2 || l.maxLinks > 8192) throw bad('maxLinks must be an integer in [2, 8192]');
  return l;
}

function unixfsRoot(bytes: Uint8Array, layout: UnixfsLayout): CID {
  if (bytes.length > MAX_CID_INPUT) throw new LedgerFormatError(`input above ${MAX_CID_INPUT} bytes`, { code: 'LEDGER_INVALID_RECORD' });
  const { chunkSize, maxLinks } = layout;
  let nodes: DagNode[] = [];
  for (let off = 0; off === 0 || off < bytes.length; off += chunkSize) {
    nodes.push(leafNode(bytes.subarray(off, off + chunkSize), layout));
  }
  if (nodes.length === 1) return nodes[0]!.cid; // a single chunk is reduced to its leaf
  while (nodes.length > 1) {
    const parents: DagNode[] = [];
    for (let i = 0; i < nodes.length; i += maxLinks) parents.push(parentNode(nodes.slice(i, i + maxLinks), layout.cidVersion));
    nodes = parents;
  }
  return nodes[0]!.cid;
}

function leafNode(chunk: Uint8Array, layout: UnixfsLayout): DagNode {
  if (layout.rawLeaves) return { cid: cidOf(1, RAW_CODEC, chunk), tsize: chunk.length, fileSize: chunk.length };
  const block = dagPb.encode({ Data: new UnixFS({ type: 'file', data: chunk }).marshal(), Links: [] });
  return { cid: cidOf(layout.cidVersion, DAG_PB_CODEC, block), tsize: block.length, fileSize: chunk.length };
}

function parentNode(children: DagNode[], version: 0 | 1): DagNode {
  const file = new UnixFS({ type: 'file' });
  const links: dagPb.PBLink[] = [];
  let tsize = 0;
  let fileSize = 0;
  for (const c of children) {
    if (c.fileSize === 0) continue; // the importer drops empty children
    file.addBlockSize(BigInt(c.fileSize));
    links.push({ Name: '', Tsize: c.tsize, Hash: c.cid });
    tsize += c.tsize;
    fileSize += c.fileSize;
  }
  const block = dagPb.encode(dagPb.prepare({ Data: file.marshal(), Links: links }));
  return { cid: cidOf(version, DAG_PB_CODEC, block), tsize: block.length + tsize, fileSize };
}

/**
 * Parses a CID string (v0 `Qm…` or multibase v1) and checks it is a sha2-256 CID of a raw block or a dag-pb node.
 * @returns the parsed CID
 * @throws {LedgerFormatError} `LEDGER_INVALID_RECORD` otherwise
 */
export function parseContentCid(cid: string): CID {
  astring(cid, 'cid', 256);
  let parsed: CID;
  try {
    parsed = CID.parse(cid) as CID;
  } catch (cause) {
    throw new LedgerFormatError('not a valid CID', { code: 'LEDGER_INVALID_RECORD', cause });
  }
  if ((parsed.code !== RAW_CODEC && parsed.code !== DAG_PB_CODEC) || parsed.multihash.code !== SHA2_256 || parsed.multihash.digest.length !== 32) {
    throw new LedgerFormatError('expected a sha2-256 CID of a raw block or a dag-pb node', { code: 'LEDGER_INVALID_RECORD' });
  }
  return parsed;
}

/**
 * Extracts the sha2-256 digest from a CIDv1 raw string.
 * @throws {LedgerFormatError} `LEDGER_INVALID_RECORD` for anything but a CIDv1 with raw codec and sha2-256
 */
export function cidDigest(cid: string): Uint8Array {
  const parsed = parseContentCid(cid);
  if (parsed.version !== 1 || parsed.code !== RAW_CODEC) {
    throw new LedgerFormatError('expected a CIDv1 with raw codec and sha2-256', { code: 'LEDGER_INVALID_RECORD' });
  }
  return Uint8Array.from(parsed.multihash.digest);
}

/** The default layouts a dag-pb root of this CID version may come from (tried in turn by {@link blockMatchesCid}). */
function layoutsFor(cid: CID): UnixfsLayout[] {
  if (cid.version === 0) return [UNIXFS_LAYOUTS.kubo];
  return [UNIXFS_LAYOUTS.helia, UNIXFS_LAYOUTS.kuboV1, { ...UNIXFS_LAYOUTS.kubo, cidVersion: 1 }];
}

/**
 * True when `block` is the content addressed by `cid`, in any form PrivKit and IPFS produce by default: a raw CIDv1
 * (the block's SHA-256), or a UnixFS file root recomputed with {@link unixfsCid} under the default layouts of
 * {@link UNIXFS_LAYOUTS} (CIDv0: Kubo's; CIDv1: Helia's, Kubo's with raw leaves, Kubo's with dag-pb leaves). A root made
 * with another chunker or fan-out is reported as not matching.
 * @throws {LedgerFormatError} `LEDGER_INVALID_RECORD` for a CID that is not one of these forms
 */
export function blockMatchesCid(block: Uint8Array, cid: string): boolean {
  abytes(block, undefined, 'block');
  const parsed = parseContentCid(cid);
  if (parsed.code === RAW_CODEC) return equalBytes(sha256(block), parsed.multihash.digest);
  return layoutsFor(parsed).some((l) => equalBytes(unixfsRoot(block, l).bytes, parsed.bytes));
}
