/**
 * core's shared hostile-input table (CONVENTIONS §10) fed to every public function of `@privkit/he` — the entry's
 * exported functions and, reflectively, every method of every handle the API returns (context, owner, device,
 * aggregator, accumulator, ciphertext, keys) — with arities 1..3. Every call must return normally or throw a
 * PrivkitError; afterwards the same handles still do an honest round trip.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPrivkitError, PrivkitError } from '@privkit/core';
import { hostileValues } from '@privkit/core/testing';
import * as he from '@privkit/he';

type Fn = (...args: unknown[]) => unknown;
const isClass = (f: unknown) => typeof f === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(f));

async function outcome(f: () => unknown): Promise<unknown> {
  try {
    let r = f();
    if (r && typeof (r as Promise<unknown>).then === 'function') r = await r;
    if (r && typeof r === 'object' && typeof (r as { dispose?: unknown }).dispose === 'function') {
      (r as { dispose(): void }).dispose();
    }
    return undefined;
  } catch (e) {
    return e;
  }
}

/** Every method on an object and its prototype chain (up to Object.prototype), except the disposers. */
function methods(obj: object): [string, Fn][] {
  const out = new Map<string, Fn>();
  for (let p: object | null = obj; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const k of Object.getOwnPropertyNames(p)) {
      if (k === 'constructor' || k === 'dispose' || out.has(k)) continue;
      const d = Object.getOwnPropertyDescriptor(p, k);
      if (d && typeof d.value === 'function') out.set(k, d.value as Fn);
    }
  }
  return [...out];
}

async function hammer(label: string, fn: Fn, self: unknown): Promise<void> {
  for (const h of hostileValues('any')) {
    for (const arity of [1, 2, 3]) {
      const e = await outcome(() => fn.apply(self, new Array(arity).fill(h.value)));
      if (e !== undefined) {
        expect(isPrivkitError(e), `${label}(${h.title} x${arity}) threw ${String((e as Error)?.name)}: ${String((e as Error)?.message)}`).toBe(true);
        expect(e).toBeInstanceOf(PrivkitError);
      }
    }
  }
}

describe('hostile-input table against every @privkit/he function and handle method', () => {
  let ctx: he.AggregationContext;
  let owner: he.HeOwner;
  let dev: he.HeDevice;
  let agg: he.HeAggregator;
  let acc: he.HeAccumulator;
  let ct: he.HeCiphertext;
  beforeAll(async () => {
    ctx = await he.createAggregationContext({ maxAbsReading: 1000 });
    owner = ctx.keygen({ galoisKeys: true });
    dev = ctx.device(owner.publicKey);
    agg = ctx.aggregator({ galoisKeys: owner.galoisKeys! });
    acc = agg.accumulator();
    ct = dev.encrypt([1, 2, 3]);
    acc.add(ct);
  });
  afterAll(() => ctx.dispose());

  it('exported functions', async () => {
    const fns = Object.entries(he).filter(([, v]) => typeof v === 'function' && !isClass(v)) as [string, Fn][];
    expect(fns.map(([k]) => k)).toContain('createAggregationContext');
    for (const [name, fn] of fns) await hammer(name, fn, undefined);
  }, 120_000);

  it('every method of every handle', async () => {
    const handles: [string, object][] = [
      ['context', ctx],
      ['owner', owner],
      ['device', dev],
      ['aggregator', agg],
      ['accumulator', acc],
      ['ciphertext', ct],
      ['publicKey', owner.publicKey],
      ['galoisKeys', owner.galoisKeys!],
    ];
    let count = 0;
    for (const [name, obj] of handles) {
      for (const [m, fn] of methods(obj)) {
        await hammer(`${name}.${m}`, fn, obj);
        count++;
      }
    }
    expect(count).toBeGreaterThanOrEqual(18);
    // nothing was damaged: the accumulator kept its one term, and a round trip still works
    expect(acc.count).toBe(1);
    expect((owner.decrypt(acc.result()) as he.BfvAggregate).values).toEqual([1n, 2n, 3n]);
    expect((owner.decrypt(agg.sum([dev.encrypt([4, 5, 6]), ct])) as he.BfvAggregate).values).toEqual([5n, 7n, 9n]);
  }, 300_000);
});
