import { randomBytes } from 'node:crypto';
import { invert } from '@noble/curves/abstract/modular.js';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { _modInverse } from '../src/_modinv.js';
import { CHEBYSHEV_PARAMS } from '../src/chebyshev-params.js';
import { PrivkitError } from '../src/errors.js';

/** Independent reference: @noble/curves' BigInt extended Euclid. */
const reference = (a: bigint, m: bigint): bigint => invert(a, m);

const big = (bytes: number) => BigInt(`0x${randomBytes(bytes).toString('hex')}`);
const moduli = [CHEBYSHEV_PARAMS['chebyshev-3072'].p, CHEBYSHEV_PARAMS['chebyshev-2048'].p, 2n ** 255n - 19n, 65537n, 7n];

describe('_modInverse (Lehmer extended Euclid)', () => {
  it('agrees with @noble/curves invert and a·a⁻¹ ≡ 1 on random operands of every size class', () => {
    for (const m of moduli) {
      const bytes = Math.ceil(m.toString(2).length / 8) + 8;
      for (let i = 0; i < 150; i++) {
        const a = (big(bytes) % (m - 1n)) + 1n;
        const x = _modInverse(a, m);
        expect(x, `${m} ${a}`).toBe(reference(a, m));
        expect((a * x) % m).toBe(1n);
      }
    }
  });

  it('operands of every length below the modulus, and the edges 1, 2, m − 1, m − 2, powers of two and 2⁴⁸ ± 1', () => {
    const m = CHEBYSHEV_PARAMS['chebyshev-3072'].p;
    const edge = [1n, 2n, 3n, m - 1n, m - 2n, (1n << 48n) - 1n, 1n << 48n, (1n << 48n) + 1n, m >> 1n, (m >> 1n) + 1n];
    for (let bits = 1; bits < 3072; bits += 37) edge.push(1n << BigInt(bits), (1n << BigInt(bits)) - 1n, big(Math.ceil(bits / 8)) % m || 1n);
    for (const a of edge) {
      const x = _modInverse(a, m);
      expect(x, `a=${a}`).toBe(reference(a, m));
      expect((a * x) % m).toBe(1n);
    }
  });

  it('fast-check: inverse of the inverse is the operand (3072-bit prime)', () => {
    const m = CHEBYSHEV_PARAMS['chebyshev-3072'].p;
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: m - 1n }), (a) => _modInverse(_modInverse(a, m), m) === a),
      { numRuns: 200 },
    );
  });

  it('refuses 0, out-of-range and non-invertible operands with a typed internal error', () => {
    for (const [a, m] of [[0n, 7n], [7n, 7n], [-1n, 7n], [8n, 7n], [6n, 9n], [2n ** 64n, 2n ** 80n]] as const) {
      let err: unknown;
      try {
        _modInverse(a, m);
      } catch (e) {
        err = e;
      }
      expect(err, `${a} mod ${m}`).toBeInstanceOf(PrivkitError);
      expect((err as PrivkitError).code).toBe('INTERNAL');
    }
  });
});
