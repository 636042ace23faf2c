/** HKDF (RFC 5869) over the hash registry: RFC vectors, node:crypto cross-check (SHA-2 and SM3), limits. */
import { readFileSync } from 'node:fs';
import { hkdfSync } from 'node:crypto';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as nodeEntry from '@privkit/core';
import { hostileValues } from '@privkit/core/testing';
import * as portable from '../src/index.js';

interface V {
  case: string;
  hash: 'sha1' | 'sha256';
  ikm: string;
  salt: string | null;
  info: string;
  L: number;
  prk: string;
  okm: string;
}
const RFC5869: { vectors: V[] } = JSON.parse(readFileSync(new URL('./vectors/rfc5869/hkdf.json', import.meta.url), 'utf8'));

describe.each([
  ['portable', portable],
  ['node', nodeEntry],
] as const)('HKDF (%s entry)', (_n, lib) => {
  const { hexToBytes: h, bytesToHex: x } = lib;
  it('has all 7 RFC 5869 Appendix A vectors', () => expect(RFC5869.vectors.length).toBe(7));
  it.each(RFC5869.vectors.map((v) => [v.case, v] as const))('RFC 5869 %s', (_c, v) => {
    const salt = v.salt === null ? undefined : h(v.salt);
    expect(x(lib.hkdfExtract(v.hash, salt, h(v.ikm)))).toBe(v.prk);
    expect(x(lib.hkdfExpand(v.hash, h(v.prk), h(v.info), v.L))).toBe(v.okm);
    expect(x(lib.hkdf(v.hash, h(v.ikm), salt, h(v.info), v.L))).toBe(v.okm);
    // salt absent and salt empty are the same (RFC 5869 §2.2)
    if (!salt || salt.length === 0) {
      expect(x(lib.hkdf(v.hash, h(v.ikm), new Uint8Array(0), undefined, v.L))).toBe(v.okm);
    }
  });
  it.each(['sha256', 'sha384', 'sha512', 'sm3', 'sha1'] as const)('%s agrees with node:crypto.hkdfSync on random inputs', (id) => {
    const hashLen = lib.getHash(id).outputLen;
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 80 }),
        fc.uint8Array({ maxLength: 80 }),
        fc.uint8Array({ maxLength: 80 }),
        fc.integer({ min: 1, max: 255 * hashLen }),
        (ikm, salt, info, len) => {
          const want = Buffer.from(hkdfSync(id, ikm, salt, info, len)).toString('hex');
          expect(x(lib.hkdf(id, ikm, salt, info, len))).toBe(want);
          expect(x(lib.hkdfExpand(id, lib.hkdfExtract(id, salt, ikm), info, len))).toBe(want);
        },
      ),
      { numRuns: 25 },
    );
  });
  it('enforces 1 ≤ length ≤ 255·HashLen and PRK ≥ HashLen', () => {
    const z = new Uint8Array(32);
    expect(lib.hkdf('sha256', z, z, z, 255 * 32).length).toBe(8160);
    expect(lib.hkdf('sm3', z, z, z, 255 * 32).length).toBe(8160);
    expect(lib.hkdf('sha512', z, z, z, 255 * 64).length).toBe(16320);
    for (const bad of [0, 8161, -1, 1.5, Number.NaN]) {
      expect(() => lib.hkdf('sha256', z, z, z, bad)).toThrow(lib.InputError);
      expect(() => lib.hkdfExpand('sha256', z, z, bad)).toThrow(lib.InputError);
    }
    expect(() => lib.hkdfExpand('sha256', new Uint8Array(31), z, 32)).toThrow(lib.InputError);
    expect(() => lib.hkdfExpand('sha512', new Uint8Array(32), z, 32)).toThrow(lib.InputError);
  });
  it('rejects hostile arguments with InputError (every position)', () => {
    const z = new Uint8Array(32);
    for (const hv of hostileValues('bytes')) {
      const v = hv.value as Uint8Array;
      if (v === undefined) continue; // salt/info are optional
      expect(() => lib.hkdf('sha256', v, z, z, 32), `ikm ${hv.title}`).toThrow(lib.InputError);
      expect(() => lib.hkdf('sha256', z, v, z, 32), `salt ${hv.title}`).toThrow(lib.InputError);
      expect(() => lib.hkdf('sha256', z, z, v, 32), `info ${hv.title}`).toThrow(lib.InputError);
      expect(() => lib.hkdfExtract('sha256', v, z), `salt ${hv.title}`).toThrow(lib.InputError);
      expect(() => lib.hkdfExtract('sha256', z, v), `ikm ${hv.title}`).toThrow(lib.InputError);
      expect(() => lib.hkdfExpand('sha256', v, z, 32), `prk ${hv.title}`).toThrow(lib.InputError);
      expect(() => lib.hkdfExpand('sha256', z, v, 32), `info ${hv.title}`).toThrow(lib.InputError);
    }
    expect(() => lib.hkdf(undefined as never, z, z, z, 32)).toThrow(lib.InputError);
    expect(() => lib.hkdf('sha256', undefined as never, z, z, 32)).toThrow(lib.InputError);
    for (const hv of hostileValues('number')) {
      expect(() => lib.hkdf('sha256', z, z, z, hv.value as number), hv.title).toThrow(lib.InputError);
    }
  });
});
