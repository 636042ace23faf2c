/**
 * Frozen, named parameter sets ("presets") for homomorphic aggregation. Every preset targets the 128-bit classical
 * security level of the HomomorphicEncryption.org Security Standard (Albrecht et al., 2018, Table 1, ternary
 * secrets): the total coefficient-modulus size is at most 109 bits for n = 4096 and 218 bits for n = 8192, the
 * bounds SEAL encodes as `CoeffModulus.MaxBitCount(n, sec_level_type::tc128)`. {@link createAggregationContext}
 * re-checks this, and that SEAL accepts the parameters at `tc128`, every time a context is created.
 * @module
 */

/** Identifier of a preset. */
export type HePresetId = 'bfv-4096' | 'bfv-8192' | 'ckks-8192';

/** A frozen parameter set. */
export interface HePreset {
  /** Name used in options and error messages. */
  readonly id: HePresetId;
  /** One-byte code bound into every serialized object (see FORMAT.md). */
  readonly code: number;
  /** `bfv` for exact integer sums, `ckks` for approximate real sums. */
  readonly scheme: 'bfv' | 'ckks';
  /** Ring dimension n (poly_modulus_degree). */
  readonly polyModulusDegree: number;
  /** Coefficient-modulus primes q_i (the last one is SEAL's special prime, used for key switching only). */
  readonly coeffModulus: readonly bigint[];
  /** Bit sizes of the primes. */
  readonly coeffModulusBits: readonly number[];
  /** Total coefficient-modulus bits (≤ {@link HePreset.maxCoeffModulusBits}). */
  readonly totalCoeffModulusBits: number;
  /** HE-standard maximum for 128-bit security at this n. */
  readonly maxCoeffModulusBits: number;
  /** Claimed classical security level in bits (HE standard, ternary secret). */
  readonly securityLevel: 128;
  /** BFV plaintext modulus t (a batching prime, t ≡ 1 mod 2n); 0n for CKKS. */
  readonly plainModulus: bigint;
  /** CKKS scale exponent (scale = 2^scaleBits); 0 for BFV. */
  readonly scaleBits: number;
  /** Readings per ciphertext batch (BFV: n; CKKS: n/2). */
  readonly slotCount: number;
  /**
   * Largest absolute value any slot of any aggregate may take. BFV: (t−1)/2 (centered representation of Z_t);
   * CKKS: 2^50 (keeps the value far below q/scale and within double precision on decode).
   */
  readonly maxAbsValue: bigint;
  /** Default for `maxAbsReading` when the caller does not give one. */
  readonly defaultMaxAbsReading: bigint;
  /**
   * Conservative log2 of the "noise weight" (Σ|w_i| over fresh contributions, ×4·slots per rotation sum) an
   * aggregate may reach. BFV: the fresh invariant noise budget lower bound minus a margin (4 bits for bfv-4096, 10 for
   * bfv-8192), so at least that margin remains. CKKS: a sanity cap (the error bound grows with the noise weight).
   */
  readonly noiseLimitBits: number;
  /** BFV: lower bound of the fresh invariant noise budget (bits), checked by the tests. */
  readonly freshNoiseBudgetBits: number;
  /** CKKS: absolute error bound of one fresh encryption (values are exact to ≈ 2^-26; 2^-20 adds margin). */
  readonly freshErrorBound: number;
  /** Approximate size in bytes of one serialized ciphertext batch with zstd (measured, for planning). */
  readonly ciphertextBytes: number;
}

const bfv4096: HePreset = Object.freeze({
  id: 'bfv-4096',
  code: 1,
  scheme: 'bfv',
  polyModulusDegree: 4096,
  coeffModulus: Object.freeze([68719403009n, 68719230977n, 137438822401n]),
  coeffModulusBits: Object.freeze([36, 36, 37]),
  totalCoeffModulusBits: 109,
  maxCoeffModulusBits: 109,
  securityLevel: 128,
  plainModulus: 1073692673n,
  scaleBits: 0,
  slotCount: 4096,
  maxAbsValue: (1073692673n - 1n) / 2n,
  defaultMaxAbsReading: 65535n,
  noiseLimitBits: 28,
  freshNoiseBudgetBits: 32,
  freshErrorBound: 0,
  ciphertextBytes: 88_600,
} as const);

const bfv8192: HePreset = Object.freeze({
  id: 'bfv-8192',
  code: 2,
  scheme: 'bfv',
  polyModulusDegree: 8192,
  coeffModulus: Object.freeze([8796092858369n, 8796092792833n, 17592186028033n, 17592185438209n, 17592184717313n]),
  coeffModulusBits: Object.freeze([43, 43, 44, 44, 44]),
  totalCoeffModulusBits: 218,
  maxCoeffModulusBits: 218,
  securityLevel: 128,
  plainModulus: 1125899906826241n,
  scaleBits: 0,
  slotCount: 8192,
  maxAbsValue: (1125899906826241n - 1n) / 2n,
  defaultMaxAbsReading: 4294967295n,
  noiseLimitBits: 100,
  freshNoiseBudgetBits: 110,
  freshErrorBound: 0,
  ciphertextBytes: 432_500,
} as const);

const ckks8192: HePreset = Object.freeze({
  id: 'ckks-8192',
  code: 3,
  scheme: 'ckks',
  polyModulusDegree: 8192,
  coeffModulus: Object.freeze([1152921504606748673n, 1099510890497n, 1099511480321n, 1152921504606830593n]),
  coeffModulusBits: Object.freeze([60, 40, 40, 60]),
  totalCoeffModulusBits: 200,
  maxCoeffModulusBits: 218,
  securityLevel: 128,
  plainModulus: 0n,
  scaleBits: 40,
  slotCount: 4096,
  maxAbsValue: 2n ** 50n,
  defaultMaxAbsReading: 2n ** 20n,
  noiseLimitBits: 40,
  freshNoiseBudgetBits: 0,
  freshErrorBound: 2 ** -20,
  ciphertextBytes: 331_500,
} as const);

/**
 * The frozen presets, by id.
 *
 * | id | scheme | n | log2 q | t / scale | slots | max |aggregate| | ciphertext (zstd) |
 * |---|---|---|---|---|---|---|---|
 * | `bfv-4096` (default) | BFV | 4096 | 109 (36+36+37) | t = 1073692673 (30 bit) | 4096 | 536 846 336 | ≈ 88.6 KB |
 * | `bfv-8192` | BFV | 8192 | 218 (43+43+44+44+44) | t = 1125899906826241 (50 bit) | 8192 | ≈ 5.6·10^14 | ≈ 432 KB |
 * | `ckks-8192` | CKKS | 8192 | 200 (60+40+40+60) | scale 2^40 | 4096 | 2^50 | ≈ 331 KB |
 * @example
 * ```ts
 * presets['bfv-4096'].plainModulus // 1073692673n
 * ```
 */
export const presets: Readonly<Record<HePresetId, HePreset>> = Object.freeze({
  'bfv-4096': bfv4096,
  'bfv-8192': bfv8192,
  'ckks-8192': ckks8192,
});

/**
 * Preset ids in code order.
 * @example
 * ```ts
 * for (const id of presetIds) console.log(id, presets[id].securityLevel);
 * ```
 */
export const presetIds: readonly HePresetId[] = Object.freeze(['bfv-4096', 'bfv-8192', 'ckks-8192'] as const);
