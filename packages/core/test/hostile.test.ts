/**
 * The shared hostile-input table fed to every public function of both core entry points (docs/CONVENTIONS.md §19): every
 * malformed input must give a typed PrivkitError (or a plain return for total predicates), never a crash with a
 * foreign error type. Functions nested one or two levels inside exported bundles (sm4.gcm, getAead(...).seal, …)
 * are included; the sweep itself is `sweepHostile` of `@privkit/core/testing`, which every package runs over its own
 * entry points. Per-argument tests with otherwise-valid arguments live next to each algorithm's tests.
 */
import { describe, expect, it } from 'vitest';
import * as nodeEntry from '@privkit/core';
import { assertHostileSweep, collectFunctions, formatViolations, hostileBytes, hostileNumbers, hostileValues, sweepHostile } from '@privkit/core/testing';
import * as portableEntry from '../src/index.js';

type Fn = (...args: unknown[]) => unknown;

// The validators' extra parameters (title, bounds, allowed list) are developer-supplied constants, not user input:
// they get the table in their value position only, in the dedicated test below.
const VALIDATORS = new Set(['abytes', 'abytesRange', 'anumber', 'abigint', 'astring', 'abool', 'aoneOf', 'aobject']);

describe.each([
  ['portable', portableEntry],
  ['node', nodeEntry],
] as const)('hostile-input table against every public function (%s entry)', (_name, lib) => {
  const fns = collectFunctions(lib as unknown as Record<string, unknown>).filter(({ path }) => !VALIDATORS.has(path));
  it('finds the public functions', () => {
    const names = fns.map(({ path }) => path);
    for (const must of ['hexToBytes', 'sm3', 'hmacSm3', 'sm4.gcm', 'sm4.cbc', 'getAead']) expect(names).toContain(must);
  });
  it('every public function gives typed errors only (shared reflective sweep)', async () => {
    const r = await sweepHostile(lib as unknown as Record<string, unknown>, { skip: [...VALIDATORS] });
    expect(r.called.length).toBe(fns.length);
    expect(r.violations, formatViolations(r.violations)).toEqual([]);
  }, 300_000);
  it('predicates give the right answer on hostile values', () => {
    for (const h of hostileBytes()) expect(lib.isBytes(h.value), h.title).toBe(false);
    for (const h of hostileValues('any')) expect(lib.isPrivkitError(h.value), h.title).toBe(false);
  });
  it('validators reject the whole table with InputError', () => {
    for (const h of hostileBytes()) {
      expect(() => lib.abytes(h.value), h.title).toThrow(lib.InputError);
      expect(() => lib.abytesRange(h.value, 0, 10), h.title).toThrow(lib.InputError);
    }
    for (const h of hostileNumbers()) expect(() => lib.anumber(h.value), h.title).toThrow(lib.InputError);
    for (const h of hostileValues('bigint')) expect(() => lib.abigint(h.value), h.title).toThrow(lib.InputError);
    for (const h of hostileValues('string')) expect(() => lib.astring(h.value), h.title).toThrow(lib.InputError);
    for (const h of hostileValues('boolean')) expect(() => lib.abool(h.value), h.title).toThrow(lib.InputError);
    for (const h of hostileValues('any')) expect(() => lib.aoneOf(h.value, ['a', 'b']), h.title).toThrow(lib.InputError);
    for (const h of hostileValues('object')) {
      if (h.value !== undefined) expect(() => lib.aobject(h.value), h.title).toThrow(lib.InputError);
    }
  });
  it('byte helpers reject the table with typed errors', () => {
    for (const h of hostileBytes()) {
      for (const f of [lib.bytesToHex, lib.bytesToUtf8, lib.copyBytes, lib.bytesToNumberBE] as Fn[]) {
        expect(() => f(h.value), `${f.name}(${h.title})`).toThrow(lib.InputError);
      }
      expect(() => lib.concatBytes(new Uint8Array(1), h.value as Uint8Array), h.title).toThrow(lib.InputError);
      expect(() => lib.equalBytes(new Uint8Array(1), h.value as Uint8Array), h.title).toThrow(lib.InputError);
    }
  });
});

// The sweep reaches the objects core's factories return (issue #16): AEADs by id, SM4 mode ciphers, DH groups (the
// curves and a Chebyshev group) and the incremental SM3 state. Each check runs an honest computation against a fresh reference, so a
// rejected hostile update() that had fed bytes into the state (or a hostile encrypt that advanced a cipher) shows.
describe.each([
  ['portable', portableEntry],
  ['node', nodeEntry],
] as const)('hostile sweep over the objects the factories return (%s entry)', (_name, lib) => {
  it('AEADs, SM4 ciphers, DH groups, incremental SM3', async () => {
    const key16 = new Uint8Array(16).fill(1);
    const iv = new Uint8Array(16).fill(2);
    const msg = lib.utf8ToBytes('honest');
    const hex = (b: Uint8Array) => lib.bytesToHex(b);
    /** An incremental hash state and its twin fed only honest data: after any hostile call both digest alike. */
    const twin = new WeakMap<object, { update(b: Uint8Array): unknown; clone(): { digest(): Uint8Array } }>();
    const hashSeed = (make: () => { update(b: Uint8Array): unknown; clone(): { digest(): Uint8Array } }) => ({
      create: () => {
        const h = make();
        twin.set(h, make());
        return h;
      },
      // digest/destroy end the state (noble semantics); the rest of the class's methods are noble's internal
      // block-processing hooks (process, get, set, roundClean, _cloneInto), not PrivKit API
      terminal: ['digest', 'digestInto', 'destroy'],
      skip: ['process', 'get', 'set', 'roundClean'],
      check: (h: { update(b: Uint8Array): unknown; clone(): { digest(): Uint8Array } }) => {
        const t = twin.get(h)!;
        h.update(msg);
        t.update(msg);
        if (hex(h.clone().digest()) !== hex(t.clone().digest())) throw new Error('the hash state took bytes from a rejected call');
      },
    });
    const aeadSeeds = Object.fromEntries(
      lib.AEAD_IDS.map((id) => {
        const p = lib.AEAD_PARAMS[id];
        const k = new Uint8Array(p.keyLength).fill(3);
        const n = new Uint8Array(p.nonceLength).fill(4);
        return [`aead_${id}`, { create: () => lib.getAead(id), check: (a: ReturnType<typeof lib.getAead>) => hex(a.open(k, n, a.seal(k, n, msg))) === hex(msg) || Promise.reject(new Error('round trip')) }];
      }),
    );
    const cipherSeed = (mode: 'cbc' | 'ctr' | 'gcm') => ({
      create: () => lib.sm4[mode](key16, mode === 'gcm' ? iv.subarray(0, 12) : iv),
      check: (c: ReturnType<typeof lib.sm4.cbc>) => {
        const fresh = lib.sm4[mode](key16, mode === 'gcm' ? iv.subarray(0, 12) : iv);
        if (hex(c.encrypt(msg)) !== hex(fresh.encrypt(msg))) throw new Error(`sm4.${mode}: the cipher state moved`);
      },
    });
    const dhSeeds = Object.fromEntries(
      lib.DH_GROUP_IDS.map((id) => [
        `dh_${id}`,
        {
          create: () => lib.getDhGroup(id),
          arities: [1, 2], // getSharedSecret takes two arguments; key agreement on P-521 and X448 is slow
          check: (g: ReturnType<typeof lib.getDhGroup>) => {
            const a = g.randomSecretKey();
            const b = g.randomSecretKey();
            if (hex(g.getSharedSecret(a, g.getPublicKey(b))) !== hex(g.getSharedSecret(b, g.getPublicKey(a)))) throw new Error('DH disagrees');
          },
        },
      ]),
    );
    const chebA = lib.chebyshev.group('chebyshev-2048').randomSecretKey();
    const r = await assertHostileSweep(
      {},
      {
        minCalled: 0,
        seeds: {
          ...aeadSeeds,
          ...dhSeeds,
          sm4cbc: cipherSeed('cbc'),
          sm4ctr: cipherSeed('ctr'),
          sm4gcm: cipherSeed('gcm'),
          sm3: hashSeed(() => lib.sm3.create()),
          // reached only through chebyshev.groups / chebyshev.group(): three levels deep, beyond the function sweep;
          // a 2048-bit key agreement takes a while, so the check runs one
          chebyshev2048: {
            create: () => lib.chebyshev.group('chebyshev-2048'),
            arities: [1, 2],
            check: (g: ReturnType<typeof lib.chebyshev.group>) => {
              if (g.getPublicKey(chebA).length !== g.publicKeyLength) throw new Error('the group no longer derives public keys');
            },
          },
        },
      },
    );
    expect(r.called).toEqual(expect.arrayContaining(['sm3.update', 'sm4cbc.encrypt', 'sm4gcm.decrypt', 'dh_p256.getSharedSecret', 'chebyshev2048.getSharedSecret']));
  }, 600_000);
});
