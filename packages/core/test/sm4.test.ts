import { createCipheriv, createDecipheriv } from 'node:crypto';
import * as fc from 'fast-check';
import { sm4 as smv2 } from 'sm-crypto-v2';
import { describe, expect, it } from 'vitest';
import * as node from '@privkit/core';
import { bitFlips, hostileBytes, truncations } from '@privkit/core/testing';
import * as portable from '../src/index.js';
import { _cbcEncrypt, _ctr, _ecb, _encryptBlockInPlace, _expandKey, _pkcs7Unpad } from '../src/sm4.js';
import vectors from './vectors/shangmi/sm.json' with { type: 'json' };

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
const paths = [
  ['portable', portable],
  ['node', node],
] as const;
const vec = (mode: string) => {
  const v = vectors.sm4_modes.find((x) => x.mode === mode);
  if (!v) throw new Error(`missing ${mode} vector`);
  return v;
};
const bytes16 = fc.uint8Array({ minLength: 16, maxLength: 16 });
const bytes12 = fc.uint8Array({ minLength: 12, maxLength: 12 });

describe('SM4 block cipher (GB/T 32907-2016)', () => {
  it('Appendix A example 1 and the 1,000,000-iteration example 2', () => {
    expect(vectors.sm4_block).toHaveLength(2);
    for (const v of vectors.sm4_block) {
      const k = _expandKey(unhex(v.key));
      const b = unhex(v.plaintext);
      const n = (v as { iterations?: number }).iterations ?? 1;
      for (let i = 0; i < n; i++) _encryptBlockInPlace(k, b);
      expect(hex(b)).toBe(v.ciphertext);
      if (n === 1) {
        for (const lib of [portable, node]) {
          expect(hex(lib.sm4.encryptBlock(unhex(v.key), unhex(v.plaintext)))).toBe(v.ciphertext);
          expect(hex(lib.sm4.decryptBlock(unhex(v.key), unhex(v.ciphertext)))).toBe(v.plaintext);
        }
      }
    }
  });
  it('internal ECB agrees with node sm4-ecb in both directions', () => {
    fc.assert(
      fc.property(bytes16, fc.integer({ min: 0, max: 8 }), fc.uint8Array({ maxLength: 128 }), (key, _x, raw) => {
        const data = raw.subarray(0, raw.length - (raw.length % 16));
        const k = _expandKey(key);
        const out = new Uint8Array(data.length);
        _ecb(k, data, out);
        const c = createCipheriv('sm4-ecb', key, null).setAutoPadding(false);
        const ref = Buffer.concat([c.update(data), c.final()]);
        expect(hex(out)).toBe(ref.toString('hex'));
        const back = new Uint8Array(data.length);
        _ecb(k, ref, back, true);
        expect(back).toEqual(data);
      }),
    );
  });
  it('CTR counter arithmetic: 128-bit carry vs GCM inc32 wrap', () => {
    const key = unhex('0123456789abcdeffedcba9876543210');
    const k = _expandKey(key);
    const iv = unhex('00000000000000ffffffffffffffffff');
    const data = new Uint8Array(64);
    const a = new Uint8Array(64);
    _ctr(k, iv.slice(), data, a, 128);
    const c = createCipheriv('sm4-ctr', key, iv);
    expect(hex(a)).toBe(c.update(data).toString('hex'));
    const b = new Uint8Array(64);
    const ctr = iv.slice();
    _ctr(k, ctr, data, b, 32);
    expect(hex(ctr)).toBe('00000000000000ffffffffff00000003');
    // second block of inc32 = E(...ffffffff 00000000) which differs from the 128-bit carry
    expect(hex(b.subarray(16, 32))).not.toBe(hex(a.subarray(16, 32)));
    expect(hex(b.subarray(0, 16))).toBe(hex(a.subarray(0, 16)));
  });
  it('PKCS#7 unpadding rejects every malformed pad', () => {
    const block = (pad: number[]) => Uint8Array.from([...new Array(16 - pad.length).fill(7), ...pad]);
    expect(_pkcs7Unpad(block([1]))).toBe(15);
    expect(_pkcs7Unpad(new Uint8Array(16).fill(16))).toBe(0);
    expect(_pkcs7Unpad(block([0]))).toBe(-1);
    expect(_pkcs7Unpad(block([2, 3]))).toBe(-1);
    expect(_pkcs7Unpad(new Uint8Array(16).fill(17))).toBe(-1);
    expect(_pkcs7Unpad(new Uint8Array(0))).toBe(-1);
    expect(_pkcs7Unpad(new Uint8Array(15))).toBe(-1);
    const mixed = new Uint8Array(16).fill(16);
    mixed[0] = 15;
    expect(_pkcs7Unpad(mixed)).toBe(-1);
  });
});

describe.each(paths)('SM4 modes (%s path)', (_name, lib) => {
  it('the 1,000,000-iteration vector through the public CBC API (zero IV, then zero blocks: C_i = E(C_{i-1}))', () => {
    const v = vectors.sm4_block.find((x) => (x as { iterations?: number }).iterations === 1_000_000)!;
    const msg = new Uint8Array(16 * 1_000_000);
    msg.set(unhex(v.plaintext));
    const ct = lib.sm4.cbc(unhex(v.key), new Uint8Array(16)).encrypt(msg);
    expect(hex(ct.subarray(16 * 999_999, 16 * 1_000_000))).toBe(v.ciphertext);
  });
  it('CBC vector (no padding in the vector: compare the first blocks; raw CBC exactly)', () => {
    const v = vec('CBC');
    const key = unhex(v.key);
    const iv = unhex(v.iv);
    const pt = unhex(v.plaintext);
    const raw = new Uint8Array(pt.length);
    _cbcEncrypt(_expandKey(key), iv, pt, raw);
    expect(hex(raw)).toBe(v.ciphertext);
    const ct = lib.sm4.cbc(key, iv).encrypt(pt);
    expect(ct.length).toBe(pt.length + 16);
    expect(hex(ct.subarray(0, pt.length))).toBe(v.ciphertext);
    expect(hex(lib.sm4.cbc(key, iv).decrypt(ct))).toBe(v.plaintext);
  });
  it('CTR vector', () => {
    const v = vec('CTR');
    const c = lib.sm4.ctr(unhex(v.key), unhex(v.iv));
    expect(hex(c.encrypt(unhex(v.plaintext)))).toBe(v.ciphertext);
    expect(hex(c.decrypt(unhex(v.ciphertext)))).toBe(v.plaintext);
  });
  it('GCM vector (RFC 8998 A.1)', () => {
    const v = vec('GCM');
    const c = lib.sm4.gcm(unhex(v.key), unhex(v.iv), unhex(v.aad!));
    expect(hex(c.encrypt(unhex(v.plaintext)))).toBe(v.ciphertext + v.tag);
    expect(hex(c.decrypt(unhex(v.ciphertext + v.tag)))).toBe(v.plaintext);
  });
  it('CCM vector (RFC 8998 A.2)', () => {
    const v = vec('CCM');
    const c = lib.sm4.ccm(unhex(v.key), unhex(v.iv), unhex(v.aad!));
    expect(hex(c.encrypt(unhex(v.plaintext)))).toBe(v.ciphertext + v.tag);
    expect(hex(c.decrypt(unhex(v.ciphertext + v.tag)))).toBe(v.plaintext);
  });
  it('CBC and CTR agree with node:crypto in both directions', () => {
    fc.assert(
      fc.property(bytes16, bytes16, fc.uint8Array({ maxLength: 200 }), (key, iv, pt) => {
        const e = createCipheriv('sm4-cbc', key, iv);
        const ref = Buffer.concat([e.update(pt), e.final()]);
        expect(hex(lib.sm4.cbc(key, iv).encrypt(pt))).toBe(ref.toString('hex'));
        expect(lib.sm4.cbc(key, iv).decrypt(ref)).toEqual(pt);
        const ours = lib.sm4.cbc(key, iv).encrypt(pt);
        const d = createDecipheriv('sm4-cbc', key, iv);
        expect(new Uint8Array(Buffer.concat([d.update(ours), d.final()]))).toEqual(pt);
        const ctrIv = iv.slice();
        ctrIv.fill(0xff, 8); // exercise the 64-bit carry
        const ce = createCipheriv('sm4-ctr', key, ctrIv).update(pt);
        expect(hex(lib.sm4.ctr(key, ctrIv).encrypt(pt))).toBe(ce.toString('hex'));
        expect(lib.sm4.ctr(key, ctrIv).decrypt(ce)).toEqual(pt);
      }),
    );
  });
  it('CBC and GCM agree with sm-crypto-v2 in both directions', () => {
    fc.assert(
      fc.property(bytes16, bytes16, bytes12, fc.uint8Array({ maxLength: 100 }), fc.uint8Array({ maxLength: 40 }), (key, iv, n, pt, aad) => {
        const theirs = smv2.encrypt(pt, key, { mode: 'cbc', iv, output: 'array' });
        expect(hex(lib.sm4.cbc(key, iv).encrypt(pt))).toBe(hex(theirs));
        expect(smv2.decrypt(lib.sm4.cbc(key, iv).encrypt(pt), key, { mode: 'cbc', iv, output: 'array' })).toEqual(pt);
        const g = smv2.encrypt(pt, key, { mode: 'gcm', iv: n, associatedData: aad, output: 'array', outputTag: true });
        const sealed = lib.sm4.gcm(key, n, aad).encrypt(pt);
        expect(hex(sealed)).toBe(hex(g.output) + hex(g.tag!));
        expect(lib.sm4.gcm(key, n, aad).decrypt(sealed)).toEqual(pt);
        const back = smv2.decrypt(sealed.subarray(0, pt.length), key, {
          mode: 'gcm', iv: n, associatedData: aad, tag: sealed.subarray(pt.length), output: 'array',
        });
        expect(back).toEqual(pt);
      }),
      { numRuns: 40 },
    );
  });
  it('GCM/CCM agree across paths on random inputs, incl. non-96-bit GCM nonces and all CCM nonce sizes', () => {
    fc.assert(
      fc.property(bytes16, fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.integer({ min: 7, max: 13 }), fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 300 }), (key, n, ccmN, pt, aad) => {
        const g = lib.sm4.gcm(key, n, aad).encrypt(pt);
        expect(g).toEqual(portable.sm4.gcm(key, n, aad).encrypt(pt));
        expect(portable.sm4.gcm(key, n, aad).decrypt(g)).toEqual(pt);
        const cn = new Uint8Array(ccmN).fill(ccmN);
        const c = lib.sm4.ccm(key, cn, aad).encrypt(pt);
        expect(c).toEqual(portable.sm4.ccm(key, cn, aad).encrypt(pt));
        expect(lib.sm4.ccm(key, cn, aad).decrypt(c)).toEqual(pt);
      }),
      { numRuns: 60 },
    );
  });
  it('CCM enforces the length field: 13-byte nonce (q = 2) allows at most 65535 bytes', () => {
    const key = new Uint8Array(16);
    const n13 = new Uint8Array(13);
    const ok = lib.sm4.ccm(key, n13).encrypt(new Uint8Array(65535));
    expect(lib.sm4.ccm(key, n13).decrypt(ok)).toHaveLength(65535);
    expect(() => lib.sm4.ccm(key, n13).encrypt(new Uint8Array(65536))).toThrow(lib.LimitError);
    expect(() => lib.sm4.ccm(key, n13).decrypt(new Uint8Array(65536 + 16))).toThrow(lib.DecryptError);
  });
  it('CCM with a long AAD (0xff 0xfe length encoding) round-trips across paths', () => {
    const key = new Uint8Array(16).fill(1);
    const n = new Uint8Array(12).fill(2);
    const aad = new Uint8Array(0xff00 + 5).fill(3);
    const c = lib.sm4.ccm(key, n, aad).encrypt(new Uint8Array(33));
    expect(c).toEqual(portable.sm4.ccm(key, n, aad).encrypt(new Uint8Array(33)));
    expect(() => lib.sm4.ccm(key, n, aad.subarray(1)).decrypt(c)).toThrow(lib.DecryptError);
  });
  it('tampered GCM/CCM ciphertexts and bad CBC padding/lengths give DecryptError only', () => {
    const key = new Uint8Array(16).fill(9);
    const n = new Uint8Array(12).fill(4);
    for (const mode of ['gcm', 'ccm'] as const) {
      const sealed = lib.sm4[mode](key, n).encrypt(new Uint8Array(40).fill(5));
      for (const t of [...truncations(sealed), ...bitFlips(sealed)]) {
        expect(() => lib.sm4[mode](key, n).decrypt(t.value as Uint8Array), `${mode} ${t.title}`).toThrow(lib.DecryptError);
      }
      expect(() => lib.sm4[mode](key, n, new Uint8Array(1)).decrypt(sealed)).toThrow(lib.DecryptError);
      expect(() => lib.sm4[mode](key.map((x) => x ^ 1), n).decrypt(sealed)).toThrow(lib.DecryptError);
    }
    const iv = new Uint8Array(16);
    const ct = lib.sm4.cbc(key, iv).encrypt(new Uint8Array(20));
    for (const bad of [new Uint8Array(0), ct.subarray(1), ct.subarray(0, 17), new Uint8Array(32)]) {
      expect(() => lib.sm4.cbc(key, iv).decrypt(bad)).toThrow(lib.DecryptError);
    }
    // wrong key: padding check fails (overwhelmingly likely) with the same generic error
    let generic = 0;
    for (let i = 0; i < 20; i++) {
      try {
        lib.sm4.cbc(key.map((x) => x ^ (i + 1)), iv).decrypt(ct);
      } catch (e) {
        expect(e).toBeInstanceOf(lib.DecryptError);
        expect((e as Error).message).toBe('decryption failed');
        expect((e as Error).cause).toBeUndefined();
        generic++;
      }
    }
    expect(generic).toBeGreaterThan(15);
  });
  it('round-trips and rejects tampering (property)', () => {
    fc.assert(
      fc.property(bytes16, bytes12, fc.uint8Array({ maxLength: 100 }), fc.nat(), (key, n, pt, at) => {
        for (const mode of ['gcm', 'ccm'] as const) {
          const s = lib.sm4[mode](key, n).encrypt(pt);
          expect(lib.sm4[mode](key, n).decrypt(s)).toEqual(pt);
          const t = s.slice();
          t[at % t.length]! ^= 0x80;
          expect(() => lib.sm4[mode](key, n).decrypt(t)).toThrow(lib.DecryptError);
        }
        expect(lib.sm4.cbc(key, key).decrypt(lib.sm4.cbc(key, key).encrypt(pt))).toEqual(pt);
        expect(lib.sm4.ctr(key, key).decrypt(lib.sm4.ctr(key, key).encrypt(pt))).toEqual(pt);
      }),
      { numRuns: 60 },
    );
  });
  it('hostile arguments give InputError', () => {
    const k = new Uint8Array(16);
    const n = new Uint8Array(12);
    for (const h of hostileBytes()) {
      const v = h.value as never;
      for (const mode of ['cbc', 'ctr'] as const) {
        expect(() => lib.sm4[mode](v, k), `${mode} key ${h.title}`).toThrow(lib.InputError);
        expect(() => lib.sm4[mode](k, v), `${mode} iv ${h.title}`).toThrow(lib.InputError);
        expect(() => lib.sm4[mode](k, k).encrypt(v), `${mode} data ${h.title}`).toThrow(lib.InputError);
        expect(() => lib.sm4[mode](k, k).decrypt(v), `${mode} data ${h.title}`).toThrow(lib.InputError);
      }
      for (const mode of ['gcm', 'ccm'] as const) {
        expect(() => lib.sm4[mode](v, n), `${mode} key ${h.title}`).toThrow(lib.InputError);
        expect(() => lib.sm4[mode](k, v), `${mode} nonce ${h.title}`).toThrow(lib.InputError);
        if (h.value !== undefined) expect(() => lib.sm4[mode](k, n, v), `${mode} aad ${h.title}`).toThrow(lib.InputError);
        expect(() => lib.sm4[mode](k, n).encrypt(v), `${mode} pt ${h.title}`).toThrow(lib.InputError);
        expect(() => lib.sm4[mode](k, n).decrypt(v), `${mode} ct ${h.title}`).toThrow(lib.InputError);
      }
      expect(() => lib.sm4.encryptBlock(v, k)).toThrow(lib.InputError);
      expect(() => lib.sm4.encryptBlock(k, v)).toThrow(lib.InputError);
      expect(() => lib.sm4.decryptBlock(k, v)).toThrow(lib.InputError);
    }
    for (const len of [0, 15, 17, 32]) {
      expect(() => lib.sm4.cbc(new Uint8Array(len), k)).toThrow(lib.InputError);
      expect(() => lib.sm4.ctr(k, new Uint8Array(len))).toThrow(lib.InputError);
      expect(() => lib.sm4.gcm(new Uint8Array(len), n)).toThrow(lib.InputError);
    }
    expect(() => lib.sm4.gcm(k, new Uint8Array(0))).toThrow(lib.InputError);
    for (const len of [0, 6, 14, 16]) expect(() => lib.sm4.ccm(k, new Uint8Array(len))).toThrow(lib.InputError);
  });
  it('accepts Buffers and Uint8Arrays from another realm in every argument', async () => {
    const vm = await import('node:vm');
    const other = (n: number, fill: number) => vm.runInNewContext(`new Uint8Array(${n}).fill(${fill})`) as Uint8Array;
    const plain = (n: number, fill: number) => new Uint8Array(n).fill(fill);
    for (const make of [other, (n: number, f: number) => Buffer.alloc(n, f)]) {
      for (const mode of ['cbc', 'ctr'] as const) {
        const ref = lib.sm4[mode](plain(16, 1), plain(16, 2)).encrypt(plain(33, 3));
        expect(lib.sm4[mode](make(16, 1), make(16, 2)).encrypt(make(33, 3))).toEqual(ref);
        expect(lib.sm4[mode](make(16, 1), make(16, 2)).decrypt(Buffer.from(ref))).toEqual(plain(33, 3));
      }
      for (const mode of ['gcm', 'ccm'] as const) {
        const ref = lib.sm4[mode](plain(16, 1), plain(12, 2), plain(5, 4)).encrypt(plain(33, 3));
        expect(lib.sm4[mode](make(16, 1), make(12, 2), make(5, 4)).encrypt(make(33, 3))).toEqual(ref);
        expect(lib.sm4[mode](make(16, 1), make(12, 2), make(5, 4)).decrypt(Buffer.from(ref))).toEqual(plain(33, 3));
      }
      expect(lib.sm4.encryptBlock(make(16, 1), make(16, 2))).toEqual(lib.sm4.encryptBlock(plain(16, 1), plain(16, 2)));
    }
  });
  it('is a frozen bundle and does not alias caller buffers', () => {
    expect(Object.isFrozen(lib.sm4)).toBe(true);
    const key = new Uint8Array(16).fill(1);
    const n = new Uint8Array(12).fill(2);
    const c = lib.sm4.gcm(key, n);
    const s1 = c.encrypt(new Uint8Array(5));
    key.fill(0);
    n.fill(0);
    expect(c.encrypt(new Uint8Array(5))).toEqual(s1);
  });
});
