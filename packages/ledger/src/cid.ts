/**
 * IPFS CIDv1 for data blocks (raw codec 0x55, sha2-256 multihash), so a block's ledger record and its IPFS address
 * agree: the anchor of a single-block record is the CID's digest.
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { CID } from 'multiformats/cid';
import * as Digest from 'multiformats/hashes/digest';
import { abytes, astring, equalBytes } from '@privkit/core';
import { LedgerError } from './errors.js';

const RAW_CODEC = 0x55;
const SHA2_256 = 0x12;

/**
 * The CIDv1 (raw, sha2-256) of a block, as a base32 string (`bafkrei…`).
 * @example blockCid(new TextEncoder().encode('hello')) // 'bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq'
 */
export function blockCid(block: Uint8Array): string {
  abytes(block, undefined, 'block');
  return CID.create(1, RAW_CODEC, Digest.create(SHA2_256, sha256(block))).toString();
}

/**
 * Extracts the sha2-256 digest from a CIDv1 raw string.
 * @throws {LedgerError} `LEDGER_INVALID_RECORD` for anything but a CIDv1 with raw codec and sha2-256
 */
export function cidDigest(cid: string): Uint8Array {
  astring(cid, 'cid', 256);
  let parsed: CID;
  try {
    parsed = CID.parse(cid);
  } catch (cause) {
    throw new LedgerError('not a valid CID', { code: 'LEDGER_INVALID_RECORD', cause });
  }
  if (parsed.version !== 1 || parsed.code !== RAW_CODEC || parsed.multihash.code !== SHA2_256 || parsed.multihash.digest.length !== 32) {
    throw new LedgerError('expected a CIDv1 with raw codec and sha2-256', { code: 'LEDGER_INVALID_RECORD' });
  }
  return Uint8Array.from(parsed.multihash.digest);
}

/** True when `block` is the content addressed by `cid`. */
export function blockMatchesCid(block: Uint8Array, cid: string): boolean {
  abytes(block, undefined, 'block');
  return equalBytes(sha256(block), cidDigest(cid));
}
