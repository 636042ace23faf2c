import { describe, expect, it } from 'vitest';
import { bitFlips, hostileValues, truncations, type HostileCase } from '@privkit/core/testing';
import { isPrivkitError } from '@privkit/core';
import {
  computeKeyImage,
  createRingContext,
  decode,
  encode,
  getPublicKey,
  keygen,
  keyImage,
  linked,
  sign,
  verify,
  verifyBatch,
} from '@privkit/ring-sig';

const k = [keygen(), keygen(), keygen()];
const ring = k.map((x) => x.publicKey);
const sk = k[0]!.secretKey;
const m = new Uint8Array([1, 2, 3]);
const sig = sign(m, ring, sk);
const enc = encode(sig);

function expectTyped(fn: () => unknown): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, 'expected a typed PrivkitError').toBeDefined();
  expect(isPrivkitError(thrown)).toBe(true);
}

const bytesCases = hostileValues('bytes');
const objCases = hostileValues('object').filter((h) => h.value !== undefined);
const scopeCases = bytesCases.filter((h) => h.value !== undefined && typeof h.value !== 'string');
const ringCases: HostileCase[] = [
  ...hostileValues('object').filter((h) => !Array.isArray(h.value)),
  ...bytesCases.filter((h) => h.value !== undefined).map((h) => ({ title: `[ring0, ${h.title}]`, value: [ring[0], h.value] })),
];

describe('hostile inputs give typed errors', () => {
  for (const h of bytesCases) {
    it(`bytes argument: ${h.title}`, () => {
      if (h.value !== undefined) expectTyped(() => getPublicKey(h.value as never));
      if (h.value !== undefined) expectTyped(() => computeKeyImage(h.value as never));
      if (h.value !== undefined) expectTyped(() => keygen(h.value as never));
      expectTyped(() => sign(h.value as never, ring, sk));
      expectTyped(() => sign(m, ring, h.value as never));
      expectTyped(() => verify(sig, h.value as never, ring));
      expectTyped(() => decode(h.value as never));
      expectTyped(() => keyImage(h.value as never));
      expectTyped(() => linked(h.value as never, sig));
      expectTyped(() => linked(sig, h.value as never));
      if (!(typeof h.value === 'object' && h.value !== null && !ArrayBuffer.isView(h.value) && !Array.isArray(h.value))) {
        expectTyped(() => verify(h.value as never, m, ring));
        expectTyped(() => verifyBatch([{ signature: h.value as never, message: m }], ring));
      }
      expectTyped(() => encode(h.value as never));
    });
  }
  for (const h of objCases) {
    it(`options argument: ${h.title}`, () => {
      expectTyped(() => sign(m, ring, sk, h.value as never));
      expectTyped(() => verify(sig, m, ring, h.value as never));
      expectTyped(() => createRingContext(ring, h.value as never));
      expectTyped(() => computeKeyImage(sk, h.value as never));
    });
  }
  for (const h of scopeCases) {
    it(`scope: ${h.title}`, () => {
      expectTyped(() => sign(m, ring, sk, { scope: h.value as never }));
      expectTyped(() => verify(sig, m, ring, { scope: h.value as never }));
      expectTyped(() => computeKeyImage(sk, { scope: h.value as never }));
    });
  }
  for (const h of ringCases) {
    it(`ring: ${h.title}`, () => {
      expectTyped(() => sign(m, h.value as never, sk));
      expectTyped(() => verify(sig, m, h.value as never));
      expectTyped(() => createRingContext(h.value as never));
      expectTyped(() => verifyBatch([{ signature: sig, message: m }], h.value as never));
    });
  }
  it('bad option values', () => {
    expectTyped(() => sign(m, ring, sk, { scheme: 'lsag' as never }));
    expectTyped(() => sign(m, ring, sk, { scope: 'x'.repeat(1025) }));
    expectTyped(() => sign(m, ring, sk, { scheme: 'blsag', auxRing: ring, auxSecretKey: sk }));
    expectTyped(() => sign(m, ring, sk, { auxRing: ring }));
    expectTyped(() => sign(m, ring, sk, { auxRing: ring.slice(0, 2), auxSecretKey: sk }));
    expectTyped(() => createRingContext(ring, { precompute: 1 as never }));
    expectTyped(() => verifyBatch('x' as never, ring));
    expectTyped(() => verifyBatch([null as never], ring));
    expectTyped(() => verify(sig, m, createRingContext(ring), { auxRing: ring }));
  });
  it('invalid secret keys: zero, ≥ ℓ', () => {
    expectTyped(() => getPublicKey(new Uint8Array(32)));
    expectTyped(() => getPublicKey(new Uint8Array(32).fill(0xff)));
    expectTyped(() => sign(m, ring, new Uint8Array(32)));
  });
  it('malformed signature objects: typed error from encode/keyImage, false from verify', () => {
    const bads = [
      {},
      { ...sig, scheme: 'x' },
      { ...sig, c0: new Uint8Array(31) },
      { ...sig, responses: [sig.responses[0]] },
      { ...sig, responses: 'x' },
      { ...sig, keyImage: new Uint16Array(16) },
      { ...sig, scheme: 'blsag', auxImage: new Uint8Array(32) },
    ];
    for (const b of bads) {
      expectTyped(() => encode(b as never));
      expectTyped(() => keyImage(b as never));
      expect(verify(b as never, m, ring)).toBe(false);
    }
  });
  it('truncated and bit-flipped encodings never verify; decode gives a typed error or a different signature', () => {
    for (const h of [...truncations(enc), ...bitFlips(enc)]) {
      expect(verify(h.value as Uint8Array, m, ring), h.title).toBe(false);
      try {
        const d = decode(h.value as Uint8Array);
        expect(encode(d)).toEqual(h.value);
      } catch (e) {
        expect(isPrivkitError(e, 'RING_SIG_MALFORMED')).toBe(true);
      }
    }
  });
});

describe("scope collision through lone surrogates ('poll-\\uD800' vs 'poll-\\uDFFF')", () => {
  // Both strings used to encode to 'poll-\uFFFD', so a signature for one scope verified and linked under the other.
  const a = 'poll-\uD800';
  const b = 'poll-\uDFFF';
  it('sign, verify and computeKeyImage refuse scopes that are not well-formed Unicode', () => {
    for (const scope of [a, b]) {
      for (const f of [
        () => sign(m, ring, sk, { scope }),
        () => verify(sig, m, ring, { scope }),
        () => computeKeyImage(sk, { scope }),
        () => createRingContext(ring).verify(sig, m, { scope }),
        () => verifyBatch([{ signature: sig, message: m, scope }], ring),
      ]) {
        try {
          f();
          expect.unreachable(JSON.stringify(scope));
        } catch (e) {
          expect(isPrivkitError(e, 'INVALID_UNICODE')).toBe(true);
        }
      }
    }
  });
  it('well-formed neighbours of the colliding strings stay distinct scopes', () => {
    const s1 = sign(m, ring, sk, { scope: 'poll-\uFFFD' });
    expect(verify(s1, m, ring, { scope: 'poll-\uFFFD' })).toBe(true);
    expect(verify(s1, m, ring, { scope: 'poll-\uD800\uDFFF' })).toBe(false);
    expect(computeKeyImage(sk, { scope: 'poll-\uFFFD' })).not.toEqual(computeKeyImage(sk, { scope: 'poll-\uD800\uDFFF' }));
  });
});

// The shared reflective sweep of @privkit/core/testing over every export of every production entry point: every
// function (and every function inside an exported bundle) gets every value of the shared table in every position.
// Test entries (`@privkit/ring-sig/testing`) are test infrastructure and are not swept.
import * as entry from '@privkit/ring-sig';
import { assertHostileSweep } from '@privkit/core/testing';

it('reflective hostile sweep over every export of @privkit/ring-sig', () => assertHostileSweep(entry, { minCalled: 10 }), 600_000);

// The sweep reaches the ring contexts createRingContext returns (issue #16), one-column (CLSAG, bLSAG signatures)
// and two-column (auxiliary ring), with and without precomputed tables: every method gets every hostile value, and
// after each call the context must still accept the genuine signature (alone, scoped and in a batch) and refuse it
// for another message — its caches (decoded members, per-scope hash points, tables) were not poisoned.
it('reflective hostile sweep over the ring contexts createRingContext returns', async () => {
  const aux = [keygen(), keygen(), keygen()];
  const auxRing = aux.map((x) => x.publicKey);
  const scope = 'poll-7';
  const blsag = sign(m, ring, sk, { scheme: 'blsag', scope });
  const twoColumn = sign(m, ring, sk, { auxRing, auxSecretKey: aux[0]!.secretKey });
  const other = new Uint8Array([9]);
  const contextSeed = (options: Parameters<typeof createRingContext>[1], good: Uint8Array | ReturnType<typeof sign>, sigScope?: string) => ({
    create: () => createRingContext(ring, options),
    check: (ctx: ReturnType<typeof createRingContext>) => {
      const o = sigScope === undefined ? {} : { scope: sigScope };
      if (!ctx.verify(good, m, o)) throw new Error('the context no longer accepts a genuine signature');
      if (ctx.verify(good, other, o)) throw new Error('the context accepts a signature for another message');
      const batch = ctx.verifyBatch([{ signature: good, message: m, ...o }, { signature: good, message: other, ...o }]);
      if (batch[0] !== true || batch[1] !== false) throw new Error(`the batch answered ${String(batch)}`);
    },
  });
  const r = await assertHostileSweep(
    {},
    {
      minCalled: 0,
      arities: [1, 2, 3], // verify takes at most three arguments
      seeds: {
        clsagContext: contextSeed({ precompute: false }, enc),
        clsagContextTables: contextSeed({ precompute: true }, sig),
        blsagScopedContext: contextSeed({ precompute: false }, blsag, scope),
        twoColumnContext: contextSeed({ auxRing, precompute: false }, twoColumn),
      },
    },
  );
  expect(r.called).toEqual(expect.arrayContaining(['clsagContext.verify', 'clsagContext.verifyBatch', 'twoColumnContext.verify']));
}, 600_000);
