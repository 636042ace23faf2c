/**
 * Node fast path for {@link scrypt}: `node:crypto.scryptSync` (OpenSSL), same parameters and output as the
 * portable version. Argon2id has no `node:crypto` equivalent on Node 20 and is re-exported unchanged.
 * @module
 */
import { scryptSync } from 'node:crypto';
import { LimitError } from './errors.js';
import { _scryptParams, type ScryptOptions } from './passphrase.js';

/**
 * scrypt (RFC 7914 §6) through `node:crypto.scryptSync` — the Node entry's implementation of `scrypt`.
 * @param password - passphrase (strings UTF-8 encoded, not normalised)
 * @param salt - salt; use 16+ random bytes
 * @param options - `{N, r, p, dkLen, maxmem}`, defaults `SCRYPT_DEFAULTS`
 * @returns `dkLen` derived bytes
 * @throws {InputError} for wrong types or parameters outside RFC 7914 §2
 * @throws {LimitError} when the memory needed exceeds `maxmem`
 * @example
 * ```ts
 * const key = scrypt('correct horse', salt, { N: 2 ** 15 });
 * ```
 */
export function scrypt(password: Uint8Array | string, salt: Uint8Array, options?: ScryptOptions): Uint8Array {
  const q = _scryptParams(password, salt, options);
  try {
    const out = scryptSync(q.password, q.salt, q.dkLen, { N: q.N, r: q.r, p: q.p, maxmem: q.maxmem + 1024 });
    const copy = new Uint8Array(out);
    out.fill(0);
    return copy;
  } catch (e) {
    throw new LimitError('scrypt failed (out of memory?)', { cause: e });
  }
}
