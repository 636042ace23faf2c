/**
 * Bound and noise accounting of aggregates, in plain BigInt arithmetic on public metadata (no SEAL). Every operation
 * either returns the metadata of its result — whose `bound` holds for **every slot of every batch**, padding slots
 * included, because rotations add padding slots too — or throws a typed refusal before anything is computed.
 * @module
 */
import { HeNoiseError, HeOverflowError } from './errors.js';
import type { HePreset } from './presets.js';

/** Public metadata of a ciphertext. */
export interface CtMeta {
  /** Readings that carry data (1 for a total sum, whose every slot holds the total). */
  length: number;
  /** Fresh device ciphertexts summed into this one. */
  count: number;
  /** Upper bound of |value| in every slot of every batch. */
  bound: bigint;
  /** Noise weight (units of one fresh encryption's noise; CKKS: also rescale and weight-encoding error). */
  noiseWeight: bigint;
  /** The owner divides by this (1 for sums, the count for means). */
  divisor: bigint;
  /** CKKS rescale level. */
  level: number;
}

/** Largest number of contributions counted (the wire field is a u32). */
const MAX_COUNT = 0xffffffff;

function noiseCheck(preset: HePreset, noiseWeight: bigint, what: string): void {
  if (noiseWeight > 2n ** BigInt(preset.noiseLimitBits)) {
    throw new HeNoiseError(`${what} would exceed the noise limit of preset ${preset.id}`);
  }
}

/**
 * Metadata of `running + w·ct` (`running` undefined: the first term).
 * CKKS weighting (`weighted`): +1 noise unit for the rescale and ⌈bound/2^20⌉ units (of 2^-20) for the weight's
 * encoding error: a weight encoded at scale 2^40 is off by ≤ 2^-41, i.e. ≤ bound·2^-41 per slot (counted twice).
 * @throws {HeOverflowError} the bound would exceed the plaintext space, or more than 2^32−1 contributions
 * @throws {HeNoiseError} the noise weight would exceed the preset's limit
 */
export function addTerm(preset: HePreset, running: CtMeta | undefined, ct: CtMeta, absW: bigint, weighted: boolean): CtMeta {
  const bound = (running?.bound ?? 0n) + absW * ct.bound;
  const count = (running?.count ?? 0) + ct.count;
  if (bound > preset.maxAbsValue) {
    throw new HeOverflowError(`sum bound ${bound} could exceed the plaintext space ±${preset.maxAbsValue}`, {
      details: `count=${count}`,
    });
  }
  const ckksExtra = preset.scheme === 'ckks' && weighted ? 1n + ((ct.bound + 2n ** 20n - 1n) >> 20n) : 0n;
  const noiseWeight = (running?.noiseWeight ?? 0n) + absW * ct.noiseWeight + ckksExtra;
  noiseCheck(preset, noiseWeight, 'sum');
  if (count > MAX_COUNT) throw new HeOverflowError('more than 2^32 − 1 contributions');
  return { length: ct.length, count, bound, noiseWeight, divisor: 1n, level: ct.level };
}

/**
 * Metadata of a total (rotation) sum over all `batches × slotCount` slots; the result has length 1 and holds the
 * total in every slot.
 * @throws {HeOverflowError} | {HeNoiseError}
 */
export function totalSumMeta(preset: HePreset, ct: CtMeta, batches: number): CtMeta {
  const slots = BigInt(batches * preset.slotCount);
  const bound = ct.bound * slots;
  if (bound > preset.maxAbsValue) {
    throw new HeOverflowError(`total sum bound ${bound} could exceed the plaintext space ±${preset.maxAbsValue}`);
  }
  const noiseWeight = ct.noiseWeight * BigInt(batches) * BigInt(4 * preset.slotCount);
  noiseCheck(preset, noiseWeight, 'total sum');
  return { length: 1, count: ct.count, bound, noiseWeight, divisor: ct.divisor, level: ct.level };
}

/** CKKS: documented absolute error bound of every decrypted slot (noiseWeight·freshErrorBound + bound·2^-44). */
export function ckksErrorBound(preset: HePreset, meta: CtMeta): number {
  return Number(meta.noiseWeight) * preset.freshErrorBound + Number(meta.bound) * 2 ** -44;
}
