/**
 * Hash registry backed by `node:crypto` (OpenSSL): SHA-256/384/512 and SM3 as noble-compatible {@link CHash}
 * objects over `createHash`, same ids, lengths and outputs as the portable registry. SHA-1 (legacy verification
 * only) stays on the portable implementation. Selected by the `"node"` export condition (`index.node.ts`).
 * @module
 */
import { createHash, type Hash as NodeHash } from 'node:crypto';
import { InputError } from './errors.js';
import { HASH_IDS, _lookupId, getHash as portableGetHash, type CHash, type HashId } from './hash.js';
import { sm3 } from './sm3.node.js';
import { abytes } from './validate.js';

const finishedError = (): InputError => new InputError('hash instance was already finished or destroyed', { code: 'INVALID_VALUE' });

/** Incremental hash state on an OpenSSL context; the same methods as an `@noble/hashes` `Hash`. @internal */
export class _NodeHash {
  readonly canXOF = false;
  /** @internal */
  h: NodeHash | undefined;
  /** @internal */
  finished = false;
  /** @internal */
  destroyed = false;

  constructor(
    readonly algorithm: string,
    readonly blockLen: number,
    readonly outputLen: number,
    h?: NodeHash,
  ) {
    this.h = h ?? createHash(algorithm);
  }

  /**
   * Absorbs `data`.
   * @throws {InputError} when `data` is not a Uint8Array or the instance was finished/destroyed
   */
  update(data: Uint8Array): this {
    abytes(data, undefined, 'data');
    if (this.finished || this.destroyed || !this.h) throw finishedError();
    this.h.update(data);
    return this;
  }

  /**
   * Writes the digest into `out` (≥ `outputLen` bytes).
   * @throws {InputError} when `out` is too short or the instance was finished/destroyed
   */
  digestInto(out: Uint8Array): void {
    abytes(out, undefined, 'out');
    if (out.length < this.outputLen) {
      throw new InputError(`"out" expected Uint8Array of length >= ${this.outputLen}, got length=${out.length}`, { code: 'INVALID_LENGTH' });
    }
    if (this.finished || this.destroyed || !this.h) throw finishedError();
    this.finished = true;
    out.set(this.h.digest());
    this.h = undefined;
  }

  /** Returns the digest; the instance cannot be used afterwards. */
  digest(): Uint8Array {
    const out = new Uint8Array(this.outputLen);
    this.digestInto(out);
    return out;
  }

  /** Copies the state into `to` (or a new instance). */
  _cloneInto(to?: _NodeHash): _NodeHash {
    if (this.destroyed || this.finished || !this.h) throw finishedError();
    const t = to ?? new _NodeHash(this.algorithm, this.blockLen, this.outputLen, this.h.copy());
    if (to) to.h = this.h.copy();
    t.finished = false;
    t.destroyed = false;
    return t;
  }

  /** Returns an independent copy of the current state. */
  clone(): _NodeHash {
    return this._cloneInto();
  }

  /** Drops the state; further use throws. */
  destroy(): void {
    this.destroyed = true;
    this.h = undefined;
  }
}

function nodeCHash(algorithm: 'sha256' | 'sha384' | 'sha512', blockLen: number, outputLen: number, oid: Uint8Array): CHash {
  const fn = (msg: Uint8Array): Uint8Array => {
    abytes(msg, undefined, 'msg');
    return new Uint8Array(createHash(algorithm).update(msg).digest());
  };
  return Object.freeze(
    Object.assign(fn, {
      outputLen,
      blockLen,
      canXOF: false,
      oid,
      create: (): _NodeHash => new _NodeHash(algorithm, blockLen, outputLen),
    }),
  ) as unknown as CHash;
}

// DER-encoded OIDs (NIST CSOR 2.16.840.1.101.3.4.2.{1,2,3}), as the portable objects carry them.
const oid = (last: number): Uint8Array => Uint8Array.from([0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, last]);

let NODE: Readonly<Record<HashId, CHash>> | undefined;

/**
 * Returns the hash function for `id` (FIPS 180-4 SHA-256/SHA-384/SHA-512, GB/T 32905-2016 SM3) computed by
 * `node:crypto` — the Node entry's `getHash`, same contract as the portable one. `sha1` (broken for collision
 * resistance, legacy TPM verification only) is the portable implementation.
 * @param id - one of `sha1 | sha256 | sha384 | sha512 | sm3`
 * @returns the frozen noble-compatible hash (`h(msg)`, `h.create().update(a).digest()`, `outputLen`, `blockLen`),
 *   the same object on every call
 * @throws {InputError} `INVALID_TYPE` for a non-string id
 * @throws {UnsupportedError} `UNSUPPORTED` for an unknown id
 * @example
 * ```ts
 * const h = getHash('sha256');
 * h(utf8ToBytes('abc')); // ba7816bf…
 * ```
 */
export function getHash(id: HashId): CHash {
  const hid = _lookupId(id, HASH_IDS, 'hashId');
  NODE ??= Object.freeze({
    sha1: portableGetHash('sha1'),
    sha256: nodeCHash('sha256', 64, 32, oid(1)),
    sha384: nodeCHash('sha384', 128, 48, oid(2)),
    sha512: nodeCHash('sha512', 128, 64, oid(3)),
    sm3: sm3 as unknown as CHash,
  });
  return NODE[hid];
}
