/**
 * `@privkit/he/testing` — fast-check arbitraries for this package's public types (one source of truth for our own
 * tests and for users' property tests), a WASM-heap probe for leak tests, and the state of the SEAL-exception guard. fast-check is a peer dependency of
 * this entry point only.
 * @module
 */
import fc from 'fast-check';
import { stackRestored, wasmHeapBytes as heapBytes } from './_seal.js';
import { presets, type HePresetId } from './presets.js';

/** Options of {@link readingVectors}. */
export interface ReadingVectorsOptions {
  /** Preset whose plaintext space bounds the readings (default `bfv-4096`). */
  preset?: HePresetId;
  /** The context's declared maxAbsReading (default: the preset's default). */
  maxAbsReading?: bigint;
  /** Number of vectors (devices) that will be summed (default 1..4). */
  devices?: { min: number; max: number };
  /** Length of every vector (default 1..64; use > slotCount to exercise several batches). */
  length?: { min: number; max: number };
}

/**
 * Arbitrary list of reading vectors (one per device, all of one length) whose every entry lies within the preset's
 * safe bounds: |reading| ≤ min(maxAbsReading, ⌊maxAbsValue / devices⌋), so their slot-wise sum cannot wrap.
 * BFV readings are bigints (signed, centered representation of Z_t); CKKS readings are doubles.
 * @param options - preset, maxAbsReading, device count and length ranges
 * @returns an arbitrary of `{ vectors, bound }`
 * @example
 * ```ts
 * fc.assert(fc.property(readingVectors({ preset: 'bfv-4096' }), ({ vectors }) => … ), { numRuns: 5 });
 * ```
 */
export function readingVectors(
  options: ReadingVectorsOptions = {},
): fc.Arbitrary<{ vectors: (bigint | number)[][]; bound: bigint }> {
  const preset = presets[options.preset ?? 'bfv-4096'];
  const maxAbs = options.maxAbsReading ?? preset.defaultMaxAbsReading;
  const devices = options.devices ?? { min: 1, max: 4 };
  const length = options.length ?? { min: 1, max: 64 };
  return fc
    .record({
      n: fc.integer({ min: devices.min, max: devices.max }),
      len: fc.integer({ min: length.min, max: length.max }),
    })
    .chain(({ n, len }) => {
      const perDevice = preset.maxAbsValue / BigInt(n);
      const bound = perDevice < maxAbs ? perDevice : maxAbs;
      const entry: fc.Arbitrary<bigint | number> =
        preset.scheme === 'bfv'
          ? fc.oneof(
              fc.bigInt({ min: -bound, max: bound }),
              fc.constantFrom(bound, -bound, 0n),
            )
          : fc.double({ min: -Number(bound), max: Number(bound), noNaN: true, noDefaultInfinity: true });
      return fc
        .array(fc.array(entry, { minLength: len, maxLength: len }), { minLength: n, maxLength: n })
        .map((vectors) => ({ vectors, bound }));
    });
}

/** A tampered serialization and a description of the mutation. */
export interface Tampered {
  bytes: Uint8Array;
  mutation: string;
}

/**
 * Arbitrary tampering of a serialized HE object: a flipped bit anywhere (header, metadata, SEAL body, checksum),
 * truncation, an appended byte, or a changed preset byte.
 * @param bytes - a valid serialization
 * @returns an arbitrary of {@link Tampered}
 * @example
 * ```ts
 * fc.assert(fc.property(tampered(ct.serialize()), (t) => throwsTyped(() => ctx.deserialize(t.bytes))));
 * ```
 */
export function tampered(bytes: Uint8Array): fc.Arbitrary<Tampered> {
  const len = bytes.length;
  return fc.oneof(
    fc.record({ pos: fc.integer({ min: 0, max: len - 1 }), bit: fc.integer({ min: 0, max: 7 }) }).map(({ pos, bit }) => {
      const b = bytes.slice();
      b[pos]! ^= 1 << bit;
      return { bytes: b, mutation: `bit ${bit} of byte ${pos} flipped` };
    }),
    fc.integer({ min: 0, max: len - 1 }).map((cut) => ({ bytes: bytes.slice(0, cut), mutation: `truncated to ${cut}` })),
    fc.integer({ min: 0, max: 255 }).map((x) => {
      const b = new Uint8Array(len + 1);
      b.set(bytes);
      b[len] = x;
      return { bytes: b, mutation: `byte ${x} appended` };
    }),
    fc.integer({ min: 0, max: 255 }).filter((x) => x !== bytes[6]).map((x) => {
      const b = bytes.slice();
      b[6] = x;
      return { bytes: b, mutation: `preset byte set to ${x}` };
    }),
  );
}

/**
 * Current size in bytes of SEAL's WebAssembly memory (grows, never shrinks), or undefined before SEAL is loaded.
 * Leak tests assert that it does not grow after warm-up.
 * @returns bytes, or undefined
 * @example
 * ```ts
 * const before = wasmHeapBytes(); /* …10 000 aggregations… *\/ expect(wasmHeapBytes()).toBe(before);
 * ```
 */
export function wasmHeapBytes(): number | undefined {
  return heapBytes();
}

/**
 * Whether the guard against SEAL exceptions is active in this runtime: after every SEAL (C++) exception it catches,
 * the package puts Emscripten's shadow-stack pointer back, which node-seal 7 leaves lower each time (README, "Why no
 * SEAL exception may cross"). `'active'` when the self-test at load passed, `'inactive'` when it did not (the
 * TypeScript validation in front of SEAL still applies), `undefined` before SEAL is loaded.
 * @returns the guard's state
 * @example
 * ```ts
 * await createAggregationContext();
 * expect(sealExceptionGuard()).toBe('active');
 * ```
 */
export function sealExceptionGuard(): 'active' | 'inactive' | undefined {
  if (heapBytes() === undefined) return undefined;
  return stackRestored() ? 'active' : 'inactive';
}
