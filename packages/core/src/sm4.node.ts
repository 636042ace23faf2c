/**
 * SM4 modes backed by `node:crypto` (OpenSSL): CBC and CTR natively, GCM as native SM4-CTR + GHASH, CCM as native
 * SM4-CBC-MAC + SM4-CTR. Same API as the portable `sm4` (which still provides the single-block primitive).
 * Selected by the `"node"` export condition.
 * @module
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { createCcm, type CcmCore } from './_ccm.js';
import { createGcm, type GcmCore } from './_gcm.js';
import { _cat, _u8 } from './_node.js';
import { DecryptError } from './errors.js';
import {
  _ccmArgs,
  _expandKey,
  _gcmArgs,
  _gcmCore,
  _ivArgs,
  sm4 as portable,
  type Sm4,
  type Sm4Cipher,
} from './sm4.js';
import { abytes } from './validate.js';

const ZERO16 = /* @__PURE__ */ new Uint8Array(16);

function cbc(key: Uint8Array, iv: Uint8Array): Sm4Cipher {
  const a = _ivArgs(key, iv);
  const k = a.key.slice();
  const iv0 = a.iv.slice();
  return {
    encrypt(data: Uint8Array): Uint8Array {
      abytes(data, undefined, 'data');
      const c = createCipheriv('sm4-cbc', k, iv0);
      const head = c.update(data);
      return _cat(head, c.final());
    },
    decrypt(data: Uint8Array): Uint8Array {
      abytes(data, undefined, 'data');
      if (data.length === 0 || data.length % 16 !== 0) throw new DecryptError();
      try {
        const d = createDecipheriv('sm4-cbc', k, iv0);
        const head = d.update(data);
        return _cat(head, d.final());
      } catch {
        throw new DecryptError();
      }
    },
  };
}

function ctrRun(key: Uint8Array, counter: Uint8Array, data: Uint8Array): Uint8Array {
  const c = createCipheriv('sm4-ctr', key, counter);
  return c.update(data);
}

function ctr(key: Uint8Array, iv: Uint8Array): Sm4Cipher {
  const a = _ivArgs(key, iv);
  const k = a.key.slice();
  const iv0 = a.iv.slice();
  const run = (data: Uint8Array): Uint8Array => {
    abytes(data, undefined, 'data');
    return _u8(ctrRun(k, iv0, data));
  };
  return { encrypt: run, decrypt: run };
}

/**
 * GCM core on native SM4-CTR; falls back to the TypeScript GCTR if the 32-bit counter would wrap (non-96-bit nonces).
 * @internal exported for tests
 */
export function _nodeGcmCore(key: Uint8Array): GcmCore {
  let fallback: GcmCore | undefined;
  return {
    hashKey: () => new Uint8Array(ctrRun(key, ZERO16, ZERO16)),
    gctr: (j0, data, out) => {
      const low = ((j0[12]! << 24) | (j0[13]! << 16) | (j0[14]! << 8) | j0[15]!) >>> 0;
      const blocks = 1 + Math.ceil(data.length / 16);
      if (low + blocks - 1 > 0xffffffff) {
        fallback ??= _gcmCore(_expandKey(key));
        return fallback.gctr(j0, data, out);
      }
      // One native CTR stream from J0: the first block is E(J0) (tag mask), the rest is GCTR(inc32(J0), data).
      const c = createCipheriv('sm4-ctr', key, j0);
      const mask = new Uint8Array(c.update(ZERO16));
      if (data.length) out.set(c.update(data));
      return mask;
    },
  };
}

function nodeCcmCore(key: Uint8Array): CcmCore {
  return {
    cbcMac: (data, out) => {
      const c = createCipheriv('sm4-cbc', key, ZERO16);
      c.setAutoPadding(false);
      const r = c.update(data);
      out.set(r.subarray(r.length - 16));
      r.fill(0);
    },
    ctr: (counter, data, out) => {
      if (data.length) out.set(ctrRun(key, counter, data));
    },
  };
}

function gcm(key: Uint8Array, nonce: Uint8Array, aad?: Uint8Array): Sm4Cipher {
  const a = _gcmArgs(key, nonce, aad);
  return createGcm(_nodeGcmCore(a.key.slice()), a.nonce.slice(), a.aad.slice());
}

function ccm(key: Uint8Array, nonce: Uint8Array, aad?: Uint8Array): Sm4Cipher {
  const a = _ccmArgs(key, nonce, aad);
  return createCcm(nodeCcmCore(a.key.slice()), a.nonce.slice(), a.aad.slice(), 16);
}

/**
 * SM4 (GB/T 32907-2016) with `node:crypto` fast paths: `cbc`/`ctr` native, `gcm` = native CTR + GHASH (RFC 8998),
 * `ccm` = native CBC-MAC + CTR (RFC 8998). Same API and outputs as the portable `sm4`.
 * @example
 * ```ts
 * import { sm4 } from '@privkit/core'; // this object under the "node" condition
 * const sealed = sm4.gcm(key, nonce, aad).encrypt(data);
 * ```
 */
export const sm4: Sm4 = /* @__PURE__ */ Object.freeze({
  blockSize: 16,
  keyLength: 16,
  encryptBlock: portable.encryptBlock,
  decryptBlock: portable.decryptBlock,
  cbc,
  ctr,
  gcm,
  ccm,
} as const);
