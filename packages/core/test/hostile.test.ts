/**
 * The shared hostile-input table fed to every public function of both core entry points (CONVENTIONS §10): every
 * malformed input must give a typed PrivkitError (or a plain return for total predicates), never a crash with a
 * foreign error type. Functions nested one or two levels inside exported bundles (sm4.gcm, getAead(...).seal, …)
 * are included. Per-argument tests with otherwise-valid arguments live next to each algorithm's tests.
 */
import { describe, expect, it } from 'vitest';
import * as nodeEntry from '@privkit/core';
import { hostileBytes, hostileNumbers, hostileValues } from '@privkit/core/testing';
import * as portableEntry from '../src/index.js';

type Fn = (...args: unknown[]) => unknown;
const isClass = (f: unknown) => typeof f === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(f));

/** Collects [path, function] pairs from an entry point, descending into plain exported objects (max depth 2). */
function collect(mod: Record<string, unknown>): [string, Fn][] {
  const out: [string, Fn][] = [];
  const seen = new Set<unknown>();
  const walk = (path: string, v: unknown, depth: number) => {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function') || seen.has(v)) return;
    if (ArrayBuffer.isView(v) || Array.isArray(v) || v instanceof Map || v instanceof Set) return;
    seen.add(v);
    if (typeof v === 'function') {
      if (isClass(v)) return;
      out.push([path, v as Fn]);
    }
    if (depth >= 2) return;
    for (const k of Object.keys(v)) walk(`${path}.${k}`, (v as Record<string, unknown>)[k], depth + 1);
  };
  for (const [k, v] of Object.entries(mod)) walk(k, v, 0);
  return out;
}

async function outcome(f: () => unknown): Promise<unknown> {
  try {
    const r = f();
    if (r && typeof (r as Promise<unknown>).then === 'function') await r;
    return undefined;
  } catch (e) {
    return e;
  }
}

// The validators' extra parameters (title, bounds, allowed list) are developer-supplied constants, not user input:
// they get the table in their value position only, in the dedicated test below.
const VALIDATORS = new Set(['abytes', 'abytesRange', 'anumber', 'abigint', 'astring', 'abool', 'aoneOf', 'aobject']);

describe.each([
  ['portable', portableEntry],
  ['node', nodeEntry],
] as const)('hostile-input table against every public function (%s entry)', (_name, lib) => {
  const fns = collect(lib as unknown as Record<string, unknown>).filter(([p]) => !VALIDATORS.has(p));
  it('finds the public functions', () => {
    const names = fns.map(([p]) => p);
    for (const must of ['hexToBytes', 'sm3', 'hmacSm3', 'sm4.gcm', 'sm4.cbc', 'getAead']) expect(names).toContain(must);
  });
  it.each(fns.map(([p, f]) => [p, f] as const))('%s: typed errors only', async (path, fn) => {
    for (const h of hostileValues('any')) {
      for (const arity of [1, 2, 3, 4]) {
        const args = new Array(arity).fill(h.value);
        const e = await outcome(() => fn(...args));
        // Returning normally is allowed (the value may be valid for that parameter, e.g. a number where a number
        // is expected, or a total predicate); throwing anything but a PrivkitError is not.
        if (e !== undefined) {
          expect(lib.isPrivkitError(e), `${path}(${h.title} x${arity}) threw ${String((e as Error)?.name)}: ${String((e as Error)?.message)}`).toBe(true);
          expect(e).toBeInstanceOf(lib.PrivkitError);
        }
      }
    }
  });
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
