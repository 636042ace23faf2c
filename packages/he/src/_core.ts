/**
 * Shared internals of the aggregation roles: the per-context {@link Core} (SEAL context, evaluator, encoders, the exact
 * shapes untrusted streams must have), its construction and security check, lifetime helpers, argument parsing
 * (readings, weights) and the preset-derived constants (rotation steps, Galois elements, CKKS scales).
 * @module
 */
import { aobject, aoneOf, isPrivkitError } from '@privkit/core';
import {
  parmsIdBytes,
  sealMessage,
  type SealBatchEncoder,
  type SealCkksEncoder,
  type SealComprMode,
  type SealContext,
  type SealEncryptionParameters,
  type SealEvaluator,
  type SealLibrary,
} from './_seal.js';
import { COMPRESSION, MAGIC, VERSION, Writer } from './_format.js';
import type { CtShape, GaloisShape } from './_sealstream.js';
import { HeParamsError, HeSealError, HeStateError } from './errors.js';
import type { HePreset } from './presets.js';
import { schemeOf, type Scheme } from './_scheme.js';
import type { SerializeOptions } from './types.js';

/** A serialized-able object owned by a context. */
export interface Owned {
  dispose(): void;
}

export interface Core {
  /** BFV or CKKS behind one interface. */
  readonly scheme: Scheme;
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

export const SEC_LABEL = 'HomomorphicEncryption.org 128-bit (tc128)';

export function assertAlive(core: Core, self: { disposed: boolean }, what: string): void {
  if (!core.alive) throw new HeStateError(`${what}: its aggregation context was disposed`);
  if (self.disposed) throw new HeStateError(`${what} was disposed`);
}

/** Rethrows PrivkitErrors, wraps anything else (SEAL exceptions) as HeSealError. */
export function wrap(e: unknown, what: string): Error {
  if (isPrivkitError(e)) return e;
  return new HeSealError(`${what} failed in SEAL`, { cause: e, details: sealMessage(e) });
}

export function freeAll(objs: readonly ({ delete(): void } | undefined)[]): void {
  for (const o of objs) {
    try {
      o?.delete();
    } catch {
      /* already freed */
    }
  }
}

export function comprMode(core: Core, options: SerializeOptions | undefined): { mode: SealComprMode; code: number } {
  const o = aobject<SerializeOptions>(options, 'options');
  const c = o?.compression === undefined ? 'zstd' : aoneOf(o.compression, ['zstd', 'zlib', 'none'] as const, 'compression');
  return { mode: core.seal.ComprModeType[c], code: COMPRESSION[c] };
}

export function header(core: Core, kind: number, compression: number): Writer {
  return new Writer()
    .bytes(Uint8Array.from(MAGIC))
    .u8(VERSION)
    .u8(kind)
    .u8(core.preset.code)
    .u8(compression)
    .bytes(core.fingerprint);
}


export function checkSameParams(core: Core, other: Core, what: string): void {
  if (other !== core && (other.preset !== core.preset || !sameBytes(other.fingerprint, core.fingerprint))) {
    throw new HeParamsError(`${what} belongs to preset ${other.preset.id}, this context uses ${core.preset.id}`);
  }
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

/** Rotation steps whose Galois keys a total sum needs (step 0 = BFV column swap). */
export function rotationSteps(preset: HePreset): number[] {
  return schemeOf(preset).rotationSteps(preset);
}

/** SEAL's galois element for a rotation step: 3^step mod 2n (step 0 → 2n − 1). */
export function galoisElement(preset: HePreset, step: number): number {
  const m = BigInt(2 * preset.polyModulusDegree);
  if (step === 0) return Number(m - 1n);
  let r = 1n;
  for (let i = 0; i < step; i++) r = (r * 3n) % m;
  return Number(r);
}



/** Exact CKKS scale at a level: each weighting multiplies by a plaintext at 2^scaleBits and rescales by the last
 * remaining data prime, with the same IEEE-754 double operations SEAL performs. */
export function scaleAtLevel(preset: HePreset, level: number): number {
  const scale = 2 ** preset.scaleBits;
  let s = scale;
  const dataPrimes = preset.coeffModulus.length - 1;
  for (let l = 0; l < level; l++) s = (s * scale) / Number(preset.coeffModulus[dataPrimes - 1 - l]!);
  return s;
}

/** The coefficient-modulus primes of `parms` as bigints (frees the vector SEAL hands out). */
function jsModuli(seal: SealLibrary, parms: SealEncryptionParameters): bigint[] {
  const vec = parms.coeffModulus();
  try {
    return Array.from(seal.jsArrayFromVecModulus(vec) as ArrayLike<bigint>);
  } finally {
    vec.delete();
  }
}

/**
 * Builds and checks the SEAL context of a preset: coefficient-modulus size against the HE-standard bound
 * (`CoeffModulus.MaxBitCount(n, tc128)`), exact primes and plain modulus against the frozen preset, and SEAL's own
 * validation at `SecurityLevel.tc128` (`parametersSet()`).
 */
export function buildCore(seal: SealLibrary, preset: HePreset, maxAbsReading: bigint): Core {
  const n = preset.polyModulusDegree;
  const maxBits = seal.CoeffModulus.MaxBitCount(n, seal.SecLevelType.tc128);
  const total = preset.coeffModulusBits.reduce((a, b) => a + b, 0);
  if (total !== preset.totalCoeffModulusBits || total > maxBits || total > preset.maxCoeffModulusBits) {
    throw new HeParamsError(`preset ${preset.id} exceeds the ${SEC_LABEL} coefficient-modulus budget`, {
      code: 'HE_INSECURE_PARAMS',
      details: `log2 q = ${total} bits, maximum for n = ${n} is ${maxBits} bits`,
    });
  }
  const made: { delete(): void }[] = [];
  try {
    const parms = new seal.EncryptionParameters(preset.scheme === 'bfv' ? seal.SchemeType.bfv : seal.SchemeType.ckks);
    made.push(parms);
    parms.setPolyModulusDegree(n);
    const coeff =
      preset.scheme === 'bfv'
        ? seal.CoeffModulus.BFVDefault(n, seal.SecLevelType.tc128)
        : seal.CoeffModulus.Create(n, Int32Array.from(preset.coeffModulusBits));
    made.push(coeff);
    parms.setCoeffModulus(coeff);
    const primes = jsModuli(seal, parms);
    if (primes.length !== preset.coeffModulus.length || primes.some((p, i) => p !== preset.coeffModulus[i])) {
      throw new HeParamsError(`SEAL produced a coefficient modulus different from preset ${preset.id}`, {
        code: 'HE_INSECURE_PARAMS',
        details: `got ${primes.join(', ')}`,
      });
    }
    if (preset.scheme === 'bfv') {
      const t = new seal.Modulus(preset.plainModulus);
      made.push(t);
      parms.setPlainModulus(t);
    }
    const context = new seal.SEALContext(parms, true, seal.SecLevelType.tc128);
    if (!context.parametersSet()) {
      context.delete();
      throw new HeParamsError(`SEAL rejected preset ${preset.id} at ${SEC_LABEL}`, { code: 'HE_INSECURE_PARAMS' });
    }
    let evaluator: SealEvaluator | undefined;
    let batch: SealBatchEncoder | undefined;
    let ckks: SealCkksEncoder | undefined;
    try {
      evaluator = new seal.Evaluator(context);
      if (preset.scheme === 'bfv') batch = new seal.BatchEncoder(context);
      else ckks = new seal.CKKSEncoder(context);
      const slots = (batch ?? ckks)!.slotCount();
      if (slots !== preset.slotCount) throw new HeParamsError(`preset ${preset.id}: unexpected slot count ${slots}`);
      const fingerprint = parmsIdBytes(context.keyParmsId());
      const scheme = schemeOf(preset);
      const levels = scheme.maxLevel + 1;
      const dataPrimes = preset.coeffModulus.length - 1;
      const ctShapes: CtShape[] = [];
      let data = context.firstContextData();
      for (let l = 0; l < levels; l++) {
        ctShapes.push(
          Object.freeze({
            parmsId: parmsIdBytes(data.parmsId()),
            ntt: preset.scheme === 'ckks',
            polys: 2,
            n,
            primes: preset.coeffModulus.slice(0, dataPrimes - l),
            scale: preset.scheme === 'ckks' ? scaleAtLevel(preset, l) : 1,
          }),
        );
        if (l + 1 < levels) {
          const next = data.nextContextData();
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
        scheme,
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
