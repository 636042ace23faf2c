import { describe, expect, it } from 'vitest';
import { isPrivkitError } from '@privkit/core';
import { createAggregationContext, HeStateError, type HeCiphertext } from '@privkit/he';
import { wasmHeapBytes } from '@privkit/he/testing';

describe('WASM memory ownership', () => {
  it('aggregating 10,000 ciphertexts in a loop does not grow the WASM heap after warm-up', async () => {
    const ctx = await createAggregationContext({ maxAbsReading: 1000 });
    const owner = ctx.keygen();
    const dev = ctx.device(owner.publicKey.serialize());
    const agg = ctx.aggregator();
    const readings = [
      [1, 2, 3, -4],
      [-1000, 1000, 7, 0],
      [5, 5, 5, 5],
      [0, -1, -2, 999],
    ];
    const pool = readings.map((r) => dev.encrypt(r));
    const wire = pool.map((c) => c.serialize({ compression: 'none' }));
    const tamperedWire = wire[0]!.slice();
    tamperedWire[100]! ^= 1;
    const expected = [0n, 0n, 0n, 0n];
    const acc = agg.accumulator();
    let heapAfterWarmup: number | undefined;
    const N = 10_000;
    for (let i = 0; i < N; i++) {
      const k = i % 4;
      let ct: HeCiphertext;
      if (i % 500 === 0) ct = dev.encrypt(readings[k]!);
      else if (i % 10 === 0) ct = ctx.deserialize(wire[k]!, 'ciphertext');
      else ct = agg.sum([pool[k]!]);
      try {
        const w = i % 3 === 0 ? 2 : undefined;
        acc.add(ct, w);
        readings[k]!.forEach((x, j) => (expected[j]! += BigInt(x) * BigInt(w ?? 1)));
        if (i % 997 === 0) {
          // error paths must not leak either
          expect(() => ctx.deserialize(tamperedWire)).toThrow();
          expect(() => acc.add(ct, 10n ** 9n)).toThrow();
        }
        if (i % 2500 === 2499) {
          const snap = acc.result();
          expect(owner.decrypt(snap).values).toEqual(expected);
          snap.dispose();
        }
      } finally {
        ct.dispose();
      }
      if (i === 499) heapAfterWarmup = wasmHeapBytes();
    }
    expect(acc.count).toBe(N);
    const total = acc.result();
    expect(owner.decrypt(total).values).toEqual(expected);
    total.dispose();
    acc.dispose();
    expect(heapAfterWarmup).toBeGreaterThan(0);
    expect(wasmHeapBytes()).toBe(heapAfterWarmup);

    // the probe is sensitive: keeping 2,000 ciphertexts (~260 MB) alive does grow the heap
    const kept = Array.from({ length: 2000 }, () => agg.sum([pool[0]!]));
    expect(wasmHeapBytes()!).toBeGreaterThan(heapAfterWarmup!);
    kept.forEach((c) => c.dispose());
    ctx.dispose();
  });

  it('dispose() and Symbol.dispose free objects; use after dispose is a typed error; context dispose frees children', async () => {
    const ctx = await createAggregationContext();
    const owner = ctx.keygen({ galoisKeys: true });
    const dev = ctx.device(owner.publicKey);
    const agg = ctx.aggregator({ galoisKeys: owner.galoisKeys! });
    const ct = dev.encrypt([1]);
    ct[Symbol.dispose]();
    expect(ct.disposed).toBe(true);
    ct.dispose(); // idempotent
    for (const f of [() => ct.serialize(), () => owner.decrypt(ct), () => agg.sum([ct]), () => agg.totalSum(ct)]) {
      try {
        f();
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(HeStateError);
        expect(isPrivkitError(e, 'HE_DISPOSED')).toBe(true);
      }
    }
    const acc = agg.accumulator();
    expect(() => acc.result()).toThrow(/empty/);
    const live = dev.encrypt([2]);
    ctx.dispose();
    expect(ctx.disposed).toBe(true);
    for (const o of [owner, dev, agg, acc, live, owner.publicKey, owner.galoisKeys!]) expect(o.disposed).toBe(true);
    expect(() => ctx.keygen()).toThrow(HeStateError);
    expect(() => dev.encrypt([1])).toThrow(HeStateError);
    ctx[Symbol.dispose](); // idempotent
  });
});
