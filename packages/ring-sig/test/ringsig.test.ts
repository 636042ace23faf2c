import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeKeyImage,
  createRingContext,
  decode,
  encode,
  GROUP_ORDER,
  keygen,
  keyImage,
  linked,
  MAX_RING,
  RingSigError,
  RingSigFormatError,
  sign,
  verify,
  verifyBatch,
  type RingSignature,
} from '@privkit/ring-sig';
import { EncodingError } from '@privkit/core';
import { G as _G } from '../src/_group.js';
import { MUTATIONS, arbRing, arbScope, arbSigned, arbTampered, type SignedCase } from '@privkit/ring-sig/testing';

const RUNS = 12;
const opts = (c: { scope: SignedCase['scope']; auxRing: SignedCase['auxRing'] }) => ({
  ...(c.scope === undefined ? {} : { scope: c.scope }),
  ...(c.auxRing === undefined ? {} : { auxRing: c.auxRing }),
});
const msg = (s: string) => new TextEncoder().encode(s);
const keys = (n: number) => Array.from({ length: n }, () => keygen());
const errCode = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
};

describe('completeness (fast-check)', () => {
  for (const scheme of ['clsag', 'blsag'] as const) {
    it(`${scheme}: every honest signature verifies, encoded or not, with and without a context`, () => {
      fc.assert(
        fc.property(arbSigned({ scheme, aux: scheme === 'clsag' ? 'mixed' : false }), (c) => {
          expect(verify(c.signature, c.message, c.ring, opts(c))).toBe(true);
          expect(verify(c.encoded, c.message, c.ring, opts(c))).toBe(true);
          expect(encode(decode(c.encoded))).toEqual(c.encoded);
          // Table-free context here (tables are built lazily and cost ~70 ms per member at window 8); the table
          // path is covered by the deterministic context tests below.
          const ctx = createRingContext(c.ring, { precompute: false, ...(c.auxRing ? { auxRing: c.auxRing } : {}) });
          expect(ctx.verify(c.signature, c.message, c.scope === undefined ? {} : { scope: c.scope })).toBe(true);
          expect(keyImage(c.signature)).toEqual(
            computeKeyImage(c.secretKey, c.scope === undefined ? {} : { scope: c.scope }),
          );
        }),
        { numRuns: RUNS },
      );
    });
  }
});

describe('soundness: every tampered field fails (fast-check)', () => {
  for (const mutation of MUTATIONS) {
    it(`${mutation}`, () => {
      fc.assert(
        fc.property(arbTampered({ mutations: [mutation], aux: mutation === 'auxImage' ? true : 'mixed', scheme: mutation === 'auxImage' ? 'clsag' : undefined } as never), (t) => {
          expect(verify(t.signature, t.message, t.ring, opts(t))).toBe(false);
        }),
        { numRuns: 8 },
      );
    });
  }
  it('a tampered signature also fails against a ring context', () => {
    fc.assert(
      fc.property(arbTampered({ mutations: ['c0', 'response', 'keyImage', 'message', 'scheme'] }), (t) => {
        const ctx = createRingContext(t.ring, { precompute: false, ...(t.auxRing ? { auxRing: t.auxRing } : {}) });
        expect(ctx.verify(t.signature, t.message, t.scope === undefined ? {} : { scope: t.scope })).toBe(false);
      }),
      { numRuns: 8 },
    );
  });
  it('dropping the auxiliary ring (or adding one) fails', () => {
    fc.assert(
      fc.property(arbSigned({ scheme: 'clsag', aux: true }), (c) => {
        expect(verify(c.signature, c.message, c.ring, c.scope === undefined ? {} : { scope: c.scope })).toBe(false);
        const other = c.ring.map(() => keygen().publicKey);
        expect(verify(c.signature, c.message, c.ring, { ...opts(c), auxRing: other })).toBe(false);
      }),
      { numRuns: 4 },
    );
  });
});

describe('linkability', () => {
  it('same signer, same scope ⇒ linked across rings and messages; different scopes ⇒ unlinked (fast-check)', () => {
    fc.assert(
      fc.property(arbRing({ maxSize: 3 }), arbScope(), arbScope(), (rc, s1, s2) => {
        const o = (s: typeof s1) => (s === undefined ? {} : { scope: s });
        const a = sign(msg('a'), rc.ring, rc.secretKey, o(s1));
        const otherRing = [...rc.ring.filter((_, i) => i !== rc.signerIndex), keygen().publicKey, rc.ring[rc.signerIndex]!];
        const b = sign(msg('b'), otherRing, rc.secretKey, { ...o(s1), scheme: 'blsag' });
        expect(linked(a, b)).toBe(true);
        const c = sign(msg('c'), rc.ring, rc.secretKey, o(s2));
        const sameScope =
          (s1 === undefined && s2 === undefined) ||
          (s1 !== undefined && s2 !== undefined && Buffer.from(typeof s1 === 'string' ? msg(s1) : s1).equals(Buffer.from(typeof s2 === 'string' ? msg(s2) : s2)) && (s1 !== undefined));
        expect(linked(a, c)).toBe(sameScope);
      }),
      { numRuns: 10 },
    );
  });
  it('different signers never link', () => {
    const k = keys(3);
    const ring = k.map((x) => x.publicKey);
    expect(linked(sign(msg('x'), ring, k[0]!.secretKey), sign(msg('x'), ring, k[1]!.secretKey))).toBe(false);
  });
  it('global and scoped images differ (scope "" is a scope)', () => {
    const { secretKey } = keygen();
    const g = computeKeyImage(secretKey);
    expect(g).not.toEqual(computeKeyImage(secretKey, { scope: '' }));
    expect(computeKeyImage(secretKey, { scope: 'x' })).toEqual(computeKeyImage(secretKey, { scope: msg('x') }));
  });
});

describe('key image and point validation', () => {
  const k = keys(3);
  const ring = k.map((x) => x.publicKey);
  const sig = sign(msg('m'), ring, k[1]!.secretKey);
  const enc = encode(sig);
  const withImage = (img: Uint8Array) => {
    const out = Uint8Array.from(enc);
    out.set(img, 9 + 32 * 4);
    return out;
  };
  const bad: [string, Uint8Array][] = [
    ['identity', new Uint8Array(32)],
    ['odd (negative) s', Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 1 : 0))],
    ['s ≥ p (non-canonical field element)', Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 0xee : i === 31 ? 0x7f : 0xff))],
    ['high bit set', Uint8Array.from({ length: 32 }, (_, i) => (i === 31 ? 0x80 : 0))],
    ['not on the curve', Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 2 : 0))],
  ];
  for (const [name, img] of bad) {
    it(`key image ${name} is rejected`, () => {
      const t = withImage(img);
      expect(verify(t, msg('m'), ring)).toBe(false);
      expect(errCode(() => decode(t))).toBe('RING_SIG_MALFORMED');
      expect(errCode(() => linked(t, enc))).toBe('RING_SIG_MALFORMED');
    });
  }
  it('non-canonical scalars (s + ℓ, c0 + ℓ) are rejected', () => {
    for (const off of [9, 9 + 32 * 2]) {
      const t = Uint8Array.from(enc);
      let v = 0n;
      for (let i = 31; i >= 0; i--) v = (v << 8n) | BigInt(t[off + i]!);
      v += GROUP_ORDER;
      if (v >= 2n ** 256n) continue;
      for (let i = 0; i < 32; i++) t[off + i] = Number((v >> BigInt(8 * i)) & 0xffn);
      expect(verify(t, msg('m'), ring)).toBe(false);
      expect(errCode(() => decode(t))).toBe('RING_SIG_MALFORMED');
    }
  });
  it('truncated, extended, wrong tag/version/size encodings are rejected', () => {
    const cases = [enc.subarray(0, enc.length - 1), Uint8Array.from([...enc, 0]), enc.subarray(0, 8)];
    const tag = Uint8Array.from(enc); tag[0] = 0;
    const ver = Uint8Array.from(enc); ver[4] = 2;
    const cols = Uint8Array.from(enc); cols[6] = 3;
    const size = Uint8Array.from(enc); size[8] = 4;
    for (const t of [...cases, tag, ver, cols, size]) {
      expect(verify(t, msg('m'), ring)).toBe(false);
      expect(errCode(() => decode(t))).toBe('RING_SIG_MALFORMED');
    }
  });
  it('a ring member that is not canonical, the identity, or duplicated is rejected', () => {
    expect(errCode(() => verify(sig, msg('m'), [ring[0]!, new Uint8Array(32), ring[2]!]))).toBe('RING_INVALID');
    expect(errCode(() => verify(sig, msg('m'), [ring[0]!, ring[0]!, ring[2]!]))).toBe('RING_INVALID');
    const odd = Uint8Array.from(ring[1]!); odd[0]! ^= 1;
    expect(errCode(() => sign(msg('m'), [ring[0]!, odd], k[0]!.secretKey))).toBe('RING_INVALID');
  });
  it('ring size limits 2..1,024', () => {
    expect(errCode(() => sign(msg('m'), [ring[0]!], k[0]!.secretKey))).toBe('RING_INVALID');
    const big = Array.from({ length: MAX_RING + 1 }, () => ring[0]!);
    expect(errCode(() => sign(msg('m'), big, k[0]!.secretKey))).toBe('RING_INVALID');
    expect(errCode(() => verify(sig, msg('m'), big))).toBe('RING_INVALID');
  });
  it('a 1,024-member ring and signature encoding are accepted (decode, context), 1,025 are not', () => {
    const n = MAX_RING;
    const big = new Uint8Array(9 + 32 * (n + 2));
    big.set(enc.subarray(0, 7), 0);
    big[7] = n >>> 8;
    big[8] = n & 0xff;
    big.set(sig.keyImage, 9 + 32 * (n + 1));
    expect(decode(big).responses).toHaveLength(n);
    // Distinct members cheaply: B, 2B, …, 1024B (public keys only; nobody signs here).
    const members: Uint8Array[] = [];
    let P = _G;
    for (let i = 0; i < n; i++, P = P.add(_G)) members.push(P.toBytes());
    const ctx = createRingContext(members);
    expect(ctx.size).toBe(n);
    const tooBig = new Uint8Array(big.length + 32);
    tooBig.set(big.subarray(0, 7), 0);
    tooBig[7] = (n + 1) >>> 8;
    tooBig[8] = (n + 1) & 0xff;
    expect(errCode(() => decode(tooBig))).toBe('RING_SIG_MALFORMED');
    expect(errCode(() => createRingContext([...members, _G.double().double().toBytes()]))).toBe('RING_INVALID');
  });
  it('signer must be in the ring; aux secret must match', () => {
    expect(errCode(() => sign(msg('m'), ring, keygen().secretKey))).toBe('RING_SIGNER_NOT_IN_RING');
    const aux = keys(3);
    expect(
      errCode(() => sign(msg('m'), ring, k[0]!.secretKey, { auxRing: aux.map((a) => a.publicKey), auxSecretKey: aux[1]!.secretKey })),
    ).toBe('RING_SIGNER_NOT_IN_RING');
  });
  it('the error classes are RingSigError and RingSigFormatError (an EncodingError) with literal names', () => {
    let e: unknown;
    try {
      sign(msg('m'), ring, keygen().secretKey);
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(RingSigError);
    expect((e as Error).name).toBe('RingSigError');
    e = undefined;
    try {
      decode(new Uint8Array(10));
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(RingSigFormatError);
    expect(e).toBeInstanceOf(EncodingError);
    expect(e).not.toBeInstanceOf(RingSigError);
    expect((e as Error).name).toBe('RingSigFormatError');
  });
});

describe('cross-scheme confusion', () => {
  it('a bLSAG signature verified as CLSAG (and vice versa) fails', () => {
    fc.assert(
      fc.property(arbSigned({ aux: false }), (c) => {
        const t = Uint8Array.from(c.encoded);
        t[5] = t[5] === 1 ? 2 : 1;
        expect(verify(t, c.message, c.ring, opts(c))).toBe(false);
        const obj: RingSignature = { ...c.signature, scheme: c.scheme === 'clsag' ? 'blsag' : 'clsag' };
        expect(verify(obj, c.message, c.ring, opts(c))).toBe(false);
      }),
      { numRuns: 6 },
    );
  });
});

describe('ring contexts and batch verification', () => {
  const k = keys(9);
  const ring = k.map((x) => x.publicKey);
  const items = [0, 3, 8].map((i) => ({ signature: sign(msg(`m${i}`), ring, k[i]!.secretKey, { scope: 'e' }), message: msg(`m${i}`), scope: 'e' }));
  const ctx = createRingContext(ring); // one registered ring for this block (window-8 tables, built lazily once)
  it('context verify equals plain verify (tables + split image multiplication)', () => {
    for (const it of items) {
      expect(ctx.verify(it.signature, it.message, { scope: 'e' })).toBe(true);
      expect(verify(it.signature, it.message, ctx, { scope: 'e' })).toBe(true);
      expect(ctx.verify(it.signature, msg('other'), { scope: 'e' })).toBe(false);
    }
    expect(ctx.size).toBe(9);
    expect(Object.isFrozen(ctx)).toBe(true);
    const noTables = createRingContext(ring, { precompute: false });
    expect(noTables.verify(items[0]!.signature, items[0]!.message, { scope: 'e' })).toBe(true);
  });
  it('a context with tables rejects tampered signatures', () => {
    const enc = encode(items[1]!.signature);
    const bump = (off: number) => {
      const t = Uint8Array.from(enc);
      t[off] = t[off]! ^ 1;
      t[off + 31] = 0; // keep the scalar canonical
      return t;
    };
    expect(ctx.verify(enc, items[1]!.message, { scope: 'e' })).toBe(true);
    expect(ctx.verify(enc, items[1]!.message, { scope: 'f' })).toBe(false);
    expect(ctx.verify(enc, msg('x'), { scope: 'e' })).toBe(false);
    expect(ctx.verify(bump(9), items[1]!.message, { scope: 'e' })).toBe(false);
    expect(ctx.verify(bump(9 + 32 * 5), items[1]!.message, { scope: 'e' })).toBe(false);
    expect(ctx.verify(items[0]!.signature, items[1]!.message, { scope: 'e' })).toBe(false);
  });
  it('signing against a context works', () => {
    const s = sign(msg('z'), ctx, k[4]!.secretKey);
    expect(verify(s, msg('z'), ring)).toBe(true);
  });
  it('verifyBatch returns one result per item (ring and context)', () => {
    const bad = { ...items[1]!, message: msg('tampered') };
    const list = [...items, bad, { ...items[0]!, scope: 'other' }, ...items, ...items];
    const want = list.map((x) => x.message !== bad.message && x.scope === 'e');
    expect(verifyBatch(list, ring)).toEqual(want);
    expect(ctx.verifyBatch(list)).toEqual(want);
  });
  it('a forged context-like object is not accepted as a context', () => {
    expect(errCode(() => verify(items[0]!.signature, items[0]!.message, { ...ctx } as never, { scope: 'e' }))).toBe('INVALID_TYPE');
  });
});
