/**
 * SM3 and HMAC-SM3 backed by `node:crypto` (OpenSSL), exposed with the same noble-compatible `CHash` interface as
 * the portable `sm3`. Selected by the `"node"` export condition (`index.node.ts`).
 * @module
 */
import { createHash, createHmac, type Hash as NodeHash } from 'node:crypto';
import { InputError } from './errors.js';
import type { Sm3 } from './sm3.js';
import { abytes } from './validate.js';

const finishedError = (): InputError =>
  new InputError('SM3 instance was already finished or destroyed', { code: 'INVALID_VALUE' });

/** Incremental SM3 state on an OpenSSL hash context; same methods as `@noble/hashes` `Hash`. */
export class _SM3Node {
  readonly blockLen = 64;
  readonly outputLen = 32;
  readonly canXOF = false;
  /** @internal */
  h: NodeHash | undefined;
  /** @internal */
  finished = false;
  /** @internal */
  destroyed = false;

  constructor(h?: NodeHash) {
    this.h = h ?? createHash('sm3');
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
   * Writes the 32-byte digest into `out` (≥ 32 bytes).
   * @throws {InputError} when `out` is too short or the instance was finished/destroyed
   */
  digestInto(out: Uint8Array): void {
    abytes(out, undefined, 'out');
    if (out.length < 32) {
      throw new InputError(`"out" expected Uint8Array of length >= 32, got length=${out.length}`, {
        code: 'INVALID_LENGTH',
      });
    }
    if (this.finished || this.destroyed || !this.h) throw finishedError();
    this.finished = true;
    const d = this.h.digest();
    out.set(d);
    this.h = undefined;
  }

  /** Returns the 32-byte digest; the instance cannot be used afterwards. */
  digest(): Uint8Array {
    const out = new Uint8Array(32);
    this.digestInto(out);
    return out;
  }

  /** Copies the state into `to` (or a new instance). */
  _cloneInto(to?: _SM3Node): _SM3Node {
    if (this.destroyed || this.finished || !this.h) throw finishedError();
    const t = to ?? new _SM3Node(this.h.copy());
    if (to) to.h = this.h.copy();
    t.finished = false;
    t.destroyed = false;
    return t;
  }

  /** Returns an independent copy of the current state. */
  clone(): _SM3Node {
    return this._cloneInto();
  }

  /** Drops the state; further use throws. */
  destroy(): void {
    this.destroyed = true;
    this.h = undefined;
  }
}

function sm3NodeFn(msg: Uint8Array): Uint8Array {
  abytes(msg, undefined, 'msg');
  return new Uint8Array(createHash('sm3').update(msg).digest());
}

/**
 * SM3 hash (GB/T 32905-2016) through `node:crypto`. Same interface as the portable `sm3`.
 * @param msg - message bytes
 * @returns the 32-byte digest
 * @throws {InputError} `INVALID_TYPE` when `msg` is not a Uint8Array
 * @example
 * ```ts
 * import { sm3 } from '@privkit/core'; // resolves here under the "node" condition
 * sm3(utf8ToBytes('abc'));
 * ```
 */
export const sm3 = /* @__PURE__ */ Object.freeze(
  Object.assign(sm3NodeFn, {
    outputLen: 32,
    blockLen: 64,
    canXOF: false,
    oid: Uint8Array.from([0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x83, 0x11]),
    create: (): _SM3Node => new _SM3Node(),
  }),
) as unknown as Sm3;

/**
 * HMAC-SM3 (RFC 2104 with SM3) through `node:crypto`.
 * @param key - MAC key (any length)
 * @param msg - message
 * @returns the 32-byte MAC
 * @throws {InputError} `INVALID_TYPE` when an argument is not a Uint8Array
 * @example
 * ```ts
 * const tag = hmacSm3(key, msg);
 * ```
 */
export function hmacSm3(key: Uint8Array, msg: Uint8Array): Uint8Array {
  abytes(key, undefined, 'key');
  abytes(msg, undefined, 'msg');
  return new Uint8Array(createHmac('sm3', key).update(msg).digest());
}
