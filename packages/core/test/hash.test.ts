/** Hash registry: every id resolves to a frozen noble CHash that agrees with node:crypto. */
import { createHash } from 'node:crypto';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as nodeEntry from '@privkit/core';
import { hostileValues } from '@privkit/core/testing';
import * as portable from '../src/index.js';

const NODE_NAME = { sha1: 'sha1', sha256: 'sha256', sha384: 'sha384', sha512: 'sha512', sm3: 'sm3' } as const;
const LENS = {
  sha1: [20, 64],
  sha256: [32, 64],
  sha384: [48, 128],
  sha512: [64, 128],
  sm3: [32, 64],
} as const;

describe.each([
  ['portable', portable],
  ['node', nodeEntry],
] as const)('getHash (%s entry)', (_n, lib) => {
  it('lists exactly the registered ids, frozen', () => {
    expect([...lib.HASH_IDS]).toEqual(['sha1', 'sha256', 'sha384', 'sha512', 'sm3']);
    expect(Object.isFrozen(lib.HASH_IDS)).toBe(true);
  });
  it.each(portable.HASH_IDS.map((id) => [id]))('%s: lengths, frozen, same object every call', (id) => {
    const h = lib.getHash(id);
    expect(h).toBe(lib.getHash(id));
    expect(Object.isFrozen(h)).toBe(true);
    expect([h.outputLen, h.blockLen]).toEqual([...LENS[id]]);
    expect(h(new Uint8Array(0)).length).toBe(h.outputLen);
  });
  it.each(portable.HASH_IDS.map((id) => [id]))('%s agrees with node:crypto on random messages (one-shot and streaming)', (id) => {
    const h = lib.getHash(id);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), fc.nat({ max: 700 }), (msg, cut) => {
        const want = createHash(NODE_NAME[id]).update(msg).digest('hex');
        expect(Buffer.from(h(msg)).toString('hex')).toBe(want);
        const c = Math.min(cut, msg.length);
        const st = h.create().update(msg.subarray(0, c)).update(msg.subarray(c)).digest() as Uint8Array;
        expect(Buffer.from(st).toString('hex')).toBe(want);
      }),
      { numRuns: 40 },
    );
  });
  it('SM3 known answers from the shared ShangMi vectors (GB/T 32905 examples)', () => {
    const h = lib.getHash('sm3');
    expect(lib.bytesToHex(h(lib.utf8ToBytes('abc')))).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });
  it('rejects unknown ids with UnsupportedError and non-strings with InputError', () => {
    for (const bad of ['SHA256', 'sha-256', 'md5', 'sha3-256', '', 'constructor', '__proto__']) {
      expect(() => lib.getHash(bad as never)).toThrow(lib.UnsupportedError);
    }
    for (const h of hostileValues('string')) expect(() => lib.getHash(h.value as never), h.title).toThrow(lib.InputError);
  });
});
