/// <reference lib="esnext.disposable" />
/**
 * Homomorphic aggregation of device readings on Microsoft SEAL (via node-seal): BFV with batching for exact integer
 * sums, CKKS for approximate real sums. Roles have separate key material: the **owner** generates keys and keeps the
 * secret key, **devices** encrypt with the owner's public key, an untrusted **aggregator** adds ciphertexts (and,
 * given Galois keys, sums across slots), and only the owner decrypts.
 *
 * Schemes: Fan–Vercauteren, "Somewhat Practical Fully Homomorphic Encryption" (ePrint 2012/144) with the batching of
 * Smart–Vercauteren (ePrint 2011/133); Cheon–Kim–Kim–Song, "Homomorphic Encryption for Arithmetic of Approximate
 * Numbers" (ASIACRYPT 2017). Implementation: Microsoft SEAL 4.x compiled to WebAssembly (node-seal).
 * @module
 */
import { InputError, aobject, aoneOf, isBytes, isPrivkitError, abytes } from '@privkit/core';
import {
  loadSeal,
  parmsIdBytes,
  sealMessage,
  type SealBatchEncoder,
  type SealCipherText,
  type SealCkksEncoder,
  type SealComprMode,
  type SealContext,
  type SealDecryptor,
  type SealEncryptor,
  type SealEvaluator,
  type SealGaloisKeys,
  type SealLibrary,
  type SealPlainText,
  type SealPublicKey,
} from './_seal.js';
import { COMPRESSION, KIND, MAGIC, VERSION, Writer, openObject, type Reader } from './_format.js';
import { addTerm, ckksErrorBound, totalSumMeta, type CtMeta } from './_bounds.js';
import { validateCtStream, validateGaloisStream, type CtShape, type GaloisShape } from './_sealstream.js';
import { HeFormatError, HeNoiseError, HeOverflowError, HeParamsError, HeSealError, HeStateError } from './errors.js';
import { presetIds, presets, type HePreset, type HePresetId } from './presets.js';

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

/** A serialized-able object owned by a context. */
interface Owned {
  dispose(): void;
}

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

// ---------------------------------------------------------------------------------------------------------------

interface Core {
  readonly seal: SealLibrary;
  readonly preset: HePreset;
  readonly context: SealContext;
  readonly evaluator: SealEvaluator;
  readonly batch: SealBatchEncoder | undefined;
  readonly ckks: SealCkksEncoder | undefined;
  /** SEAL key-level parms_id (32 bytes): binds serialized objects to the exact parameters. */
  readonly fingerprint: Uint8Array;
  /** Number of data-level primes (coeff modulus minus the special prime). */
  readonly dataPrimes: number;
  readonly scale: number;
  readonly maxAbsReading: bigint;
  /** Exact shape of a ciphertext batch at each level (index = level): what an untrusted stream must match. */
  readonly ctShapes: readonly CtShape[];
  /** Exact shape of a public key stream. */
  readonly keyShape: CtShape;
  /** Exact shape of the Galois-key stream a total sum needs. */
  readonly galoisShape: GaloisShape;
  readonly children: Set<Owned>;
  alive: boolean;
}

const SEC_LABEL = 'HomomorphicEncryption.org 128-bit (tc128)';

function assertAlive(core: Core, self: { disposed: boolean }, what: string): void {
  if (!core.alive) throw new HeStateError(`${what}: its aggregation context was disposed`);
  if (self.disposed) throw new HeStateError(`${what} was disposed`);
}

/** Rethrows PrivkitErrors, wraps anything else (SEAL exceptions) as HeSealError. */
function wrap(e: unknown, what: string): Error {
  if (isPrivkitError(e)) return e;
  return new HeSealError(`${what} failed in SEAL`, { cause: e, details: sealMessage(e) });
}

function freeAll(objs: readonly ({ delete(): void } | undefined)[]): void {
  for (const o of objs) {
    try {
      o?.delete();
    } catch {
      /* already freed */
    }
  }
}

function comprMode(core: Core, options: SerializeOptions | undefined): { mode: SealComprMode; code: number } {
  const o = aobject<SerializeOptions>(options, 'options');
  const c = o?.compression === undefined ? 'zstd' : aoneOf(o.compression, ['zstd', 'zlib', 'none'] as const, 'compression');
  return { mode: core.seal.ComprModeType[c], code: COMPRESSION[c] };
}

function header(core: Core, kind: number, compression: number): Writer {
  return new Writer()
    .bytes(Uint8Array.from(MAGIC))
    .u8(VERSION)
    .u8(kind)
    .u8(core.preset.code)
    .u8(compression)
    .bytes(core.fingerprint);
}

function abs(v: bigint): bigint {
  return v < 0n ? -v : v;
}

function checkSameParams(core: Core, other: Core, what: string): void {
  if (other !== core && (other.preset !== core.preset || !sameBytes(other.fingerprint, core.fingerprint))) {
    throw new HeParamsError(`${what} belongs to preset ${other.preset.id}, this context uses ${core.preset.id}`);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

// --- keys --------------------------------------------------------------------------------------------------------

class PublicKeyImpl implements HePublicKey {
  readonly kind = 'publicKey' as const;
  readonly preset: HePresetId;
  #disposed = false;
  constructor(
    readonly core: Core,
    readonly key: SealPublicKey,
  ) {
    this.preset = core.preset.id;
    core.children.add(this);
  }
  get disposed(): boolean {
    return this.#disposed;
  }
  serialize(options?: SerializeOptions): Uint8Array {
    assertAlive(this.core, this, 'public key');
    const { mode, code } = comprMode(this.core, options);
    try {
      const body = this.key.saveArray(mode);
      return header(this.core, KIND.publicKey, code).u32(body.length).bytes(body).finish();
    } catch (e) {
      throw wrap(e, 'public key serialization');
    }
  }
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.core.children.delete(this);
    freeAll([this.key]);
  }
  [Symbol.dispose](): void {
    this.dispose();
  }
}

class GaloisKeysImpl implements HeGaloisKeys {
  readonly kind = 'galoisKeys' as const;
  readonly preset: HePresetId;
  #disposed = false;
  constructor(
    readonly core: Core,
    readonly keys: SealGaloisKeys,
  ) {
    this.preset = core.preset.id;
    core.children.add(this);
  }
  get disposed(): boolean {
    return this.#disposed;
  }
  serialize(options?: SerializeOptions): Uint8Array {
    assertAlive(this.core, this, 'Galois keys');
    const { mode, code } = comprMode(this.core, options);
    try {
      const body = this.keys.saveArray(mode);
      return header(this.core, KIND.galoisKeys, code).u32(body.length).bytes(body).finish();
    } catch (e) {
      throw wrap(e, 'Galois key serialization');
    }
  }
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.core.children.delete(this);
    freeAll([this.keys]);
  }
  [Symbol.dispose](): void {
    this.dispose();
  }
}

/** Rotation steps whose Galois keys a total sum needs (step 0 = BFV column swap). */
function rotationSteps(preset: HePreset): number[] {
  const steps: number[] = [];
  const limit = preset.scheme === 'bfv' ? preset.polyModulusDegree / 4 : preset.slotCount / 2;
  for (let s = 1; s <= limit; s *= 2) steps.push(s);
  if (preset.scheme === 'bfv') steps.push(0);
  return steps;
}

/** SEAL's galois element for a rotation step: 3^step mod 2n (step 0 → 2n − 1). */
function galoisElement(preset: HePreset, step: number): number {
  const m = BigInt(2 * preset.polyModulusDegree);
  if (step === 0) return Number(m - 1n);
  let r = 1n;
  for (let i = 0; i < step; i++) r = (r * 3n) % m;
  return Number(r);
}

// --- ciphertexts -------------------------------------------------------------------------------------------------

class CiphertextImpl implements HeCiphertext {
  readonly kind = 'ciphertext' as const;
  readonly preset: HePresetId;
  readonly length: number;
  readonly count: number;
  readonly bound: bigint;
  readonly noiseWeight: bigint;
  readonly divisor: bigint;
  readonly level: number;
  #disposed = false;
  constructor(
    readonly core: Core,
    readonly parts: SealCipherText[],
    meta: CtMeta,
  ) {
    this.preset = core.preset.id;
    this.length = meta.length;
    this.count = meta.count;
    this.bound = meta.bound;
    this.noiseWeight = meta.noiseWeight;
    this.divisor = meta.divisor;
    this.level = meta.level;
    core.children.add(this);
  }
  get batches(): number {
    return this.parts.length;
  }
  get disposed(): boolean {
    return this.#disposed;
  }
  serialize(options?: SerializeOptions): Uint8Array {
    assertAlive(this.core, this, 'ciphertext');
    const { mode, code } = comprMode(this.core, options);
    try {
      const w = header(this.core, KIND.ciphertext, code)
        .u32(this.length)
        .u16(this.parts.length)
        .u8(this.level)
        .u8(0)
        .u32(this.count)
        .big(this.bound)
        .big(this.noiseWeight)
        .big(this.divisor);
      for (const p of this.parts) {
        const body = p.saveArray(mode);
        w.u32(body.length).bytes(body);
      }
      return w.finish();
    } catch (e) {
      throw wrap(e, 'ciphertext serialization');
    }
  }
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.core.children.delete(this);
    freeAll(this.parts);
  }
  [Symbol.dispose](): void {
    this.dispose();
  }
}

function asCiphertext(core: Core, ct: unknown, title: string): CiphertextImpl {
  if (!(ct instanceof CiphertextImpl)) {
    throw new InputError(`"${title}" expected HeCiphertext, got type=${ct === null ? 'null' : typeof ct}`, {
      code: 'INVALID_TYPE',
    });
  }
  if (ct.disposed) throw new HeStateError(`"${title}" was disposed`);
  if (!ct.core.alive) throw new HeStateError(`"${title}": its aggregation context was disposed`);
  checkSameParams(core, ct.core, `"${title}"`);
  return ct;
}

// --- reading / weight validation ----------------------------------------------------------------------------------

function readingsArray(readings: unknown): ArrayLike<unknown> {
  if (Array.isArray(readings)) return readings;
  if (ArrayBuffer.isView(readings) && !(readings instanceof DataView)) return readings as unknown as ArrayLike<unknown>;
  throw new InputError(`"readings" expected array or typed array, got type=${readings === null ? 'null' : typeof readings}`, {
    code: 'INVALID_TYPE',
  });
}

function intValue(v: unknown, title: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === 'number') {
    throw new InputError(`"${title}" expected safe integer, got ${v}`, { code: 'INVALID_VALUE' });
  }
  throw new InputError(`"${title}" expected integer (number or bigint), got type=${v === null ? 'null' : typeof v}`, {
    code: 'INVALID_TYPE',
  });
}

function realValue(v: unknown, title: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'bigint' && v >= -(2n ** 53n) && v <= 2n ** 53n) return Number(v);
  if (typeof v === 'number' || typeof v === 'bigint') {
    throw new InputError(`"${title}" expected finite number, got ${String(v)}`, { code: 'INVALID_VALUE' });
  }
  throw new InputError(`"${title}" expected number, got type=${v === null ? 'null' : typeof v}`, {
    code: 'INVALID_TYPE',
  });
}

/**
 * Parses a plaintext weight: `undefined` for weight 0 (nothing to add); `w` undefined for the plain weight 1 (BFV);
 * `absW` = |w| (BFV) or ⌈|w|⌉ (CKKS) for bound accounting.
 * @throws {InputError}
 */
function parseWeight(preset: HePreset, weight: unknown): { w: bigint | number | undefined; absW: bigint } | undefined {
  if (weight === undefined) return { w: undefined, absW: 1n };
  if (preset.scheme === 'bfv') {
    const v = intValue(weight, 'weight');
    if (abs(v) > preset.maxAbsValue) {
      throw new InputError(`"weight" expected integer in -${preset.maxAbsValue}..${preset.maxAbsValue}, got ${v}`, {
        code: 'INVALID_VALUE',
      });
    }
    if (v === 0n) return undefined;
    return { w: v === 1n ? undefined : v, absW: abs(v) };
  }
  const v = realValue(weight, 'weight');
  if (Math.abs(v) > CKKS_MAX_WEIGHT) {
    throw new InputError(`"weight" expected number in -${CKKS_MAX_WEIGHT}..${CKKS_MAX_WEIGHT}, got ${v}`, {
      code: 'INVALID_VALUE',
    });
  }
  if (v === 0) return undefined;
  return { w: v, absW: BigInt(Math.ceil(Math.abs(v))) };
}

/** Largest CKKS weight magnitude accepted (keeps the weight's encoding at scale 2^40 far from overflow). */
const CKKS_MAX_WEIGHT = 2 ** 20;
/**
 * CKKS: at most one plaintext weighting (rescale). Level 1 keeps a 100-bit modulus for values at scale ≈ 2^40, i.e.
 * ≥ 2^58 headroom over the 2^50 magnitude cap; level 2 (one 60-bit prime) would not.
 */
const CKKS_MAX_LEVEL = 1;
/** Most batches one `encrypt` call accepts (4096 × 1024 ≈ 4.2 M readings). */
const MAX_BATCHES = 1024;

// --- context -----------------------------------------------------------------------------------------------------

/**
 * Builds and checks the SEAL context of a preset: coefficient-modulus size against the HE-standard bound
 * (`CoeffModulus.MaxBitCount(n, tc128)`), exact primes and plain modulus against the frozen preset, and SEAL's own
 * validation at `SecurityLevel.tc128` (`parametersSet()`).
 * @internal exported for tests only through this module
 */
export function _buildCore(seal: SealLibrary, preset: HePreset, maxAbsReading: bigint): Core {
  const n = preset.polyModulusDegree;
  const maxBits = seal.CoeffModulus.MaxBitCount(n, seal.SecurityLevel.tc128);
  const total = preset.coeffModulusBits.reduce((a, b) => a + b, 0);
  if (total !== preset.totalCoeffModulusBits || total > maxBits || total > preset.maxCoeffModulusBits) {
    throw new HeParamsError(`preset ${preset.id} exceeds the ${SEC_LABEL} coefficient-modulus budget`, {
      code: 'HE_INSECURE_PARAMS',
      details: `log2 q = ${total} bits, maximum for n = ${n} is ${maxBits} bits`,
    });
  }
  const made: { delete(): void }[] = [];
  try {
    const parms = seal.EncryptionParameters(preset.scheme === 'bfv' ? seal.SchemeType.bfv : seal.SchemeType.ckks);
    made.push(parms);
    parms.setPolyModulusDegree(n);
    const coeff =
      preset.scheme === 'bfv'
        ? seal.CoeffModulus.BFVDefault(n, seal.SecurityLevel.tc128)
        : seal.CoeffModulus.Create(n, Int32Array.from(preset.coeffModulusBits));
    made.push(coeff);
    parms.setCoeffModulus(coeff);
    const primes = Array.from(parms.coeffModulus);
    if (primes.length !== preset.coeffModulus.length || primes.some((p, i) => p !== preset.coeffModulus[i])) {
      throw new HeParamsError(`SEAL produced a coefficient modulus different from preset ${preset.id}`, {
        code: 'HE_INSECURE_PARAMS',
        details: `got ${primes.join(', ')}`,
      });
    }
    if (preset.scheme === 'bfv') {
      const t = seal.Modulus(preset.plainModulus);
      made.push(t);
      parms.setPlainModulus(t);
    }
    const context = seal.Context(parms, true, seal.SecurityLevel.tc128);
    if (!context.parametersSet()) {
      context.delete();
      throw new HeParamsError(`SEAL rejected preset ${preset.id} at ${SEC_LABEL}`, { code: 'HE_INSECURE_PARAMS' });
    }
    let evaluator: SealEvaluator | undefined;
    let batch: SealBatchEncoder | undefined;
    let ckks: SealCkksEncoder | undefined;
    try {
      evaluator = seal.Evaluator(context);
      if (preset.scheme === 'bfv') batch = seal.BatchEncoder(context);
      else ckks = seal.CKKSEncoder(context);
      const slots = (batch ?? ckks)!.slotCount;
      if (slots !== preset.slotCount) throw new HeParamsError(`preset ${preset.id}: unexpected slot count ${slots}`);
      const fingerprint = parmsIdBytes(context.keyParmsId);
      const levels = preset.scheme === 'ckks' ? CKKS_MAX_LEVEL + 1 : 1;
      const dataPrimes = preset.coeffModulus.length - 1;
      const ctShapes: CtShape[] = [];
      let data = context.firstContextData;
      for (let l = 0; l < levels; l++) {
        ctShapes.push(
          Object.freeze({
            parmsId: parmsIdBytes(data.parmsId),
            ntt: preset.scheme === 'ckks',
            polys: 2,
            n,
            primes: preset.coeffModulus.slice(0, dataPrimes - l),
            scale: preset.scheme === 'ckks' ? scaleAtLevel(preset, l) : 1,
          }),
        );
        if (l + 1 < levels) {
          const next = data.nextContextData;
          data.delete();
          data = next;
        }
      }
      data.delete();
      const keyShape: CtShape = Object.freeze({
        parmsId: fingerprint,
        ntt: true,
        polys: 2,
        n,
        primes: preset.coeffModulus,
        scale: 1,
      });
      const galoisShape: GaloisShape = Object.freeze({
        parmsId: fingerprint,
        indices: rotationSteps(preset).map((st) => (galoisElement(preset, st) - 1) / 2),
        perKey: dataPrimes,
        key: keyShape,
      });
      return {
        seal,
        preset,
        context,
        evaluator,
        batch,
        ckks,
        fingerprint,
        dataPrimes: preset.coeffModulus.length - 1,
        scale: 2 ** preset.scaleBits,
        maxAbsReading,
        ctShapes,
        keyShape,
        galoisShape,
        children: new Set(),
        alive: true,
      };
    } catch (e) {
      freeAll([batch, ckks, evaluator, context]);
      throw e;
    }
  } catch (e) {
    throw wrap(e, `creating the ${preset.id} context`);
  } finally {
    freeAll(made);
  }
}

/**
 * Creates an aggregation context: loads SEAL's WebAssembly once (shared by every context), builds the preset's
 * parameters and checks their 128-bit security at creation.
 *
 * Spec: HomomorphicEncryption.org Security Standard (2018) Table 1; Microsoft SEAL 4.1 `SEALContext`.
 * @param options - preset (`bfv-4096` default, `bfv-8192`, `ckks-8192`) and `maxAbsReading`
 * @returns the context (async because of the WASM load)
 * @throws {InputError} bad options
 * @throws {HeParamsError} `HE_INSECURE_PARAMS` when the parameters fail the security check
 * @throws {HeSealError} WebAssembly could not be loaded
 * @example
 * ```ts
 * const ctx = await createAggregationContext({ preset: 'bfv-4096', maxAbsReading: 10_000 });
 * const owner = ctx.keygen();
 * const device = ctx.device(owner.publicKey.serialize());
 * const agg = ctx.aggregator();
 * const total = agg.sum([device.encrypt([1, 2, 3]), device.encrypt([4, 5, 6])]);
 * owner.decrypt(total).values; // [5n, 7n, 9n]
 * ```
 */
export async function createAggregationContext(options?: AggregationContextOptions): Promise<AggregationContext> {
  const o = aobject<AggregationContextOptions>(options, 'options');
  const id = o?.preset === undefined ? 'bfv-4096' : aoneOf(o.preset, presetIds, 'preset');
  const preset = presets[id];
  let maxAbsReading = preset.defaultMaxAbsReading;
  if (o?.maxAbsReading !== undefined) {
    maxAbsReading = intValue(o.maxAbsReading, 'maxAbsReading');
    if (maxAbsReading < 1n || maxAbsReading > preset.maxAbsValue) {
      throw new InputError(`"maxAbsReading" expected integer in 1..${preset.maxAbsValue}, got ${maxAbsReading}`, {
        code: 'INVALID_VALUE',
      });
    }
  }
  let seal: SealLibrary;
  try {
    seal = await loadSeal();
  } catch (e) {
    throw new HeSealError('could not load SEAL (WebAssembly)', { cause: e, details: sealMessage(e) });
  }
  return new ContextImpl(_buildCore(seal, preset, maxAbsReading));
}

class ContextImpl implements AggregationContext {
  #core: Core;
  constructor(core: Core) {
    this.#core = core;
  }
  get preset(): HePreset {
    return this.#core.preset;
  }
  get slotCount(): number {
    return this.#core.preset.slotCount;
  }
  get maxAbsReading(): bigint {
    return this.#core.maxAbsReading;
  }
  get disposed(): boolean {
    return !this.#core.alive;
  }
  #alive(): Core {
    if (!this.#core.alive) throw new HeStateError('aggregation context was disposed');
    return this.#core;
  }

  keygen(options?: { galoisKeys?: boolean }): HeOwner {
    const core = this.#alive();
    const o = aobject<{ galoisKeys?: boolean }>(options, 'options');
    const wantGalois = o?.galoisKeys === undefined ? false : o.galoisKeys;
    if (typeof wantGalois !== 'boolean') {
      throw new InputError(`"galoisKeys" expected boolean, got type=${typeof wantGalois}`, { code: 'INVALID_TYPE' });
    }
    const { seal, context } = core;
    const made: { delete(): void }[] = [];
    let keygen;
    try {
      keygen = seal.KeyGenerator(context);
      const sk = keygen.secretKey();
      made.push(sk);
      const pk = keygen.createPublicKey();
      made.push(pk);
      const gk = wantGalois ? keygen.createGaloisKeys(Int32Array.from(rotationSteps(core.preset))) : undefined;
      if (gk) made.push(gk);
      const decryptor = seal.Decryptor(context, sk);
      made.push(decryptor);
      const plain = seal.PlainText();
      made.push(plain);
      sk.delete(); // the Decryptor keeps its own copy; SEAL clears secret-key memory on destruction
      const owner = new OwnerImpl(
        core,
        decryptor,
        plain,
        new PublicKeyImpl(core, pk),
        gk ? new GaloisKeysImpl(core, gk) : undefined,
      );
      return owner;
    } catch (e) {
      freeAll(made);
      throw wrap(e, 'key generation');
    } finally {
      freeAll([keygen]);
    }
  }

  device(publicKey: HePublicKey | Uint8Array): HeDevice {
    const core = this.#alive();
    let owned: PublicKeyImpl | undefined;
    let pk: PublicKeyImpl;
    if (isBytes(publicKey)) {
      owned = this.deserialize(publicKey, 'publicKey') as PublicKeyImpl;
      pk = owned;
    } else if (publicKey instanceof PublicKeyImpl) {
      if (publicKey.disposed || !publicKey.core.alive) throw new HeStateError('"publicKey" was disposed');
      checkSameParams(core, publicKey.core, '"publicKey"');
      pk = publicKey;
    } else {
      throw new InputError(`"publicKey" expected HePublicKey or Uint8Array, got type=${typeof publicKey}`, {
        code: 'INVALID_TYPE',
      });
    }
    const made: { delete(): void }[] = [];
    try {
      const encryptor = core.seal.Encryptor(core.context, pk.key);
      made.push(encryptor);
      const plain = core.seal.PlainText();
      made.push(plain);
      return new DeviceImpl(core, encryptor, plain);
    } catch (e) {
      freeAll(made);
      throw wrap(e, 'creating a device encryptor');
    } finally {
      owned?.dispose();
    }
  }

  aggregator(options?: { galoisKeys?: HeGaloisKeys | Uint8Array }): HeAggregator {
    const core = this.#alive();
    const o = aobject<{ galoisKeys?: HeGaloisKeys | Uint8Array }>(options, 'options');
    let gk: GaloisKeysImpl | undefined;
    let owned = false;
    const given = o?.galoisKeys;
    if (given === undefined) gk = undefined;
    else if (isBytes(given)) {
      gk = this.deserialize(given, 'galoisKeys') as GaloisKeysImpl;
      owned = true;
    } else if (given instanceof GaloisKeysImpl) {
      if (given.disposed || !given.core.alive) throw new HeStateError('"galoisKeys" was disposed');
      checkSameParams(core, given.core, '"galoisKeys"');
      gk = given;
    } else {
      throw new InputError(`"galoisKeys" expected HeGaloisKeys or Uint8Array, got type=${typeof given}`, {
        code: 'INVALID_TYPE',
      });
    }
    try {
      if (gk) {
        for (const step of rotationSteps(core.preset)) {
          if (!gk.keys.hasKey(galoisElement(core.preset, step))) {
            throw new HeStateError(`Galois keys lack the key for rotation step ${step}`, {
              code: 'HE_MISSING_GALOIS_KEYS',
            });
          }
        }
      }
    } catch (e) {
      if (owned) gk?.dispose();
      throw wrap(e, 'checking Galois keys');
    }
    return new AggregatorImpl(core, gk, owned);
  }

  deserialize(bytes: Uint8Array): HeObject;
  deserialize(bytes: Uint8Array, kind: 'ciphertext' | 'aggregate'): HeCiphertext;
  deserialize(bytes: Uint8Array, kind: 'publicKey'): HePublicKey;
  deserialize(bytes: Uint8Array, kind: 'galoisKeys'): HeGaloisKeys;
  deserialize(bytes: Uint8Array, kind?: 'ciphertext' | 'aggregate' | 'publicKey' | 'galoisKeys'): HeObject {
    const core = this.#alive();
    abytes(bytes, undefined, 'bytes');
    if (kind !== undefined) aoneOf(kind, ['ciphertext', 'aggregate', 'publicKey', 'galoisKeys'] as const, 'kind');
    const r = openObject(bytes);
    const k = r.u8();
    const presetCode = r.u8();
    const compression = r.u8();
    const fp = r.bytes(32);
    const names = { [KIND.publicKey]: 'publicKey', [KIND.galoisKeys]: 'galoisKeys', [KIND.ciphertext]: 'ciphertext' };
    const name = names[k as 1 | 2 | 3];
    if (name === undefined) throw new HeFormatError(`unknown HE object kind ${k}`);
    if (kind !== undefined && name !== (kind === 'aggregate' ? 'ciphertext' : kind)) {
      throw new HeFormatError(`expected a ${kind}, got a ${name}`);
    }
    if (compression > 2) throw new HeFormatError(`unknown compression code ${compression}`);
    if (presetCode !== core.preset.code || !sameBytes(fp, core.fingerprint)) {
      const other = presetIds.find((p) => presets[p].code === presetCode) ?? `#${presetCode}`;
      throw new HeParamsError(`${name} was made under parameters ${other}, this context uses ${core.preset.id}`);
    }
    if (name === 'ciphertext') return loadCiphertext(core, r, kind !== 'aggregate');
    const len = r.u32();
    const raw = r.bytes(len);
    r.done();
    if (name === 'publicKey') {
      const body = validateCtStream(raw, core.keyShape, 'public key');
      const key = core.seal.PublicKey();
      try {
        key.loadArray(core.context, body);
      } catch (e) {
        key.delete();
        throw wrap(e, 'loading a validated public key');
      }
      return new PublicKeyImpl(core, key);
    }
    const body = validateGaloisStream(raw, core.galoisShape, 'Galois keys');
    const keys = core.seal.GaloisKeys();
    try {
      keys.loadArray(core.context, body);
    } catch (e) {
      keys.delete();
      throw wrap(e, 'loading validated Galois keys');
    }
    return new GaloisKeysImpl(core, keys);
  }

  dispose(): void {
    const core = this.#core;
    if (!core.alive) return;
    for (const child of [...core.children]) child.dispose();
    core.alive = false;
    freeAll([core.batch, core.ckks, core.evaluator, core.context]);
  }
  [Symbol.dispose](): void {
    this.dispose();
  }
}

/** Exact CKKS scale at a level: each weighting multiplies by a plaintext at 2^scaleBits and rescales by the last
 * remaining data prime, with the same IEEE-754 double operations SEAL performs. */
function scaleAtLevel(preset: HePreset, level: number): number {
  const scale = 2 ** preset.scaleBits;
  let s = scale;
  const dataPrimes = preset.coeffModulus.length - 1;
  for (let l = 0; l < level; l++) s = (s * scale) / Number(preset.coeffModulus[dataPrimes - 1 - l]!);
  return s;
}

/**
 * Reads a ciphertext body. An `upload` (a device's fresh ciphertext) keeps only its length: count, bound, noise weight,
 * divisor and level are reset to what this context allows for one fresh encryption (1, maxAbsReading, 1, 1, 0), so a
 * device cannot declare itself 9,901 devices or relabel a wider range. An `aggregate` (from the aggregator, for the
 * owner) keeps its declared metadata after range checks; the owner checks its values against a bound it computes
 * itself ({@link HeOwner.decrypt}). Every SEAL stream is validated in TypeScript first (`_sealstream.ts`): SEAL only
 * ever loads canonical uncompressed streams that cannot make it throw.
 */
function loadCiphertext(core: Core, r: Reader, upload: boolean): CiphertextImpl {
  const { preset } = core;
  const length = r.u32();
  const batches = r.u16();
  let level = r.u8();
  const reserved = r.u8();
  let count = r.u32();
  let bound = r.big();
  let noiseWeight = r.big();
  let divisor = r.big();
  const maxLevel = preset.scheme === 'ckks' ? CKKS_MAX_LEVEL : 0;
  if (
    reserved !== 0 ||
    length < 1 ||
    batches < 1 ||
    batches > MAX_BATCHES ||
    (batches !== Math.ceil(length / preset.slotCount) && (upload || length !== 1)) ||
    level > maxLevel ||
    count < 1 ||
    divisor < 1n ||
    (divisor !== 1n && divisor !== BigInt(count)) ||
    noiseWeight < 1n ||
    noiseWeight > 2n ** BigInt(preset.noiseLimitBits) ||
    bound > preset.maxAbsValue ||
    (upload && level !== 0)
  ) {
    throw new HeFormatError('invalid ciphertext metadata');
  }
  if (upload) {
    count = 1;
    bound = core.maxAbsReading;
    noiseWeight = 1n;
    divisor = 1n;
    level = 0;
  }
  const shape = core.ctShapes[level]!;
  const streams: Uint8Array[] = [];
  for (let i = 0; i < batches; i++) streams.push(validateCtStream(r.bytes(r.u32()), shape, `ciphertext batch ${i}`));
  r.done();
  const parts: SealCipherText[] = [];
  try {
    for (const body of streams) {
      const ct = core.seal.CipherText();
      parts.push(ct);
      ct.loadArray(core.context, body);
    }
  } catch (e) {
    freeAll(parts);
    throw wrap(e, 'loading a validated ciphertext');
  }
  return new CiphertextImpl(core, parts, { length, count, bound, noiseWeight, divisor, level });
}

// --- owner -------------------------------------------------------------------------------------------------------

class OwnerImpl implements HeOwner {
  readonly preset: HePresetId;
  #disposed = false;
  constructor(
    readonly core: Core,
    private readonly decryptor: SealDecryptor,
    private readonly plain: SealPlainText,
    readonly publicKey: PublicKeyImpl,
    readonly galoisKeys: GaloisKeysImpl | undefined,
  ) {
    this.preset = core.preset.id;
    core.children.add(this);
  }
  get disposed(): boolean {
    return this.#disposed;
  }
  noiseBudget(ciphertext: HeCiphertext): number | undefined {
    assertAlive(this.core, this, 'owner');
    const ct = asCiphertext(this.core, ciphertext, 'ciphertext');
    if (this.core.preset.scheme !== 'bfv') return undefined;
    try {
      return Math.min(...ct.parts.map((p) => this.decryptor.invariantNoiseBudget(p)));
    } catch (e) {
      throw wrap(e, 'noise budget');
    }
  }
  decrypt(ciphertext: HeCiphertext, options?: DecryptOptions): HeAggregate {
    assertAlive(this.core, this, 'owner');
    const ct = asCiphertext(this.core, ciphertext, 'ciphertext');
    const o = aobject<DecryptOptions>(options, 'options');
    const { preset } = this.core;
    let bound = ct.bound;
    if (o?.bound !== undefined) {
      const own = intValue(o.bound, 'bound');
      if (own < 0n) throw new InputError(`"bound" expected non-negative integer, got ${own}`, { code: 'INVALID_VALUE' });
      if (own < bound) bound = own;
    }
    if (bound > preset.maxAbsValue) {
      throw new HeOverflowError(`aggregate bound ${bound} exceeds the plaintext space ±${preset.maxAbsValue}`);
    }
    try {
      return preset.scheme === 'bfv' ? this.#decryptBfv(ct, bound) : this.#decryptCkks(ct, bound);
    } catch (e) {
      throw wrap(e, 'decryption');
    }
  }
  #decryptBfv(ct: CiphertextImpl, bound: bigint): BfvAggregate {
    const { batch, preset } = this.core;
    let budget = Infinity;
    for (const p of ct.parts) budget = Math.min(budget, this.decryptor.invariantNoiseBudget(p));
    if (!(budget > 0)) {
      throw new HeNoiseError('noise budget exhausted (or not encrypted under this key): refusing to decrypt');
    }
    // every slot of every batch — padding included — must lie within the bound: a device hiding values in padding
    // slots, or any out-of-range contribution large enough to push a slot past the aggregate bound, is refused
    const values: bigint[] = [];
    let outside = false;
    for (const p of ct.parts) {
      this.decryptor.decrypt(p, this.plain);
      const slots = batch!.decodeBigInt(this.plain, true) as BigInt64Array;
      for (let i = 0; i < slots.length; i++) if (abs(slots[i]!) > bound) outside = true;
      const take = Math.min(preset.slotCount, ct.length - values.length);
      for (let i = 0; i < take; i++) values.push(slots[i]!);
      slots.fill(0n);
    }
    this.plain.setZero();
    if (outside) throw new HeOverflowError('a decrypted value exceeds the aggregate bound (out-of-range contribution?)');
    const d = Number(ct.divisor);
    return Object.freeze({
      scheme: 'bfv' as const,
      preset: preset.id,
      values: Object.freeze(values),
      mean: Object.freeze(values.map((v) => (ct.divisor === 1n ? Number(v) : Number(v) / d))),
      count: ct.count,
      divisor: ct.divisor,
      noiseBudget: budget,
    });
  }
  #decryptCkks(ct: CiphertextImpl, bound: bigint): CkksAggregate {
    const { ckks, preset } = this.core;
    const errorBound = ckksErrorBound(preset, ct);
    const values: number[] = [];
    const limit = Number(bound) + errorBound;
    let outside = false;
    for (const p of ct.parts) {
      this.decryptor.decrypt(p, this.plain);
      const slots = ckks!.decode(this.plain);
      for (let i = 0; i < slots.length; i++) if (!(Math.abs(slots[i]!) <= limit)) outside = true;
      const take = Math.min(preset.slotCount, ct.length - values.length);
      for (let i = 0; i < take; i++) values.push(slots[i]!);
    }
    this.plain.setZero();
    if (outside) {
      throw new HeNoiseError('decryption is outside the aggregate bound (garbage, not under this key, or out of range): refused');
    }
    const d = Number(ct.divisor);
    return Object.freeze({
      scheme: 'ckks' as const,
      preset: preset.id,
      values: Object.freeze(values),
      mean: Object.freeze(values.map((v) => v / d)),
      count: ct.count,
      divisor: ct.divisor,
      errorBound,
    });
  }
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.core.children.delete(this);
    freeAll([this.decryptor, this.plain]);
    this.publicKey.dispose();
    this.galoisKeys?.dispose();
  }
  [Symbol.dispose](): void {
    this.dispose();
  }
}

// --- device ------------------------------------------------------------------------------------------------------

class DeviceImpl implements HeDevice {
  readonly preset: HePresetId;
  #disposed = false;
  constructor(
    readonly core: Core,
    private readonly encryptor: SealEncryptor,
    private readonly plain: SealPlainText,
  ) {
    this.preset = core.preset.id;
    core.children.add(this);
  }
  get disposed(): boolean {
    return this.#disposed;
  }
  encrypt(readings: Readings): HeCiphertext {
    assertAlive(this.core, this, 'device');
    const { preset, maxAbsReading } = this.core;
    const arr = readingsArray(readings);
    const n = arr.length;
    const batches = Math.ceil(n / preset.slotCount);
    if (n < 1 || batches > MAX_BATCHES) {
      throw new InputError(`"readings" expected 1..${MAX_BATCHES * preset.slotCount} values, got length=${n}`, {
        code: 'INVALID_LENGTH',
      });
    }
    const slots = preset.slotCount;
    // validate everything before touching SEAL
    let ints: BigInt64Array | undefined;
    let reals: Float64Array | undefined;
    if (preset.scheme === 'bfv') {
      ints = new BigInt64Array(batches * slots);
      for (let i = 0; i < n; i++) {
        const v = intValue(arr[i], `readings[${i}]`);
        if (abs(v) > maxAbsReading) {
          throw new InputError(`"readings[${i}]" expected integer in -${maxAbsReading}..${maxAbsReading}, got ${v}`, {
            code: 'INVALID_VALUE',
          });
        }
        ints[i] = v;
      }
    } else {
      reals = new Float64Array(batches * slots);
      const m = Number(maxAbsReading);
      for (let i = 0; i < n; i++) {
        const v = realValue(arr[i], `readings[${i}]`);
        if (Math.abs(v) > m) {
          throw new InputError(`"readings[${i}]" expected number in -${m}..${m}, got ${v}`, { code: 'INVALID_VALUE' });
        }
        reals[i] = v;
      }
    }
    const parts: SealCipherText[] = [];
    try {
      for (let b = 0; b < batches; b++) {
        if (ints) this.core.batch!.encode(ints.subarray(b * slots, (b + 1) * slots), this.plain);
        else this.core.ckks!.encode(reals!.subarray(b * slots, (b + 1) * slots), this.core.scale, this.plain);
        const ct = this.core.seal.CipherText();
        parts.push(ct);
        this.encryptor.encrypt(this.plain, ct);
      }
    } catch (e) {
      freeAll(parts);
      throw wrap(e, 'encryption');
    } finally {
      try {
        this.plain.setZero();
      } catch {
        /* ignore */
      }
    }
    return new CiphertextImpl(this.core, parts, {
      length: n,
      count: 1,
      bound: maxAbsReading,
      noiseWeight: 1n,
      divisor: 1n,
      level: 0,
    });
  }
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.core.children.delete(this);
    freeAll([this.encryptor, this.plain]);
  }
  [Symbol.dispose](): void {
    this.dispose();
  }
}

// --- aggregator --------------------------------------------------------------------------------------------------

class AggregatorImpl implements HeAggregator {
  readonly preset: HePresetId;
  #disposed = false;
  constructor(
    readonly core: Core,
    readonly galois: GaloisKeysImpl | undefined,
    private readonly ownsGalois: boolean,
  ) {
    this.preset = core.preset.id;
    core.children.add(this);
  }
  get disposed(): boolean {
    return this.#disposed;
  }
  get canRotate(): boolean {
    return this.galois !== undefined && !this.galois.disposed;
  }
  accumulator(): HeAccumulator {
    assertAlive(this.core, this, 'aggregator');
    return new AccumulatorImpl(this.core);
  }
  #list(ciphertexts: unknown): readonly unknown[] {
    if (!Array.isArray(ciphertexts) || ciphertexts.length === 0) {
      throw new InputError('"ciphertexts" expected non-empty array of HeCiphertext', { code: 'INVALID_VALUE' });
    }
    return ciphertexts;
  }
  #fold(ciphertexts: readonly unknown[], weights: readonly unknown[] | undefined, mean: boolean): HeCiphertext {
    assertAlive(this.core, this, 'aggregator');
    const acc = new AccumulatorImpl(this.core);
    try {
      ciphertexts.forEach((ct, i) => acc.add(ct as HeCiphertext, weights ? (weights[i] as bigint) : undefined));
      return mean ? acc.mean() : acc.result();
    } finally {
      acc.dispose();
    }
  }
  sum(ciphertexts: readonly HeCiphertext[]): HeCiphertext {
    return this.#fold(this.#list(ciphertexts), undefined, false);
  }
  mean(ciphertexts: readonly HeCiphertext[]): HeCiphertext {
    return this.#fold(this.#list(ciphertexts), undefined, true);
  }
  weightedSum(ciphertexts: readonly HeCiphertext[], weights: readonly (number | bigint)[]): HeCiphertext {
    const list = this.#list(ciphertexts);
    if (!Array.isArray(weights) || weights.length !== list.length) {
      throw new InputError(`"weights" expected array of length ${list.length}`, { code: 'INVALID_LENGTH' });
    }
    return this.#fold(list, weights, false);
  }
  totalSum(ciphertext: HeCiphertext): HeCiphertext {
    assertAlive(this.core, this, 'aggregator');
    const core = this.core;
    const ct = asCiphertext(core, ciphertext, 'ciphertext');
    const gk = this.galois;
    if (!gk || gk.disposed) {
      throw new HeStateError('totalSum needs the owner\'s Galois keys', { code: 'HE_MISSING_GALOIS_KEYS' });
    }
    const { preset, evaluator } = core;
    const meta = totalSumMeta(preset, ct, ct.parts.length);
    let acc: SealCipherText | undefined;
    let tmp: SealCipherText | undefined;
    try {
      acc = ct.parts[0]!.clone();
      for (let i = 1; i < ct.parts.length; i++) evaluator.add(acc, ct.parts[i]!, acc);
      tmp = core.seal.CipherText();
      for (const step of rotationSteps(preset)) {
        if (preset.scheme === 'ckks') evaluator.rotateVector(acc, step, gk.keys, tmp);
        else if (step === 0) evaluator.rotateColumns(acc, gk.keys, tmp);
        else evaluator.rotateRows(acc, step, gk.keys, tmp);
        evaluator.add(acc, tmp, acc);
      }
      if (acc.isTransparent) throw new InputError('the slots cancel exactly (a total sum of zero mask)', { code: 'INVALID_VALUE' });
    } catch (e) {
      freeAll([acc]);
      throw wrap(e, 'total sum');
    } finally {
      freeAll([tmp]);
    }
    return new CiphertextImpl(core, [acc], meta);
  }
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.core.children.delete(this);
    if (this.ownsGalois) this.galois?.dispose();
  }
  [Symbol.dispose](): void {
    this.dispose();
  }
}

class AccumulatorImpl implements HeAccumulator {
  #disposed = false;
  /** The running sum, one SEAL ciphertext per batch. */
  private parts: SealCipherText[] = [];
  /** Where the next sum is computed; swapped with `parts` only when every batch succeeded. */
  private spare: SealCipherText[] = [];
  private weightPlain: SealPlainText | undefined;
  private weightKey: bigint | number | undefined;
  private weightLevel = 0;
  private meta: CtMeta | undefined;
  constructor(readonly core: Core) {
    core.children.add(this);
  }
  get disposed(): boolean {
    return this.#disposed;
  }
  get count(): number {
    return this.meta?.count ?? 0;
  }
  add(ciphertext: HeCiphertext, weight?: number | bigint): void {
    assertAlive(this.core, this, 'accumulator');
    const core = this.core;
    const { preset } = core;
    const ct = asCiphertext(core, ciphertext, 'ciphertext');
    if (ct.divisor !== 1n) throw new InputError('"ciphertext" is a mean; aggregate sums, then take the mean');
    const wt = parseWeight(preset, weight);
    if (wt === undefined) return; // weight 0 contributes nothing (and SEAL would produce a transparent ciphertext)
    const { w, absW } = wt;
    const levelAfter = preset.scheme === 'ckks' && w !== undefined ? ct.level + 1 : ct.level;
    if (levelAfter > (preset.scheme === 'ckks' ? CKKS_MAX_LEVEL : 0)) {
      throw new HeParamsError('CKKS ciphertexts can be weighted once (one rescale level keeps 2^50 headroom)');
    }
    const m = this.meta;
    if (m && (m.length !== ct.length || this.parts.length !== ct.parts.length)) {
      throw new HeParamsError(`ciphertext length ${ct.length} differs from the running sum's ${m.length}`);
    }
    if (m && m.level !== levelAfter) {
      throw new HeParamsError(`ciphertext level ${levelAfter} differs from the running sum's ${m.level}`);
    }
    const next = addTerm(preset, m, ct, absW, w !== undefined);
    const { seal, evaluator } = core;
    // compute the new sum into `spare` (or fresh ciphertexts for the first term); `parts` is untouched until the end
    const out = m ? this.spare : [];
    try {
      if (w !== undefined && w !== -1n) this.#encodeWeight(w, ct);
      for (let i = 0; i < ct.parts.length; i++) {
        const src = ct.parts[i]!;
        out[i] ??= seal.CipherText();
        const dest = out[i]!;
        let term = src;
        if (w === -1n) {
          evaluator.negate(src, dest);
          term = dest;
        } else if (w !== undefined) {
          evaluator.multiplyPlain(src, this.weightPlain!, dest);
          if (preset.scheme === 'ckks') evaluator.rescaleToNext(dest, dest);
          // BFV: multiply by |w| and negate — multiplying by the residue t − |w| would cost ~log2(t) bits of noise
          else if ((w as bigint) < 0n) evaluator.negate(dest, dest);
          term = dest;
        }
        if (m) evaluator.add(this.parts[i]!, term, dest);
        else if (term === src) dest.copy(src);
        if (dest.isTransparent) {
          throw new InputError('the weighted terms cancel exactly (the sum would be a transparent ciphertext)', {
            code: 'INVALID_VALUE',
          });
        }
      }
    } catch (e) {
      if (!m) freeAll(out);
      throw wrap(e, 'accumulate');
    }
    if (m) {
      this.spare = this.parts;
      this.parts = out;
    } else this.parts = out;
    this.meta = { ...next, level: levelAfter };
  }
  #encodeWeight(w: bigint | number, ct: CiphertextImpl): void {
    const core = this.core;
    if (this.weightPlain && this.weightKey === w && this.weightLevel === ct.level) return; // cached encoding
    this.weightKey = undefined;
    this.weightPlain ??= core.seal.PlainText();
    const plain = this.weightPlain;
    if (core.preset.scheme === 'bfv') {
      core.batch!.encode(new BigInt64Array(core.preset.slotCount).fill(abs(w as bigint)), plain);
    } else {
      core.ckks!.encode(new Float64Array(core.preset.slotCount).fill(w as number), core.scale, plain);
      if (ct.level > 0) {
        const pid = ct.parts[0]!.parmsId;
        try {
          core.evaluator.plainModSwitchTo(plain, pid, plain);
        } finally {
          pid.delete();
        }
      }
    }
    this.weightKey = w;
    this.weightLevel = ct.level;
  }
  #snapshot(mean: boolean): HeCiphertext {
    assertAlive(this.core, this, 'accumulator');
    const m = this.meta;
    if (!m) throw new InputError('accumulator is empty (nothing with a nonzero weight was added)');
    const parts: SealCipherText[] = [];
    try {
      for (const p of this.parts) parts.push(p.clone());
    } catch (e) {
      freeAll(parts);
      throw wrap(e, 'copying the sum');
    }
    return new CiphertextImpl(this.core, parts, { ...m, divisor: mean ? BigInt(m.count) : 1n });
  }
  result(): HeCiphertext {
    return this.#snapshot(false);
  }
  mean(): HeCiphertext {
    return this.#snapshot(true);
  }
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.core.children.delete(this);
    freeAll([...this.parts, ...this.spare, this.weightPlain]);
    this.parts = [];
    this.spare = [];
  }
  [Symbol.dispose](): void {
    this.dispose();
  }
}
