/**
 * Incremental hashing on OpenSSL contexts with the `@noble/hashes` `Hash` interface — one implementation for every
 * node:crypto-backed hash of the Node entry (SHA-2 in `hash.node.ts`, SM3 in `sm3.node.ts`).
 * @module
 */
import { createHash, type Hash as NodeHash } from 'node:crypto';
import { InputError } from './errors.js';
import type { CHash } from './hash.js';
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

/** A frozen noble-compatible `CHash` computed by `node:crypto` `createHash(algorithm)`. @internal */
export function _nodeCHash(algorithm: 'sha256' | 'sha384' | 'sha512' | 'sm3', blockLen: number, outputLen: number, oid: Uint8Array): CHash {
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

