/**
 * Argument parsing shared by the roles and the schemes: readings containers, integers, reals, and the limits on
 * batches, CKKS weights and levels.
 * @module
 */
import { InputError } from '@privkit/core';

/** |v| for bigints. */
export function abs(v: bigint): bigint {
  return v < 0n ? -v : v;
}

export function readingsArray(readings: unknown): ArrayLike<unknown> {
  if (Array.isArray(readings)) return readings;
  if (ArrayBuffer.isView(readings) && !(readings instanceof DataView)) return readings as unknown as ArrayLike<unknown>;
  throw new InputError(`"readings" expected array or typed array, got type=${readings === null ? 'null' : typeof readings}`, {
    code: 'INVALID_TYPE',
  });
}

export function intValue(v: unknown, title: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === 'number') {
    throw new InputError(`"${title}" expected safe integer, got ${v}`, { code: 'INVALID_VALUE' });
  }
  throw new InputError(`"${title}" expected integer (number or bigint), got type=${v === null ? 'null' : typeof v}`, {
    code: 'INVALID_TYPE',
  });
}

export function realValue(v: unknown, title: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'bigint' && v >= -(2n ** 53n) && v <= 2n ** 53n) return Number(v);
  if (typeof v === 'number' || typeof v === 'bigint') {
    throw new InputError(`"${title}" expected finite number, got ${String(v)}`, { code: 'INVALID_VALUE' });
  }
  throw new InputError(`"${title}" expected number, got type=${v === null ? 'null' : typeof v}`, {
    code: 'INVALID_TYPE',
  });
}

/** Largest CKKS weight magnitude accepted (keeps the weight's encoding at scale 2^40 far from overflow). */
export const CKKS_MAX_WEIGHT = 2 ** 20;

/**
 * CKKS: at most one plaintext weighting (rescale). Level 1 keeps a 100-bit modulus for values at scale ≈ 2^40, i.e.
 * ≥ 2^58 headroom over the 2^50 magnitude cap; level 2 (one 60-bit prime) would not.
 */
export const CKKS_MAX_LEVEL = 1;

/** Most batches one `encrypt` call accepts (4096 × 1024 ≈ 4.2 M readings). */
export const MAX_BATCHES = 1024;
