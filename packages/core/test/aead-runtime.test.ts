/**
 * The Bun/Deno entry's AEADs (aead.runtime.ts): every id works and agrees with the portable code, and the probe
 * falls back to the portable implementation when the runtime's node:crypto is missing an algorithm, gives a wrong
 * answer, or accepts a forged tag — so a partial node:crypto can never weaken or break an AEAD.
 */
import { describe, expect, it } from 'vitest';
import { type Aead, AEAD_IDS, getAead as portableAead } from '../src/aead.js';
import { _probeAead, getAead } from '../src/aead.runtime.js';
import { DecryptError, isPrivkitError } from '../src/errors.js';

describe('runtime entry getAead', () => {
  it.each(AEAD_IDS)('%s seals like the portable code and rejects a forged tag', (id) => {
    const a = getAead(id);
    const p = portableAead(id);
    const key = new Uint8Array(a.keyLength).fill(3);
    const nonce = new Uint8Array(a.nonceLength).fill(4);
    const pt = new Uint8Array(1000).map((_, i) => i);
    const ct = a.seal(key, nonce, pt);
    expect(ct).toEqual(p.seal(key, nonce, pt));
    expect(a.open(key, nonce, ct)).toEqual(pt);
    ct[5]! ^= 1;
    expect(() => a.open(key, nonce, ct)).toThrow(DecryptError);
  });

  it('rejects unknown ids with a typed error', () => {
    let err: unknown;
    try {
      getAead('rot13' as never);
    } catch (e) {
      err = e;
    }
    expect(isPrivkitError(err)).toBe(true);
  });
});

describe('_probeAead falls back to the portable AEAD', () => {
  const portable = portableAead('aes-128-gcm');
  const native = portableAead('aes-256-gcm'); // a different, working AEAD stands in for a misbehaving native one

  it('uses a native AEAD that agrees', () => {
    const agreeing = { ...portable } as Aead;
    expect(_probeAead(() => agreeing, portable)).toBe(agreeing);
  });

  it('when the native builder throws (algorithm missing from the runtime)', () => {
    expect(
      _probeAead(() => {
        throw new Error('Unsupported cipher');
      }, portable),
    ).toBe(portable);
  });

  it('when native seal throws', () => {
    const failing = { ...portable, seal: () => { throw new TypeError('native'); } } as Aead;
    expect(_probeAead(() => failing, portable)).toBe(portable);
  });

  it('when the native output differs', () => {
    const wrong = { ...portable, seal: (_k: Uint8Array, n: Uint8Array, m: Uint8Array, a?: Uint8Array) => native.seal(new Uint8Array(32), n, m, a) } as Aead;
    expect(_probeAead(() => wrong, portable)).toBe(portable);
  });

  it('when native open accepts a forged tag', () => {
    const lax = { ...portable, open: (_k: Uint8Array, _n: Uint8Array, ct: Uint8Array) => ct.subarray(0, ct.length - 16) } as Aead;
    expect(_probeAead(() => lax, portable)).toBe(portable);
  });
});
