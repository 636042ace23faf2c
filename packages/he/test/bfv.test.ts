import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import { isPrivkitError } from '@privkit/core';
import {
  createAggregationContext,
  presets,
  HeNoiseError,
  HeOverflowError,
  HeParamsError,
  HeStateError,
  type AggregationContext,
  type HeOwner,
  type HeCiphertext,
  type BfvAggregate,
} from '@privkit/he';
import { readingVectors } from '@privkit/he/testing';
import { _buildCore } from '../src/aggregation.js';
import { loadSeal } from '../src/_seal.js';

const ctx4096Fresh = presets['bfv-4096'].freshNoiseBudgetBits;

function sumVectors(vectors: readonly (readonly (bigint | number)[])[]): bigint[] {
  const out = vectors[0]!.map(() => 0n);
  for (const v of vectors) v.forEach((x, i) => (out[i]! += BigInt(x)));
  return out;
}

describe('bfv-4096', () => {
  let ctx: AggregationContext;
  let owner: HeOwner;
  beforeAll(async () => {
    ctx = await createAggregationContext();
    owner = ctx.keygen({ galoisKeys: true });
  });
  afterAll(() => ctx.dispose());

  it('uses the frozen default preset, checked at 128-bit security', () => {
    expect(ctx.preset).toBe(presets['bfv-4096']);
    expect(ctx.slotCount).toBe(4096);
    expect(ctx.maxAbsReading).toBe(65535n);
    expect(ctx.preset.totalCoeffModulusBits).toBeLessThanOrEqual(ctx.preset.maxCoeffModulusBits);
  });

  it('fresh noise budget is at least the documented lower bound', () => {
    const dev = ctx.device(owner.publicKey);
    const ct = dev.encrypt([1, 2, 3]);
    expect(owner.noiseBudget(ct)).toBeGreaterThanOrEqual(ctx.preset.freshNoiseBudgetBits);
    ct.dispose();
    dev.dispose();
  });

  it('sums are exact over random signed readings (fast-check)', () => {
    const dev = ctx.device(owner.publicKey);
    const agg = ctx.aggregator();
    fc.assert(
      fc.property(readingVectors({ preset: 'bfv-4096', devices: { min: 1, max: 5 }, length: { min: 1, max: 40 } }), ({ vectors }) => {
        const cts = vectors.map((v) => dev.encrypt(v));
        try {
          const total = agg.sum(cts);
          const out = owner.decrypt(total);
          total.dispose();
          expect(out.values).toEqual(sumVectors(vectors));
          expect(out.count).toBe(vectors.length);
        } finally {
          cts.forEach((c) => c.dispose());
        }
      }),
      { numRuns: 8 },
    );
    dev.dispose();
    agg.dispose();
  });
});

describe('BFV security check at creation', () => {
  it('rejects a preset whose coefficient modulus exceeds the 128-bit budget', async () => {
    const seal = await loadSeal();
    const bad = { ...presets['bfv-4096'], coeffModulusBits: [36, 36, 38], totalCoeffModulusBits: 110 };
    expect(() => _buildCore(seal, bad, 1n)).toThrow(HeParamsError);
    try {
      _buildCore(seal, bad, 1n);
    } catch (e) {
      expect(isPrivkitError(e, 'HE_INSECURE_PARAMS')).toBe(true);
    }
  });
});

describe('bfv-4096 roles, weights, means, rotations', () => {
  let ownerCtx: AggregationContext;
  let deviceCtx: AggregationContext;
  let aggCtx: AggregationContext;
  let owner: HeOwner;
  let pkBytes: Uint8Array;
  let gkBytes: Uint8Array;
  beforeAll(async () => {
    ownerCtx = await createAggregationContext({ preset: 'bfv-4096', maxAbsReading: 1000 });
    deviceCtx = await createAggregationContext({ preset: 'bfv-4096', maxAbsReading: 1000 });
    aggCtx = await createAggregationContext({ preset: 'bfv-4096', maxAbsReading: 1000 });
    owner = ownerCtx.keygen({ galoisKeys: true });
    pkBytes = owner.publicKey.serialize();
    gkBytes = owner.galoisKeys!.serialize();
  });
  afterAll(() => {
    ownerCtx.dispose();
    deviceCtx.dispose();
    aggCtx.dispose();
  });

  function upload(readings: (number | bigint)[][]): HeCiphertext[] {
    const dev = deviceCtx.device(pkBytes);
    try {
      return readings.map((r) => aggCtx.deserialize(dev.encrypt(r).serialize(), 'ciphertext'));
    } finally {
      dev.dispose();
    }
  }

  it('the aggregator works from bytes only, in separate contexts, without the secret key', () => {
    const agg = aggCtx.aggregator({ galoisKeys: gkBytes });
    expect(agg.canRotate).toBe(true);
    expect(Object.keys(agg)).not.toContain('decrypt');
    expect('decrypt' in agg).toBe(false);
    const cts = upload([
      [1, -2, 3],
      [10, 20, -30],
      [-1000, 1000, 0],
    ]);
    const total = agg.sum(cts);
    const back = ownerCtx.deserialize(total.serialize(), 'aggregate');
    expect(owner.decrypt(back).values).toEqual([-989n, 1018n, -27n]);
    // the aggregator context cannot decrypt: it has no owner and its objects expose no secret
    for (const c of [...cts, total]) expect(Object.keys(c)).not.toContain('secretKey');
    cts.forEach((c) => c.dispose());
    total.dispose();
    back.dispose();
    agg.dispose();
  });

  it('weighted sums with signed plaintext weights are exact', () => {
    const agg = aggCtx.aggregator();
    const cts = upload([
      [5, 6, 7],
      [-1, 2, -3],
      [100, 0, 9],
    ]);
    const r = agg.weightedSum(cts, [3, -2n, 0]);
    const out = owner.decrypt(ownerCtx.deserialize(r.serialize(), 'aggregate')) as BfvAggregate;
    expect(out.values).toEqual([17n, 14n, 27n]);
    expect(r.bound).toBe(5000n);
    // negative weights cost noise like |w| (multiply by |w|, then negate), not like the residue t − |w|
    expect(out.noiseBudget).toBeGreaterThanOrEqual(ctx4096Fresh - 4);
    const neg = agg.weightedSum(cts, [-1, -1, -70000]);
    const negOut = owner.decrypt(neg) as BfvAggregate;
    expect(negOut.values).toEqual([-5n + 1n - 7_000_000n, -6n - 2n, -7n + 3n - 630_000n]);
    expect(negOut.noiseBudget).toBeGreaterThanOrEqual(ctx4096Fresh - 18);
    neg.dispose();
    cts.forEach((c) => c.dispose());
    r.dispose();
    agg.dispose();
  });

  it('mean divides by the number of contributions at decryption', () => {
    const agg = aggCtx.aggregator();
    const cts = upload([
      [1, 2],
      [2, 4],
      [4, 9],
    ]);
    const m = agg.mean(cts);
    expect(m.divisor).toBe(3n);
    const out = owner.decrypt(ownerCtx.deserialize(m.serialize(), 'aggregate'));
    expect(out.values).toEqual([7n, 15n]);
    expect(out.mean).toEqual([7 / 3, 5]);
    expect(() => agg.sum([m])).toThrow(/mean/);
    cts.forEach((c) => c.dispose());
    m.dispose();
    agg.dispose();
  });

  it('many batches: readings longer than one batch', () => {
    const n = 4096 + 100;
    const a = Array.from({ length: n }, (_, i) => (i % 2000) - 1000);
    const b = Array.from({ length: n }, (_, i) => ((i * 7) % 2001) - 1000);
    const cts = upload([a, b]);
    expect(cts[0]!.batches).toBe(2);
    const agg = aggCtx.aggregator();
    const total = agg.sum(cts);
    const out = owner.decrypt(total);
    expect(out.values.length).toBe(n);
    expect(out.values).toEqual(a.map((x, i) => BigInt(x + b[i]!)));
    cts.forEach((c) => c.dispose());
    total.dispose();
    agg.dispose();
  });

  it('total (rotation) sum over all slots and batches, with Galois keys', () => {
    const agg = aggCtx.aggregator({ galoisKeys: gkBytes });
    const n = 4096 + 5;
    const a = Array.from({ length: n }, (_, i) => (i % 11) - 5 + (i === 4100 ? 900 : 0));
    const [ct] = upload([a]);
    const t = agg.totalSum(ct!);
    expect(t.length).toBe(1);
    const out = owner.decrypt(ownerCtx.deserialize(t.serialize(), 'aggregate'));
    expect(out.values).toEqual([BigInt(a.reduce((x, y) => x + y, 0))]);
    ct!.dispose();
    t.dispose();
    agg.dispose();
  });

  it('total sum without Galois keys is refused (HE_MISSING_GALOIS_KEYS)', () => {
    const agg = aggCtx.aggregator();
    const [ct] = upload([[1]]);
    expect(agg.canRotate).toBe(false);
    try {
      agg.totalSum(ct!);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(HeStateError);
      expect(isPrivkitError(e, 'HE_MISSING_GALOIS_KEYS')).toBe(true);
    }
    ct!.dispose();
    agg.dispose();
  });

  it('Galois keys are only generated on request, and keys of another preset are rejected', async () => {
    const other = await createAggregationContext({ preset: 'ckks-8192' });
    const o = other.keygen({ galoisKeys: true });
    expect(ownerCtx.keygen().galoisKeys).toBeUndefined();
    expect(() => aggCtx.aggregator({ galoisKeys: o.galoisKeys! })).toThrow(HeParamsError);
    expect(() => aggCtx.aggregator({ galoisKeys: o.galoisKeys!.serialize() })).toThrow(HeParamsError);
    other.dispose();
  });

  it('differing lengths cannot be summed', () => {
    const agg = aggCtx.aggregator();
    const cts = upload([[1, 2], [1, 2, 3]]);
    expect(() => agg.sum(cts)).toThrow(HeParamsError);
    cts.forEach((c) => c.dispose());
    agg.dispose();
  });
});

describe('overflow and noise safety', () => {
  it('refuses (HE_PLAINTEXT_OVERFLOW) a sum that could wrap, before touching the running sum', async () => {
    const t = presets['bfv-4096'].plainModulus;
    const max = (t - 1n) / 2n; // 536846336
    const ctx = await createAggregationContext({ maxAbsReading: max / 3n });
    const owner = ctx.keygen();
    const dev = ctx.device(owner.publicKey);
    const agg = ctx.aggregator();
    const r = max / 3n;
    const ct = dev.encrypt([r, -r]);
    const acc = agg.accumulator();
    acc.add(ct);
    acc.add(ct);
    acc.add(ct); // 3 · (max/3) ≤ max: fine
    try {
      acc.add(ct);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(HeOverflowError);
      expect(isPrivkitError(e, 'HE_PLAINTEXT_OVERFLOW')).toBe(true);
    }
    expect(acc.count).toBe(3);
    const out = owner.decrypt(acc.result());
    expect(out.values).toEqual([3n * r, -3n * r]);
    expect(() => agg.weightedSum([ct], [4])).toThrow(HeOverflowError);
    // readings beyond the declared bound are refused at the device
    expect(() => dev.encrypt([r + 1n])).toThrow(/readings\[0\]/);
    ctx.dispose();
  });

  it('refuses a rotation sum whose noise estimate exceeds the preset limit (HE_NOISE_BUDGET_EXHAUSTED)', async () => {
    const ctx = await createAggregationContext({ maxAbsReading: 1 });
    const owner = ctx.keygen({ galoisKeys: true });
    const dev = ctx.device(owner.publicKey);
    const agg = ctx.aggregator({ galoisKeys: owner.galoisKeys! });
    const ct = dev.encrypt([1]);
    // bound 2^15 · 4096 slots = 2^27 fits; noise 2^15 · 4 · 4096 = 2^29 is over the 2^28 limit
    const heavy = agg.weightedSum([ct], [2 ** 15]);
    expect(heavy.noiseWeight).toBe(2n ** 15n);
    expect(() => agg.totalSum(heavy)).toThrow(HeNoiseError);
    const light = agg.weightedSum([ct], [2 ** 10]);
    expect(owner.decrypt(agg.totalSum(light)).values).toEqual([1024n]);
    ctx.dispose();
  });

  it('at the aggregator\'s noise limit the owner still decrypts exactly; one step beyond is refused', async () => {
    const ctx = await createAggregationContext({ maxAbsReading: 1 });
    const owner = ctx.keygen({ galoisKeys: true });
    const dev = ctx.device(owner.publicKey);
    const agg = ctx.aggregator({ galoisKeys: owner.galoisKeys! });
    const ct = dev.encrypt([1, -1, 0]);
    const ct2 = dev.encrypt([1, -1, 0]);
    const acc = agg.accumulator();
    acc.add(ct, 2 ** 27);
    acc.add(ct2, -(2 ** 27)); // noise weight 2^28 = the bfv-4096 limit; bound 2^28 < (t − 1)/2
    const atLimit = acc.result();
    expect(atLimit.noiseWeight).toBe(2n ** 28n);
    const out = owner.decrypt(atLimit) as BfvAggregate;
    expect(out.values).toEqual([0n, 0n, 0n]);
    expect(out.noiseBudget).toBeGreaterThan(0);
    expect(() => acc.add(ct)).toThrow(HeNoiseError); // bound would still fit: the noise limit refuses
    // total sum at the limit: noise weight 2^14 · 4 · 4096 = 2^28
    const w = agg.weightedSum([ct], [2 ** 14]);
    const t = owner.decrypt(agg.totalSum(w)) as BfvAggregate;
    expect(t.values).toEqual([0n]);
    expect(t.noiseBudget).toBeGreaterThan(0);
    // the same ciphertext with opposite weights cancels exactly (SEAL refuses a transparent result): typed error
    expect(() => agg.weightedSum([ct, ct], [3, -3])).toThrow(/cancel/);
    ctx.dispose();
  });

  it('refuses to decrypt a ciphertext under another key (noise budget 0), and a value beyond its bound', async () => {
    const ctx = await createAggregationContext({ maxAbsReading: 100 });
    const alice = ctx.keygen();
    const bob = ctx.keygen();
    const ct = ctx.device(bob.publicKey).encrypt([1, 2, 3]);
    expect(() => alice.decrypt(ct)).toThrow(HeNoiseError);
    expect(alice.noiseBudget(ct)).toBe(0);
    // a contribution outside the declared range (forged metadata: bound 1 for a reading of 100)
    const bytes = ctx.device(alice.publicKey).encrypt([100]).serialize();
    const forged = reencode(bytes, 1n);
    // as a device upload, the forged metadata is reset to what the context allows
    const up = ctx.deserialize(forged, 'ciphertext');
    expect(up.bound).toBe(100n);
    expect(alice.decrypt(up).values).toEqual([100n]);
    // the owner's own bound is enforced whatever the ciphertext declares
    expect(() => alice.decrypt(up, { bound: 99n })).toThrow(HeOverflowError);
    // as an aggregate, the declared bound is kept and enforced at decryption
    const f = ctx.deserialize(forged, 'aggregate');
    expect(f.bound).toBe(1n);
    expect(() => alice.decrypt(f)).toThrow(HeOverflowError);
    ctx.dispose();
  });
});

/** Rewrites the bound of a serialized fresh ciphertext (1-byte bound field) and fixes the CRC. */
function reencode(bytes: Uint8Array, bound: bigint): Uint8Array {
  // header 40, length 4, batches 2, level 1, reserved 1, count 4 → bound at 52
  const lenByte = bytes[52]!;
  const rest = bytes.subarray(53 + lenByte, bytes.length - 4);
  const b = new Uint8Array(52 + 2 + rest.length + 4);
  b.set(bytes.subarray(0, 52));
  b[52] = 1;
  b[53] = Number(bound);
  b.set(rest, 54);
  const crc = crc32(b.subarray(0, b.length - 4));
  new DataView(b.buffer).setUint32(b.length - 4, crc, false);
  return b;
}

function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const x of data) {
    c ^= x;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

describe('bfv-8192 (headroom preset)', () => {
  it('exact sums of large signed readings', async () => {
    const ctx = await createAggregationContext({ preset: 'bfv-8192' });
    const owner = ctx.keygen();
    const dev = ctx.device(owner.publicKey.serialize());
    const agg = ctx.aggregator();
    const big = 4294967295n;
    const cts = [dev.encrypt([big, -big, 1n]), dev.encrypt([big, -big, 2n])];
    const out = owner.decrypt(agg.sum(cts));
    expect(out.values).toEqual([2n * big, -2n * big, 3n]);
    expect((out as BfvAggregate).noiseBudget).toBeGreaterThan(presets['bfv-8192'].freshNoiseBudgetBits - 2);
    ctx.dispose();
  });
});
