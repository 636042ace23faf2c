import * as fc from 'fast-check';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@privkit/core';
import {
  LedgerFormatError, blockCid, blockMatchesCid, buildMerkleTree, cidDigest, decodeMerkleProof, encodeMerkleProof, merkleRoot,
  verifyMerkleProof,
} from '@privkit/ledger';
import { arbMerkleBatch, arbTamperedMerkleProof } from '@privkit/ledger/testing';

/** RFC 9162 §2.1.1 MTH, written recursively from the definition (independent of the bottom-up builder). */
function mth(d: Uint8Array[]): Uint8Array {
  if (d.length === 1) return sha256(concatBytes(new Uint8Array([0]), d[0]!));
  let k = 1;
  while (k * 2 < d.length) k *= 2;
  return sha256(concatBytes(new Uint8Array([1]), mth(d.slice(0, k)), mth(d.slice(k))));
}

/** RFC 9162 §2.1.3.1 PATH(m, D), recursive from the definition. */
function path(m: number, d: Uint8Array[]): Uint8Array[] {
  if (d.length === 1) return [];
  let k = 1;
  while (k * 2 < d.length) k *= 2;
  return m < k ? [...path(m, d.slice(0, k)), mth(d.slice(k))] : [...path(m - k, d.slice(k)), mth(d.slice(0, k))];
}

describe('Merkle batching (RFC 9162)', () => {
  it('root and audit paths equal the recursive RFC 9162 definitions for every size 1..70 and every index', () => {
    for (let n = 1; n <= 70; n++) {
      const leaves = Array.from({ length: n }, (_, i) => utf8ToBytes(`block-${i}`));
      const tree = buildMerkleTree(leaves);
      expect(bytesToHex(tree.root)).toBe(bytesToHex(mth(leaves)));
      for (let i = 0; i < n; i++) {
        const p = tree.proof(i);
        expect(p.path.map(bytesToHex)).toEqual(path(i, leaves).map(bytesToHex));
        expect(verifyMerkleProof(tree.root, leaves[i]!, p)).toBe(true);
      }
    }
  });

  it('the empty-leaf and known single-leaf roots match RFC 6962 test data', () => {
    // RFC 6962 / CT reference: MTH of one empty leaf = SHA-256(0x00).
    expect(bytesToHex(merkleRoot([new Uint8Array()]))).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
  });

  it('every valid proof verifies and survives encode/decode (property)', () => {
    fc.assert(fc.property(arbMerkleBatch(), ({ root, leaf, proof }) => {
      expect(verifyMerkleProof(root, leaf, proof)).toBe(true);
      expect(verifyMerkleProof(root, leaf, decodeMerkleProof(encodeMerkleProof(proof)))).toBe(true);
    }));
  });

  it('every tampered proof, leaf or root is rejected (property)', () => {
    fc.assert(fc.property(arbTamperedMerkleProof(), (t) => {
      expect(verifyMerkleProof(t.root, t.leaf, t.proof), t.mutation).toBe(false);
    }));
  });

  it('malformed proof encodings give typed errors; malformed proof objects verify false', () => {
    const good = encodeMerkleProof(buildMerkleTree([utf8ToBytes('a'), utf8ToBytes('b'), utf8ToBytes('c')]).proof(2));
    for (const bad of [good.slice(0, 9), good.slice(0, -1), concatBytes(good, new Uint8Array(1)), Uint8Array.from([9, ...good.slice(1)])]) {
      expect(() => decodeMerkleProof(bad)).toThrow(LedgerFormatError);
    }
    const root = new Uint8Array(32);
    expect(verifyMerkleProof(root, new Uint8Array(1), null as never)).toBe(false);
    expect(verifyMerkleProof(root, new Uint8Array(1), { index: -1, size: 1, path: [] })).toBe(false);
    expect(verifyMerkleProof(root, new Uint8Array(1), { index: 0, size: 2, path: [new Uint8Array(31)] })).toBe(false);
    expect(() => buildMerkleTree([])).toThrow(LedgerFormatError);
  });
});

describe('IPFS CIDv1 (raw, sha2-256)', () => {
  it('matches the well-known CID of "hello world" and round-trips the digest', () => {
    // `ipfs add --cid-version 1 --raw-leaves` of "hello world" (no newline).
    const block = utf8ToBytes('hello world');
    const cid = blockCid(block);
    expect(cid).toBe('bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e');
    expect(bytesToHex(cidDigest(cid))).toBe(bytesToHex(sha256(block)));
    expect(blockMatchesCid(block, cid)).toBe(true);
    expect(blockMatchesCid(utf8ToBytes('hello worlD'), cid)).toBe(false);
  });
  it('rejects CIDs of other versions, codecs or hashes', () => {
    expect(() => cidDigest('QmWATWQ7fVPP2EFGu71UkfnqhYXDYH566qy47CnJDgvs8u')).toThrow(LedgerFormatError); // CIDv0 dag-pb
    expect(() => cidDigest('not a cid')).toThrow(LedgerFormatError);
    expect(hexToBytes('00')).toHaveLength(1);
  });
});
