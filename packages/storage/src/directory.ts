/**
 * The local-directory back end: one file per content, named by its CID, for users who want no IPFS. The CIDs are the
 * ones IPFS would give the same bytes, so data can move to IPFS later without re-recording.
 * @module
 */
import { mkdir, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { StorageError } from './errors.js';
import {
  DEFAULT_MAX_BYTES, _checkContent, _cid, _expectedCid, _lifecycle, _maxBytes, _putArgs, type ContentStore,
} from './_store.js';

/** Options of {@link createDirectoryStorage}. */
export interface DirectoryStorageOptions {
  /** The directory holding the files (created when missing). */
  directory: string;
  /** Bound on one content's size for `put` and `get` (default 64 MiB). */
  maxBytes?: number;
}

/**
 * Opens a directory as a content store. Files are written atomically (temporary file, then rename); `get` re-checks
 * the bytes against the CID, so a file changed on disk is reported as `STORAGE_INTEGRITY`, never returned.
 * @throws {StorageError} `STORAGE_INVALID_INPUT` for a missing directory option, `STORAGE_UNAVAILABLE` when it cannot be created
 * @example
 * const store = await createDirectoryStorage({ directory: './blocks' });
 * const { cid } = await store.put(envelopeBytes);
 */
export async function createDirectoryStorage(options: DirectoryStorageOptions): Promise<ContentStore> {
  if (!options || typeof options.directory !== 'string' || options.directory === '') {
    throw new StorageError('"directory" must be a non-empty path', { code: 'STORAGE_INVALID_INPUT' });
  }
  const dir = options.directory;
  const maxBytes = _maxBytes(options.maxBytes, DEFAULT_MAX_BYTES);
  try {
    await mkdir(dir, { recursive: true });
  } catch (cause) {
    throw new StorageError('cannot create the storage directory', { code: 'STORAGE_UNAVAILABLE', cause });
  }
  const life = _lifecycle();
  const pathOf = (cid: string) => join(dir, _cid(cid));
  const missing = (e: unknown) => (e as { code?: string })?.code === 'ENOENT';

  return Object.freeze({
    kind: 'directory' as const,
    async put(bytes, opts) {
      life.check();
      const cid = _expectedCid(bytes, _putArgs(bytes, opts, maxBytes));
      const tmp = join(dir, `.tmp-${randomBytes(8).toString('hex')}`);
      const fh = await open(tmp, 'wx');
      try {
        await fh.writeFile(bytes);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, join(dir, cid));
      return { cid, size: bytes.length };
    },
    async get(cid, opts = {}) {
      life.check();
      const p = pathOf(cid);
      const max = _maxBytes(opts.maxBytes, maxBytes);
      let size: number;
      try {
        size = (await stat(p)).size;
      } catch (e) {
        if (missing(e)) throw new StorageError('no content under this CID', { code: 'STORAGE_NOT_FOUND' });
        throw new StorageError('cannot read the storage directory', { code: 'STORAGE_UNAVAILABLE', cause: e });
      }
      if (size > max) throw new StorageError(`content above ${max} bytes`, { code: 'STORAGE_TOO_LARGE' });
      const bytes = new Uint8Array(await readFile(p, opts.signal ? { signal: opts.signal } : {}));
      return _checkContent(bytes, _cid(cid));
    },
    async has(cid) {
      life.check();
      const p = pathOf(cid); // a malformed CID is a StorageFormatError, not a directory failure
      try {
        return (await stat(p)).isFile();
      } catch (e) {
        if (missing(e)) return false;
        throw new StorageError('cannot read the storage directory', { code: 'STORAGE_UNAVAILABLE', cause: e });
      }
    },
    async delete(cid) {
      life.check();
      await rm(pathOf(cid), { force: true });
    },
    async list() {
      life.check();
      return (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();
    },
    async close() {
      life.close();
    },
  } satisfies ContentStore);
}
