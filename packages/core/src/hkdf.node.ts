/**
 * HKDF (RFC 5869) on `node:crypto` HMAC (`createHmac`, OpenSSL) — the Node entry's `hkdf`, `hkdfExtract` and
 * `hkdfExpand`: same ids, validation and outputs as the portable `hkdf.ts` (every registry hash, SHA-1 and SM3
 * included, is an OpenSSL digest). Selected by the `"node"` export condition (`index.node.ts`).
 * @module
 */
import { createHmac } from 'node:crypto';
import { getHash, type HashId } from './hash.js';
import { abytes, anumber } from './validate.js';

const EMPTY = /* @__PURE__ */ new Uint8Array(0);

function optBytes(v: unknown, title: string): Uint8Array {
  return v === undefined ? EMPTY : abytes(v, undefined, title);
}

function extract(id: HashId, hashLen: number, salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  // RFC 5869 §2.2: an absent salt is HashLen zero bytes; HMAC pads any key shorter than the block with zeros,
  // so the empty key gives the same result.
  return new Uint8Array(createHmac(id, salt.length === 0 ? new Uint8Array(hashLen) : salt).update(ikm).digest());
}

function expand(id: HashId, hashLen: number, prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const counter = new Uint8Array(1);
  let t: Uint8Array = EMPTY;
  for (let i = 1, o = 0; o < length; i++, o += hashLen) {
    counter[0] = i;
    const next = createHmac(id, prk).update(t).update(info).update(counter).digest();
    t.fill(0);
    t = next;
    out.set(length - o >= hashLen ? next : next.subarray(0, length - o), o);
  }
  t.fill(0);
  return out;
}

/**
 * HKDF-Extract (RFC 5869 §2.2): `PRK = HMAC-Hash(salt, IKM)`, on `node:crypto`.
 * @param hashId - hash from the registry (`sha256`, `sha384`, `sha512`, `sm3`, `sha1`)
 * @param salt - optional salt; empty or absent means `HashLen` zero bytes (RFC 5869 §2.2)
 * @param ikm - input keying material
 * @returns the pseudorandom key, `HashLen` bytes
 * @throws {UnsupportedError} for an unknown hash id
 * @throws {InputError} for a non-Uint8Array argument
 * @example
 * ```ts
 * const prk = hkdfExtract('sha256', salt, ikm);
 * ```
 */
export function hkdfExtract(hashId: HashId, salt: Uint8Array | undefined, ikm: Uint8Array): Uint8Array {
  const h = getHash(hashId);
  const s = optBytes(salt, 'salt');
  abytes(ikm, undefined, 'ikm');
  return extract(hashId, h.outputLen, s, ikm);
}

/**
 * HKDF-Expand (RFC 5869 §2.3): `OKM = T(1) || T(2) || …` truncated to `length` bytes, on `node:crypto`.
 * @param hashId - hash from the registry
 * @param prk - pseudorandom key of at least `HashLen` bytes (RFC 5869 §2.3)
 * @param info - optional context and application-specific information
 * @param length - output length in bytes, 0 < length ≤ 255·HashLen
 * @returns `length` bytes of output keying material
 * @throws {UnsupportedError} for an unknown hash id
 * @throws {InputError} `INVALID_LENGTH` for a short PRK, `INVALID_VALUE` for a length outside 1..255·HashLen
 * @example
 * ```ts
 * const okm = hkdfExpand('sm3', prk, utf8ToBytes('ctx'), 32);
 * ```
 */
export function hkdfExpand(hashId: HashId, prk: Uint8Array, info: Uint8Array | undefined, length: number): Uint8Array {
  const h = getHash(hashId);
  const p = abytes(prk, undefined, 'prk');
  if (p.length < h.outputLen) {
    abytes(p, h.outputLen, 'prk'); // throws with the standard message
  }
  const i = optBytes(info, 'info');
  anumber(length, 'length', 1, 255 * h.outputLen);
  return expand(hashId, h.outputLen, p, i, length);
}

/**
 * HKDF (RFC 5869 §2): Extract then Expand, on `node:crypto`.
 * @param hashId - hash from the registry (`sha256 | sha384 | sha512 | sm3 | sha1`)
 * @param ikm - input keying material
 * @param salt - optional salt (absent or empty = `HashLen` zero bytes)
 * @param info - optional context information
 * @param length - output length, 1..255·HashLen bytes
 * @returns `length` bytes of output keying material
 * @throws {UnsupportedError} for an unknown hash id
 * @throws {InputError} for non-Uint8Array arguments or a length out of range
 * @example
 * ```ts
 * const key = hkdf('sha256', sharedSecret, salt, utf8ToBytes('privkit v1'), 32);
 * ```
 */
export function hkdf(
  hashId: HashId,
  ikm: Uint8Array,
  salt: Uint8Array | undefined,
  info: Uint8Array | undefined,
  length: number,
): Uint8Array {
  const h = getHash(hashId);
  abytes(ikm, undefined, 'ikm');
  const s = optBytes(salt, 'salt');
  const i = optBytes(info, 'info');
  anumber(length, 'length', 1, 255 * h.outputLen);
  const prk = extract(hashId, h.outputLen, s, ikm);
  try {
    return expand(hashId, h.outputLen, prk, i, length);
  } finally {
    prk.fill(0);
  }
}
