import { createHash, createHmac } from 'node:crypto';
import * as fc from 'fast-check';
import { sm3 as smv2sm3 } from 'sm-crypto-v2';
import { describe, expect, it } from 'vitest';
import * as node from '@privkit/core';
import { hostileBytes } from '@privkit/core/testing';
import * as portable from '../src/index.js';
import vectors from './vectors/shangmi/sm.json' with { type: 'json' };

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
const paths = [
  ['portable', portable],
  ['node', node],
] as const;

describe.each(paths)('SM3 (%s path)', (_name, lib) => {
  it('GB/T 32905 vectors', () => {
    expect(vectors.sm3.length).toBeGreaterThanOrEqual(2);
    for (const v of vectors.sm3) {
      expect(hex(lib.sm3(unhex(v.msg_hex)))).toBe(v.digest);
      const h = lib.sm3.create();
      const m = unhex(v.msg_hex);
      for (let i = 0; i < m.length; i += 3) h.update(m.subarray(i, i + 3));
      expect(hex(h.digest())).toBe(v.digest);
    }
  });
  it('has the CHash shape', () => {
    expect(lib.sm3.outputLen).toBe(32);
    expect(lib.sm3.blockLen).toBe(64);
    expect(typeof lib.sm3.create).toBe('function');
    expect(Object.isFrozen(lib.sm3)).toBe(true);
  });
  it('agrees with node:crypto in both directions, incremental and clone', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.array(fc.nat({ max: 200 }), { maxLength: 6 }), (m, cuts) => {
        const ref = createHash('sm3').update(m).digest('hex');
        expect(hex(lib.sm3(m))).toBe(ref);
        const h = lib.sm3.create();
        let o = 0;
        for (const c of cuts) {
          h.update(m.subarray(o, o + c));
          o += c;
        }
        const mid = h.clone();
        h.update(m.subarray(o));
        expect(hex(h.digest())).toBe(ref);
        mid.update(m.subarray(o));
        expect(hex(mid.digest())).toBe(ref);
      }),
    );
  });
  it('agrees with sm-crypto-v2', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (m) => {
        expect(hex(lib.sm3(m))).toBe(smv2sm3(m));
      }),
      { numRuns: 50 },
    );
  });
  it('HMAC-SM3 agrees with node:crypto and sm-crypto-v2', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 150 }), fc.uint8Array({ maxLength: 300 }), (k, m) => {
        const ref = createHmac('sm3', k).update(m).digest('hex');
        expect(hex(lib.hmacSm3(k, m))).toBe(ref);
        if (k.length > 0) expect(smv2sm3(m, { key: k, mode: 'hmac' })).toBe(ref);
      }),
      { numRuns: 50 },
    );
  });
  it('works with noble hmac (create/_cloneInto compatible)', async () => {
    const { hmac } = await import('@noble/hashes/hmac.js');
    const k = unhex('0b'.repeat(20));
    const m = unhex('4869205468657265');
    expect(hex(hmac(lib.sm3 as never, k, m))).toBe(createHmac('sm3', k).update(m).digest('hex'));
  });
  it('rejects hostile inputs with InputError and misuse after digest', () => {
    for (const h of hostileBytes()) {
      expect(() => lib.sm3(h.value as never), h.title).toThrow(lib.InputError);
      expect(() => lib.sm3.create().update(h.value as never), h.title).toThrow(lib.InputError);
      expect(() => lib.hmacSm3(h.value as never, new Uint8Array(1)), h.title).toThrow(lib.InputError);
      expect(() => lib.hmacSm3(new Uint8Array(1), h.value as never), h.title).toThrow(lib.InputError);
    }
    const h = lib.sm3.create();
    h.digest();
    expect(() => h.update(new Uint8Array(1))).toThrow(lib.InputError);
    expect(() => h.digest()).toThrow(lib.InputError);
    const d = lib.sm3.create();
    d.destroy();
    expect(() => d.update(new Uint8Array(1))).toThrow(lib.InputError);
    expect(() => lib.sm3.create().digestInto(new Uint8Array(31))).toThrow(lib.InputError);
  });
  it('accepts Buffers and Uint8Arrays from another realm', async () => {
    const vm = await import('node:vm');
    const other = vm.runInNewContext('new Uint8Array([97, 98, 99])') as Uint8Array;
    expect(other instanceof Uint8Array).toBe(false);
    expect(hex(lib.sm3(other))).toBe(vectors.sm3[0]!.digest);
    expect(hex(lib.sm3(Buffer.from('abc')))).toBe(vectors.sm3[0]!.digest);
  });
});
