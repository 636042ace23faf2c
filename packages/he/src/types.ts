/**
 * Public types of `@privkit/he`: options, the handles of the four roles (owner, device, aggregator, accumulator),
 * ciphertexts, keys and decrypted aggregates. Implementations live in one file per role (`_owner.ts`, `_device.ts`,
 * `_aggregator.ts`, `_accumulator.ts`), keys and ciphertexts in `_keys.ts` and `_ciphertext.ts`, the context in
 * `aggregation.ts`.
 * @module
 */
import type { HePreset, HePresetId } from './presets.js';

/** Compression applied to SEAL's serialization (SEAL's own zstd/zlib streams). */
export type HeCompression = 'zstd' | 'zlib' | 'none';

/** Options of {@link createAggregationContext}. */
export interface AggregationContextOptions {
  /** Parameter preset (default `bfv-4096`). */
  preset?: HePresetId;
  /**
   * Largest absolute reading a device may encrypt (default: the preset's `defaultMaxAbsReading`, 65535 for
   * `bfv-4096`). It is a public parameter: every fresh ciphertext declares this bound, and aggregates are refused once
   * the sum of bounds could exceed the plaintext space.
   */
  maxAbsReading?: bigint | number;
}

/** Options of serialization. */
export interface SerializeOptions {
  /** SEAL compression (default `zstd`). */
  compression?: HeCompression;
}

/** Readings accepted by {@link HeDevice.encrypt}: an array or typed array of integers (BFV) or reals (CKKS). */
export type Readings =
  | readonly (number | bigint)[]
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | Float32Array
  | Float64Array;

/** The owner's public key, as handed to devices. */
export interface HePublicKey {
  readonly kind: 'publicKey';
  /** Preset the key belongs to. */
  readonly preset: HePresetId;
  /** True after {@link HePublicKey.dispose}. */
  readonly disposed: boolean;
  /** Versioned, compressed serialization (FORMAT.md). */
  serialize(options?: SerializeOptions): Uint8Array;
  /** Frees the SEAL object (idempotent). */
  dispose(): void;
  [Symbol.dispose](): void;
}

/** Galois (rotation) keys the owner hands to an aggregator so it can compute total (cross-slot) sums. */
export interface HeGaloisKeys {
  readonly kind: 'galoisKeys';
  readonly preset: HePresetId;
  readonly disposed: boolean;
  serialize(options?: SerializeOptions): Uint8Array;
  dispose(): void;
  [Symbol.dispose](): void;
}

/**
 * An encrypted vector of readings or an encrypted aggregate. Carries public metadata the aggregator needs for overflow
 * and noise accounting (and nothing derived from the readings).
 */
export interface HeCiphertext {
  readonly kind: 'ciphertext';
  readonly preset: HePresetId;
  /** Number of readings (slots) that carry data. */
  readonly length: number;
  /** Number of SEAL ciphertexts (batches of `slotCount` slots). */
  readonly batches: number;
  /** Number of fresh device ciphertexts that went into this one. */
  readonly count: number;
  /**
   * Upper bound of |value| in every slot of every batch, padding included (maxAbsReading for a fresh or ingested
   * upload, propagated through sums, weights and total sums).
   */
  readonly bound: bigint;
  /** Noise weight: Σ|w| over fresh contributions (×4·slots per rotation sum); see the README. */
  readonly noiseWeight: bigint;
  /** The owner divides the decrypted values by this (1 for sums; the count for means). */
  readonly divisor: bigint;
  /** Modulus-chain level (CKKS: number of rescales by plaintext weights; always 0 for BFV). */
  readonly level: number;
  readonly disposed: boolean;
  serialize(options?: SerializeOptions): Uint8Array;
  dispose(): void;
  [Symbol.dispose](): void;
}

/** Decrypted BFV aggregate: exact integers. */
export interface BfvAggregate {
  readonly scheme: 'bfv';
  readonly preset: HePresetId;
  /** Exact slot values (sums; for a mean, the sums before division). */
  readonly values: readonly bigint[];
  /** `values[i] / divisor` as doubles (equal to `values` for plain sums). */
  readonly mean: readonly number[];
  readonly count: number;
  readonly divisor: bigint;
  /** Smallest remaining invariant noise budget over the batches, in bits (> 0, or decryption is refused). */
  readonly noiseBudget: number;
}

/** Decrypted CKKS aggregate: approximate reals. */
export interface CkksAggregate {
  readonly scheme: 'ckks';
  readonly preset: HePresetId;
  /** Approximate slot values (sums; for a mean, the sums before division). */
  readonly values: readonly number[];
  /** `values[i] / divisor`. */
  readonly mean: readonly number[];
  readonly count: number;
  readonly divisor: bigint;
  /**
   * Documented absolute error bound of every entry of `values` (noiseWeight·2^-20 + bound·2^-44; the noise weight
   * includes each weighting's rescale and weight-encoding error).
   */
  readonly errorBound: number;
}

/** A decrypted aggregate. */
export type HeAggregate = BfvAggregate | CkksAggregate;

/** Options of {@link HeOwner.decrypt}. */
export interface DecryptOptions {
  /**
   * The aggregate bound the owner computes itself (e.g. devices × maxAbsReading for a plain sum): every decrypted slot
   * must lie within min(this, the ciphertext's declared bound), or decryption is refused (`HE_PLAINTEXT_OVERFLOW`).
   */
  bound?: bigint | number;
}

/** Owner role: holds the secret key (never exported), decrypts. */
export interface HeOwner {
  readonly preset: HePresetId;
  /** Public key for devices. */
  readonly publicKey: HePublicKey;
  /** Galois keys for aggregators (present when `keygen({ galoisKeys: true })`). */
  readonly galoisKeys: HeGaloisKeys | undefined;
  readonly disposed: boolean;
  /**
   * Decrypts an aggregate. Refuses (typed errors) instead of returning garbage: declared bound beyond the plaintext
   * space (`HE_PLAINTEXT_OVERFLOW`), exhausted noise budget or a ciphertext not under this key
   * (`HE_NOISE_BUDGET_EXHAUSTED`), a decrypted value beyond the declared bound (`HE_PLAINTEXT_OVERFLOW`).
   */
  decrypt(ciphertext: HeCiphertext, options?: DecryptOptions): HeAggregate;
  /** BFV: remaining invariant noise budget in bits (minimum over batches). CKKS: undefined (not defined by SEAL). */
  noiseBudget(ciphertext: HeCiphertext): number | undefined;
  dispose(): void;
  [Symbol.dispose](): void;
}

/** Device role: encrypts readings under the owner's public key. */
export interface HeDevice {
  readonly preset: HePresetId;
  readonly disposed: boolean;
  /**
   * Encrypts readings (any length ≥ 1; split into batches of `slotCount`, zero-padded).
   * @throws {InputError} a reading is not an integer (BFV) / finite number (CKKS) or exceeds ±maxAbsReading
   */
  encrypt(readings: Readings): HeCiphertext;
  dispose(): void;
  [Symbol.dispose](): void;
}

/** A running sum (streaming aggregation without keeping every ciphertext alive). */
export interface HeAccumulator {
  /** Fresh contributions summed so far. */
  readonly count: number;
  readonly disposed: boolean;
  /**
   * Adds `weight · ciphertext` (weight default 1; BFV: integer with |w| ≤ (t−1)/2; CKKS: finite real, which costs
   * one rescale level). Checks overflow and noise before changing anything.
   * @throws {HeOverflowError} the running bound would exceed the plaintext space
   * @throws {HeNoiseError} the noise estimate would exceed the preset's limit
   * @throws {HeParamsError} different preset, length or level
   * @throws {InputError} bad weight; terms that cancel exactly (the sum would be a transparent ciphertext)
   * The new sum is computed into a spare buffer and swapped in only when every batch succeeded: a refused or failed
   * add leaves the accumulator exactly as it was.
   */
  add(ciphertext: HeCiphertext, weight?: number | bigint): void;
  /** A new ciphertext holding the current sum (the accumulator stays usable). */
  result(): HeCiphertext;
  /** Like {@link HeAccumulator.result} with `divisor` = count (the owner's decrypt returns the mean). */
  mean(): HeCiphertext;
  dispose(): void;
  [Symbol.dispose](): void;
}

/** Aggregator role: needs no secret key (only, for total sums, the owner's Galois keys). */
export interface HeAggregator {
  readonly preset: HePresetId;
  readonly disposed: boolean;
  /** True when Galois keys were supplied (enables {@link HeAggregator.totalSum}). */
  readonly canRotate: boolean;
  /** Slot-wise sum of ciphertexts of equal length. */
  sum(ciphertexts: readonly HeCiphertext[]): HeCiphertext;
  /** Slot-wise Σ w_i·ct_i with plaintext weights. */
  weightedSum(ciphertexts: readonly HeCiphertext[], weights: readonly (number | bigint)[]): HeCiphertext;
  /** Slot-wise sum with `divisor` = total count: the owner's decrypt yields the mean. */
  mean(ciphertexts: readonly HeCiphertext[]): HeCiphertext;
  /**
   * Sum over all slots (and batches) of one ciphertext, by log2(slots) rotations; the result has length 1.
   * @throws {HeStateError} `HE_MISSING_GALOIS_KEYS` without Galois keys
   */
  totalSum(ciphertext: HeCiphertext): HeCiphertext;
  /** A streaming accumulator. */
  accumulator(): HeAccumulator;
  dispose(): void;
  [Symbol.dispose](): void;
}

/** A deserialized object. */
export type HeObject = HePublicKey | HeGaloisKeys | HeCiphertext;

/** Context: parameters plus the SEAL context; factory for every role. */
export interface AggregationContext {
  /** The frozen preset. */
  readonly preset: HePreset;
  /** Readings per batch. */
  readonly slotCount: number;
  /** Declared bound of |reading| for this context's devices. */
  readonly maxAbsReading: bigint;
  readonly disposed: boolean;
  /** Owner: generate a key pair (the secret key never leaves the returned object). */
  keygen(options?: { galoisKeys?: boolean }): HeOwner;
  /** Device: an encryptor under the owner's public key (object or its serialization). */
  device(publicKey: HePublicKey | Uint8Array): HeDevice;
  /** Aggregator: no secret key; Galois keys (object or serialization) enable total sums. */
  aggregator(options?: { galoisKeys?: HeGaloisKeys | Uint8Array }): HeAggregator;
  /**
   * Parses and validates a serialized object of this preset (any kind, or the given kind). Every SEAL stream is
   * validated in TypeScript (header, parms_id, sizes, scale, every coefficient; decompression capped at the object's
   * exact size) before SEAL loads it. `'ciphertext'` (and an untyped call) reads a **device upload**: its count,
   * bound, noise weight and divisor are reset to one fresh encryption under this context. `'aggregate'` reads an
   * aggregator's result for the owner, keeping its declared metadata (range-checked).
   */
  deserialize(bytes: Uint8Array): HeObject;
  deserialize(bytes: Uint8Array, kind: 'ciphertext' | 'aggregate'): HeCiphertext;
  deserialize(bytes: Uint8Array, kind: 'publicKey'): HePublicKey;
  deserialize(bytes: Uint8Array, kind: 'galoisKeys'): HeGaloisKeys;
  /** Frees the SEAL context and every object created from it (idempotent). */
  dispose(): void;
  [Symbol.dispose](): void;
}
