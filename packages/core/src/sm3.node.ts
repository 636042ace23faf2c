/**
 * SM3 and HMAC-SM3 backed by `node:crypto` (OpenSSL), exposed with the same noble-compatible `CHash` interface as
 * the portable `sm3`. Selected by the `"node"` export condition (`index.node.ts`).
 * @module
 */
import { createHmac } from 'node:crypto';
import { _nodeCHash } from './_node-hash.js';
import type { Sm3 } from './sm3.js';
import { abytes } from './validate.js';

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
export const sm3 = /* @__PURE__ */ _nodeCHash('sm3', 64, 32, Uint8Array.from([0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x83, 0x11])) as unknown as Sm3;

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
