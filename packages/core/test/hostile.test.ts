/**
 * The shared hostile-input table fed to every public function of both core entry points (docs/CONVENTIONS.md §19): every
 * malformed input must give a typed PrivkitError (or a plain return for total predicates), never a crash with a
 * foreign error type. Functions nested one or two levels inside exported bundles (sm4.gcm, getAead(...).seal, …)
 * are included; the sweep itself is `sweepHostile` of `@privkit/core/testing`, which every package runs over its own
 * entry points. Per-argument tests with otherwise-valid arguments live next to each algorithm's tests.
 */
import { describe, expect, it } from 'vitest';
import * as nodeEntry from '@privkit/core';
import { collectFunctions, formatViolations, hostileBytes, hostileNumbers, hostileValues, sweepHostile } from '@privkit/core/testing';
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
