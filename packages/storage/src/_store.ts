/**
 * The content-store interface shared by the back ends, and the checks every back end applies at its boundary: CIDs
 * parsed and normalised, sizes bounded, and every byte returned re-addressed against the CID asked for.
 * @module
 */
import { abytes } from '@privkit/core';
import { blockMatchesCid, parseContentCid, unixfsCid } from '@privkit/ledger';
import { StorageError, StorageFormatError } from './errors.js';

/** Default bound on the bytes one `put` or `get` handles (64 MiB): a hostile provider cannot make `get` buffer more. */
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

/** Options of `put`. */
export interface PutOptions {
  /** 1 (default): CIDv1, raw leaves (Helia's `addBytes` default); 0: CIDv0 with dag-pb leaves (`ipfs add` classic). */
  cidVersion?: 0 | 1;
}

/** Options of `get`. */
export interface GetOptions {
  /** Refuse content larger than this (default: the store's `maxBytes`). */
  maxBytes?: number;
  /** Abort a fetch that takes too long. */
  signal?: AbortSignal;
}

/**
 * A content-addressed store: bytes in, IPFS CID out; every back end returns the CID PrivKit computes itself
 * (`unixfsCid` of `@privkit/ledger`) and every `get` re-checks the bytes against the CID.
 */
export interface ContentStore {
  /** Which back end: `ipfs` (embedded Helia), `kubo` (Kubo RPC) or `directory`. */
  readonly kind: 'ipfs' | 'kubo' | 'directory';
  /** Stores `bytes` (pinned on IPFS back ends) and returns its CID. */
  put(bytes: Uint8Array, options?: PutOptions): Promise<{ cid: string; size: number }>;
  /** The bytes addressed by `cid`, checked against it. */
  get(cid: string, options?: GetOptions): Promise<Uint8Array>;
  /** True when the store holds `cid` locally (IPFS: its root block; no network lookup). */
  has(cid: string): Promise<boolean>;
  /** IPFS back ends: pins `cid` (kept from garbage collection). */
  pin?(cid: string): Promise<void>;
  /** IPFS back ends: unpins `cid`. */
  unpin?(cid: string): Promise<void>;
  /** Removes `cid` (embedded IPFS: unpin and garbage-collect; directory: delete the file). */
  delete?(cid: string): Promise<void>;
  /** The CIDs stored (IPFS: recursively pinned roots; directory: every file). */
  list(): Promise<string[]>;
  /** Releases the back end (stops the node, closes the stores); further calls throw `STORAGE_CLOSED`. */
  close(): Promise<void>;
}

/** Parses and normalises a CID argument (v1 base32, v0 base58btc). */
export function _cid(cid: unknown): string {
  try {
    return parseContentCid(cid as string).toString();
  } catch (cause) {
    throw new StorageFormatError('not a sha2-256 CID of a raw block or dag-pb node', { code: 'STORAGE_INVALID_CID', cause });
  }
}

/** Validates `put` input; returns the CID version. */
export function _putArgs(bytes: unknown, options: PutOptions | undefined, maxBytes: number): 0 | 1 {
  try {
    abytes(bytes as Uint8Array, undefined, 'bytes');
  } catch (cause) {
    throw new StorageError('"bytes" expected Uint8Array', { code: 'STORAGE_INVALID_INPUT', cause });
  }
  if ((bytes as Uint8Array).length > maxBytes) throw new StorageError(`content above ${maxBytes} bytes`, { code: 'STORAGE_TOO_LARGE' });
  if (options !== undefined && (options === null || typeof options !== 'object')) throw new StorageError('options must be an object', { code: 'STORAGE_INVALID_INPUT' });
  const v = options?.cidVersion ?? 1;
  if (v !== 0 && v !== 1) throw new StorageError('cidVersion must be 0 or 1', { code: 'STORAGE_INVALID_INPUT' });
  return v;
}

/** The CID PrivKit computes for `bytes` (what a back end must return). */
export const _expectedCid = (bytes: Uint8Array, cidVersion: 0 | 1): string => unixfsCid(bytes, { cidVersion });

/** Validates a size bound option. */
export function _maxBytes(v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new StorageError('maxBytes must be a non-negative safe integer', { code: 'STORAGE_INVALID_INPUT' });
  return v;
}

/** Refuses bytes that are not the content addressed by `cid` (a lying provider, a corrupted disk). */
export function _checkContent(bytes: Uint8Array, cid: string): Uint8Array {
  if (!blockMatchesCid(bytes, cid)) throw new StorageError('the content returned does not match its CID', { code: 'STORAGE_INTEGRITY' });
  return bytes;
}

/** Concatenates an async stream of chunks, refusing more than `max` bytes. */
export async function _collect(chunks: AsyncIterable<Uint8Array>, max: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const c of chunks) {
    n += c.length;
    if (n > max) throw new StorageError(`content above ${max} bytes`, { code: 'STORAGE_TOO_LARGE' });
    parts.push(c);
  }
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Guards a back end's methods once it is closed. */
export function _lifecycle(): { check(): void; close(): boolean } {
  let closed = false;
  return {
    check() {
      if (closed) throw new StorageError('the store is closed', { code: 'STORAGE_CLOSED' });
    },
    close() {
      const was = closed;
      closed = true;
      return !was;
    },
  };
}
