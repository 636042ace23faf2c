/**
 * Generic CCM (NIST SP 800-38C, RFC 3610 formatting) over any 128-bit block cipher, given its CBC-MAC and CTR.
 * Used by SM4-CCM (RFC 8998 §3.2) on the portable and Node paths.
 * @module
 */
import { equalBytes } from './bytes.js';
import { DecryptError, LimitError } from './errors.js';
import { abytes } from './validate.js';

/** What CCM needs from the block cipher. */
export interface CcmCore {
  /** CBC-MAC with a zero IV over `data` (a non-empty multiple of 16 bytes): writes the last block into `out`. */
  cbcMac(data: Uint8Array, out: Uint8Array): void;
  /** CTR keystream XOR from `counter` (128-bit increment; must not modify `counter`). */
  ctr(counter: Uint8Array, data: Uint8Array, out: Uint8Array): void;
}

/** A CCM instance: single-shot `encrypt`/`decrypt`, tag appended. */
export interface CcmCipher {
  encrypt(data: Uint8Array): Uint8Array;
  decrypt(data: Uint8Array): Uint8Array;
}

/** Formats B0 || encoded AAD || padded payload (SP 800-38C Appendix A.2). */
function formatInput(nonce: Uint8Array, aad: Uint8Array, payload: Uint8Array, tagLen: number): Uint8Array {
  const q = 15 - nonce.length;
  let aadHeader = 0;
  if (aad.length > 0) aadHeader = aad.length < 0xff00 ? 2 : aad.length < 2 ** 32 ? 6 : 10;
  const aadPart = aad.length === 0 ? 0 : Math.ceil((aadHeader + aad.length) / 16) * 16;
  const payPart = Math.ceil(payload.length / 16) * 16;
  const buf = new Uint8Array(16 + aadPart + payPart);
  buf[0] = (aad.length > 0 ? 0x40 : 0) | (((tagLen - 2) / 2) << 3) | (q - 1);
  buf.set(nonce, 1);
  let len = payload.length;
  for (let i = 15; i > nonce.length; i--) {
    buf[i] = len & 0xff;
    len = Math.floor(len / 256);
  }
  let o = 16;
  if (aad.length > 0) {
    const a = aad.length;
    if (aadHeader === 2) {
      buf[o++] = a >>> 8;
      buf[o++] = a & 0xff;
    } else if (aadHeader === 6) {
      buf[o++] = 0xff;
      buf[o++] = 0xfe;
      buf[o++] = a >>> 24;
      buf[o++] = a >>> 16;
      buf[o++] = a >>> 8;
      buf[o++] = a & 0xff;
    } else {
      buf[o++] = 0xff;
      buf[o++] = 0xff;
      let x = a;
      for (let i = 7; i >= 0; i--) {
        buf[o + i] = x & 0xff;
        x = Math.floor(x / 256);
      }
      o += 8;
    }
    buf.set(aad, o);
  }
  buf.set(payload, 16 + aadPart);
  return buf;
}

/** Counter block Ctr_0 = flags(q-1) || N || 0^q (SP 800-38C A.3). */
function counter0(nonce: Uint8Array): Uint8Array {
  const c = new Uint8Array(16);
  c[0] = 15 - nonce.length - 1;
  c.set(nonce, 1);
  return c;
}

function tagOf(core: CcmCore, nonce: Uint8Array, aad: Uint8Array, pt: Uint8Array, tagLen: number): Uint8Array {
  const b = formatInput(nonce, aad, pt, tagLen);
  const t = new Uint8Array(16);
  core.cbcMac(b, t);
  b.fill(0);
  const s0 = new Uint8Array(16);
  core.ctr(counter0(nonce), new Uint8Array(16), s0);
  for (let i = 0; i < 16; i++) t[i]! ^= s0[i]!;
  return t.subarray(0, tagLen);
}

/**
 * Builds CCM encrypt/decrypt over `core`. `nonce` (7..13 bytes) and `aad` are validated and owned by the caller.
 * @internal
 */
export function createCcm(core: CcmCore, nonce: Uint8Array, aad: Uint8Array, tagLen: number): CcmCipher {
  const q = 15 - nonce.length;
  const maxLen = q >= 7 ? Number.MAX_SAFE_INTEGER : 2 ** (8 * q) - 1;
  const ctr1 = counter0(nonce);
  ctr1[15] = 1;
  return {
    encrypt(data: Uint8Array): Uint8Array {
      abytes(data, undefined, 'plaintext');
      if (data.length > maxLen) throw new LimitError(`CCM plaintext longer than 2^${8 * q} - 1 bytes`);
      const out = new Uint8Array(data.length + tagLen);
      out.set(tagOf(core, nonce, aad, data, tagLen), data.length);
      core.ctr(ctr1, data, out.subarray(0, data.length));
      return out;
    },
    decrypt(data: Uint8Array): Uint8Array {
      abytes(data, undefined, 'ciphertext');
      if (data.length < tagLen || data.length - tagLen > maxLen) throw new DecryptError();
      const n = data.length - tagLen;
      const out = new Uint8Array(n);
      core.ctr(ctr1, data.subarray(0, n), out);
      const ok = equalBytes(tagOf(core, nonce, aad, out, tagLen), data.subarray(n));
      if (!ok) {
        out.fill(0);
        throw new DecryptError();
      }
      return out;
    },
  };
}
