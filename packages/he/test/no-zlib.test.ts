/**
 * Without node:zlib (a browser), compressed SEAL streams must be refused — never handed to SEAL's uncapped inflater —
 * while uncompressed ones work, and the CRC falls back to the table implementation. Simulated by hiding
 * `process.getBuiltinModule` before @privkit/he is loaded (vitest gives every test file its own module graph).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { isPrivkitError } from '@privkit/core';
import type { BfvAggregate } from '@privkit/he';

const proc = process as unknown as { getBuiltinModule?: unknown };
const original = proc.getBuiltinModule;
proc.getBuiltinModule = undefined;
const he = await import('@privkit/he');

describe('no node:zlib (browser-like)', () => {
  afterAll(() => {
    proc.getBuiltinModule = original;
  });
  it('compressed streams are refused with HE_INVALID_ENCODING; uncompressed ones round-trip', async () => {
    const ctx = await he.createAggregationContext({ maxAbsReading: 100 });
    const owner = ctx.keygen();
    let err: unknown;
    try {
      ctx.device(owner.publicKey.serialize());
    } catch (e) {
      err = e;
    }
    expect(isPrivkitError(err, 'HE_INVALID_ENCODING')).toBe(true);
    expect(String((err as Error).message)).toMatch(/node:zlib/);
    const dev = ctx.device(owner.publicKey.serialize({ compression: 'none' }));
    const ct = dev.encrypt([1, -2, 3]);
    expect(() => ctx.deserialize(ct.serialize({ compression: 'zlib' }), 'ciphertext')).toThrow(he.HeFormatError);
    const back = ctx.deserialize(ct.serialize({ compression: 'none' }), 'ciphertext');
    expect((owner.decrypt(back) as BfvAggregate).values).toEqual([1n, -2n, 3n]);
    ctx.dispose();
  });
});
