/**
 * SM3-KDF (GB/T 32918.4-2016 §5.4.3), scrypt (RFC 7914) and Argon2id (RFC 9106): official vectors, cross-checks
 * against independent implementations (sm-crypto-v2's kdf, node:crypto.scryptSync), parameter validation.
 */
import { scryptSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as fc from 'fast-check';
import { kdf as smKdf } from 'sm-crypto-v2';
import { describe, expect, it } from 'vitest';
import * as nodeEntry from '@privkit/core';
import { hostileValues } from '@privkit/core/testing';
import * as portable from '../src/index.js';

const load = (p: string) => JSON.parse(readFileSync(new URL(p, import.meta.url), 'utf8'));
const SM = load('./vectors/shangmi/sm.json');
const SCRYPT: { vectors: { P: string; S: string; N: number; r: number; p: number; dkLen: number; dk: string }[] } =
  load('./vectors/rfc7914/scrypt.json');
const ARGON: { vectors: { m: number; t: number; p: number; password: string; salt: string; secret: string; ad: string; tagLength: number; tag: string }[] } =
  load('./vectors/rfc9106/argon2id.json');

const entries = [
  ['portable', portable],
  ['node', nodeEntry],
] as const;

describe.each(entries)('sm3Kdf (%s entry)', (_n, lib) => {
  const { hexToBytes: h, bytesToHex: x } = lib;
  it('reproduces C2 and C3 of the GB/T 32918.5 Annex C SM2 encryption vector', () => {
    const v = SM.sm2_encrypt[0];
    const P = lib.sm2.Point;
    const pub = P.BASE.multiply(BigInt('0x' + v.d));
    const C1 = P.BASE.multiply(BigInt('0x' + v.k)).toAffine();
    expect(C1.x.toString(16).padStart(64, '0')).toBe(v.C1_x);
    const S = pub.multiply(BigInt('0x' + v.k)).toBytes(false);
    const x2 = S.subarray(1, 33);
    const y2 = S.subarray(33);
    const msg = h(v.msg_hex);
    const t = lib.sm3Kdf(lib.concatBytes(x2, y2), msg.length);
    expect(x(msg.map((b: number, i: number) => b ^ t[i]!))).toBe(v.C2);
    expect(x(lib.sm3(lib.concatBytes(x2, msg, y2)))).toBe(v.C3);
  });
  it('agrees with sm-crypto-v2 kdf on random inputs, incl. lengths around the 32-byte block', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 0, max: 200 }), (z, klen) => {
        expect(x(lib.sm3Kdf(z, klen))).toBe(x(smKdf(z, klen)));
      }),
      { numRuns: 60 },
    );
    for (const klen of [0, 1, 31, 32, 33, 64, 65]) expect(x(lib.sm3Kdf(h('abcd'), klen))).toBe(x(smKdf(h('abcd'), klen)));
  });
  it('rejects hostile arguments and oversized klen', () => {
    for (const hv of hostileValues('bytes')) expect(() => lib.sm3Kdf(hv.value as Uint8Array, 16), hv.title).toThrow(lib.InputError);
    for (const hv of hostileValues('number')) expect(() => lib.sm3Kdf(new Uint8Array(4), hv.value as number), hv.title).toThrow(lib.InputError);
    expect(() => lib.sm3Kdf(new Uint8Array(4), 2 ** 30 + 1)).toThrow(lib.LimitError);
  });
});

describe.each(entries)('scrypt (%s entry)', (name, lib) => {
  const { bytesToHex: x, utf8ToBytes: u } = lib;
  it('has the four RFC 7914 §12 vectors', () => expect(SCRYPT.vectors.length).toBe(4));
  it.each(SCRYPT.vectors.map((v, i) => [i + 1, v] as const))('RFC 7914 §12 vector %i', (i, v) => {
    if (i === 4 && name === 'portable') {
      // Out of scope on the pure-JS path: N = 2^20, r = 8 needs 1 GiB of JS heap and tens of seconds on the shared
      // CI machine (package test budget: 60 s). The same vector passes on the Node path below, and both paths are
      // cross-checked on random parameters.
      return;
    }
    const opts = { N: v.N, r: v.r, p: v.p, dkLen: v.dkLen };
    expect(x(lib.scrypt(v.P, u(v.S), opts))).toBe(v.dk);
    if (i <= 2) expect(x(lib.scrypt(u(v.P), u(v.S), opts))).toBe(v.dk);
  });
  it('agrees with node:crypto.scryptSync on random small parameters', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 40 }),
        fc.uint8Array({ maxLength: 40 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 100 }),
        (pw, salt, logN, r, p, dkLen) => {
          const N = 2 ** logN;
          const want = scryptSync(pw, salt, dkLen, { N, r, p }).toString('hex');
          expect(x(lib.scrypt(pw, salt, { N, r, p, dkLen }))).toBe(want);
        },
      ),
      { numRuns: 30 },
    );
  });
  it('documents and applies its defaults (N=2^17, r=8, p=1, dkLen=32)', () => {
    expect(lib.SCRYPT_DEFAULTS).toMatchObject({ N: 2 ** 17, r: 8, p: 1, dkLen: 32 });
    expect(Object.isFrozen(lib.SCRYPT_DEFAULTS)).toBe(true);
    if (name === 'node') {
      const salt = u('0123456789abcdef');
      const want = scryptSync('pw', salt, 32, { N: 2 ** 17, r: 8, p: 1, maxmem: 2 ** 28 }).toString('hex');
      expect(x(lib.scrypt('pw', salt))).toBe(want);
    }
  });
  it('validates parameters (RFC 7914 §2) and the memory budget', () => {
    const s = u('salt');
    for (const N of [0, 1, 3, 1000, -2, 1.5]) expect(() => lib.scrypt('pw', s, { N }), `N=${N}`).toThrow(lib.InputError);
    for (const r of [0, -1, 1.5]) expect(() => lib.scrypt('pw', s, { N: 16, r }), `r=${r}`).toThrow(lib.InputError);
    for (const p of [0, -1, 2 ** 30]) expect(() => lib.scrypt('pw', s, { N: 16, r: 1, p }), `p=${p}`).toThrow(lib.InputError);
    for (const dkLen of [0, -1, 2 ** 20 + 1]) expect(() => lib.scrypt('pw', s, { N: 16, r: 1, dkLen })).toThrow(lib.InputError);
    expect(() => lib.scrypt('pw', s, { N: 2 ** 16, r: 1 })).toThrow(lib.InputError); // N ≥ 2^(16r)
    expect(() => lib.scrypt('pw', s, { N: 2 ** 10, r: 8, maxmem: 1024 })).toThrow(lib.LimitError);
    expect(() => lib.scrypt('pw', s, { N: 2 ** 22, r: 8 })).toThrow(lib.LimitError); // 4 GiB > 2 GiB budget
    for (const hv of hostileValues('bytes')) {
      expect(() => lib.scrypt('pw', hv.value as Uint8Array, { N: 16, r: 1 }), `salt ${hv.title}`).toThrow(lib.InputError);
      if (typeof hv.value !== 'string') {
        expect(() => lib.scrypt(hv.value as Uint8Array, s, { N: 16, r: 1 }), `pw ${hv.title}`).toThrow(lib.InputError);
      }
    }
    for (const hv of hostileValues('object')) {
      if (hv.value === undefined) continue;
      expect(() => lib.scrypt('pw', s, hv.value as never), `options ${hv.title}`).toThrow(lib.InputError);
    }
    for (const hv of hostileValues('number')) {
      if (hv.value === undefined) continue;
      for (const k of ['N', 'r', 'p', 'dkLen']) {
        expect(() => lib.scrypt('pw', s, { N: 16, r: 1, [k]: hv.value }), `${k}=${hv.title}`).toThrow(lib.InputError);
      }
    }
  });
});

describe.each(entries)('argon2id (%s entry)', (_n, lib) => {
  const { hexToBytes: h, bytesToHex: x } = lib;
  it('RFC 9106 §5.3 Argon2id vector (with secret K and associated data X)', () => {
    expect(ARGON.vectors.length).toBe(1);
    for (const v of ARGON.vectors) {
      const tag = lib.argon2id(h(v.password), h(v.salt), { t: v.t, m: v.m, p: v.p, dkLen: v.tagLength, secret: h(v.secret), ad: h(v.ad) });
      expect(x(tag)).toBe(v.tag);
    }
  });
  it('documents its defaults (RFC 9106 §4 second recommendation: t=3, m=64 MiB, p=4)', () => {
    expect(lib.ARGON2ID_DEFAULTS).toMatchObject({ t: 3, m: 2 ** 16, p: 4, dkLen: 32 });
    expect(Object.isFrozen(lib.ARGON2ID_DEFAULTS)).toBe(true);
  });
  it('is deterministic, and string and UTF-8 passwords agree', () => {
    const salt = h('00112233445566778899aabbccddeeff');
    const o = { t: 1, m: 64, p: 1 };
    expect(x(lib.argon2id('pässword', salt, o))).toBe(x(lib.argon2id(lib.utf8ToBytes('pässword'), salt, o)));
    expect(x(lib.argon2id('a', salt, o))).not.toBe(x(lib.argon2id('b', salt, o)));
  });
  it('validates parameters (RFC 9106 §3.1)', () => {
    const salt = new Uint8Array(16);
    const ok = { t: 1, m: 64, p: 1 };
    expect(() => lib.argon2id('pw', new Uint8Array(7), ok)).toThrow(lib.InputError);
    for (const t of [0, -1, 1.5]) expect(() => lib.argon2id('pw', salt, { ...ok, t })).toThrow(lib.InputError);
    for (const p of [0, 256]) expect(() => lib.argon2id('pw', salt, { ...ok, p })).toThrow(lib.InputError);
    expect(() => lib.argon2id('pw', salt, { t: 1, m: 15, p: 2 })).toThrow(lib.InputError); // m < 8p
    expect(() => lib.argon2id('pw', salt, { t: 1, m: 2 ** 22, p: 1 })).toThrow(lib.LimitError);
    for (const dkLen of [0, 3, 2 ** 20 + 1]) expect(() => lib.argon2id('pw', salt, { ...ok, dkLen })).toThrow(lib.InputError);
    expect(() => lib.argon2id('pw', salt, { ...ok, secret: new Uint8Array(33) })).toThrow(lib.InputError);
    expect(() => lib.argon2id('pw', salt, { ...ok, ad: new Uint8Array(1025) })).toThrow(lib.InputError);
    for (const hv of hostileValues('bytes')) {
      expect(() => lib.argon2id('pw', hv.value as Uint8Array, ok), `salt ${hv.title}`).toThrow(lib.InputError);
      if (hv.value !== undefined) {
        expect(() => lib.argon2id('pw', salt, { ...ok, secret: hv.value as Uint8Array }), `secret ${hv.title}`).toThrow(lib.InputError);
        expect(() => lib.argon2id('pw', salt, { ...ok, ad: hv.value as Uint8Array }), `ad ${hv.title}`).toThrow(lib.InputError);
      }
    }
  });
});
