/**
 * The one interface behind which BFV (`_bfv.ts`) and CKKS (`_ckks.ts`) differ: reading validation and encoding,
 * plaintext weights and levels, rotations, and decryption. The roles (`_device.ts`, `_accumulator.ts`,
 * `_aggregator.ts`, `_owner.ts`) call only this interface and contain no scheme branches.
 * @module
 */
import type { SealCipherText, SealDecryptor, SealGaloisKeys, SealPlainText } from './_seal.js';
import type { Core } from './_core.js';
import type { CtMeta } from './_bounds.js';
import type { HePreset } from './presets.js';
import type { HeAggregate } from './types.js';
import { bfv } from './_bfv.js';
import { ckks } from './_ckks.js';

/** A parsed plaintext weight: `w` undefined means the plain weight 1; `absW` bounds |w| for the bound accounting. */
export interface Weight {
  readonly w: bigint | number | undefined;
  readonly absW: bigint;
}

/** What a ciphertext must carry for decryption: its public metadata and its SEAL parts. */
export type Decryptable = Readonly<CtMeta> & { readonly parts: readonly SealCipherText[] };

export interface Scheme {
  readonly id: 'bfv' | 'ckks';
  /** Highest modulus-chain level a ciphertext may reach (CKKS: one weighting). */
  readonly maxLevel: number;
  /** Validates readings (before SEAL is touched) and lays them out in `total` zero-padded slots. */
  readings(arr: ArrayLike<unknown>, n: number, total: number, maxAbs: bigint): BigInt64Array | Float64Array;
  /** Encodes slots [from, from + slotCount) of laid-out readings. */
  encode(core: Core, data: BigInt64Array | Float64Array, from: number, plain: SealPlainText): void;
  /** Parses a weight; undefined for weight 0 (nothing to add). */
  weight(preset: HePreset, weight: unknown): Weight | undefined;
  /** Level of `w · ct` (CKKS: one rescale per weighting). */
  levelAfter(level: number, weighted: boolean): number;
  /** Encodes |w| (BFV) or w (CKKS, at the ciphertext's level) into `plain`. */
  encodeWeight(core: Core, w: bigint | number, level: number, like: SealCipherText, plain: SealPlainText): void;
  /** dest = w · src for a weight other than 1 and −1 (with the encoded weight in `plain`). */
  weigh(core: Core, src: SealCipherText, plain: SealPlainText, w: bigint | number, dest: SealCipherText): void;
  /** Rotation steps whose Galois keys a total sum needs (BFV: step 0 is the column swap). */
  rotationSteps(preset: HePreset): number[];
  /** dest = rotation of src by `step` (as listed by {@link Scheme.rotationSteps}). */
  rotate(core: Core, src: SealCipherText, step: number, keys: SealGaloisKeys, dest: SealCipherText): void;
  /** BFV: the smallest invariant noise budget over the parts; CKKS: undefined. */
  noiseBudget(decryptor: SealDecryptor, parts: readonly SealCipherText[]): number | undefined;
  /** Decrypts, refusing (typed errors) any slot of any batch outside `bound` (+ the CKKS error bound). */
  decrypt(core: Core, decryptor: SealDecryptor, plain: SealPlainText, ct: Decryptable, bound: bigint): HeAggregate;
}

/** The scheme of a preset. */
export function schemeOf(preset: HePreset): Scheme {
  return preset.scheme === 'bfv' ? bfv : ckks;
}
