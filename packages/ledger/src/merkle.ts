/**
 * Merkle batching (RFC 9162 §2.1, the Certificate Transparency v2 tree): many block digests are anchored as one
 * 32-byte root; each block gets an inclusion proof. Leaves and interior nodes are domain-separated
 * (`SHA-256(0x00 ‖ leaf)`, `SHA-256(0x01 ‖ left ‖ right)`), so a leaf can never pass as a node (second-preimage
 * safety), and the tree shape is RFC 9162's left-balanced tree for any number of leaves.
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { abytes, anumber, concatBytes, equalBytes, u32BE, isBytes } from '@privkit/core';
import { LedgerFormatError } from './errors.js';

/** Maximum number of leaves in one batch (2^20). */
export const MAX_MERKLE_LEAVES = 1 << 20;
const PROOF_VERSION = 1;

/** An inclusion proof for one leaf (RFC 9162 §2.1.3). */
export interface MerkleProof {
  /** Index of the leaf in the batch. */
  index: number;
  /** Number of leaves in the batch. */
  size: number;
  /** Audit path, bottom-up. */
  path: Uint8Array[];
}

/** RFC 9162 leaf hash: SHA-256(0x00 ‖ leaf). */
export function merkleLeafHash(leaf: Uint8Array): Uint8Array {
  abytes(leaf, undefined, 'leaf');
  const buf = new Uint8Array(leaf.length + 1);
  buf.set(leaf, 1);
  return sha256(buf);
}

function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  const buf = new Uint8Array(65);
  buf[0] = 1;
  buf.set(left, 1);
  buf.set(right, 33);
  return sha256(buf);
}

/** A built tree: its root, and proofs for any leaf. */
export interface MerkleTree {
  readonly root: Uint8Array;
  readonly size: number;
  proof(index: number): MerkleProof;
}

/**
 * Builds the RFC 9162 tree over `leaves` (each leaf: a block digest or any byte string).
 * Bottom-up pairing with the last odd node promoted unchanged gives exactly RFC 9162's MTH.
 * @throws {InputError} on bad leaves; {LedgerFormatError} `LEDGER_INVALID_RECORD` on 0 or more than 2^20 leaves
 * @example const tree = buildMerkleTree(blockDigests); const proof = tree.proof(7);
 */
export function buildMerkleTree(leaves: readonly Uint8Array[]): MerkleTree {
  if (!Array.isArray(leaves) || leaves.length === 0 || leaves.length > MAX_MERKLE_LEAVES) {
    throw new LedgerFormatError(`a Merkle batch needs 1..${MAX_MERKLE_LEAVES} leaves`, { code: 'LEDGER_INVALID_RECORD' });
  }
  const levels: Uint8Array[][] = [leaves.map((l, i) => merkleLeafHash(abytes(l, undefined, `leaves[${i}]`)))];
  while (levels[levels.length - 1]!.length > 1) {
    const cur = levels[levels.length - 1]!;
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < cur.length; i += 2) next.push(nodeHash(cur[i]!, cur[i + 1]!));
    if (cur.length % 2 === 1) next.push(cur[cur.length - 1]!);
    levels.push(next);
  }
  const size = leaves.length;
  return Object.freeze({
    root: levels[levels.length - 1]![0]!,
    size,
    proof(index: number): MerkleProof {
      anumber(index, 'index', 0, size - 1);
      const path: Uint8Array[] = [];
      let i = index;
      for (let l = 0; l < levels.length - 1; l++) {
        const level = levels[l]!;
        const sibling = i ^ 1;
        if (sibling < level.length) path.push(level[sibling]!);
        i >>= 1;
      }
      return { index, size, path };
    },
  });
}

/** The RFC 9162 root of `leaves`. */
export function merkleRoot(leaves: readonly Uint8Array[]): Uint8Array {
  return buildMerkleTree(leaves).root;
}

/**
 * Verifies an inclusion proof (RFC 9162 §2.1.3.2). Returns false — never throws — for a well-typed proof that
 * does not verify (wrong leaf, index, size, path or root).
 * @throws {InputError} only on wrongly typed arguments
 */
export function verifyMerkleProof(root: Uint8Array, leaf: Uint8Array, proof: MerkleProof): boolean {
  abytes(root, 32, 'root');
  abytes(leaf, undefined, 'leaf');
  if (typeof proof !== 'object' || proof === null || !Array.isArray(proof.path)) return false;
  const { index, size, path } = proof;
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size || size > MAX_MERKLE_LEAVES) return false;
  if (path.length > 64) return false;
  let fn = index;
  let sn = size - 1;
  let r = merkleLeafHash(leaf);
  for (const p of path) {
    if (!isBytes(p) || p.length !== 32) return false;
    if (sn === 0) return false;
    if ((fn & 1) === 1 || fn === sn) {
      r = nodeHash(p, r);
      if ((fn & 1) === 0) {
        while ((fn & 1) === 0 && fn !== 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn >>>= 1;
    sn >>>= 1;
  }
  return sn === 0 && equalBytes(r, root);
}

/**
 * Encodes a proof: `version(1) ‖ index(u32) ‖ size(u32) ‖ count(u8) ‖ count × 32-byte hashes` (FORMAT.md).
 */
export function encodeMerkleProof(proof: MerkleProof): Uint8Array {
  if (typeof proof !== 'object' || proof === null || !Array.isArray(proof.path)) {
    throw new LedgerFormatError('"proof" expected {index, size, path}', { code: 'LEDGER_PROOF_INVALID' });
  }
  anumber(proof.size, 'proof.size', 1, MAX_MERKLE_LEAVES);
  anumber(proof.index, 'proof.index', 0, proof.size - 1);
  if (proof.path.length > 64) throw new LedgerFormatError('proof path too long', { code: 'LEDGER_PROOF_INVALID' });
  proof.path.forEach((p, i) => abytes(p, 32, `proof.path[${i}]`));
  return concatBytes(new Uint8Array([PROOF_VERSION]), u32BE(proof.index), u32BE(proof.size), new Uint8Array([proof.path.length]), ...proof.path);
}

/**
 * Decodes a proof made by {@link encodeMerkleProof}.
 * @throws {LedgerFormatError} `LEDGER_PROOF_INVALID` on a malformed encoding
 */
export function decodeMerkleProof(bytes: Uint8Array): MerkleProof {
  abytes(bytes, undefined, 'proof');
  const bad = (why: string) => new LedgerFormatError(`malformed Merkle proof: ${why}`, { code: 'LEDGER_PROOF_INVALID' });
  if (bytes.length < 10) throw bad('too short');
  if (bytes[0] !== PROOF_VERSION) throw bad(`unknown version ${bytes[0]}`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const index = dv.getUint32(1);
  const size = dv.getUint32(5);
  const count = bytes[9]!;
  if (bytes.length !== 10 + 32 * count) throw bad('length does not match the path count');
  if (size === 0 || size > MAX_MERKLE_LEAVES || index >= size || count > 64) throw bad('index/size out of range');
  const path: Uint8Array[] = [];
  for (let i = 0; i < count; i++) path.push(bytes.slice(10 + 32 * i, 42 + 32 * i));
  return { index, size, path };
}
