/**
 * The only module that imports `node-seal` (Microsoft SEAL 4.x compiled to WebAssembly). It loads the **`allows`**
 * build (SEAL compiled without `SEAL_THROW_ON_TRANSPARENT_CIPHERTEXT`): an operation whose result is transparent returns
 * it instead of throwing a C++ exception across into JavaScript — node-seal 6 leaves WebAssembly state behind on every
 * such crossing — and the package checks `isTransparent` itself. The web ES build runs in browsers and under Node.
 * node-seal 7 was evaluated and not adopted (see the README's threat model); upgrading is a change to this file.
 *
 * Loading is lazy and shared: nothing happens at import; the first {@link loadSeal} call compiles the WASM module
 * (~50 ms) and every later call returns the same library instance.
 * @module
 */
import SEAL from 'node-seal/allows_wasm_web_es.js';

/** The SEAL library object returned by node-seal's loader. */
export type SealLibrary = Awaited<ReturnType<typeof SEAL>>;
/** SEAL `SEALContext`. */
export type SealContext = ReturnType<SealLibrary['Context']>;
/** SEAL `Ciphertext`. */
export type SealCipherText = ReturnType<SealLibrary['CipherText']>;
/** SEAL `Plaintext`. */
export type SealPlainText = ReturnType<SealLibrary['PlainText']>;
/** SEAL `PublicKey`. */
export type SealPublicKey = ReturnType<SealLibrary['PublicKey']>;
/** SEAL `SecretKey`. */
export type SealSecretKey = ReturnType<SealLibrary['SecretKey']>;
/** SEAL `GaloisKeys`. */
export type SealGaloisKeys = ReturnType<SealLibrary['GaloisKeys']>;
/** SEAL `Encryptor`. */
export type SealEncryptor = ReturnType<SealLibrary['Encryptor']>;
/** SEAL `Decryptor`. */
export type SealDecryptor = ReturnType<SealLibrary['Decryptor']>;
/** SEAL `Evaluator`. */
export type SealEvaluator = ReturnType<SealLibrary['Evaluator']>;
/** SEAL `BatchEncoder`. */
export type SealBatchEncoder = ReturnType<SealLibrary['BatchEncoder']>;
/** SEAL `CKKSEncoder`. */
export type SealCkksEncoder = ReturnType<SealLibrary['CKKSEncoder']>;
/** SEAL `KeyGenerator`. */
export type SealKeyGenerator = ReturnType<SealLibrary['KeyGenerator']>;
/** SEAL `EncryptionParameters`. */
export type SealEncryptionParameters = ReturnType<SealLibrary['EncryptionParameters']>;
/** SEAL `parms_id_type` wrapper. */
export type SealParmsId = SealCipherText['parmsId'];
/** SEAL `ComprModeType` value. */
export type SealComprMode = SealLibrary['ComprModeType']['zstd'];

/** The node-seal version this module is written against (checked at load). */
export const SEAL_VERSION = '6.0.3';

let pending: Promise<SealLibrary> | undefined;
let memory: WebAssembly.Memory | undefined;

function findMemory(value: unknown): void {
  if (value instanceof WebAssembly.Memory) memory = value;
}

/**
 * Loads node-seal once and returns the shared library. While the loader runs, `WebAssembly.instantiate` is wrapped
 * (and restored in `finally`) to remember the module's linear memory, so {@link wasmHeapBytes} can report it:
 * node-seal 6 does not expose the Emscripten module.
 * @returns the SEAL library
 */
export function loadSeal(): Promise<SealLibrary> {
  if (pending) return pending;
  pending = (async () => {
    const wasm = WebAssembly as unknown as { instantiate: (...args: unknown[]) => Promise<unknown> };
    const original = wasm.instantiate;
    wasm.instantiate = async function (this: unknown, ...args: unknown[]) {
      const imports = args[1];
      if (imports && typeof imports === 'object') {
        for (const ns of Object.values(imports as Record<string, unknown>)) {
          if (ns && typeof ns === 'object') for (const v of Object.values(ns as Record<string, unknown>)) findMemory(v);
        }
      }
      const result = (await original.apply(this, args)) as { instance?: WebAssembly.Instance } & WebAssembly.Instance;
      const instance = result.instance ?? result;
      if (instance && typeof instance === 'object' && 'exports' in instance) {
        for (const v of Object.values(instance.exports)) findMemory(v);
      }
      return result;
    };
    try {
      const lib = await SEAL();
      if (lib.Version !== SEAL_VERSION) {
        throw new Error(`node-seal ${String(lib.Version)} found, this package is written against ${SEAL_VERSION}`);
      }
      return lib;
    } finally {
      wasm.instantiate = original;
    }
  })();
  pending.catch(() => {
    pending = undefined;
  });
  return pending;
}

/**
 * Current size in bytes of SEAL's WebAssembly linear memory (it only grows; a leak shows up as growth), or
 * `undefined` before SEAL is loaded or when the memory could not be located.
 */
export function wasmHeapBytes(): number | undefined {
  return memory?.buffer.byteLength;
}

/** Reads a SEAL `parms_id` (4 × u64) as 32 little-endian bytes and frees the wrapper. */
export function parmsIdBytes(id: SealParmsId): Uint8Array {
  try {
    const words = id.values as BigUint64Array;
    const out = new Uint8Array(32);
    const view = new DataView(out.buffer);
    for (let i = 0; i < 4; i++) view.setBigUint64(i * 8, words[i] ?? 0n, true);
    return out;
  } finally {
    id.delete();
  }
}

/** Extracts a readable message from an error thrown inside node-seal (which wraps C++ exceptions). */
export function sealMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'string') return e;
  return String(e);
}
