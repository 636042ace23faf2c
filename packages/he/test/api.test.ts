import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { PrivkitError, isPrivkitError } from '@privkit/core';
import * as he from '@privkit/he';
import * as testing from '@privkit/he/testing';
import { createAggregationContext, presets, presetIds, type AggregationContext, type HeOwner } from '@privkit/he';

describe('API lock', () => {
  it('importing has no side effects: SEAL is not loaded until a context is created', () => {
    expect(testing.wasmHeapBytes()).toBeUndefined();
    expect(testing.sealExceptionGuard()).toBeUndefined();
  });
  it('index exports', () => {
    expect(Object.keys(he).sort()).toMatchInlineSnapshot(`
      [
        "HeFormatError",
        "HeNoiseError",
        "HeOverflowError",
        "HeParamsError",
        "HeSealError",
        "HeStateError",
        "createAggregationContext",
        "presetIds",
        "presets",
      ]
    `);
  });
  it('testing exports', () => {
    expect(Object.keys(testing).sort()).toMatchInlineSnapshot(`
      [
        "readingVectors",
        "sealExceptionGuard",
        "tampered",
        "wasmHeapBytes",
      ]
    `);
  });
});

describe('frozen parameters', () => {
  it('presets are frozen, named, and state their security level', () => {
    expect(Object.isFrozen(presets)).toBe(true);
    expect(Object.isFrozen(presetIds)).toBe(true);
    for (const id of presetIds) {
      const p = presets[id];
      expect(p.id).toBe(id);
      expect(Object.isFrozen(p)).toBe(true);
      expect(Object.isFrozen(p.coeffModulus)).toBe(true);
      expect(Object.isFrozen(p.coeffModulusBits)).toBe(true);
      expect(p.securityLevel).toBe(128);
      // HomomorphicEncryption.org Security Standard (2018), Table 1, 128-bit classical, ternary secret:
      // n = 4096 → log2 q ≤ 109, n = 8192 → log2 q ≤ 218
      expect(p.maxCoeffModulusBits).toBe(({ 4096: 109, 8192: 218 } as Record<number, number>)[p.polyModulusDegree]);
      expect(p.coeffModulusBits.reduce((a, b) => a + b)).toBe(p.totalCoeffModulusBits);
      expect(p.totalCoeffModulusBits).toBeLessThanOrEqual(p.maxCoeffModulusBits);
      p.coeffModulus.forEach((q, i) => {
        expect(q.toString(2).length).toBe(p.coeffModulusBits[i]);
        expect(q % BigInt(2 * p.polyModulusDegree)).toBe(1n); // NTT-friendly
      });
      if (p.scheme === 'bfv') {
        expect(p.plainModulus % BigInt(2 * p.polyModulusDegree)).toBe(1n); // batching prime
        expect(p.maxAbsValue).toBe((p.plainModulus - 1n) / 2n);
      }
    }
  });

  it('error classes carry literal names and stable codes', () => {
    const cases: [PrivkitError, string, string][] = [
      [new he.HeOverflowError('x'), 'HeOverflowError', 'HE_PLAINTEXT_OVERFLOW'],
      [new he.HeNoiseError('x'), 'HeNoiseError', 'HE_NOISE_BUDGET_EXHAUSTED'],
      [new he.HeParamsError('x'), 'HeParamsError', 'HE_PARAMS_MISMATCH'],
      [new he.HeParamsError('x', { code: 'HE_INSECURE_PARAMS' }), 'HeParamsError', 'HE_INSECURE_PARAMS'],
      [new he.HeFormatError('x'), 'HeFormatError', 'HE_INVALID_ENCODING'],
      [new he.HeStateError('x'), 'HeStateError', 'HE_DISPOSED'],
      [new he.HeStateError('x', { code: 'HE_MISSING_GALOIS_KEYS' }), 'HeStateError', 'HE_MISSING_GALOIS_KEYS'],
      [new he.HeSealError('x'), 'HeSealError', 'HE_SEAL_FAILURE'],
    ];
    for (const [e, name, code] of cases) {
      expect(e).toBeInstanceOf(PrivkitError);
      expect(e.name).toBe(name);
      expect(e.code).toBe(code);
    }
  });
});

describe('hostile inputs give typed errors', () => {
  let ctx: AggregationContext;
  let owner: HeOwner;
  beforeAll(async () => {
    ctx = await createAggregationContext({ maxAbsReading: 100 });
    owner = ctx.keygen();
  });
  afterAll(() => ctx.dispose());

  const typed = (f: () => unknown, code?: string) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(PrivkitError);
      if (code) expect(isPrivkitError(e, code)).toBe(true);
      return;
    }
    throw new Error('did not throw');
  };
  const typedAsync = async (f: () => Promise<unknown>) => {
    try {
      await f();
    } catch (e) {
      expect(e).toBeInstanceOf(PrivkitError);
      return;
    }
    throw new Error('did not throw');
  };

  it('createAggregationContext', async () => {
    for (const bad of [
      null,
      42,
      'bfv-4096',
      new Uint8Array(1),
      { preset: 'bfv-2048' },
      { preset: 7 },
      { maxAbsReading: 0 },
      { maxAbsReading: -1n },
      { maxAbsReading: 1.5 },
      { maxAbsReading: Number.NaN },
      { maxAbsReading: '10' },
      { maxAbsReading: 2n ** 40n },
    ]) {
      await typedAsync(() => createAggregationContext(bad as never));
    }
  });

  it('device / encrypt', () => {
    for (const bad of [undefined, null, 1, 'pk', new Uint16Array(10), { constructor: { name: 'Uint8Array' } }, new Uint8Array(3)]) {
      typed(() => ctx.device(bad as never));
    }
    const dev = ctx.device(owner.publicKey);
    for (const bad of [
      undefined,
      null,
      5,
      'abc',
      [],
      [1.5],
      [Number.NaN],
      [Infinity],
      ['1'],
      [null],
      [101],
      [-101n],
      [2 ** 60],
      new DataView(new ArrayBuffer(4)),
      { length: 1, 0: 1 },
    ]) {
      typed(() => dev.encrypt(bad as never));
    }
    expect(() => dev.encrypt(new Array(4096 * 1024 + 1).fill(0))).toThrow(/expected 1\.\./);
    // typed arrays are fine
    for (const ok of [new Int8Array([1, -2]), new Uint16Array([3, 4]), new Int32Array([-5, 6]), new BigInt64Array([7n, -8n])]) {
      const ct = dev.encrypt(ok);
      expect(owner.decrypt(ct).values).toEqual(Array.from(ok as ArrayLike<number | bigint>, (x) => BigInt(x)));
      ct.dispose();
    }
    dev.dispose();
  });

  it('aggregator / accumulator / decrypt', () => {
    const agg = ctx.aggregator();
    const ct = ctx.device(owner.publicKey).encrypt([1]);
    for (const bad of [undefined, null, [], 'x', [null], [{}], [new Uint8Array(10)], [{ kind: 'ciphertext' }]]) {
      typed(() => agg.sum(bad as never));
      typed(() => agg.mean(bad as never));
    }
    for (const w of [undefined, null, [], [1, 2], ['1'], [1.5], [Number.NaN], [2n ** 40n]]) {
      typed(() => agg.weightedSum([ct], w as never));
    }
    typed(() => agg.weightedSum([ct], [0]));
    for (const bad of [null, 1, {}, new Uint8Array(5)]) {
      typed(() => agg.totalSum(bad as never));
      typed(() => owner.decrypt(bad as never));
      typed(() => owner.noiseBudget(bad as never));
    }
    for (const bad of [1, 'x', new Uint8Array(3), { galoisKeys: 1 }, { galoisKeys: new Uint8Array(50) }]) {
      typed(() => ctx.aggregator(bad as never));
    }
    typed(() => ctx.keygen({ galoisKeys: 'yes' } as never));
    typed(() => ctx.keygen(5 as never));
    const acc = agg.accumulator();
    typed(() => acc.add(ct, 1.5));
    typed(() => acc.add(ct, 'x' as never));
    ct.dispose();
    agg.dispose();
  });
});
