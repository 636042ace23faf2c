/**
 * Issue #15 properties: (1) every composition of sum / weightedSum / totalSum / mean / accumulator either decrypts to
 * exactly what plain BigInt arithmetic gives or is refused with a typed error — never a wrong value; (2) an
 * accumulator fed hostile and honest uploads interleaved ends with the plain sum of the honest ones; (3) every CKKS
 * value decrypted from a weighted sum lies within the documented error bound, weight-encoding error included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PrivkitError } from '@privkit/core';
import {
  createAggregationContext,
  type AggregationContext,
  type BfvAggregate,
  type CkksAggregate,
  type HeAggregator,
  type HeCiphertext,
  type HeDevice,
  type HeOwner,
} from '@privkit/he';
import { buildFrame, parseFrame, sealHeader } from './_wire.js';

const SLOTS = 4096;

type Expr =
  | { op: 'enc'; readings: bigint[] }
  | { op: 'sum'; xs: Expr[] }
  | { op: 'wsum'; xs: Expr[]; ws: bigint[] }
  | { op: 'acc'; xs: Expr[]; ws: bigint[] }
  | { op: 'total'; x: Expr };

/** Plain model: every slot of every batch (padding included), readings carried, contributions. */
interface Plain {
  slots: bigint[];
  length: number;
  count: number;
}

function evalPlain(e: Expr): Plain {
  switch (e.op) {
    case 'enc': {
      const batches = Math.ceil(e.readings.length / SLOTS);
      const slots = new Array<bigint>(batches * SLOTS).fill(0n);
      e.readings.forEach((r, i) => (slots[i] = r));
      return { slots, length: e.readings.length, count: 1 };
    }
    case 'sum':
    case 'wsum':
    case 'acc': {
      const ps = e.xs.map(evalPlain);
      const ws = e.op === 'sum' ? ps.map(() => 1n) : e.ws;
      const slots = ps[0]!.slots.map((_, i) => ps.reduce((s, p, j) => s + ws[j]! * (p.slots[i] ?? 0n), 0n));
      // a weight-0 term contributes nothing, and is not counted
      return { slots, length: ps[0]!.length, count: ps.reduce((s, p, j) => s + (ws[j] === 0n ? 0 : p.count), 0) };
    }
    case 'total': {
      const p = evalPlain(e.x);
      const t = p.slots.reduce((s, v) => s + v, 0n);
      return { slots: new Array<bigint>(SLOTS).fill(t), length: 1, count: p.count };
    }
  }
}

/** Expressions whose leaves all have the same length (totalSum's result has length 1). */
function exprOf(maxAbs: bigint, length: number, depth: number): fc.Arbitrary<Expr> {
  const reading = fc.oneof(fc.bigInt({ min: -maxAbs, max: maxAbs }), fc.constantFrom(maxAbs, -maxAbs));
  const enc: fc.Arbitrary<Expr> = fc
    .array(reading, { minLength: length, maxLength: length })
    .map((readings) => ({ op: 'enc' as const, readings }));
  if (depth === 0) return enc;
  const sub = exprOf(maxAbs, length, depth - 1);
  const weight = fc.oneof(fc.bigInt({ min: -3n, max: 3n }), fc.constantFrom(2n ** 12n, -(2n ** 13n), 70_000n));
  const options: fc.Arbitrary<Expr>[] = [
    enc,
    fc.array(sub, { minLength: 1, maxLength: 3 }).map((xs) => ({ op: 'sum' as const, xs })),
    fc
      .array(fc.tuple(sub, weight), { minLength: 1, maxLength: 3 })
      .map((t) => ({ op: 'wsum' as const, xs: t.map((x) => x[0]), ws: t.map((x) => x[1]) })),
    fc
      .array(fc.tuple(sub, weight), { minLength: 1, maxLength: 3 })
      .map((t) => ({ op: 'acc' as const, xs: t.map((x) => x[0]), ws: t.map((x) => x[1]) })),
  ];
  const weighted = options.map((arbitrary) => ({ arbitrary, weight: 1 }));
  if (length === 1) {
    weighted.push({
      arbitrary: fc
        .constantFrom(1, 3, SLOTS + 1)
        .chain((l) => exprOf(maxAbs, l, depth - 1))
        .map((x) => ({ op: 'total' as const, x })),
      weight: 4,
    });
  }
  return fc.oneof({ depthSize: 'small' }, ...weighted);
}

describe('properties (issue #15)', () => {
  const contexts: { ctx: AggregationContext; owner: HeOwner; dev: HeDevice; agg: HeAggregator; maxAbs: bigint }[] = [];
  beforeAll(async () => {
    for (const maxAbs of [1000n, 300_000n]) {
      const ctx = await createAggregationContext({ maxAbsReading: maxAbs });
      const owner = ctx.keygen({ galoisKeys: true });
      contexts.push({ ctx, owner, dev: ctx.device(owner.publicKey), agg: ctx.aggregator({ galoisKeys: owner.galoisKeys! }), maxAbs });
    }
  });
  afterAll(() => contexts.forEach((c) => c.ctx.dispose()));

  it('bound accounting: every composition decrypts exactly (as BigInt arithmetic says) or is refused with a typed error', () => {
    const run = (c: (typeof contexts)[number], e: Expr): HeCiphertext => {
      const kids: HeCiphertext[] = [];
      try {
        switch (e.op) {
          case 'enc':
            return c.ctx.deserialize(c.dev.encrypt(e.readings).serialize(), 'ciphertext');
          case 'sum':
            kids.push(...e.xs.map((x) => run(c, x)));
            return c.agg.sum(kids);
          case 'wsum':
            kids.push(...e.xs.map((x) => run(c, x)));
            return c.agg.weightedSum(kids, e.ws);
          case 'acc': {
            kids.push(...e.xs.map((x) => run(c, x)));
            const acc = c.agg.accumulator();
            try {
              kids.forEach((k, i) => acc.add(k, e.ws[i]));
              return acc.result();
            } finally {
              acc.dispose();
            }
          }
          case 'total':
            kids.push(run(c, e.x));
            return c.agg.totalSum(kids[0]!);
        }
      } finally {
        kids.forEach((k) => k.dispose());
      }
    };
    let exact = 0;
    let refused = 0;
    let totals = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: contexts.length - 1 }),
        fc.constantFrom(1, 1, 2, SLOTS + 1),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (ci, length, seed) => {
          const c = contexts[ci]!;
          const [e] = fc.sample(exprOf(c.maxAbs, length, 2), { seed, numRuns: 1 });
          const want = evalPlain(e!);
          if (JSON.stringify(e, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)).includes('"total"')) totals++;
          let ct: HeCiphertext;
          try {
            ct = run(c, e!);
          } catch (err) {
            expect(err).toBeInstanceOf(PrivkitError);
            refused++;
            return;
          }
          try {
            const out = c.owner.decrypt(c.ctx.deserialize(ct.serialize(), 'aggregate')) as BfvAggregate;
            expect(out.values).toEqual(want.slots.slice(0, want.length));
            expect(out.count).toBe(want.count);
            exact++;
          } catch (err) {
            if (!(err instanceof PrivkitError)) throw err;
            refused++;
          } finally {
            ct.dispose();
          }
        },
      ),
      { numRuns: 40 },
    );
    expect(exact).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
    expect(totals).toBeGreaterThan(0);
  }, 600_000);

  it('accumulator: hostile uploads interleaved with honest ones leave exactly the plain sum of the honest ones', () => {
    const c = contexts[0]!;
    const wire = c.dev.encrypt([1, 1, 1]).serialize({ compression: 'none' });
    const f = parseFrame(wire);
    const h17 = buildFrame({ ...f, streams: [sealHeader({ headerSize: 17, size: 16 })] });
    const honestOp = fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 3, maxLength: 3 }).map((r) => ({ honest: r }));
    const hostileOp = fc.constantFrom('header17', 'cancel', 'overweight', 'otherLength', 'oorCoefficient').map((k) => ({ hostile: k }));
    fc.assert(
      fc.property(fc.array(fc.oneof(honestOp, hostileOp), { minLength: 1, maxLength: 12 }), (ops) => {
        const acc = c.agg.accumulator();
        const want = [0n, 0n, 0n];
        try {
          for (const op of ops) {
            if ('honest' in op) {
              const ct = c.ctx.deserialize(c.dev.encrypt(op.honest).serialize(), 'ciphertext');
              acc.add(ct);
              ct.dispose();
              op.honest.forEach((x, i) => (want[i]! += BigInt(x)));
              continue;
            }
            const attempt = (): void => {
              switch (op.hostile) {
                case 'header17':
                  c.ctx.deserialize(h17, 'ciphertext');
                  return;
                case 'cancel': {
                  if (acc.count === 0) throw new PrivkitError('nothing to cancel', { code: 'INVALID_VALUE' });
                  const r = acc.result();
                  const neg = c.ctx.deserialize(c.agg.weightedSum([r], [-1]).serialize(), 'ciphertext');
                  r.dispose();
                  try {
                    acc.add(neg);
                  } finally {
                    neg.dispose();
                  }
                  return;
                }
                case 'overweight': {
                  const ct = c.ctx.deserialize(wire, 'ciphertext');
                  try {
                    acc.add(ct, 10n ** 9n);
                  } finally {
                    ct.dispose();
                  }
                  return;
                }
                case 'otherLength': {
                  const ct = c.dev.encrypt([1, 2]);
                  try {
                    if (acc.count === 0) throw new PrivkitError('first term defines the length', { code: 'INVALID_VALUE' });
                    acc.add(ct);
                  } finally {
                    ct.dispose();
                  }
                  return;
                }
                case 'oorCoefficient': {
                  const s = f.streams[0]!.slice();
                  new DataView(s.buffer).setBigUint64(16 + 73 + 24 + 8 * 77, 2n ** 63n, true);
                  c.ctx.deserialize(buildFrame({ ...f, streams: [s] }), 'ciphertext');
                  return;
                }
              }
            };
            expect(attempt).toThrow(PrivkitError);
          }
          if (acc.count === 0) return;
          expect((c.owner.decrypt(acc.result()) as BfvAggregate).values).toEqual(want);
        } finally {
          acc.dispose();
        }
      }),
      { numRuns: 25 },
    );
  }, 600_000);

  it('CKKS: every value of a weighted sum (non-dyadic weights, readings up to 2^49) lies within errorBound', async () => {
    const ctx = await createAggregationContext({ preset: 'ckks-8192', maxAbsReading: 2n ** 49n });
    const owner = ctx.keygen();
    const dev = ctx.device(owner.publicKey);
    const agg = ctx.aggregator();
    const check = (vectors: number[][], weights: number[]) => {
      const cts = vectors.map((v) => ctx.deserialize(dev.encrypt(v).serialize(), 'ciphertext'));
      const out = owner.decrypt(ctx.deserialize(agg.weightedSum(cts, weights).serialize(), 'aggregate')) as CkksAggregate;
      out.values.forEach((v, i) => {
        const want = vectors.reduce((s, vec, j) => s + weights[j]! * vec[i]!, 0);
        expect(Math.abs(v - want), `slot ${i}: ${v} vs ${want}, bound ${out.errorBound}`).toBeLessThanOrEqual(out.errorBound);
      });
      cts.forEach((c) => c.dispose());
    };
    // the case: weight 0.3 on readings near 2^49 (errors of 102 and 182 against the old bound of 64)
    check([[2 ** 49 - 1, -(2 ** 49) + 3, 2 ** 48 + 0.5]], [0.3]);
    const reading = fc.double({ min: -(2 ** 49), max: 2 ** 49, noNaN: true, noDefaultInfinity: true });
    const weight = fc.double({ min: -1, max: 1, noNaN: true }).filter((w) => w !== 0 && Math.abs(w) > 1e-9);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 }).chain((n) =>
          fc.tuple(
            fc.array(fc.array(reading, { minLength: 4, maxLength: 4 }), { minLength: n, maxLength: n }),
            fc.array(weight, { minLength: n, maxLength: n }),
          ),
        ),
        ([vectors, weights]) => check(vectors, weights),
      ),
      { numRuns: 8 },
    );
    ctx.dispose();
  }, 600_000);
});
