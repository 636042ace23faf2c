/**
 * The only module that loads `node-seal` (Microsoft SEAL 4.1 compiled to WebAssembly, node-seal 7: Emscripten's Embind
 * bindings, native WebAssembly exception handling). It loads the **`allows`** build (SEAL compiled without
 * `SEAL_THROW_ON_TRANSPARENT_CIPHERTEXT`): an operation whose result is transparent returns it, and the package checks
 * `isTransparent()` itself.
 *
 * node-seal 7 replaced 6.0.3 (issue #18 item 0, bench/suites/seal-versions.ts): 6.0.3 was broken by ≤ 100–600 caught
 * SEAL exceptions of every hostile kind measured (some of them Emscripten aborts) and kept ~45 MiB of heap per zstd
 * bomb; 7.0.0 delivers every exception as a catchable `WebAssembly.Exception`, bounds its heap and is faster, and with
 * the shadow-stack restore below stays correct after 6,000 exceptions of every kind (without it: broken after ~4,000
 * failed loads or ~400 failed evaluator calls). The TypeScript validation of every stream (`_sealstream.ts`) stays in
 * front of SEAL regardless: SEAL still never sees untrusted bytes unchecked.
 *
 * A C++ exception reaches JavaScript as a `WebAssembly.Exception` that holds a reference to the C++ exception object:
 * {@link sealMessage} reads its message and releases it (without the release, its memory stays allocated).
 *
 * Loading is lazy and shared: nothing happens at import (node-seal is imported dynamically, which also lets the CJS
 * build load the ESM-only package); the first {@link loadSeal} call compiles the WASM module and every later call
 * returns the same library instance.
 * @module
 */
import type { MainModule } from 'node-seal/allows';

/**
 * The SEAL library object returned by node-seal's loader: the Embind bindings plus two Emscripten runtime exports that
 * node-seal's declarations omit (present in the module: `Module.getExceptionMessage`, `decrementExceptionRefcount`).
 */
export type SealLibrary = MainModule & {
  getExceptionMessage(e: unknown): [type: string, message?: string];
  decrementExceptionRefcount(e: unknown): void;
};
/** SEAL `SEALContext`. */
export type SealContext = InstanceType<SealLibrary['SEALContext']>;
/** SEAL `Ciphertext`. */
export type SealCipherText = InstanceType<SealLibrary['Ciphertext']>;
/** SEAL `Plaintext`. */
export type SealPlainText = InstanceType<SealLibrary['Plaintext']>;
/** SEAL `PublicKey`. */
export type SealPublicKey = InstanceType<SealLibrary['PublicKey']>;
/** SEAL `SecretKey`. */
export type SealSecretKey = InstanceType<SealLibrary['SecretKey']>;
/** SEAL `GaloisKeys`. */
export type SealGaloisKeys = InstanceType<SealLibrary['GaloisKeys']>;
/** SEAL `Encryptor`. */
export type SealEncryptor = InstanceType<SealLibrary['Encryptor']>;
/** SEAL `Decryptor`. */
export type SealDecryptor = InstanceType<SealLibrary['Decryptor']>;
/** SEAL `Evaluator`. */
export type SealEvaluator = InstanceType<SealLibrary['Evaluator']>;
/** SEAL `BatchEncoder`. */
export type SealBatchEncoder = InstanceType<SealLibrary['BatchEncoder']>;
/** SEAL `CKKSEncoder`. */
export type SealCkksEncoder = InstanceType<SealLibrary['CKKSEncoder']>;
/** SEAL `KeyGenerator`. */
export type SealKeyGenerator = InstanceType<SealLibrary['KeyGenerator']>;
/** SEAL `EncryptionParameters`. */
export type SealEncryptionParameters = InstanceType<SealLibrary['EncryptionParameters']>;
/** SEAL `parms_id_type` wrapper. */
export type SealParmsId = ReturnType<SealCipherText['parmsId']>;
/** SEAL `compr_mode_type` value. */
export type SealComprMode = SealLibrary['ComprModeType'][keyof SealLibrary['ComprModeType']];

let pending: Promise<SealLibrary> | undefined;
let loaded: SealLibrary | undefined;
let memory: WebAssembly.Memory | undefined;
let exports: WebAssembly.Exports | undefined;
/** The shadow-stack pointer between SEAL calls, and how to put it back (see {@link restoreStack}). */
let stack: { base: number; get: () => number; restore: (sp: number) => void } | undefined;
/** C++ exceptions already read and released by {@link sealMessage}, with their message. */
const released = new WeakMap<object, string>();

function findMemory(value: unknown): void {
  if (value instanceof WebAssembly.Memory) memory = value;
}

/**
 * Loads node-seal once and returns the shared library. While the loader runs, `WebAssembly.instantiate` (and
 * `instantiateStreaming`, which browsers use) are wrapped (and restored in `finally`) to remember the module's linear
 * memory, so {@link wasmHeapBytes} can report it: node-seal does not expose the Emscripten module's memory.
 * @returns the SEAL library
 */
export function loadSeal(): Promise<SealLibrary> {
  if (pending) return pending;
  pending = (async () => {
    const wasm = WebAssembly as unknown as Record<'instantiate' | 'instantiateStreaming', (...args: unknown[]) => Promise<unknown>>;
    const originals = { instantiate: wasm.instantiate, instantiateStreaming: wasm.instantiateStreaming };
    for (const name of ['instantiate', 'instantiateStreaming'] as const) {
      const original = originals[name];
      if (typeof original !== 'function') continue;
      wasm[name] = async function (this: unknown, ...args: unknown[]) {
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
          exports = instance.exports;
        }
        return result;
      };
    }
    try {
      const { default: initialize } = await import('node-seal/allows');
      const lib = (await initialize()) as SealLibrary;
      if (typeof lib.SEALContext !== 'function' || typeof lib.getExceptionMessage !== 'function') {
        throw new Error('node-seal 7 (Embind bindings) expected, found another version');
      }
      loaded = lib;
      stack = findStack(lib);
      return lib;
    } finally {
      wasm.instantiate = originals.instantiate;
      if (originals.instantiateStreaming) wasm.instantiateStreaming = originals.instantiateStreaming;
    }
  })();
  pending.catch(() => {
    pending = undefined;
  });
  return pending;
}

/**
 * Emscripten keeps C++ stack frames that do not fit in WebAssembly locals on a "shadow stack" in linear memory, whose
 * pointer is a WebAssembly global that each function restores on return. A C++ exception that leaves the module into
 * JavaScript skips those epilogues: the pointer stays where the throwing frame left it (measured with node-seal 7.0.0:
 * 16 bytes lower per failed load, 192 bytes per failed `Evaluator.add`), and once the 64 KiB stack is used up, SEAL
 * writes over its own heap (bench/suites/seal-versions.ts: broken after ≤ 350 evaluator exceptions). Between two SEAL
 * calls made from JavaScript the pointer is always at the same base, so after catching a SEAL exception we put it
 * back ({@link sealMessage} does, for every SEAL exception this package catches).
 *
 * node-seal does not expose the Emscripten stack helpers: they are found among the module's exports by their minified
 * names in node-seal 7.0.0 (`$` = emscripten_stack_get_current, `Z` = _emscripten_stack_restore) and then proven by a
 * self-test: a deliberate SEAL exception must move the pointer, and restoring must bring it back to the base. If any
 * step fails (another build), the helpers are not used — the TypeScript validation keeps untrusted input from reaching
 * a SEAL exception either way.
 */
function findStack(lib: SealLibrary): typeof stack {
  const get = exports?.$;
  const restore = exports?.Z;
  if (typeof get !== 'function' || typeof restore !== 'function' || get.length !== 0 || restore.length !== 1) return undefined;
  const read = get as () => number;
  const set = restore as (sp: number) => void;
  const base = read();
  if (!Number.isInteger(base) || base <= 0 || base >= (memory?.buffer.byteLength ?? 0)) return undefined;
  const probe = new lib.Modulus(0n);
  try {
    // a SEAL header whose header_size is 17: SEAL throws std::logic_error before reading anything else
    const bad = Uint8Array.from([0x5e, 0xa1, 17, 4, 1, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0]);
    probe.loadFromArray(bad);
    return undefined;
  } catch (e) {
    if (!isCppException(e)) return undefined;
    lib.decrementExceptionRefcount(e);
    const moved = read();
    if (moved >= base || base - moved > 4096) return undefined;
    set(base);
    return read() === base ? { base, get: read, restore: set } : undefined;
  } finally {
    probe.delete();
  }
}

/** Puts SEAL's shadow-stack pointer back at its base after a caught SEAL exception (see {@link findStack}). */
function restoreStack(): void {
  if (stack && stack.get() !== stack.base) stack.restore(stack.base);
}

/** Whether SEAL's shadow-stack pointer is restored after exceptions (the self-test at load passed). */
export function stackRestored(): boolean {
  return stack !== undefined;
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
    const words = id.values() as BigUint64Array;
    const out = new Uint8Array(32);
    const view = new DataView(out.buffer);
    for (let i = 0; i < 4; i++) view.setBigUint64(i * 8, words[i] ?? 0n, true);
    return out;
  } finally {
    id.delete();
  }
}

/** `WebAssembly.Exception` (not in TypeScript's lib yet; absent from runtimes without WebAssembly exception handling). */
const WasmException = (WebAssembly as unknown as { Exception?: abstract new (...args: never[]) => object }).Exception;

/** Whether `e` is a C++ exception thrown out of SEAL (a `WebAssembly.Exception`). */
export function isCppException(e: unknown): e is object {
  return WasmException !== undefined && e instanceof WasmException;
}

/**
 * Extracts a readable message from an error thrown inside node-seal. A C++ exception arrives as a
 * `WebAssembly.Exception` referencing the C++ exception object: its type and `what()` are read, then the reference is
 * released (once: a released exception is remembered and not touched again).
 */
export function sealMessage(e: unknown): string {
  if (isCppException(e) && loaded) {
    let text = released.get(e);
    if (text !== undefined) return text;
    try {
      const [type, what] = loaded.getExceptionMessage(e);
      text = what ? `${type}: ${what}` : type;
    } catch {
      text = 'C++ exception';
    }
    released.set(e, text);
    try {
      loaded.decrementExceptionRefcount(e);
    } catch {
      /* nothing more to release */
    }
    restoreStack();
    return text;
  }
  if (e instanceof Error) return e.message;
  if (typeof e === 'string') return e;
  return String(e);
}
