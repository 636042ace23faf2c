/**
 * Issue #16 items 10 and 11: strings that are not well-formed Unicode never become bytes, and `isBytes` checks the
 * typed array's real kind (forged `Symbol.toStringTag`, rewired prototypes, other realms). See docs/CONVENTIONS.md,
 * "Validation".
 */
import * as fc from 'fast-check';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import * as nodeEntry from '@privkit/core';
import { hostileBytes } from '@privkit/core/testing';
import * as portableEntry from '../src/index.js';

/** The independent oracle: the engine's own String.prototype.isWellFormed (ES2024; Node ≥ 20). */
const wellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

describe.each([
  ['portable', portableEntry],
  ['node', nodeEntry],
] as const)('%s entry', (_name, lib) => {
  describe('forged Symbol.toStringTag (isBytes trusted the tag)', () => {
    const forgedF64 = () => {
      const v = new Float64Array(32).fill(0.5);
      Object.defineProperty(v, Symbol.toStringTag, { value: 'Uint8Array' });
      return v;
    };
    it('a Float64Array tagged "Uint8Array" no longer passes abytes(v, 32)', () => {
      const v = forgedF64();
      expect(Object.prototype.toString.call(v)).toBe('[object Uint8Array]'); // the forgery works on the old check
      expect(lib.isBytes(v)).toBe(false);
      expect(() => lib.abytes(v, 32)).toThrow(lib.InputError);
    });
    it('equalBytes(Float64Array of 0.5s, zeros) is refused instead of true', () => {
      expect(() => lib.equalBytes(forgedF64() as never, new Uint8Array(32))).toThrow(lib.InputError);
    });
    it('bytesToHex(Uint16Array) is refused instead of "undefinedundefined"', () => {
      const u16 = new Uint16Array(2);
      Object.setPrototypeOf(u16, Uint8Array.prototype); // passes `instanceof Uint8Array`
      expect(u16 instanceof Uint8Array).toBe(true);
      expect(() => lib.bytesToHex(u16 as never)).toThrow(lib.InputError);
      expect(() => lib.bytesToHex(new Uint16Array(2) as never)).toThrow(lib.InputError);
    });
    it('every forged value of the shared table is rejected with INVALID_TYPE', () => {
      const forged = hostileBytes().filter((h) => /forged|prototype|named "Uint8Array"/.test(h.title));
      expect(forged.length).toBeGreaterThanOrEqual(5);
      for (const h of forged) {
        expect(lib.isBytes(h.value), h.title).toBe(false);
        try {
          lib.abytes(h.value);
          expect.unreachable(h.title);
        } catch (e) {
          expect(lib.isPrivkitError(e, 'INVALID_TYPE'), h.title).toBe(true);
        }
      }
    });
    it('real Uint8Arrays from another realm (vm context) and Node Buffers are accepted', () => {
      const foreign = runInNewContext('new Uint8Array([1, 2, 3])') as Uint8Array;
      expect(foreign instanceof Uint8Array).toBe(false);
      expect(lib.isBytes(foreign)).toBe(true);
      expect(lib.bytesToHex(foreign)).toBe('010203');
      expect(lib.isBytes(Buffer.from([1]))).toBe(true);
      expect(lib.isBytes(new Uint8Array(new ArrayBuffer(8), 2, 3))).toBe(true);
    });
    it('forgeries made in another realm are rejected too', () => {
      const forgedForeign = runInNewContext(`(() => {
        const f = new Float64Array(4);
        Object.defineProperty(f, Symbol.toStringTag, { value: 'Uint8Array' });
        const u = new Uint16Array(4);
        Object.setPrototypeOf(u, Uint8Array.prototype);
        return [f, u, Object.create(Uint8Array.prototype), new Uint16Array(4), new DataView(new ArrayBuffer(4))];
      })()`) as unknown[];
      for (const v of forgedForeign) expect(lib.isBytes(v)).toBe(false);
      // and a foreign forgery against this realm's prototype
      const u = runInNewContext('new Int8Array(4)') as object;
      Object.setPrototypeOf(u, Uint8Array.prototype);
      expect(lib.isBytes(u)).toBe(false);
    });
  });

  describe('lone surrogates (different strings became the same bytes)', () => {
    it("'poll-\\uD800' and 'poll-\\uDFFF' are refused instead of both becoming 'poll-\\uFFFD'", () => {
      expect(new TextEncoder().encode('poll-\uD800')).toEqual(new TextEncoder().encode('poll-\uDFFF')); // the collision
      for (const s of ['poll-\uD800', 'poll-\uDFFF', '\uDC00x', 'x\uD83D', '\uDE00\uD83D']) {
        try {
          lib.utf8ToBytes(s);
          expect.unreachable(JSON.stringify(s));
        } catch (e) {
          expect(e).toBeInstanceOf(lib.InputError);
          expect((e as nodeEntry.PrivkitError).code).toBe('INVALID_UNICODE');
        }
        expect(() => lib.astring(s)).toThrow(lib.InputError);
        expect(lib.isWellFormedString(s)).toBe(false);
      }
      expect(lib.utf8ToBytes('\uD83D\uDE00')).toEqual(Uint8Array.of(0xf0, 0x9f, 0x98, 0x80)); // a valid pair is fine
    });
    it('utf8ToBytes is injective: it refuses exactly the strings that are not well-formed (fast-check)', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 12 }), (a, b) => {
          const wa = wellFormed(a);
          expect(lib.isWellFormedString(a)).toBe(wa);
          if (!wa) {
            expect(() => lib.utf8ToBytes(a)).toThrow(lib.InputError);
            return;
          }
          const ea = lib.utf8ToBytes(a);
          expect(lib.bytesToUtf8(ea)).toBe(a);
          if (wellFormed(b) && a !== b) expect(lib.equalBytes(ea, lib.utf8ToBytes(b))).toBe(false);
        }),
      );
    });
    it('the fallback check (runtimes without String.prototype.isWellFormed) agrees with the native one', () => {
      const native = Object.getOwnPropertyDescriptor(String.prototype, 'isWellFormed')!;
      const samples = fc.sample(fc.string({ unit: 'binary', maxLength: 10 }), 400);
      const want = samples.map(wellFormed);
      delete (String.prototype as { isWellFormed?: unknown }).isWellFormed;
      try {
        expect(samples.map((s) => lib.isWellFormedString(s))).toEqual(want);
      } finally {
        Object.defineProperty(String.prototype, 'isWellFormed', native);
      }
    });
  });
});
