import { isPrivkitError } from '@privkit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createNonceRegistry, NonceError } from '@privkit/attest';
import { arbNonceCommands, nonceModelSetup } from '@privkit/attest/testing';

function code(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(NonceError);
    return (e as NonceError).code;
  }
}

describe('nonce registry', () => {
  it('issues distinct random nonces of the configured length', () => {
    const reg = createNonceRegistry({ nonceLength: 20 });
    const a = reg.issue();
    const b = reg.issue();
    expect(a.length).toBe(20);
    expect(a).not.toEqual(b);
    expect(reg.outstanding).toBe(2);
  });

  it('accepts once; a replay, an unknown and an expired nonce are rejected with their codes', () => {
    const clock = { t: 0 };
    const reg = createNonceRegistry({ ttlMs: 1000, now: () => clock.t });
    const n = reg.issue();
    expect(code(() => reg.consume(n))).toBeUndefined();
    expect(code(() => reg.consume(n))).toBe('NONCE_REPLAYED');
    expect(code(() => reg.consume(new Uint8Array(32)))).toBe('NONCE_UNKNOWN');
    const late = reg.issue();
    clock.t = 1000;
    expect(code(() => reg.consume(late))).toBe('NONCE_EXPIRED');
    expect(reg.accept(late)).toBe(false);
    const ok = reg.issue();
    clock.t = 1999;
    expect(reg.accept(ok)).toBe(true);
  });

  it('bounded memory: caps outstanding nonces and evicts expired ones', () => {
    const clock = { t: 0 };
    const reg = createNonceRegistry({ ttlMs: 10, maxOutstanding: 3, now: () => clock.t });
    reg.issue();
    reg.issue();
    reg.issue();
    try {
      reg.issue();
      expect.unreachable();
    } catch (e) {
      expect(isPrivkitError(e, 'NONCE_LIMIT')).toBe(true);
    }
    clock.t = 10;
    reg.issue();
    expect(reg.outstanding).toBe(1);
    clock.t = 100;
    expect(reg.purge()).toBe(1);
    expect(reg.outstanding).toBe(0);
  });

  it('rejects bad options and bad nonces with typed errors', () => {
    expect(() => createNonceRegistry({ ttlMs: 0 })).toThrow(/ttlMs/);
    expect(() => createNonceRegistry({ nonceLength: 8 })).toThrow(/nonceLength/);
    expect(() => createNonceRegistry({ maxOutstanding: -1 })).toThrow(/maxOutstanding/);
    expect(() => createNonceRegistry({ now: 5 as unknown as () => number })).toThrow(/now/);
    const reg = createNonceRegistry();
    expect(() => reg.consume('abc' as unknown as Uint8Array)).toThrow(/"nonce" expected Uint8Array/);
    expect(() => reg.accept(new Uint16Array(16) as unknown as Uint8Array)).toThrow(/"nonce"/);
  });

  it('model-based: issue / consume / replay / expire / purge agree with the reference model', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 5 }), (ttl, max) => {
        fc.assert(
          fc.property(arbNonceCommands(ttl), (cmds) => {
            fc.modelRun(nonceModelSetup(ttl, max), cmds);
          }),
          { numRuns: 5 },
        );
      }),
      { numRuns: 20 },
    );
  });
});
