/**
 * The Kubo back end: a Kubo (go-ipfs) node over its RPC API (`kubo-rpc-client`), for users who run one. Endpoints used:
 * `/api/v0/add`, `/api/v0/cat`, `/api/v0/block/stat` (with `offline=true`), `/api/v0/pin/add`, `/pin/rm`, `/pin/ls`.
 * The daemon is not trusted with integrity: the CID it returns for `put` and the bytes it returns for `get` are both
 * re-checked by PrivKit.
 * @module
 */
import type { KuboRPCClient } from 'kubo-rpc-client';
import { CID } from 'multiformats/cid';
import { blockMatchesCid } from '@privkit/ledger';
import { _isStorageError, StorageError } from './errors.js';
import {
  DEFAULT_MAX_BYTES, _checkContent, _cid, _collect, _lifecycle, _maxBytes, _putArgs, type ContentStore,
} from './_store.js';

/** Options of {@link createKuboStorage}. */
export interface KuboStorageOptions {
  /** The Kubo RPC API address, e.g. `http://127.0.0.1:5001` (Kubo's `Addresses.API`). */
  url: string | URL;
  /** Bound on one content's size for `put` and `get` (default 64 MiB). */
  maxBytes?: number;
  /** Timeout of each RPC call in ms (default 30 s). */
  timeoutMs?: number;
  /** Extra HTTP headers (e.g. `Authorization` for Kubo's `API.Authorizations`). */
  headers?: Record<string, string>;
}

/** True when the daemon answered (an HTTP error status); false when it could not be reached. */
const answered = (e: unknown) => (e as { name?: string })?.name === 'HTTPError';

/**
 * Connects to a Kubo node's RPC API. `put` adds the bytes with `cid-version=1`, `raw-leaves=true` (or CIDv0 with dag-pb
 * leaves) and Kubo's 256 KiB chunker, pins them, and checks the daemon's CID against the bytes (`blockMatchesCid`);
 * content up to 256 KiB gets the same CID as on the embedded node; larger content gets Kubo's layout (174 links), which
 * every PrivKit verification accepts too.
 * @throws {StorageError} `STORAGE_INVALID_INPUT` for a bad URL or options
 * @example
 * const store = await createKuboStorage({ url: 'http://127.0.0.1:5001' });
 * const { cid } = await store.put(envelopeBytes);
 */
export async function createKuboStorage(options: KuboStorageOptions): Promise<ContentStore> {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch (cause) {
    throw new StorageError('"url" must be an http(s) URL', { code: 'STORAGE_INVALID_INPUT', cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new StorageError('"url" must be an http(s) URL', { code: 'STORAGE_INVALID_INPUT' });
  const maxBytes = _maxBytes(options.maxBytes, DEFAULT_MAX_BYTES);
  const timeoutMs = _maxBytes(options.timeoutMs, 30_000);
  // kubo-rpc-client is loaded on first use (over a second of module loading).
  const { create } = await import('kubo-rpc-client');
  const client: KuboRPCClient = create({ url, headers: options.headers ?? {} });
  const life = _lifecycle();
  const signal = () => AbortSignal.timeout(timeoutMs);
  const unavailable = (cause: unknown) => new StorageError('the Kubo RPC API could not be reached', { code: 'STORAGE_UNAVAILABLE', cause });
  const call = async <T>(f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      throw _isStorageError(e) ? e : unavailable(e);
    }
  };

  async function isPinned(cid: string): Promise<boolean> {
    try {
      for await (const p of client.pin.ls({ paths: [CID.parse(cid)], type: 'recursive', signal: signal() })) {
        if (p.cid.toString() === cid) return true;
      }
      return false;
    } catch (e) {
      if (answered(e)) return false; // Kubo answers an error for "not pinned"
      throw unavailable(e);
    }
  }

  return Object.freeze({
    kind: 'kubo' as const,
    async put(bytes, opts) {
      life.check();
      const cidVersion = _putArgs(bytes, opts, maxBytes);
      const r = await call(() => client.add(bytes, {
        cidVersion, rawLeaves: cidVersion === 1, chunker: 'size-262144', pin: true, signal: signal(),
      }));
      const cid = r.cid.toString();
      if (r.cid.version !== cidVersion || !blockMatchesCid(bytes, cid)) {
        throw new StorageError('the Kubo node returned a CID that does not address the content', { code: 'STORAGE_INTEGRITY' });
      }
      return { cid, size: bytes.length };
    },
    async get(cid, opts = {}) {
      life.check();
      const norm = _cid(cid);
      const max = _maxBytes(opts.maxBytes, maxBytes);
      try {
        const bytes = await _collect(client.cat(CID.parse(norm), { signal: opts.signal ?? signal(), length: max + 1 }), max);
        return _checkContent(bytes, norm);
      } catch (e) {
        if (_isStorageError(e)) throw e;
        if (answered(e)) throw new StorageError('no content under this CID', { code: 'STORAGE_NOT_FOUND', cause: e });
        throw unavailable(e);
      }
    },
    async has(cid) {
      life.check();
      const norm = _cid(cid);
      try {
        await client.block.stat(CID.parse(norm), { offline: true, signal: signal() } as never);
        return true;
      } catch (e) {
        if (answered(e)) return false;
        throw unavailable(e);
      }
    },
    async pin(cid) {
      life.check();
      const norm = _cid(cid);
      await call(() => client.pin.add(CID.parse(norm), { signal: signal() }));
    },
    async unpin(cid) {
      life.check();
      const norm = _cid(cid);
      if (await isPinned(norm)) await call(() => client.pin.rm(CID.parse(norm), { signal: signal() }));
    },
    async list() {
      life.check();
      return call(async () => {
        const out: string[] = [];
        for await (const p of client.pin.ls({ type: 'recursive', signal: signal() })) out.push(p.cid.toString());
        return out.sort();
      });
    },
    async close() {
      life.close();
    },
  } satisfies ContentStore);
}
