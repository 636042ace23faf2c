/**
 * The reflective hostile sweep over the objects @privkit/he's factories return (issue #16): the aggregation context
 * and what it builds — owner, device, aggregator, accumulator, ciphertext, public key, Galois keys — real SEAL (WASM)
 * objects. Every method gets every value of the shared table (one and two arguments: the WASM objects are slow),
 * and after each call an honest round trip must still give the exact result: a device's reading decrypts to itself,
 * a sum to the sum, an accumulator's running sum to its count times the reading, a ciphertext serializes and reads
 * back — a rejected (or accepted) hostile value left no trace. `dispose` ends an object (declared terminal).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertHostileSweep } from '@privkit/core/testing';
import { createAggregationContext, type AggregationContext, type HeAccumulator, type HeAggregator, type HeCiphertext, type HeDevice, type HeOwner } from '@privkit/he';

describe('reflective hostile sweep over the objects of @privkit/he', () => {
  let ctx: AggregationContext;
  let owner: HeOwner;
  const reading = [3, -2, 7];
  const values = (agg: { values: readonly (bigint | number)[] }) => agg.values.slice(0, 3).map(Number);
  const same = (got: number[], want: number[], what: string) => {
    if (got.length !== want.length || got.some((v, i) => v !== want[i])) throw new Error(`${what}: got ${got}, want ${want}`);
  };
  beforeAll(async () => {
    ctx = await createAggregationContext({ preset: 'bfv-4096', maxAbsReading: 1000 });
    owner = ctx.keygen({ galoisKeys: true });
  }, 120_000);
  afterAll(() => ctx?.dispose());

  it('context, owner, device, aggregator, accumulator, ciphertext, keys', async () => {
    const device = () => ctx.device(owner.publicKey);
    const ct = () => device().encrypt(reading);
    const counts = new WeakMap<HeAccumulator, number>();
    const r = await assertHostileSweep(
      {},
      {
        minCalled: 0,
        arities: [1, 2],
        timeoutMs: 60_000,
        seeds: {
          // dispose() of the shared context would end every other seed: it is swept on the objects below
          context: { create: () => ctx, skip: ['dispose'], check: (c: AggregationContext) => same(values(owner.decrypt(c.device(owner.publicKey).encrypt(reading))), reading, 'context') },
          owner: {
            create: () => ctx.keygen(),
            terminal: ['dispose'],
            dispose: (o: HeOwner) => o.dispose(),
            check: (o: HeOwner) => same(values(o.decrypt(ctx.device(o.publicKey).encrypt(reading))), reading, 'owner'),
          },
          device: {
            create: device,
            terminal: ['dispose'],
            dispose: (d: HeDevice) => d.dispose(),
            check: (d: HeDevice) => same(values(owner.decrypt(d.encrypt(reading))), reading, 'device'),
          },
          aggregator: {
            create: () => ctx.aggregator({ galoisKeys: owner.galoisKeys! }),
            terminal: ['dispose'],
            dispose: (a: HeAggregator) => a.dispose(),
            check: (a: HeAggregator) => same(values(owner.decrypt(a.sum([ct(), ct()]))), reading.map((v) => 2 * v), 'aggregator'),
          },
          accumulator: {
            create: () => {
              const acc = ctx.aggregator().accumulator();
              counts.set(acc, 0);
              return acc;
            },
            terminal: ['dispose'],
            dispose: (a: HeAccumulator) => a.dispose(),
            check: (a: HeAccumulator) => {
              a.add(ct());
              const n = counts.get(a)! + 1;
              counts.set(a, n);
              if (a.count !== n) throw new Error(`accumulator: count ${a.count}, want ${n}`);
              same(values(owner.decrypt(a.result())), reading.map((v) => n * v), 'accumulator');
            },
          },
          ciphertext: {
            create: ct,
            terminal: ['dispose'],
            dispose: (c: HeCiphertext) => c.dispose(),
            check: (c: HeCiphertext) => same(values(owner.decrypt(ctx.deserialize(c.serialize(), 'ciphertext'))), reading, 'ciphertext'),
          },
          publicKey: {
            create: () => ctx.deserialize(owner.publicKey.serialize(), 'publicKey'),
            terminal: ['dispose'],
            check: (k: HeOwner['publicKey']) => same(values(owner.decrypt(ctx.device(k.serialize()).encrypt(reading))), reading, 'publicKey'),
          },
          galoisKeys: {
            create: () => ctx.deserialize(owner.galoisKeys!.serialize(), 'galoisKeys'),
            terminal: ['dispose'],
            check: (g: NonNullable<HeOwner['galoisKeys']>) => {
              const agg = ctx.aggregator({ galoisKeys: g.serialize() });
              try {
                agg.totalSum(ct());
              } finally {
                agg.dispose();
              }
            },
          },
        },
      },
    );
    expect(r.called).toEqual(
      expect.arrayContaining(['context.deserialize', 'owner.decrypt', 'device.encrypt', 'aggregator.weightedSum', 'accumulator.add', 'ciphertext.serialize', 'publicKey.serialize']),
    );
  }, 900_000);
});
