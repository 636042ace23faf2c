/**
 * node-seal 6.0.3 vs 7.0.0 (issue #18 item 0, background #15): is SEAL sound when C++ exceptions cross into JavaScript,
 * and how fast is the honest path — both versions in one process, `allows` builds (the one @privkit/he loads), BFV with
 * the parameters of @privkit/he's default preset `bfv-4096` (n = 4096, BFVDefault(4096, tc128) = 36+36+37 bits,
 * t = 1073692673).
 *
 * Part 1 (correctness, no tinybench): for each version and each hostile kind, a fresh SEAL module instance gets N
 * hostile streams straight into SEAL's own loaders (no PrivKit validation in front — that is what is measured) or a
 * SEAL operation that throws; every exception is caught and classified (a C++ exception delivered as a catchable JS
 * value, an Emscripten abort, a WebAssembly trap); after every K of them an honest encrypt → add → decrypt round trip
 * (in the existing context, and in a context created afterwards at the end) must give the right answer, and the
 * module's WebAssembly memory size is recorded. A last run interleaves every kind in one instance.
 *
 * Part 2 (tinybench): honest encrypt, add, decrypt, serialize and load (zstd and uncompressed) at n = 4096 for both
 * versions, after cross-checking that both decrypt the same sums and load each other's ciphertexts.
 */
import { loadavg } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import SEAL6 from 'node-seal-6/allows_wasm_web_es.js';
import SEAL7 from 'node-seal-7/allows';
import { measure, table, type Row } from '../lib.js';
// the hostile-stream builders of @privkit/he's attack tests (SEAL header, RFC 8878 zstd bomb), shared, not copied
import { sealHeader, zstdBomb } from '../../packages/he/test/_wire.js';

export const title = 'node-seal 6 vs 7: SEAL exceptions and honest throughput (BFV n = 4096)';

// per kind: above the ~4,096 failed loads (16 B of shadow stack each) that exhaust node-seal 7's 64 KiB stack
const N = Number(process.env.SEAL_VERSIONS_N ?? 6000); // hostile inputs per kind
const K = Number(process.env.SEAL_VERSIONS_K ?? 100); // check every K exceptions
const AFTER_BROKEN = 200; // exceptions fed after the first failed check, then the run stops
const MIXED = Number(process.env.SEAL_VERSIONS_MIXED ?? 10_000); // interleaved hostile inputs in the last run
const TIMEOUT_S = Number(process.env.SEAL_VERSIONS_TIMEOUT ?? 180); // a run that does not finish is reported as hung
const PLAIN_MODULUS = 1073692673n;
const Q0 = 68719403009n; // first coefficient-modulus prime of bfv-4096

// ---------------------------------------------------------------------------------------------------------------
// One interface over both versions
// ---------------------------------------------------------------------------------------------------------------

/** An opaque SEAL ciphertext of one version. */
type Ct = { delete(): void };

/** A context with keys, encryptor, decryptor, evaluator and batch encoder in one module instance. */
interface Session {
  encrypt(values: BigInt64Array): Ct;
  add(a: Ct, b: Ct): Ct;
  decrypt(ct: Ct): BigInt64Array;
  save(ct: Ct, compression: 'none' | 'zstd'): Uint8Array;
  load(bytes: Uint8Array): Ct;
  savePublicKey(compression: 'none' | 'zstd'): Uint8Array;
  loadPublicKey(bytes: Uint8Array): void;
  /** `ct` switched to the next (lower) level. */
  modSwitch(ct: Ct): Ct;
  dispose(): void;
}

/** What an exception turned out to be. */
type Caught = 'C++ exception (catchable)' | 'Emscripten abort' | 'WebAssembly trap' | 'other';

interface Instance {
  session(): Session;
  heapBytes(): number;
  /** Classifies a caught value and releases what the version needs released; returns the kind and a message. */
  caught(e: unknown): { kind: Caught; message: string };
}

interface Version {
  label: string;
  instantiate(): Promise<Instance>;
}

/** Runs a module loader while remembering the WebAssembly.Memory it creates (neither version exposes it). */
async function withMemory<T>(load: () => Promise<T>): Promise<{ lib: T; memory: WebAssembly.Memory; exports: WebAssembly.Exports }> {
  const wasm = WebAssembly as unknown as { instantiate: (...args: unknown[]) => Promise<unknown> };
  const original = wasm.instantiate;
  let memory: WebAssembly.Memory | undefined;
  let exports: WebAssembly.Exports = {};
  const scan = (o: unknown) => {
    if (o && typeof o === 'object') for (const v of Object.values(o)) if (v instanceof WebAssembly.Memory) memory = v;
  };
  wasm.instantiate = async function (this: unknown, ...args: unknown[]) {
    if (args[1] && typeof args[1] === 'object') for (const ns of Object.values(args[1])) scan(ns);
    const result = (await original.apply(this, args)) as { instance?: WebAssembly.Instance } & WebAssembly.Instance;
    exports = (result.instance ?? result).exports;
    scan(exports);
    return result;
  };
  try {
    const lib = await load();
    if (!memory) throw new Error('WebAssembly memory not found');
    return { lib, memory, exports };
  } finally {
    wasm.instantiate = original;
  }
}

/**
 * Emscripten's default printErr is `console.error` bound at load time: route it through a filter that counts the
 * "Aborted()" lines an abort prints instead of flooding the output with thousands of them.
 */
let abortLines = 0;
const consoleError = console.error;
function quietAborts(): void {
  console.error = (...args: unknown[]) => {
    if (args.length === 1 && typeof args[0] === 'string' && args[0].startsWith('Aborted(')) abortLines++;
    else consoleError.apply(console, args);
  };
}

/** `WebAssembly.Exception` (node-seal 7's C++ exceptions; not in TypeScript's lib yet). */
const WasmException = (WebAssembly as unknown as { Exception: abstract new (...args: never[]) => object }).Exception;

function runtimeKind(e: WebAssembly.RuntimeError): Caught {
  return /Aborted\(/.test(e.message) ? 'Emscripten abort' : 'WebAssembly trap';
}

type Seal6 = Awaited<ReturnType<typeof SEAL6>>;

const v6: Version = {
  label: 'node-seal 6.0.3',
  async instantiate() {
    const { lib: s, memory } = await withMemory(() => SEAL6());
    if (s.Version !== '6.0.3') throw new Error(`node-seal-6 is ${s.Version}`);
    return {
      heapBytes: () => memory.buffer.byteLength,
      caught(e) {
        if (e instanceof WebAssembly.RuntimeError) return { kind: runtimeKind(e), message: e.message };
        // the 6.x wrapper turns a C++ exception pointer into `new Error(what())`
        if (e instanceof Error) return { kind: 'C++ exception (catchable)', message: e.message };
        return { kind: 'other', message: String(e) };
      },
      session: () => session6(s),
    };
  },
};

function session6(s: Seal6): Session {
  type C6 = ReturnType<Seal6['CipherText']>;
  const parms = s.EncryptionParameters(s.SchemeType.bfv);
  parms.setPolyModulusDegree(4096);
  parms.setCoeffModulus(s.CoeffModulus.BFVDefault(4096, s.SecurityLevel.tc128));
  parms.setPlainModulus(s.Modulus(PLAIN_MODULUS));
  const ctx = s.Context(parms, true, s.SecurityLevel.tc128);
  if (!ctx.parametersSet()) throw new Error('node-seal 6: parameters not set');
  const kg = s.KeyGenerator(ctx);
  const pk = kg.createPublicKey();
  const sk = kg.secretKey();
  const enc = s.Encryptor(ctx, pk);
  const dec = s.Decryptor(ctx, sk);
  const ev = s.Evaluator(ctx);
  const be = s.BatchEncoder(ctx);
  const plain = s.PlainText();
  return {
    encrypt(values) {
      be.encode(values, plain);
      const ct = s.CipherText();
      enc.encrypt(plain, ct);
      return ct;
    },
    add(a, b) {
      const out = s.CipherText();
      ev.add(a as C6, b as C6, out);
      return out;
    },
    decrypt(ct) {
      dec.decrypt(ct as C6, plain);
      return be.decodeBigInt(plain, true) as BigInt64Array;
    },
    save: (ct, c) => (ct as C6).saveArray(s.ComprModeType[c]),
    load(bytes) {
      const ct = s.CipherText();
      try {
        ct.loadArray(ctx, bytes);
        return ct;
      } catch (e) {
        ct.delete();
        throw e;
      }
    },
    savePublicKey: (c) => pk.saveArray(s.ComprModeType[c]),
    loadPublicKey(bytes) {
      const k = s.PublicKey();
      try {
        k.loadArray(ctx, bytes);
      } finally {
        k.delete();
      }
    },
    modSwitch(ct) {
      const out = s.CipherText();
      ev.cipherModSwitchToNext(ct as C6, out);
      return out;
    },
    dispose() {
      for (const o of [plain, be, ev, dec, enc, sk, pk, kg, ctx, parms]) o.delete();
    },
  };
}

type Seal7 = Awaited<ReturnType<typeof SEAL7>>;

/**
 * node-seal 7.0.0, every caught exception read and released (`decrementExceptionRefcount`); `guarded` also puts
 * Emscripten's shadow-stack pointer back at its base after each caught exception, as @privkit/he does
 * (packages/he/src/_seal.ts: a C++ exception leaving the module skips the epilogues that restore it). The stack
 * helpers are the module's exports `$` (emscripten_stack_get_current) and `Z` (_emscripten_stack_restore) in 7.0.0.
 */
function version7(guarded: boolean): Version {
  return {
    label: guarded ? 'node-seal 7.0.0 + stack restore (@privkit/he)' : 'node-seal 7.0.0',
    async instantiate() {
      const { lib: s, memory, exports } = await withMemory(() => SEAL7());
      const rt = s as unknown as { getExceptionMessage(e: unknown): [string, string]; decrementExceptionRefcount(e: unknown): void };
      const getSp = exports.$ as () => number;
      const setSp = exports.Z as (sp: number) => void;
      const base = getSp();
      return {
        heapBytes: () => memory.buffer.byteLength,
        caught(e) {
          if (e instanceof WebAssembly.RuntimeError) return { kind: runtimeKind(e), message: e.message };
          if (e instanceof WasmException) {
            // 7.x hands out the C++ exception itself: its message needs the module, and its memory is only freed when
            // the holder drops the reference (decrementExceptionRefcount)
            let message: string;
            try {
              const [type, what] = rt.getExceptionMessage(e);
              message = `${type}: ${what}`;
              rt.decrementExceptionRefcount(e);
            } catch (inner) {
              // reading the message runs code in the module: in a corrupted module that can trap too
              message = `(message unreadable: ${inner instanceof Error ? inner.message : String(inner)})`;
            }
            if (guarded) setSp(base);
            return { kind: 'C++ exception (catchable)', message };
          }
          return { kind: 'other', message: String(e) };
        },
        session: () => session7(s),
      };
    },
  };
}

function session7(s: Seal7): Session {
  type C7 = InstanceType<Seal7['Ciphertext']>;
  const made: { delete(): void }[] = [];
  const keep = <T extends { delete(): void }>(o: T): T => (made.push(o), o);
  const parms = keep(new s.EncryptionParameters(s.SchemeType.bfv));
  parms.setPolyModulusDegree(4096);
  parms.setCoeffModulus(keep(s.CoeffModulus.BFVDefault(4096, s.SecLevelType.tc128)));
  parms.setPlainModulus(keep(new s.Modulus(PLAIN_MODULUS)));
  const ctx = keep(new s.SEALContext(parms, true, s.SecLevelType.tc128));
  if (!ctx.parametersSet()) throw new Error('node-seal 7: parameters not set');
  const kg = keep(new s.KeyGenerator(ctx));
  const pk = keep(kg.createPublicKey());
  const sk = keep(kg.secretKey());
  const enc = keep(new s.Encryptor(ctx, pk));
  const dec = keep(new s.Decryptor(ctx, sk));
  const ev = keep(new s.Evaluator(ctx));
  const be = keep(new s.BatchEncoder(ctx));
  const plain = keep(new s.Plaintext());
  return {
    encrypt(values) {
      be.encode(values, plain);
      const ct = new s.Ciphertext();
      enc.encrypt(plain, ct);
      return ct;
    },
    add(a, b) {
      const out = new s.Ciphertext();
      ev.add(a as C7, b as C7, out);
      return out;
    },
    decrypt(ct) {
      dec.decrypt(ct as C7, plain);
      return be.decodeBigInt64(plain) as BigInt64Array;
    },
    save: (ct, c) => (ct as C7).saveToArray(s.ComprModeType[c]) as Uint8Array,
    load(bytes) {
      const ct = new s.Ciphertext();
      try {
        ct.loadFromArray(ctx, bytes);
        return ct;
      } catch (e) {
        ct.delete();
        throw e;
      }
    },
    savePublicKey: (c) => pk.saveToArray(s.ComprModeType[c]) as Uint8Array,
    loadPublicKey(bytes) {
      const k = new s.PublicKey();
      try {
        k.loadFromArray(ctx, bytes);
      } finally {
        k.delete();
      }
    },
    modSwitch(ct) {
      const out = new s.Ciphertext();
      ev.cipherModSwitchToNext(ct as C7, out);
      return out;
    },
    dispose() {
      for (const o of made.reverse()) o.delete();
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Hostile inputs (the kinds of packages/he/test/attacks.test.ts, at the SEAL-stream level)
// ---------------------------------------------------------------------------------------------------------------

/** xorshift32 — deterministic inputs (not cryptographic). */
function rng(seed: number): (n: number) => number {
  let x = seed >>> 0 || 1;
  return (n) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

const BOMB_BLOCKS = 64; // 278-byte stream inflating to 8 MiB
const BOMB_MAX = 40; // bombs per run

/** Offsets in an uncompressed SEAL 4.1 ciphertext stream: header 16, parms_id 32, ntt 1, size 8, n 8, k 8, scale 8,
 * correction factor 8, then the data DynArray (its own 16-byte header and an 8-byte count). */
const PARMS_ID = 16;
const CT_SIZE = 16 + 33;
const coeff = (i: number) => 16 + 73 + 16 + 8 + 8 * i;

interface Material {
  ct: Uint8Array; // honest uncompressed ciphertext stream
  pk: Uint8Array; // honest uncompressed public key stream
}

/** One hostile action per kind: returns normally only if SEAL accepted the input (counted, not an exception). */
type Kind = {
  name: string;
  what: string;
  /** At most this many inputs of the kind per run (the bomb: node-seal 6 keeps ~45 MiB of heap per bomb, for good). */
  max?: number;
  act: (s: Session, m: Material, r: (n: number) => number, lower: { ct: Ct; low: Ct }) => void };

const set64 = (b: Uint8Array, off: number, v: bigint) => new DataView(b.buffer, b.byteOffset).setBigUint64(off, v, true);
/** A copy of `stream` with the u64 at `off` set to `v`. */
const with64 = (stream: Uint8Array, off: number, v: bigint) => {
  const b = stream.slice();
  set64(b, off, v);
  return b;
};

const KINDS: Kind[] = [
  {
    name: 'truncated',
    what: 'ciphertext stream cut at a random length (header unchanged)',
    act: (s, m, r) => s.load(m.ct.slice(0, 17 + r(m.ct.length - 17))).delete(),
  },
  {
    name: 'header_size 17',
    what: 'the 16-byte SEAL header of the 83-byte upload of #15 (header_size 17, size 16)',
    act: (s) => s.load(sealHeader({ headerSize: 17, size: 16 })).delete(),
  },
  {
    name: 'size field wrong',
    what: 'honest stream, header size field ±1..64 off',
    act: (s, m, r) => s.load(with64(m.ct, 8, BigInt(m.ct.length + (r(2) ? 1 : -1) * (1 + r(64))))).delete(),
  },
  {
    name: 'wrong parms_id',
    what: 'one byte of the ciphertext parms_id changed',
    act: (s, m, r) => {
      const b = m.ct.slice();
      b[PARMS_ID + r(32)]! ^= 1 + r(255);
      s.load(b).delete();
    },
  },
  {
    name: 'coefficient ≥ prime',
    what: 'one coefficient of the first RNS component set to q_0',
    act: (s, m, r) => s.load(with64(m.ct, coeff(r(4096)), Q0)).delete(),
  },
  {
    name: 'ciphertext size 2^32',
    what: 'the ciphertext `size` member (number of polynomials) set to 2^32',
    act: (s, m) => s.load(with64(m.ct, CT_SIZE, 2n ** 32n)).delete(),
  },
  {
    name: 'zstd bomb',
    max: BOMB_MAX,
    what: `${16 + 6 + 4 * BOMB_BLOCKS}-byte zstd stream of RLE blocks inflating to ${(BOMB_BLOCKS * 128) / 1024} MiB`,
    act: (s) => {
      const z = zstdBomb(BOMB_BLOCKS);
      const b = new Uint8Array(16 + z.length);
      b.set(sealHeader({ compr: 2, size: b.length }));
      b.set(z, 16);
      s.load(b).delete();
    },
  },
  {
    name: 'public key, coefficient ≥ prime',
    what: 'public key stream with one coefficient set to q_0',
    act: (s, m, r) => s.loadPublicKey(with64(m.pk, coeff(r(4096)), Q0)),
  },
  {
    name: 'public key truncated',
    what: 'public key stream cut at a random length',
    act: (s, m, r) => s.loadPublicKey(m.pk.slice(0, 17 + r(m.pk.length - 17))),
  },
  {
    name: 'add across levels',
    what: 'Evaluator.add of ciphertexts at different levels (an operation, not a load, throws)',
    act: (s, _m, _r, l) => s.add(l.ct, l.low).delete(),
  },
];

interface KindResult {
  version: string;
  kind: string;
  inputs: number;
  exceptions: number;
  accepted: number;
  caught: Partial<Record<Caught, number>>;
  firstMessage: string;
  lastMessage: string;
  msPerException: number;
  heapStart: number;
  heapEnd: number;
  /** Exceptions before the first failed check (undefined: every check passed). */
  brokenAfter?: number;
  brokenHow?: string;
  /** Round trip in a context created after all the exceptions. */
  freshContext: string;
  /** "Aborted()" lines the module printed. */
  abortLines: number;
  /** Set when the run did not finish within the timeout (the figures are those of the last progress report). */
  hung?: string;
}

const ROUND_A = BigInt64Array.from({ length: 4096 }, (_, i) => BigInt((i * 7919) % 131071) - 65535n);
const ROUND_B = BigInt64Array.from({ length: 4096 }, (_, i) => BigInt((i * 104729) % 131071) - 65535n);
const ROUND_SUM = ROUND_A.map((a, i) => a + ROUND_B[i]!);

/** encrypt → add → decrypt; null when right, else what went wrong. */
function roundTrip(s: Session): string | null {
  const made: Ct[] = [];
  try {
    const a = s.encrypt(ROUND_A);
    made.push(a);
    const b = s.encrypt(ROUND_B);
    made.push(b);
    const c = s.add(a, b);
    made.push(c);
    // through the wire too: a save/load of an honest stream must still work
    const bytes = s.save(c, 'none');
    const d = s.load(bytes);
    made.push(d);
    const out = s.decrypt(d);
    for (let i = 0; i < 4096; i++) if (out[i] !== ROUND_SUM[i]) return `wrong sum at slot ${i}: ${out[i]} ≠ ${ROUND_SUM[i]}`;
    return null;
  } catch (e) {
    return `threw ${e instanceof Error ? e.message : e instanceof WasmException ? 'a C++ exception' : String(e)}`;
  } finally {
    for (const c of made) {
      try {
        c.delete();
      } catch {
        /* broken module */
      }
    }
  }
}

/** Feeds `count` hostile inputs of `kinds` (round robin) into a fresh instance of `version`. */
async function hostileRun(
  version: Version,
  kinds: Kind[],
  count: number,
  label: string,
  progress?: (r: KindResult) => void,
): Promise<KindResult> {
  const inst = await version.instantiate();
  const s = inst.session();
  const r = rng(0x5eed ^ label.length);
  const honest = s.encrypt(ROUND_A);
  const material: Material = { ct: s.save(honest, 'none'), pk: s.savePublicKey('none') };
  const lower = { ct: honest, low: s.modSwitch(honest) };
  if (roundTrip(s) !== null) throw new Error(`${version.label}: honest round trip fails before any exception`);
  const res: KindResult = {
    version: version.label,
    kind: label,
    inputs: 0,
    exceptions: 0,
    accepted: 0,
    caught: {},
    firstMessage: '',
    lastMessage: '',
    msPerException: 0,
    heapStart: inst.heapBytes(),
    heapEnd: 0,
    freshContext: '',
    abortLines: 0,
  };
  const report = () => {
    res.msPerException = res.exceptions ? ms / res.exceptions : 0;
    res.heapEnd = inst.heapBytes();
    res.abortLines = abortLines;
    progress?.(res);
  };
  let ms = 0;
  report();
  const used = new Map<Kind, number>();
  for (let i = 0; i < count; i++) {
    if (res.brokenAfter !== undefined && res.exceptions >= res.brokenAfter + AFTER_BROKEN) break;
    const kind = kinds[i % kinds.length]!;
    const n = used.get(kind) ?? 0;
    if (kind.max !== undefined && n >= kind.max) continue;
    used.set(kind, n + 1);
    res.inputs++;
    const t0 = performance.now();
    try {
      kind.act(s, material, r, lower);
      res.accepted++;
      continue;
    } catch (e) {
      ms += performance.now() - t0;
      const c = inst.caught(e);
      res.exceptions++;
      res.caught[c.kind] = (res.caught[c.kind] ?? 0) + 1;
      res.firstMessage ||= c.message.slice(0, 90);
      res.lastMessage = c.message.slice(0, 90);
    }
    if (res.exceptions % K === 0) {
      if (res.brokenAfter === undefined) {
        const bad = roundTrip(s);
        if (bad) {
          res.brokenAfter = res.exceptions;
          res.brokenHow = bad.slice(0, 90);
        }
      }
      report();
    }
  }
  if (res.brokenAfter === undefined) {
    const bad = roundTrip(s);
    if (bad) {
      res.brokenAfter = res.exceptions;
      res.brokenHow = bad.slice(0, 90);
    }
  }
  res.freshContext = 'no answer (hung creating or using it)';
  report();
  try {
    const fresh = inst.session();
    res.freshContext = roundTrip(fresh) ?? 'right';
    fresh.dispose();
  } catch (e) {
    res.freshContext = `cannot create: ${(e instanceof Error ? e.message : String(e)).slice(0, 60)}`;
  }
  report();
  try {
    lower.low.delete();
    honest.delete();
    s.dispose();
  } catch {
    /* broken module */
  }
  return res;
}

const VERSIONS = [v6, version7(false), version7(true)];

/** A hostile run for a worker thread: indices into VERSIONS and KINDS. */
interface Job {
  privkitSealVersions: true;
  version: number;
  kinds: number[];
  count: number;
  label: string;
}

if (!isMainThread && (workerData as Job | undefined)?.privkitSealVersions) {
  const job = workerData as Job;
  quietAborts();
  const kinds = job.kinds.map((i) => KINDS[i]!);
  hostileRun(VERSIONS[job.version]!, kinds, job.count, job.label, (r) => parentPort!.postMessage({ progress: r })).then(
    (r) => parentPort!.postMessage({ done: r }),
    (e: unknown) => parentPort!.postMessage({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
  );
}

/**
 * Runs one hostile run in a worker thread (its own SEAL module, and a run that hangs in a corrupted module can be
 * stopped): after TIMEOUT_S without a result, the last progress report is returned marked `hung`.
 */
async function inWorker(job: Omit<Job, 'privkitSealVersions'>): Promise<KindResult> {
  const tsxApi = import.meta.resolve('tsx/esm/api');
  // register tsx in the worker, then load this very module (which starts the job)
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const w = new Worker(boot, { eval: true, workerData: { ...job, privkitSealVersions: true } satisfies Job });
  let last: KindResult | undefined;
  try {
    return await new Promise<KindResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (last) resolve({ ...last, hung: `no result within ${TIMEOUT_S} s: worker terminated` });
        else reject(new Error(`${job.label}: no report within ${TIMEOUT_S} s`));
      }, TIMEOUT_S * 1000);
      w.on('message', (m: { progress?: KindResult; done?: KindResult; error?: string }) => {
        if (m.progress) last = m.progress;
        else if (m.done) {
          clearTimeout(timer);
          resolve(m.done);
        } else if (m.error) {
          clearTimeout(timer);
          const why = m.error.split('\n')[0]!.slice(0, 90);
          if (last) resolve({ ...last, hung: `run ended by an uncaught error: ${why}` });
          else reject(new Error(m.error));
        }
      });
      w.on('error', (e) => {
        clearTimeout(timer);
        if (last) resolve({ ...last, hung: `worker died: ${e.message}` });
        else reject(e);
      });
    });
  } finally {
    await w.terminate();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Honest throughput
// ---------------------------------------------------------------------------------------------------------------

async function throughput(): Promise<{ rows: Row[]; interop: string }> {
  const s6 = (await v6.instantiate()).session();
  const s7 = (await version7(false).instantiate()).session();
  const sessions: [string, Session][] = [
    ['6.0.3', s6],
    ['7.0.0', s7],
  ];
  // cross-checks before timing: both give the right sums; each loads the other's ciphertexts (same SEAL 4.1 format)
  for (const [v, s] of sessions) if (roundTrip(s) !== null) throw new Error(`node-seal ${v}: wrong round trip`);
  const c6 = s6.encrypt(ROUND_A);
  const c7 = s7.encrypt(ROUND_A);
  // a ciphertext of 6 is under 6's key: 7 can load it (parameters equal) but not decrypt it meaningfully, so
  // interop is checked on the load (format) — a key-independent check
  for (const [c, from, to] of [
    [c6, s6, s7],
    [c7, s7, s6],
  ] as const) {
    for (const comp of ['none', 'zstd'] as const) to.load(from.save(c, comp)).delete();
  }
  const interop = 'ciphertexts saved by either version (zstd and uncompressed) load in the other';

  const rows: Row[] = [];
  for (const [v, s] of sessions) {
    const a = s.encrypt(ROUND_A);
    const b = s.encrypt(ROUND_B);
    const zstd = s.save(a, 'zstd');
    const none = s.save(a, 'none');
    rows.push(
      ...(await measure(`node-seal ${v}`, [
        { name: `${v} encrypt (4096 slots)`, fn: () => s.encrypt(ROUND_A).delete() },
        { name: `${v} add`, fn: () => s.add(a, b).delete() },
        { name: `${v} decrypt + decode`, fn: () => s.decrypt(a) },
        { name: `${v} save, zstd`, fn: () => s.save(a, 'zstd') },
        { name: `${v} save, uncompressed`, fn: () => s.save(a, 'none') },
        { name: `${v} load, zstd`, fn: () => s.load(zstd).delete() },
        { name: `${v} load, uncompressed`, fn: () => s.load(none).delete() },
      ])),
    );
    a.delete();
    b.delete();
  }
  c6.delete();
  c7.delete();
  s6.dispose();
  s7.dispose();
  return { rows, interop };
}

// ---------------------------------------------------------------------------------------------------------------

const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)}`;

export async function run(): Promise<{ markdown: string; data: unknown }> {
  const load0 = loadavg()[0]!;
  const results: KindResult[] = [];
  const jobs: Omit<Job, 'privkitSealVersions'>[] = [];
  KINDS.forEach((kind, k) => VERSIONS.forEach((_, v) => jobs.push({ version: v, kinds: [k], count: N, label: kind.name })));
  VERSIONS.forEach((_, v) => jobs.push({ version: v, kinds: KINDS.map((_k, i) => i), count: MIXED, label: 'all kinds interleaved' }));
  for (const job of jobs) {
    const res = await inWorker(job);
    results.push(res);
    console.log(
      `${res.version} / ${res.kind}: ${res.exceptions} exceptions, broken after ${res.brokenAfter ?? '—'}, heap ${mib(res.heapStart)}→${mib(res.heapEnd)} MiB${res.hung ? `, ${res.hung}` : ''}`,
    );
  }
  quietAborts();
  let rows: Row[];
  let interop: string;
  try {
    ({ rows, interop } = await throughput());
  } finally {
    console.error = consoleError;
  }
  const load1 = loadavg()[0]!;

  const cell = (r: KindResult) =>
    (r.brokenAfter === undefined ? `right after all ${r.exceptions}` : `**broken after ≤ ${r.brokenAfter}**: ${r.brokenHow}`) +
    (r.hung ? ` — **stopped** after ${r.inputs} inputs (${r.hung})` : '');
  const caughtCell = (r: KindResult) =>
    Object.entries(r.caught)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
  const lines = [
    `BFV, parameters of @privkit/he's \`bfv-4096\`; \`allows\` builds of both versions; inputs go straight into SEAL ` +
      `(no PrivKit validation). Per kind: a fresh module instance, ${N} hostile inputs (zstd bombs: ${Math.min(N, BOMB_MAX)}), honest encrypt → add → save → ` +
      `load → decrypt checked every ${K} exceptions and at the end; "fresh context" = the same check in a context ` +
      `created after all of them. Last rows: ${MIXED} inputs of every kind interleaved in one instance. ` +
      `A run stops ${AFTER_BROKEN} exceptions after its first failed check. node-seal 7 rows read and release every ` +
      `caught exception (\`getExceptionMessage\`, \`decrementExceptionRefcount\`); "+ stack restore" also puts the ` +
      `shadow-stack pointer back at its base after each one, as @privkit/he does (packages/he/src/_seal.ts). Load average ${load0.toFixed(1)} at start, ${load1.toFixed(1)} at end (1 min).`,
    '',
    '| kind | version | inputs | caught as | honest round trip afterwards | fresh context | WASM heap MiB (start → end) | ms / exception |',
    '| --- | --- | ---: | --- | --- | --- | ---: | ---: |',
    ...results.map(
      (r) =>
        `| ${r.kind} | ${r.version} | ${r.inputs} | ${caughtCell(r)}${r.accepted ? `; ${r.accepted} accepted` : ''} | ${cell(r)} | ${r.freshContext} | ${mib(r.heapStart)} → ${mib(r.heapEnd)} | ${r.msPerException.toFixed(3)} |`,
    ),
    '',
    'First (and, where different, last) exception message per run:',
    '',
    ...results.map((r) => `- ${r.kind}, ${r.version}: \`${r.firstMessage}\`${r.lastMessage !== r.firstMessage ? ` … last: \`${r.lastMessage}\`` : ''}`),
    '',
    `Emscripten "Aborted()" lines printed (all runs): ${results.reduce((a, r) => a + r.abortLines, 0)}.`,
    '',
    `### Honest throughput, n = 4096 (tinybench, same run)`,
    '',
    `Cross-checked before timing: both versions decrypt the right sums; ${interop}.`,
    '',
    table(rows),
    '',
    ...['encrypt (4096 slots)', 'add', 'decrypt + decode', 'save, zstd', 'save, uncompressed', 'load, zstd', 'load, uncompressed'].map((op) => {
      const a = rows.find((x) => x.name === `6.0.3 ${op}`)!;
      const b = rows.find((x) => x.name === `7.0.0 ${op}`)!;
      return `- ${op}: 7.0.0 is ${(a.medianMs / b.medianMs).toFixed(2)}× the speed of 6.0.3`;
    }),
  ];
  return { markdown: lines.join('\n'), data: { N, K, MIXED, load: [load0, load1], results, rows } };
}
