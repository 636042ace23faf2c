/** The shared testing helpers other packages rely on: fresh tables, exact mutations, valid arbitraries. */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AEAD_PARAMS, InputError, abytes, isBytes, isWellFormedString } from '@privkit/core';
import {
  arbAeadInput, arbTamper, assertHostileSweep, bitFlips, collectFunctions, hostileBytes, hostileNumbers, hostileValues, sweepHostile, truncations,
} from '@privkit/core/testing';

describe('@privkit/core/testing', () => {
  it('hostile tables hold no valid value of their kind and are fresh per call', () => {
    for (const h of hostileBytes()) expect(isBytes(h.value), h.title).toBe(false);
    for (const h of hostileNumbers()) expect(typeof h.value === 'number' && Number.isSafeInteger(h.value) && h.value >= 0, h.title).toBe(false);
    for (const h of hostileValues('string')) expect(isWellFormedString(h.value), h.title).toBe(false);
    for (const h of hostileValues('bigint')) expect(typeof h.value === 'bigint' && h.value >= 0n).toBe(false);
    const a = hostileBytes().find((h) => h.title.startsWith('Uint16Array'))!.value as Uint16Array;
    a[0] = 7;
    expect((hostileBytes().find((h) => h.title.startsWith('Uint16Array'))!.value as Uint16Array)[0]).toBe(0);
    expect(hostileBytes().map((h) => h.title)).toContain('fake {constructor:{name:"Uint8Array"}}');
  });
  it('truncations and bit flips differ from the input and flip exactly one bit', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), (b) => {
        for (const t of truncations(b)) expect((t.value as Uint8Array).length).not.toBe(b.length);
        const flips = bitFlips(b);
        expect(flips.length).toBeGreaterThan(0);
        for (const f of flips) {
          const v = f.value as Uint8Array;
          let bits = 0;
          for (let i = 0; i < b.length; i++) for (let x = v[i]! ^ b[i]!; x; x &= x - 1) bits++;
          expect(bits, f.title).toBe(1);
        }
      }),
    );
  });
  it('arbAeadInput gives sizes matching AEAD_PARAMS; arbTamper never returns the input', () => {
    fc.assert(
      fc.property(arbAeadInput(), (x) => {
        expect(x.key).toHaveLength(AEAD_PARAMS[x.id].keyLength);
        expect(x.nonce).toHaveLength(AEAD_PARAMS[x.id].nonceLength);
      }),
    );
    const sealed = Uint8Array.of(1, 2, 3, 4, 5);
    fc.assert(
      fc.property(arbTamper(sealed), (t) => {
        expect(Buffer.from(t.bytes).equals(Buffer.from(sealed)), t.mutation).toBe(false);
      }),
    );
  });
  it('sweepHostile reports foreign errors, hanging promises and nothing else', async () => {
    class Hidden {}
    const mod = {
      good: (v: unknown) => abytes(v),
      total: (v: unknown) => typeof v,
      leaky: (v: unknown) => (v as { x: { y: number } }).x.y,
      asyncLeaky: async (v: unknown) => (v as { x: { y: number } }).x.y,
      hangs: () => new Promise(() => {}),
      Hidden,
      bundle: { nested: (v: unknown) => (v === undefined ? 0 : abytes(v)), deeper: { deepest: { never: () => 1 } } },
    };
    expect(collectFunctions(mod).map((f) => f.path)).toEqual(['good', 'total', 'leaky', 'asyncLeaky', 'hangs', 'bundle.nested']);
    const r = await sweepHostile(mod, { arities: [1], timeoutMs: 20 });
    const bad = new Set(r.violations.map((v) => v.path));
    expect([...bad].sort()).toEqual(['asyncLeaky', 'hangs', 'leaky']);
    expect(r.violations.filter((v) => v.path === 'leaky').map((v) => v.input)).toContain('undefined');
    expect(r.violations.every((v) => !(v.error instanceof InputError))).toBe(true);
    const skipped = await sweepHostile(mod, { arities: [1], timeoutMs: 20, skip: ['leaky', 'asyncLeaky', 'hangs'] });
    expect(skipped.violations).toEqual([]);
    expect(skipped.called).toEqual(['good', 'total', 'bundle.nested']);
    await expect(assertHostileSweep({ leaky: mod.leaky }, { arities: [1] })).rejects.toThrow(/untyped failures\nleaky\(undefined/);
    await expect(assertHostileSweep({ good: mod.good }, { minCalled: 2 })).rejects.toThrow(/called 1 functions/);
    expect((await assertHostileSweep({ good: mod.good })).called).toEqual(['good']);
  });
});
