/**
 * The generic GCM (`_gcm.ts`) and our table GHASH (`_ghash.ts`) that SM4-GCM uses, checked independently of SM4:
 * (1) GHASH against `@noble/ciphers`' GHASH on random inputs for both table widths, (2) the generic GCM driven by an
 * AES block cipher against every Wycheproof AES-GCM vector — including the nonces ≠ 96 bits whose J0 comes from
 * GHASH and the vectors built to wrap the 32-bit counter, (3) the Node SM4-GCM core's fallback when the native
 * 128-bit counter would differ from GCM's inc32.
 */
import { createCipheriv } from 'node:crypto';
import { GHASH } from '@noble/ciphers/_polyval.js';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createGcm, type GcmCore } from '../src/_gcm.js';
import { _Ghash } from '../src/_ghash.js';
import { _nodeGcmCore } from '../src/sm4.node.js';
import { _expandKey, _gcmCore } from '../src/sm4.js';
import aesGcm from './vectors/wycheproof/aes_gcm_test.json' with { type: 'json' };

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));

/** AES as a GcmCore: ECB over explicitly generated inc32 counter blocks (independent of any CTR implementation). */
function aesCore(key: Uint8Array): GcmCore {
  const ecb = (blocks: Uint8Array) => {
    const c = createCipheriv(`aes-${key.length * 8}-ecb`, key, null).setAutoPadding(false);
    return new Uint8Array(Buffer.concat([c.update(blocks), c.final()]));
  };
  return {
    hashKey: () => ecb(new Uint8Array(16)),
    gctr: (j0, data, out) => {
      const n = Math.ceil(data.length / 16) + 1;
      const ctrs = new Uint8Array(16 * n);
      const v = new DataView(ctrs.buffer);
      const low = new DataView(j0.buffer, j0.byteOffset, 16).getUint32(12, false);
      for (let i = 0; i < n; i++) {
        ctrs.set(j0.subarray(0, 12), 16 * i);
        v.setUint32(16 * i + 12, (low + i) >>> 0, false);
      }
      const ks = ecb(ctrs);
      for (let i = 0; i < data.length; i++) out[i] = data[i]! ^ ks[16 + i]!;
      return ks.slice(0, 16);
    },
  };
}

describe('table GHASH', () => {
  it('equals @noble/ciphers GHASH for 4- and 8-bit tables', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.array(fc.uint8Array({ maxLength: 100 }), { maxLength: 4 }), (h, segs) => {
        const ref = new GHASH(h);
        for (const s of segs) ref.update(s);
        const want = hex(ref.digest());
        for (const expected of [0, 1 << 20]) {
          const g = new _Ghash(h, expected);
          for (const s of segs) g.update(s);
          expect(hex(g.digest())).toBe(want);
        }
      }),
    );
  });
});

describe('generic GCM with AES against Wycheproof (all nonce sizes)', () => {
  it('every vector with a non-empty nonce', () => {
    let n = 0;
    for (const g of (aesGcm as { testGroups: { ivSize: number; tests: { tcId: number; key: string; iv: string; aad: string; msg: string; ct: string; tag: string; result: string }[] }[] }).testGroups) {
      for (const t of g.tests) {
        if (g.ivSize === 0) continue; // empty nonces are invalid by definition (SP 800-38D §5.2.1.1); _gcmArgs refuses them
        const gcm = createGcm(aesCore(unhex(t.key)), unhex(t.iv), unhex(t.aad));
        if (t.result === 'valid') {
          expect(hex(gcm.encrypt(unhex(t.msg))), `tc${t.tcId}`).toBe(t.ct + t.tag);
          expect(hex(gcm.decrypt(unhex(t.ct + t.tag))), `tc${t.tcId}`).toBe(t.msg);
        } else {
          expect(() => gcm.decrypt(unhex(t.ct + t.tag)), `tc${t.tcId}`).toThrow();
        }
        n++;
      }
    }
    expect(n).toBe(310);
  });
});

describe('Node SM4-GCM core', () => {
  it('matches the TypeScript GCTR, including when the 32-bit counter wraps (fallback path)', () => {
    const key = unhex('0123456789abcdeffedcba9876543210');
    const a = _nodeGcmCore(key);
    const b = _gcmCore(_expandKey(key));
    expect(a.hashKey()).toEqual(b.hashKey());
    for (const low of [1, 0xfffffff0, 0xfffffffd, 0xfffffffe, 0xffffffff]) {
      const j0 = new Uint8Array(16).fill(0xab);
      new DataView(j0.buffer).setUint32(12, low, false);
      const data = new Uint8Array(100).map((_, i) => i);
      const outA = new Uint8Array(100);
      const outB = new Uint8Array(100);
      expect(a.gctr(j0, data, outA)).toEqual(b.gctr(j0, data, outB));
      expect(outA).toEqual(outB);
    }
  });
});
