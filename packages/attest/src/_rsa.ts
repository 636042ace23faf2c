/**
 * RSA signature verification in pure TypeScript (portable; no node:crypto): RSASSA-PKCS1-v1_5 (RFC 8017 §8.2.2,
 * EMSA-PKCS1-v1_5 encode-and-compare §9.2) and RSASSA-PSS (RFC 8017 §8.1.2, EMSA-PSS-VERIFY §9.1.2, MGF1 with
 * the same hash, salt length recovered from the encoding). Only public values are involved, so the BigInt
 * arithmetic (not constant-time) leaks nothing secret. Internal.
 * @module
 */
import { bytesToNumberBE, concatBytes, equalBytes, numberToBytesBE } from '@privkit/core';
import { hashFn, type TpmHashId } from './_tpm.js';

const DIGEST_INFO: Readonly<Partial<Record<TpmHashId, string>>> = Object.freeze({
  sha1: '3021300906052b0e03021a05000414',
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
});

function hexBytes(h: string): Uint8Array {
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  b %= m;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return r;
}

/** RSA public key: modulus bytes (big-endian, no leading zero) and exponent. */
export interface RsaPublic {
  n: Uint8Array;
  e: bigint;
}

function rsavp1(pub: RsaPublic, sig: Uint8Array): bigint | undefined {
  const k = pub.n.length;
  if (sig.length !== k) return undefined;
  const n = bytesToNumberBE(pub.n);
  const s = bytesToNumberBE(sig);
  if (s >= n) return undefined;
  return modPow(s, pub.e, n);
}

/** RSASSA-PKCS1-v1_5 verify; false on any failure. */
export function rsassaVerify(pub: RsaPublic, hash: TpmHashId, msg: Uint8Array, sig: Uint8Array): boolean {
  const di = DIGEST_INFO[hash];
  if (di === undefined) return false;
  const m = rsavp1(pub, sig);
  if (m === undefined) return false;
  const k = pub.n.length;
  const t = concatBytes(hexBytes(di), hashFn(hash)(msg));
  if (k < t.length + 11) return false;
  const em = new Uint8Array(k);
  em[1] = 1;
  em.fill(0xff, 2, k - t.length - 1);
  em.set(t, k - t.length);
  return equalBytes(numberToBytesBE(m, k), em);
}

function mgf1(hash: TpmHashId, seed: Uint8Array, len: number): Uint8Array {
  const h = hashFn(hash);
  const out = new Uint8Array(len);
  for (let c = 0, off = 0; off < len; c++) {
    const block = h(concatBytes(seed, numberToBytesBE(c, 4)));
    out.set(block.subarray(0, Math.min(block.length, len - off)), off);
    off += block.length;
  }
  return out;
}

/** RSASSA-PSS verify with MGF1(hash), any salt length; false on any failure. */
export function rsapssVerify(pub: RsaPublic, hash: TpmHashId, msg: Uint8Array, sig: Uint8Array): boolean {
  const m = rsavp1(pub, sig);
  if (m === undefined) return false;
  const h = hashFn(hash);
  const hLen = h.outputLen;
  const modBits = bytesToNumberBE(pub.n).toString(2).length;
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  if (m >= 1n << BigInt(8 * emLen)) return false;
  const em = numberToBytesBE(m, emLen);
  if (emLen < hLen + 2 || em[emLen - 1] !== 0xbc) return false;
  const maskedDB = em.subarray(0, emLen - hLen - 1);
  const hh = em.subarray(emLen - hLen - 1, emLen - 1);
  const topBits = 8 * emLen - emBits;
  const topMask = (0xff << (8 - topBits)) & 0xff;
  if (maskedDB[0]! & topMask) return false;
  const db = mgf1(hash, hh, maskedDB.length);
  for (let i = 0; i < db.length; i++) db[i]! ^= maskedDB[i]!;
  db[0]! &= ~topMask & 0xff;
  let i = 0;
  while (i < db.length && db[i] === 0) i++;
  if (i >= db.length || db[i] !== 1) return false;
  const salt = db.subarray(i + 1);
  const mPrime = concatBytes(new Uint8Array(8), h(msg), salt);
  return equalBytes(h(mPrime), hh);
}
