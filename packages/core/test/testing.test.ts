/** The shared testing helpers other packages rely on: fresh tables, exact mutations, valid arbitraries. */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AEAD_PARAMS, InputError, abytes, isBytes, isWellFormedString } from '@privkit/core';
import {
  arbAeadInput, arbTamper, assertHostileSweep, bitFlips, collectFunctions, collectMethods, formatViolations, hostileBytes, hostileNumbers, hostileValues,
  sweepHostile, sweepHostileObjects, truncations,
} from '@privkit/core/testing';

describe('@privkit/core/testing', () => {
  it('hostile tables hold no valid value of their kind and are fresh per call', () => {
    for (const h of hostileBytes()) expect(isBytes(h.value), h.title).toBe(false);
    for (const h of hostileNumbers()) expect(typeof h.value === 'number' && Number.isSafeInteger(h.value) && h.value >= 0, h.title).toBe(false);
    for (const h of hostileValues('string')) expect(isWellFormedString(h.value), h.title).toBe(false);
    for (const h of hostileValues('bigint')) expect(typeof h.value === 'bigint' && h.value >= 0n).toBe(false);
    const a = hostileBytes().find((h) => h.title.startsWith('Uint16Array'))!.value as Uint16Array;
    a[0] = 7;
    expect((hostileBytes().find((h) => h.title.startsWith('Uint16Array'))!.value as Uint16Array)[0]).toBe(0);
    expect(hostileBytes().map((h) => h.title)).toContain('fake {constructor:{name:"Uint8Array"}}');
  });
  it('truncations and bit flips differ from the input and flip exactly one bit', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), (b) => {
        for (const t of truncations(b)) expect((t.value as Uint8Array).length).not.toBe(b.length);
        const flips = bitFlips(b);
        expect(flips.length).toBeGreaterThan(0);
        for (const f of flips) {
          const v = f.value as Uint8Array;
          let bits = 0;
          for (let i = 0; i < b.length; i++) for (let x = v[i]! ^ b[i]!; x; x &= x - 1) bits++;
          expect(bits, f.title).toBe(1);
        }
      }),
    );
  });
  it('arbAeadInput gives sizes matching AEAD_PARAMS; arbTamper never returns the input', () => {
    fc.assert(
      fc.property(arbAeadInput(), (x) => {
        expect(x.key).toHaveLength(AEAD_PARAMS[x.id].keyLength);
        expect(x.nonce).toHaveLength(AEAD_PARAMS[x.id].nonceLength);
      }),
    );
    const sealed = Uint8Array.of(1, 2, 3, 4, 5);
    fc.assert(
      fc.property(arbTamper(sealed), (t) => {
        expect(Buffer.from(t.bytes).equals(Buffer.from(sealed)), t.mutation).toBe(false);
      }),
    );
  });
  it('sweepHostile reports foreign errors, hanging promises and nothing else', async () => {
    class Hidden {}
    const mod = {
      good: (v: unknown) => abytes(v),
      total: (v: unknown) => typeof v,
      leaky: (v: unknown) => (v as { x: { y: number } }).x.y,
      asyncLeaky: async (v: unknown) => (v as { x: { y: number } }).x.y,
      hangs: () => new Promise(() => {}),
      Hidden,
      bundle: { nested: (v: unknown) => (v === undefined ? 0 : abytes(v)), deeper: { deepest: { never: () => 1 } } },
    };
    expect(collectFunctions(mod).map((f) => f.path)).toEqual(['good', 'total', 'leaky', 'asyncLeaky', 'hangs', 'bundle.nested']);
    const r = await sweepHostile(mod, { arities: [1], timeoutMs: 20 });
    const bad = new Set(r.violations.map((v) => v.path));
    expect([...bad].sort()).toEqual(['asyncLeaky', 'hangs', 'leaky']);
    expect(r.violations.filter((v) => v.path === 'leaky').map((v) => v.input)).toContain('undefined');
    expect(r.violations.every((v) => !(v.error instanceof InputError))).toBe(true);
    const skipped = await sweepHostile(mod, { arities: [1], timeoutMs: 20, skip: ['leaky', 'asyncLeaky', 'hangs'] });
    expect(skipped.violations).toEqual([]);
    expect(skipped.called).toEqual(['good', 'total', 'bundle.nested']);
    await expect(assertHostileSweep({ leaky: mod.leaky }, { arities: [1] })).rejects.toThrow(/violations \(untyped failures, broken objects\)\nleaky\(undefined/);
    await expect(assertHostileSweep({ good: mod.good }, { minCalled: 2 })).rejects.toThrow(/called 1 functions/);
    expect((await assertHostileSweep({ good: mod.good })).called).toEqual(['good']);
  });

  describe('sweepHostileObjects: methods of objects returned by factories', () => {
    /** A counter object as a package might return it: validates `add`, but `leak` and `corrupt` do not. */
    class Counter {
      #n = 0;
      add(v: unknown): number {
        abytes(v, 1);
        return (this.#n += (v as Uint8Array)[0]!);
      }
      get value(): number {
        return this.#n;
      }
      reset(): void {
        this.#n = 0;
      }
    }
    const honest = (c: { add(v: Uint8Array): number }) => {
      const before = c.add(Uint8Array.of(0));
      if (!Number.isFinite(before)) throw new Error('counter state corrupted');
    };

    it('collectMethods lists own and prototype methods, not getters, constructor, _internals or Object.prototype', () => {
      const frozen = Object.freeze({ push: () => 1, n: 3, get closed() { return false; } });
      expect(collectMethods(frozen)).toEqual(['push']);
      class Sub extends Counter {
        extra(): void {}
        _internal(): void {}
      }
      expect(collectMethods(new Sub())).toEqual(['extra', 'add', 'reset']);
    });

    it('a leaky method of a returned object is reported under seed.method', async () => {
      const create = () => Object.assign(new Counter(), { leak: (v: unknown) => (v as { x: { y: number } }).x.y });
      const r = await sweepHostileObjects({ counter: create }, { arities: [1] });
      expect([...new Set(r.violations.map((v) => v.path))]).toEqual(['counter.leak']);
      expect(r.violations.find((v) => v.input === 'undefined')).toMatchObject({ phase: 'call' });
      expect(r.called).toEqual(['counter.leak', 'counter.add', 'counter.reset']);
      await expect(assertHostileSweep({}, { minCalled: 0, arities: [1], seeds: { counter: create } })).rejects.toThrow(/counter\.leak\(undefined ×1\) threw TypeError/);
    });

    it('a method that corrupts the state before rejecting its input is reported by the check probe', async () => {
      class Corruptible extends Counter {
        broken = false;
        /** Rejects its input with a typed error, but only after breaking the object (what the probe must catch). */
        setLimit(v: unknown): void {
          this.broken = true;
          abytes(v, 4);
          this.broken = false;
        }
        override add(v: unknown): number {
          if (this.broken) return Number.NaN;
          return super.add(v);
        }
      }
      const r = await sweepHostileObjects({ c: { create: () => new Corruptible(), check: honest } }, { arities: [1] });
      const bad = r.violations.filter((v) => v.path === 'c.setLimit');
      expect(bad.length).toBeGreaterThan(0);
      expect(bad.every((v) => v.phase === 'check' && String((v.error as Error).message) === 'counter state corrupted')).toBe(true);
      expect(r.violations.filter((v) => v.path !== 'c.setLimit')).toEqual([]);
      expect(formatViolations(bad.slice(0, 1))).toMatch(/^c\.setLimit\(.* ×1\) was rejected, but then the object failed its check: Error: counter state corrupted$/);
      // without the probe the same object passes: the check is what sees the state
      expect((await sweepHostileObjects({ c: () => new Corruptible() }, { arities: [1] })).violations).toEqual([]);
    });

    it('a terminal method (close) is rebuilt after, not checked; an accepted value that breaks the object is reported; a failing factory is reported', async () => {
      let built = 0;
      const create = () => {
        built++;
        let open = true;
        return Object.freeze({
          close: () => {
            open = false;
          },
          push: (v: unknown) => {
            if (!open) throw new InputError('closed');
            return abytes(v, 1);
          },
        });
      };
      const check = (o: { push(v: Uint8Array): unknown }) => o.push(Uint8Array.of(1));
      const values = () => hostileValues('any').slice(0, 3);
      let disposed = 0;
      const dispose = () => void disposed++;
      const r = await sweepHostileObjects({ stream: { create, check, values, dispose, terminal: ['close'] } }, { arities: [1] });
      expect(r.violations).toEqual([]);
      expect(built).toBe(1 + 3); // the stream was rebuilt after every close()
      expect(disposed).toBe(built); // every object the sweep dropped (and the last one) was released
      // not declared terminal, close() is a method that accepts hostile values and leaves the object broken
      const loose = await sweepHostileObjects({ stream: { create, check, values } }, { arities: [1] });
      expect(loose.violations.map((v) => [v.path, v.phase])).toEqual([
        ['stream.close', 'accepted'],
        ['stream.close', 'accepted'],
        ['stream.close', 'accepted'],
      ]);
      expect(formatViolations(loose.violations.slice(0, 1))).toMatch(/^stream\.close\(undefined ×1\) was accepted, but then the object failed its check: InputError: closed$/);
      const failing = await sweepHostileObjects({
        broken: () => {
          throw new Error('no');
        },
      });
      expect(failing.violations).toMatchObject([{ path: 'broken', phase: 'create' }]);
      await expect(assertHostileSweep({}, { minCalled: 0, seeds: { data: () => ({ n: 1 }) } })).rejects.toThrow(/seed data has no method/);
    });

    it('a method whose promise never settles is a violation; skip takes seed.method paths', async () => {
      const create = () => ({ hang: () => new Promise(() => {}), ok: (v: unknown) => abytes(v) });
      let disposed = 0;
      const r = await sweepHostileObjects(
        { o: { create, dispose: () => void disposed++ } },
        { arities: [1], values: () => hostileValues('any').slice(0, 2), timeoutMs: 20 },
      );
      expect(r.violations.map((v) => v.path)).toEqual(['o.hang', 'o.hang']);
      expect(disposed).toBe(3); // the object abandoned after each violation, and the last one
      expect((await sweepHostileObjects({ o: create }, { arities: [1], timeoutMs: 20, skip: ['o.hang'] })).called).toEqual(['o.ok']);
    });

    it('property: the sweep reports exactly the methods that leak or corrupt, whatever the mix (fast-check)', async () => {
      type Kind = 'validates' | 'leaks' | 'corrupts' | 'pure';
      await fc.assert(
        fc.asyncProperty(fc.array(fc.constantFrom<Kind>('validates', 'leaks', 'corrupts', 'pure'), { minLength: 1, maxLength: 6 }), async (kinds) => {
          const create = () => {
            const state = { ok: true };
            const o: Record<string, unknown> = { state };
            kinds.forEach((k, i) => {
              o[`m${i}`] = (v: unknown) => {
                if (k === 'leaks') return (v as { x: { y: number } }).x.y;
                if (k === 'corrupts') state.ok = false;
                if (k !== 'pure') abytes(v, 1);
                return undefined;
              };
            });
            return o;
          };
          const check = (o: { state: { ok: boolean } }) => {
            if (!o.state.ok) throw new Error('corrupted');
          };
          const r = await sweepHostileObjects({ o: { create, check, values: () => hostileValues('any').slice(0, 4) } }, { arities: [1] });
          const bad = kinds.flatMap((k, i) => (k === 'leaks' || k === 'corrupts' ? [`o.m${i}`] : []));
          expect([...new Set(r.violations.map((v) => v.path))].sort()).toEqual(bad.sort());
          for (const v of r.violations) expect(v.phase).toBe(kinds[Number(v.path.slice(3))] === 'leaks' ? 'call' : 'check');
          expect(r.called).toEqual(kinds.map((_, i) => `o.m${i}`));
        }),
        { numRuns: 50 },
      );
    });
  });
});
