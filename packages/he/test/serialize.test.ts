import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import { isPrivkitError, PrivkitError } from '@privkit/core';
import {
  createAggregationContext,
  HeFormatError,
  HeParamsError,
  type AggregationContext,
  type HeOwner,
} from '@privkit/he';
import { tampered } from '@privkit/he/testing';

describe('serialization (FORMAT.md)', () => {
  let ctx: AggregationContext;
  let ctx8192: AggregationContext;
  let owner: HeOwner;
  beforeAll(async () => {
    ctx = await createAggregationContext({ maxAbsReading: 1000 });
    ctx8192 = await createAggregationContext({ preset: 'bfv-8192' });
    owner = ctx.keygen();
  });
  afterAll(() => {
    ctx.dispose();
    ctx8192.dispose();
  });

  it('header: magic, version, kind, preset, compression, parameter fingerprint; CRC-32 trailer', () => {
    const pk = owner.publicKey.serialize();
    expect(Array.from(pk.subarray(0, 8))).toEqual([0x50, 0x4b, 0x48, 0x45, 1, 1, 1, 2]);
    const ct = ctx.device(owner.publicKey).encrypt([1]).serialize({ compression: 'none' });
    expect(Array.from(ct.subarray(4, 8))).toEqual([1, 3, 1, 0]);
    expect(pk.subarray(8, 40)).toEqual(ct.subarray(8, 40));
  });

  it('public key, ciphertext and result round-trip under every compression mode', () => {
    const dev = ctx.device(owner.publicKey);
    for (const compression of ['zstd', 'zlib', 'none'] as const) {
      const pk2 = ctx.deserialize(owner.publicKey.serialize({ compression }));
      expect(pk2.kind).toBe('publicKey');
      const dev2 = ctx.device(pk2 as never);
      const ct = dev2.encrypt([7, -8, 9]);
      const bytes = ct.serialize({ compression });
      const back = ctx.deserialize(bytes, 'ciphertext');
      expect([back.length, back.count, back.bound, back.divisor, back.level]).toEqual([3, 1, 1000n, 1n, 0]);
      expect(owner.decrypt(back).values).toEqual([7n, -8n, 9n]);
      const agg = ctx.aggregator();
      const mean = agg.mean([back, dev.encrypt([1, 1, 1])]);
      const m2 = ctx.deserialize(mean.serialize({ compression }), 'aggregate');
      expect([m2.count, m2.divisor, m2.bound]).toEqual([2, 2n, 2000n]);
      expect(owner.decrypt(m2).values).toEqual([8n, -7n, 10n]);
      // re-serialization is stable; Node Buffers (pooled, non-zero byteOffset) are accepted
      expect(ctx.deserialize(bytes, 'ciphertext').serialize({ compression })).toEqual(bytes);
      const pooled = Buffer.concat([Buffer.from([1, 2, 3]), Buffer.from(bytes)]).subarray(3);
      expect(owner.decrypt(ctx.deserialize(pooled, 'ciphertext')).values).toEqual([7n, -8n, 9n]);
      pk2.dispose();
      dev2.dispose();
      agg.dispose();
    }
    dev.dispose();
  });

  it('a full batch costs ≤ 24 bytes per reading with zstd', () => {
    const dev = ctx.device(owner.publicKey);
    const readings = Array.from({ length: 4096 }, (_, i) => (i * 37) % 2001 - 1000);
    const bytes = dev.encrypt(readings).serialize();
    expect(bytes.length / 4096).toBeLessThanOrEqual(24);
    expect(bytes.length).toBeLessThan(ctx.preset.ciphertextBytes * 1.05);
    dev.dispose();
  });

  it('rejects objects made under other parameters (HE_PARAMS_MISMATCH)', () => {
    const o8 = ctx8192.keygen();
    const ct8 = ctx8192.device(o8.publicKey).encrypt([1, 2]).serialize();
    expect(() => ctx.deserialize(ct8)).toThrow(HeParamsError);
    expect(() => ctx.device(o8.publicKey.serialize())).toThrow(HeParamsError);
    expect(() => ctx.device(o8.publicKey)).toThrow(HeParamsError);
    const ct8obj = ctx8192.device(o8.publicKey).encrypt([1]);
    expect(() => ctx.aggregator().sum([ct8obj])).toThrow(HeParamsError);
    expect(() => owner.decrypt(ct8obj)).toThrow(HeParamsError);
    // same preset code, different fingerprint
    const mine = ctx.device(owner.publicKey).encrypt([1]).serialize({ compression: 'none' });
    const fp = mine.slice();
    fp[20]! ^= 1;
    fixCrc(fp);
    expect(() => ctx.deserialize(fp)).toThrow(HeParamsError);
  });

  it('rejects kind confusion and unknown codes', () => {
    const pk = owner.publicKey.serialize();
    expect(() => ctx.deserialize(pk, 'ciphertext')).toThrow(HeFormatError);
    const bad = pk.slice();
    bad[5] = 9;
    fixCrc(bad);
    expect(() => ctx.deserialize(bad)).toThrow(HeFormatError);
    const v2 = pk.slice();
    v2[4] = 2;
    fixCrc(v2);
    expect(() => ctx.deserialize(v2)).toThrow(/version/);
  });

  it('rejects SEAL bodies that pass the CRC but not SEAL\'s loader or our metadata checks', () => {
    const ct = ctx.device(owner.publicKey).encrypt([5]).serialize({ compression: 'none' });
    // corrupt the SEAL header magic inside the body (offset: 40 header + 16 meta + 1+2+1+1 bigints + 4 length)
    const body = ct.slice();
    const off = 40 + 4 + 2 + 1 + 1 + 4 + 3 + 2 + 2 + 4;
    body[off]! ^= 0xff;
    fixCrc(body);
    expect(() => ctx.deserialize(body)).toThrow(HeFormatError);
    // metadata: count 0
    const c0 = ct.slice();
    c0.set([0, 0, 0, 0], 48);
    fixCrc(c0);
    expect(() => ctx.deserialize(c0)).toThrow(/metadata/);
  });

  it('every tampering gives a typed error, never a crash or a silently different value (fast-check)', () => {
    const ct = ctx.device(owner.publicKey).encrypt([1, 2, 3]);
    for (const compression of ['zstd', 'none'] as const) {
      const bytes = ct.serialize({ compression });
      fc.assert(
        fc.property(tampered(bytes), (t) => {
          let obj;
          try {
            obj = ctx.deserialize(t.bytes);
          } catch (e) {
            expect(e, t.mutation).toBeInstanceOf(PrivkitError);
            expect(isPrivkitError(e, 'HE_INVALID_ENCODING') || isPrivkitError(e, 'HE_PARAMS_MISMATCH'), t.mutation).toBe(true);
            return;
          }
          obj.dispose();
          throw new Error(`accepted: ${t.mutation}`);
        }),
        { numRuns: 40 },
      );
    }
  });

  it('hostile inputs to deserialize give typed errors', () => {
    const hostile: unknown[] = [
      undefined,
      null,
      42,
      'PKHE',
      new Uint16Array(64),
      { constructor: { name: 'Uint8Array' }, length: 64 },
      new Uint8Array(0),
      new Uint8Array(43),
      new Uint8Array(200),
    ];
    for (const h of hostile) {
      expect(() => ctx.deserialize(h as Uint8Array)).toThrow(PrivkitError);
    }
    const pk = owner.publicKey.serialize();
    expect(() => ctx.deserialize(pk, 'other' as never)).toThrow(PrivkitError);
    expect(() => owner.publicKey.serialize({ compression: 'gzip' as never })).toThrow(PrivkitError);
    expect(() => owner.publicKey.serialize('x' as never)).toThrow(PrivkitError);
  });
});

function fixCrc(b: Uint8Array): void {
  let c = 0xffffffff;
  for (let i = 0; i < b.length - 4; i++) {
    c ^= b[i]!;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  new DataView(b.buffer, b.byteOffset).setUint32(b.length - 4, (c ^ 0xffffffff) >>> 0, false);
}
