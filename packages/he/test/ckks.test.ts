import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import {
  createAggregationContext,
  presets,
  HeNoiseError,
  HeOverflowError,
  HeParamsError,
  type AggregationContext,
  type HeOwner,
  type CkksAggregate,
} from '@privkit/he';
import { readingVectors } from '@privkit/he/testing';

describe('ckks-8192', () => {
  let ctx: AggregationContext;
  let aggCtx: AggregationContext;
  let owner: HeOwner;
  let gk: Uint8Array;
  beforeAll(async () => {
    ctx = await createAggregationContext({ preset: 'ckks-8192' });
    aggCtx = await createAggregationContext({ preset: 'ckks-8192' });
    owner = ctx.keygen({ galoisKeys: true });
    gk = owner.galoisKeys!.serialize();
  });
  afterAll(() => {
    ctx.dispose();
    aggCtx.dispose();
  });

  it('preset is frozen and within the 128-bit budget', () => {
    expect(ctx.preset).toBe(presets['ckks-8192']);
    expect(ctx.preset.totalCoeffModulusBits).toBeLessThanOrEqual(218);
    expect(ctx.slotCount).toBe(4096);
  });

  it('sums stay within the documented error bound (fast-check)', () => {
    const dev = ctx.device(owner.publicKey.serialize());
    const agg = aggCtx.aggregator();
    fc.assert(
      fc.property(readingVectors({ preset: 'ckks-8192', devices: { min: 1, max: 6 }, length: { min: 1, max: 50 } }), ({ vectors }) => {
        const cts = vectors.map((v) => aggCtx.deserialize(dev.encrypt(v).serialize(), 'ciphertext'));
        const total = agg.sum(cts);
        const out = owner.decrypt(ctx.deserialize(total.serialize(), 'aggregate')) as CkksAggregate;
        expect(out.scheme).toBe('ckks');
        expect(out.errorBound).toBeLessThan(1e-4);
        const want = vectors[0]!.map((_, i) => vectors.reduce((s, v) => s + Number(v[i]), 0));
        out.values.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThanOrEqual(out.errorBound));
        cts.forEach((c) => c.dispose());
        total.dispose();
      }),
      { numRuns: 4 },
    );
    dev.dispose();
    agg.dispose();
  });

  it('weighted sums with real weights (one rescale level), mean, and total sum', () => {
    const dev = ctx.device(owner.publicKey);
    const agg = aggCtx.aggregator({ galoisKeys: gk });
    const a = [1.5, -2.25, 1000];
    const b = [0.125, 4, -3];
    const cts = [a, b].map((v) => aggCtx.deserialize(dev.encrypt(v).serialize(), 'ciphertext'));
    const w = agg.weightedSum(cts, [0.5, -3]);
    expect(w.level).toBe(1);
    const back = ctx.deserialize(w.serialize(), 'aggregate');
    const out = owner.decrypt(back) as CkksAggregate;
    const want = a.map((x, i) => 0.5 * x - 3 * b[i]!);
    out.values.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThanOrEqual(out.errorBound));
    // levels cannot be mixed, and a weighted result cannot be weighted again
    expect(() => agg.sum([cts[0]!, w])).toThrow(HeParamsError);
    expect(() => agg.weightedSum([w], [2])).toThrow(HeParamsError);
    expect(owner.decrypt(agg.sum([w, w])).values.length).toBe(3);
    const m = owner.decrypt(agg.mean(cts)) as CkksAggregate;
    m.mean.forEach((v, i) => expect(Math.abs(v - (a[i]! + b[i]!) / 2)).toBeLessThan(1e-5));
    const t = owner.decrypt(agg.totalSum(cts[0]!)) as CkksAggregate;
    expect(t.values.length).toBe(1);
    expect(Math.abs(t.values[0]! - a.reduce((x, y) => x + y))).toBeLessThanOrEqual(t.errorBound);
    dev.dispose();
    agg.dispose();
  });

  it('refuses garbage (ciphertext under another key) and overflow', async () => {
    const other = ctx.keygen();
    const ct = ctx.device(other.publicKey).encrypt([1, 2, 3]);
    expect(owner.noiseBudget(ct)).toBeUndefined();
    expect(() => owner.decrypt(ct)).toThrow(HeNoiseError);
    const big = await createAggregationContext({ preset: 'ckks-8192', maxAbsReading: 2n ** 48n });
    const o2 = big.keygen();
    const c2 = big.device(o2.publicKey).encrypt([2 ** 48]);
    const agg = big.aggregator();
    const s = agg.sum([c2, c2, c2, c2]);
    expect(s.bound).toBe(2n ** 50n);
    expect(() => agg.sum([s, c2])).toThrow(HeOverflowError);
    big.dispose();
  });
});
