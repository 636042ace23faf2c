/**
 * `@privkit/core/testing` — the shared hostile-input table and fast-check arbitraries for core's public types.
 * Every PrivKit package feeds these to its public functions (docs/CONVENTIONS.md, "Tests" §19, §21). Test-only: imports
 * `fast-check` (optional peer dependency).
 * @module
 */
import * as fc from 'fast-check';
import { AEAD_IDS, AEAD_PARAMS, type AeadId } from './aead.js';
import { DH_GROUP_IDS, type DhGroupId } from './dh.js';
import { HASH_IDS, type HashId } from './hash.js';
import { isWellFormedString } from './validate.js';
import { DecryptError, EncodingError, InputError, isPrivkitError, KeyError, LimitError, PrivkitError, UnsupportedError } from './errors.js';

/** One hostile value with a human-readable description (used as the test title). */
export interface HostileCase {
  readonly title: string;
  readonly value: unknown;
}

const c = (title: string, value: unknown): HostileCase => Object.freeze({ title, value });

/**
 * Builds the full table of hostile values. A fresh array (and fresh typed arrays) on every call, so a function that
 * mutates its argument cannot poison other tests.
 */
function table(): HostileCase[] {
  return [
    c('undefined', undefined),
    c('null', null),
    c('true', true),
    c('false', false),
    c('0', 0),
    c('1', 1),
    c('-1', -1),
    c('-0', -0),
    c('NaN', Number.NaN),
    c('Infinity', Number.POSITIVE_INFINITY),
    c('-Infinity', Number.NEGATIVE_INFINITY),
    c('1.5', 1.5),
    c('2^53', 2 ** 53),
    c('0n', 0n),
    c('-1n', -1n),
    c('2^256 bigint', 2n ** 256n),
    c("''", ''),
    c("'00'", '00'),
    c("'abc'", 'abc'),
    c('symbol', Symbol('hostile')),
    c('function', () => new Uint8Array(32)),
    c('[]', []),
    c('[1,2,3]', [1, 2, 3]),
    c('{}', {}),
    c('fake {constructor:{name:"Uint8Array"}}', { constructor: { name: 'Uint8Array' }, length: 32, byteLength: 32 }),
    c('Uint16Array(16)', new Uint16Array(16)),
    c('Int8Array(32)', new Int8Array(32)),
    c('Uint8ClampedArray(32)', new Uint8ClampedArray(32)),
    c('Uint32Array(8)', new Uint32Array(8)),
    c('ArrayBuffer(32)', new ArrayBuffer(32)),
    c('DataView(32)', new DataView(new ArrayBuffer(32))),
    c('Promise', Promise.resolve(new Uint8Array(32))),
    ...forgedBytes(),
    c("lone high surrogate 'a\\uD800'", 'a\uD800'),
    c("lone low surrogate '\\uDFFFa'", '\uDFFFa'),
  ];
}

/**
 * Values that lie about being a Uint8Array (issue #16, item 11): another typed array with a forged
 * `Symbol.toStringTag`, typed arrays and plain objects whose prototype is `Uint8Array.prototype` (they pass
 * `instanceof Uint8Array`), and a subclass of Float64Array that names itself `Uint8Array`. `isBytes` must reject all.
 */
function forgedBytes(): HostileCase[] {
  const tagged = new Float64Array(32).fill(0.5);
  Object.defineProperty(tagged, Symbol.toStringTag, { value: 'Uint8Array' });
  const reprotoU16 = new Uint16Array(32);
  Object.setPrototypeOf(reprotoU16, Uint8Array.prototype);
  const reprotoF64 = new Float64Array(32).fill(0.5);
  Object.setPrototypeOf(reprotoF64, Uint8Array.prototype);
  class Uint8Array_ extends Float64Array {}
  Object.defineProperty(Uint8Array_.prototype, Symbol.toStringTag, { get: () => 'Uint8Array' });
  Object.defineProperty(Uint8Array_, 'name', { value: 'Uint8Array' });
  return [
    c('Float64Array(32) with forged Symbol.toStringTag "Uint8Array"', tagged),
    c('Uint16Array(32) with prototype Uint8Array.prototype', reprotoU16),
    c('Float64Array(32) with prototype Uint8Array.prototype', reprotoF64),
    c('Object.create(Uint8Array.prototype)', Object.create(Uint8Array.prototype)),
    c('Float64Array subclass named "Uint8Array" with a toStringTag getter', new Uint8Array_(32)),
  ];
}

/** Values that must be rejected wherever a `Uint8Array` is expected (typed error, never a crash). */
export function hostileBytes(): readonly HostileCase[] {
  return table();
}

/** Values that must be rejected wherever a non-negative safe integer is expected. */
export function hostileNumbers(): readonly HostileCase[] {
  return table().filter((h) => !(typeof h.value === 'number' && Number.isSafeInteger(h.value) && h.value >= 0));
}

/** The kinds of value {@link hostileValues} can filter for. */
export type HostileKind = 'bytes' | 'number' | 'bigint' | 'string' | 'boolean' | 'object' | 'any';

/**
 * Hostile values for an argument of the given kind: everything in the table that is not a valid value of that kind
 * (for `'any'`, the whole table).
 * @param kind - what the argument expects
 * @example
 * ```ts
 * for (const h of hostileValues('bytes')) expect(() => sm3(h.value as never)).toThrow(InputError);
 * ```
 */
export function hostileValues(kind: HostileKind): readonly HostileCase[] {
  const t = table();
  switch (kind) {
    case 'bytes':
      return t;
    case 'number':
      return hostileNumbers();
    case 'bigint':
      return t.filter((h) => typeof h.value !== 'bigint' || h.value < 0n);
    case 'string':
      return t.filter((h) => typeof h.value !== 'string' || !isWellFormedString(h.value));
    case 'boolean':
      return t.filter((h) => typeof h.value !== 'boolean');
    case 'object':
      return t.filter((h) => h.value === null || typeof h.value !== 'object' || Array.isArray(h.value));
    case 'any':
      return t;
  }
}

/**
 * Truncated copies of an encoding: empty, one byte, all but the last byte, all but the first byte, half.
 * @param bytes - a valid encoding
 */
export function truncations(bytes: Uint8Array): readonly HostileCase[] {
  const n = bytes.length;
  const out: HostileCase[] = [c('empty', new Uint8Array(0))];
  if (n > 1) out.push(c('first byte only', bytes.slice(0, 1)));
  if (n > 0) out.push(c('last byte dropped', bytes.slice(0, n - 1)), c('first byte dropped', bytes.slice(1)));
  if (n > 3) out.push(c('first half', bytes.slice(0, n >> 1)));
  out.push(c('one extra zero byte', Uint8Array.from([...bytes, 0])));
  return out;
}

/**
 * Copies of an encoding with exactly one bit flipped: bit 0 and bit 7 of the first, middle and last byte, and bit 0
 * of up to `maxPositions` evenly spaced bytes.
 * @param bytes - a valid encoding (non-empty)
 * @param maxPositions - bound on the number of spread positions (default 32)
 */
export function bitFlips(bytes: Uint8Array, maxPositions = 32): readonly HostileCase[] {
  const n = bytes.length;
  if (n === 0) return [];
  const seen = new Set<string>();
  const out: HostileCase[] = [];
  const flip = (i: number, bit: number) => {
    const key = `${i}:${bit}`;
    if (seen.has(key)) return;
    seen.add(key);
    const b = bytes.slice();
    b[i]! ^= 1 << bit;
    out.push(c(`bit ${bit} of byte ${i} flipped`, b));
  };
  for (const i of [0, n >> 1, n - 1]) for (const bit of [0, 7]) flip(i, bit);
  const step = Math.max(1, Math.floor(n / maxPositions));
  for (let i = 0; i < n; i += step) flip(i, 0);
  return out;
}

/** Arbitrary registered AEAD id. */
export const arbAeadId: fc.Arbitrary<AeadId> = fc.constantFrom(...AEAD_IDS);

/** One valid AEAD call: id, key and nonce of the right sizes, plaintext (≤ 300 bytes) and optional AAD. */
export interface AeadInput {
  readonly id: AeadId;
  readonly key: Uint8Array;
  readonly nonce: Uint8Array;
  readonly plaintext: Uint8Array;
  readonly aad: Uint8Array | undefined;
}

/**
 * Arbitrary valid AEAD input for any registered id (or for the given one).
 * @param id - restrict to this AEAD
 */
export function arbAeadInput(id?: AeadId): fc.Arbitrary<AeadInput> {
  const ids = id === undefined ? arbAeadId : fc.constant(id);
  return ids.chain((aid) => {
    const p = AEAD_PARAMS[aid];
    return fc.record({
      id: fc.constant(aid),
      key: fc.uint8Array({ minLength: p.keyLength, maxLength: p.keyLength }),
      nonce: fc.uint8Array({ minLength: p.nonceLength, maxLength: p.nonceLength }),
      plaintext: fc.uint8Array({ maxLength: 300 }),
      aad: fc.option(fc.uint8Array({ maxLength: 64 }), { nil: undefined }),
    });
  });
}

/** A tampered sealed message: the mutated bytes and a description of the mutation. */
export interface Tampered {
  readonly bytes: Uint8Array;
  readonly mutation: string;
}

/**
 * Arbitrary single mutation of `sealed` (bit flip anywhere, truncation, or extension): never equal to the input.
 * @param sealed - a valid sealed message (non-empty)
 */
export function arbTamper(sealed: Uint8Array): fc.Arbitrary<Tampered> {
  const n = sealed.length;
  const flip = fc.record({ i: fc.nat({ max: Math.max(0, n - 1) }), bit: fc.nat({ max: 7 }) }).map(({ i, bit }) => {
    const b = sealed.slice();
    b[i]! ^= 1 << bit;
    return { bytes: b, mutation: `bit ${bit} of byte ${i} flipped` };
  });
  const cut = fc.nat({ max: Math.max(0, n - 1) }).map((len) => ({ bytes: sealed.slice(0, len), mutation: `truncated to ${len}` }));
  const ext = fc.uint8Array({ minLength: 1, maxLength: 4 }).map((x) => {
    const b = new Uint8Array(n + x.length);
    b.set(sealed);
    b.set(x, n);
    return { bytes: b, mutation: `extended by ${x.length}` };
  });
  return n === 0 ? ext : fc.oneof(flip, cut, ext);
}

/** Arbitrary registered hash id (`getHash`). */
export const arbHashId: fc.Arbitrary<HashId> = fc.constantFrom(...HASH_IDS);

/** Arbitrary registered Diffie–Hellman group id (`getDhGroup`). */
export const arbDhGroupId: fc.Arbitrary<DhGroupId> = fc.constantFrom(...DH_GROUP_IDS);

/**
 * Arbitrary SM2 user identity: `undefined` (the default `1234567812345678`), a string (UTF-8, incl. non-ASCII) or
 * raw bytes, at most 64 bytes.
 */
export const arbSm2UserId: fc.Arbitrary<string | Uint8Array | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.string({ maxLength: 16, unit: 'grapheme' }),
  fc.uint8Array({ maxLength: 64 }),
);

/** One exported function found by {@link collectFunctions}: its dotted path in the module and the function. */
export interface ExportedFunction {
  readonly path: string;
  readonly fn: (...args: unknown[]) => unknown;
}

const isClass = (f: unknown): boolean => typeof f === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(f));

/**
 * Collects every function an entry point exports, descending into exported plain objects and frozen bundles (e.g.
 * `sm4.gcm`, `hpke.sealBase`) up to `maxDepth` levels. Classes (error classes) and data (typed arrays, arrays, maps,
 * sets) are skipped; each function is listed once, under the first path that reaches it.
 * @param mod - the module namespace (`import * as lib from '@privkit/<pkg>'`)
 * @param maxDepth - how deep to descend into exported objects (default 2)
 */
export function collectFunctions(mod: Record<string, unknown>, maxDepth = 2): ExportedFunction[] {
  const out: ExportedFunction[] = [];
  const seen = new Set<unknown>();
  const walk = (path: string, v: unknown, depth: number): void => {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function') || seen.has(v)) return;
    if (ArrayBuffer.isView(v) || Array.isArray(v) || v instanceof Map || v instanceof Set || v instanceof Promise) return;
    seen.add(v);
    if (typeof v === 'function') {
      if (isClass(v)) return;
      out.push({ path, fn: v as ExportedFunction['fn'] });
    }
    if (depth >= maxDepth) return;
    for (const k of Object.keys(v)) walk(`${path}.${k}`, (v as Record<string, unknown>)[k], depth + 1);
  };
  for (const [k, v] of Object.entries(mod)) walk(k, v, 0);
  return out;
}

/**
 * A call of the reflective sweep that broke the rule: it threw (or rejected with) something that is not a
 * PrivkitError (`phase` `'call'`, the default), or — for a method of a seeded object — the object failed its honest
 * `check` after rejecting the hostile call (`phase` `'check'`: the rejected call changed its state) or after
 * accepting it (`phase` `'accepted'`: a hostile value was taken and broke the object), or the seed's factory itself
 * failed (`phase` `'create'`).
 */
export interface HostileViolation {
  readonly path: string;
  readonly input: string;
  readonly arity: number;
  readonly error: unknown;
  readonly phase?: 'call' | 'check' | 'accepted' | 'create';
}

/** Options of {@link sweepHostile}. */
export interface HostileSweepOptions {
  /** Dotted paths (as listed by {@link collectFunctions}) not to call, each with the reason in the caller's test. */
  readonly skip?: readonly string[];
  /** Numbers of arguments to try; every argument gets the same hostile value (default 1..4). */
  readonly arities?: readonly number[];
  /** The hostile values (default: the whole shared table, {@link hostileValues}('any')). */
  readonly values?: () => readonly HostileCase[];
  /** Depth for {@link collectFunctions} (default 2). */
  readonly maxDepth?: number;
  /** A call whose promise neither settles within this many milliseconds is a violation (default 5,000). */
  readonly timeoutMs?: number;
}

/** What {@link sweepHostile} did: the paths it called and every violation. */
export interface HostileSweepResult {
  readonly called: readonly string[];
  readonly violations: readonly HostileViolation[];
}

const TIMED_OUT = Symbol('timed out');

async function settle(call: () => unknown, timeoutMs: number): Promise<unknown> {
  try {
    const r = call();
    if (r !== null && typeof r === 'object' && typeof (r as Promise<unknown>).then === 'function') {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise((resolve) => (timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs)));
      try {
        const v = await Promise.race([(r as Promise<unknown>).then(() => undefined), timeout]);
        if (v === TIMED_OUT) return new Error(`no answer within ${timeoutMs} ms`);
      } finally {
        clearTimeout(timer);
      }
    }
    return undefined;
  } catch (e) {
    return e;
  }
}

/**
 * The reflective hostile-input sweep every PrivKit package runs over every export of each of its entry points
 * (docs/CONVENTIONS.md, "Tests" §19): each exported function (and each function nested in an exported
 * bundle) is called with every value of the shared table in every argument position at once, for 1..4 arguments.
 * Returning normally is allowed (the value may be valid there, or the function is a total predicate); throwing or
 * rejecting with anything but a `PrivkitError` (by class, or across bundle copies by {@link isPrivkitError}) is a
 * violation, and so is a promise that does not settle. Test-framework-free: assert on the result.
 * @param mod - the module namespace of an entry point
 * @param options - paths to skip, arities, values, depth
 * @returns the paths called and every violation
 * @example
 * ```ts
 * const r = await sweepHostile(await import('@privkit/ring-sig'));
 * expect(r.violations).toEqual([]);
 * ```
 */
export async function sweepHostile(mod: Record<string, unknown>, options: HostileSweepOptions = {}): Promise<HostileSweepResult> {
  const skip = new Set(options.skip ?? []);
  const arities = options.arities ?? [1, 2, 3, 4];
  const values = options.values ?? (() => hostileValues('any'));
  const timeoutMs = options.timeoutMs ?? 5000;
  const called: string[] = [];
  const violations: HostileViolation[] = [];
  for (const { path, fn } of collectFunctions(mod, options.maxDepth ?? 2)) {
    if (skip.has(path)) continue;
    called.push(path);
    for (const arity of arities) {
      for (const h of values()) {
        const e = await settle(() => fn(...new Array<unknown>(arity).fill(h.value)), timeoutMs);
        if (e !== undefined && !(e instanceof PrivkitError) && !isPrivkitError(e)) violations.push({ path, input: h.title, arity, error: e });
      }
    }
  }
  return { called, violations };
}

/** One line per violation, for assertion messages. */
export function formatViolations(violations: readonly HostileViolation[]): string {
  const what = (e: unknown) => `${String((e as Error)?.name)}: ${String((e as Error)?.message).split('\n')[0]}`;
  return violations
    .map((v) =>
      v.phase === 'check' || v.phase === 'accepted'
        ? `${v.path}(${v.input} ×${v.arity}) was ${v.phase === 'check' ? 'rejected' : 'accepted'}, but then the object failed its check: ${what(v.error)}`
        : v.phase === 'create'
          ? `${v.path}: the seed's factory failed: ${what(v.error)}`
          : `${v.path}(${v.input} ×${v.arity}) threw ${what(v.error)}`,
    )
    .join('\n');
}

/**
 * A factory of objects for {@link sweepHostileObjects}: a function that builds one object from valid arguments, or a
 * {@link HostileSeedSpec} (the same with an honest `check` and per-seed settings) of any object type.
 */
export type HostileSeed =
  | (() => unknown)
  | (Omit<HostileSeedSpec, 'check' | 'dispose'> & { readonly check?: (obj: never) => unknown; readonly dispose?: (obj: never) => unknown });

/** A seed with its probe: see {@link HostileSeed}. */
export interface HostileSeedSpec<T = unknown> {
  /** Builds a fresh object from valid arguments (a real factory of the package, e.g. `() => createSealer(…)`). */
  readonly create: () => T | Promise<T>;
  /**
   * An honest operation on the object, run after every hostile call (except of `terminal` methods); it throws (or
   * rejects) when the object no longer works. A failure is a violation: after a rejected call the rejected input
   * changed the state; after a call that returned normally a hostile value was accepted and broke the object. The
   * object is then built afresh.
   */
  readonly check?: (obj: T) => unknown;
  /** Method names not to call, each with the reason in the caller's test. */
  readonly skip?: readonly string[];
  /**
   * Methods that end the object whatever their outcome (`final`, `close`, `dispose` when documented so): they are
   * still swept for untyped failures, but the object is rebuilt after each call instead of checked.
   */
  readonly terminal?: readonly string[];
  /** Releases an object the sweep is done with — at the end, after a terminal method, after a violation (WASM handles, connections). */
  readonly dispose?: (obj: T) => unknown;
  /** Arities for this seed (default: the sweep's). */
  readonly arities?: readonly number[];
  /** Hostile values for this seed (default: the sweep's). */
  readonly values?: () => readonly HostileCase[];
}

/**
 * The methods of an object the sweep calls: function-valued data properties with string keys, own and inherited,
 * up to (not including) `Object.prototype`, `Function.prototype` or a null prototype; `constructor` and names
 * starting with `_` (internals, by the house convention and noble's) excluded; each name once (the nearest
 * definition). Getters are not called.
 * @param obj - an object returned by a factory
 */
export function collectMethods(obj: object): string[] {
  const out: string[] = [];
  for (let p: object | null = obj; p !== null && p !== Object.prototype && p !== Function.prototype; p = Object.getPrototypeOf(p) as object | null) {
    for (const k of Object.getOwnPropertyNames(p)) {
      if (k === 'constructor' || k.startsWith('_') || out.includes(k)) continue;
      const d = Object.getOwnPropertyDescriptor(p, k);
      if (d !== undefined && typeof d.value === 'function') out.push(k);
    }
  }
  return out;
}

const isTyped = (e: unknown): boolean => e instanceof PrivkitError || isPrivkitError(e);

/**
 * The hostile sweep over objects returned by factories (docs/CONVENTIONS.md, "Tests" §19): for each seed, builds an
 * object, then calls each of its methods ({@link collectMethods}) with every hostile value in every argument position
 * at once, for each arity. A call must return or fail with a `PrivkitError` (a foreign error, or a promise that does
 * not settle within `timeoutMs`, is a violation); after each call of a method that is not `terminal` the seed's
 * `check` runs, and a failing check is a violation too (a rejected input changed the object's state, or an accepted
 * hostile value broke it). After a terminal method and after any violation the object is built afresh.
 * Test-framework-free.
 * @param seeds - name → factory (or {@link HostileSeedSpec}); violations are reported as `name.method`
 * @param options - `skip` (`name.method` paths), `arities`, `values`, `timeoutMs` as {@link sweepHostile}
 * @returns the `name.method` paths called and every violation
 * @example
 * ```ts
 * const r = await sweepHostileObjects({
 *   assembler: { create: () => createAssembler(), check: (a) => a.receive(frames[0]) },
 * });
 * expect(r.violations).toEqual([]);
 * ```
 */
export async function sweepHostileObjects(
  seeds: Readonly<Record<string, HostileSeed>>,
  options: Omit<HostileSweepOptions, 'maxDepth'> = {},
): Promise<HostileSweepResult> {
  const skip = new Set(options.skip ?? []);
  const timeoutMs = options.timeoutMs ?? 5000;
  const called: string[] = [];
  const violations: HostileViolation[] = [];
  for (const [name, seed] of Object.entries(seeds)) {
    const spec = (typeof seed === 'function' ? { create: seed } : seed) as HostileSeedSpec;
    const arities = spec.arities ?? options.arities ?? [1, 2, 3, 4];
    const values = spec.values ?? options.values ?? (() => hostileValues('any'));
    const own = new Set(spec.skip ?? []);
    const terminal = new Set(spec.terminal ?? []);
    let obj: object | undefined;
    /** Drops the current object (after a terminal method or a violation), releasing it through `dispose`. */
    const retire = async (): Promise<void> => {
      const o = obj;
      obj = undefined;
      if (o !== undefined) await settle(() => spec.dispose?.(o), timeoutMs);
    };
    const fresh = async (): Promise<boolean> => {
      await retire();
      try {
        const o = await spec.create();
        if (o === null || (typeof o !== 'object' && typeof o !== 'function')) throw new TypeError(`the factory returned ${typeof o}, not an object`);
        obj = o as object;
        return true;
      } catch (e) {
        violations.push({ path: name, input: 'create', arity: 0, error: e, phase: 'create' });
        return false;
      }
    };
    if (!(await fresh())) continue;
    for (const method of collectMethods(obj!)) {
      const path = `${name}.${method}`;
      if (own.has(method) || skip.has(path)) continue;
      called.push(path);
      for (const arity of arities) {
        for (const h of values()) {
          if (obj === undefined && !(await fresh())) break;
          const target = obj!;
          const fn = (target as Record<string, unknown>)[method];
          if (typeof fn !== 'function') continue;
          const e = await settle(() => Reflect.apply(fn, target, new Array<unknown>(arity).fill(h.value)), timeoutMs);
          if (e !== undefined && !isTyped(e)) {
            violations.push({ path, input: h.title, arity, error: e, phase: 'call' });
            await retire(); // its state is unknown: start again from a fresh object
            continue;
          }
          if (terminal.has(method)) {
            await retire();
            continue;
          }
          if (spec.check === undefined) continue;
          const broken = await settle(() => spec.check!(target), timeoutMs);
          if (broken === undefined) continue;
          // rejected: the input changed the state anyway; accepted: a hostile value was taken and broke the object
          violations.push({ path, input: h.title, arity, error: broken, phase: e === undefined ? 'accepted' : 'check' });
          await retire();
        }
      }
    }
    await retire();
  }
  return { called, violations };
}

/**
 * Runs {@link sweepHostile} over the module and, when `seeds` are given, {@link sweepHostileObjects} over the objects
 * they build, and throws (failing the calling test) when any call broke the rule, when fewer than `minCalled`
 * functions were found, or when a seed's object had no method to call (a sweep that finds nothing proves nothing).
 * Framework-free.
 * @param mod - the module namespace of an entry point
 * @param options - as {@link sweepHostile}, plus `minCalled` (default 1) and `seeds` (name → factory of objects whose
 *   methods are swept; `skip` also takes their `name.method` paths)
 * @returns the sweep result (module functions and object methods)
 * @example
 * ```ts
 * it('hostile sweep', () => assertHostileSweep(await import('@privkit/qr'), { minCalled: 10, seeds: { assembler: () => createAssembler() } }));
 * ```
 */
export async function assertHostileSweep(
  mod: object,
  options: HostileSweepOptions & { readonly minCalled?: number; readonly seeds?: Readonly<Record<string, HostileSeed>> } = {},
): Promise<HostileSweepResult> {
  const r = await sweepHostile(mod as Record<string, unknown>, options);
  if (r.called.length < (options.minCalled ?? 1)) {
    throw new Error(`hostile sweep called ${r.called.length} functions, expected at least ${options.minCalled ?? 1}`);
  }
  const o = options.seeds === undefined ? { called: [], violations: [] } : await sweepHostileObjects(options.seeds, options);
  for (const name of Object.keys(options.seeds ?? {})) {
    const created = !o.violations.some((v) => v.path === name && v.phase === 'create');
    if (created && !o.called.some((p) => p.startsWith(`${name}.`))) throw new Error(`hostile sweep: the object of seed ${name} has no method to call`);
  }
  const violations = [...r.violations, ...o.violations];
  if (violations.length > 0) throw new Error(`hostile sweep: ${violations.length} violations (untyped failures, broken objects)\n${formatViolations(violations)}`);
  return { called: [...r.called, ...o.called], violations };
}

/** One row of a README error table: the error classes and the codes it names. */
export interface ErrorTableRow {
  readonly classes: readonly string[];
  readonly codes: readonly string[];
}

const CODE_RE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$|^[A-Z]{4,}$/;
const CLASS_RE = /^[A-Z][A-Za-z0-9]*Error$/;

/**
 * Parses the error section of a package README (the `## Errors` or `## Error codes` heading up to the next `## `):
 * every table row with the backticked class names and codes it mentions (a row with no class inherits the previous
 * row's classes), plus a last pseudo-row with the classes named in the section's prose.
 * @param markdown - the README text
 */
export function parseErrorTable(markdown: string): ErrorTableRow[] {
  const m = /^## Errors?(?: codes)?[^\n]*\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(markdown);
  if (!m) return [];
  const rows: ErrorTableRow[] = [];
  const prose: string[] = [];
  let last: readonly string[] = [];
  for (const line of m[1]!.split('\n')) {
    const ticks = [...line.matchAll(/`([^`]+)`/g)].map((t) => t[1]!);
    if (!line.startsWith('|')) {
      prose.push(...ticks.filter((t) => CLASS_RE.test(t)));
      continue;
    }
    if (/^\|\s*-/.test(line)) continue;
    const classes = ticks.filter((t) => CLASS_RE.test(t));
    const codes = ticks.filter((t) => CODE_RE.test(t));
    if (classes.length === 0 && codes.length === 0) continue;
    last = classes.length > 0 ? classes : last;
    rows.push({ classes: last, codes });
  }
  rows.push({ classes: prose, codes: [] });
  return rows;
}

/**
 * The error codes a package's source defines: every quoted UPPER_SNAKE literal of its `errors.ts` (code types and
 * constants) and every `code: '…'` / `code ?? '…'` literal inside a `new …Error(…)` elsewhere in `src`.
 * @param errorsTs - the text of `src/errors.ts`
 * @param otherSources - the texts of the other source files (not the testing entry)
 */
export function sourceErrorCodes(errorsTs: string, otherSources: readonly string[] = []): Set<string> {
  const out = new Set<string>();
  for (const t of errorsTs.matchAll(/'([A-Z][A-Z0-9_]+)'/g)) if (CODE_RE.test(t[1]!)) out.add(t[1]!);
  for (const src of otherSources) {
    for (const t of src.matchAll(/new [A-Z]\w*Error\([^;]*?code(?::|\s*\?\?)\s*'([A-Z][A-Z0-9_]+)'/g)) out.add(t[1]!);
    // error classes defined outside errors.ts (an entry's own errors, e.g. attest's tpm/errors.ts) and code constants
    for (const t of src.matchAll(/super\([^;]*?code(?::|\s*\?\?)\s*'([A-Z][A-Z0-9_]+)'/g)) out.add(t[1]!);
    for (const t of src.matchAll(/export const [A-Z][A-Z0-9_]*_CODE\s*=\s*'([A-Z][A-Z0-9_]+)'/g)) out.add(t[1]!);
  }
  return out;
}

/** Core's base classes a README row may name as a package class's base, e.g. `QrFormatError` (a core `EncodingError`). */
export interface ErrorBases {
  readonly EncodingError: abstract new (...args: never[]) => Error;
  readonly DecryptError: abstract new (...args: never[]) => Error;
  readonly LimitError: abstract new (...args: never[]) => Error;
  readonly KeyError: abstract new (...args: never[]) => Error;
  readonly InputError: abstract new (...args: never[]) => Error;
  readonly UnsupportedError: abstract new (...args: never[]) => Error;
}

const CORE_BASES: ErrorBases = { EncodingError, DecryptError, LimitError, KeyError, InputError, UnsupportedError };
/** The bases whose subclasses a README must name as such (callers catch by them: docs/CONVENTIONS.md §13). */
const ANNOUNCED_BASES = ['EncodingError', 'DecryptError', 'LimitError'] as const;
/**
 * Classes a "malformed" row may name besides `EncodingError`s: convention §13 sends malformed keys to `KeyError` and
 * malformed arguments to `InputError`, and a failed decryption (`DecryptError`) deliberately absorbs a malformed
 * ciphertext (no oracle).
 */
const FORMAT_EXEMPT = ['EncodingError', 'KeyError', 'InputError', 'DecryptError'] as const;

/**
 * Checks an error table's hierarchy against the classes an entry exports (docs/CONVENTIONS.md, "Errors" §13): each
 * table row's class cell (the first cell naming a class) names the class and, in words, its core base, e.g.
 * `` `QrFrameFormatError` (a core `EncodingError`) ``; a row with an empty class cell continues the previous one.
 * Problems: a base the README names that the class does not extend; a class that extends `EncodingError`,
 * `DecryptError` or `LimitError` without the README saying so; a row that describes a malformed encoding (its
 * description says "malformed", "truncated" or "corrupt", or a code names `MALFORMED`/`ENCODING`) on a class that is
 * not an `EncodingError` (nor a `KeyError`, `InputError` or `DecryptError`, which convention §13 uses for malformed
 * keys, arguments and ciphertexts) — so every malformed-encoding code in the table is caught by `instanceof
 * EncodingError`.
 * @param readme - the package README
 * @param entry - the entry namespace (only the error classes it exports are checked)
 * @param bases - core's base classes (default: this copy's; pass the entry's copy's when they differ)
 * @returns human-readable problems (empty when README and hierarchy agree)
 */
export function errorHierarchyProblems(readme: string, entry: object, bases: ErrorBases = CORE_BASES): string[] {
  const m = /^## Errors?(?: codes)?[^\n]*\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme);
  if (!m) return ['README has no "## Errors" table'];
  const exported = new Map<string, { prototype: unknown }>();
  for (const [name, v] of Object.entries(entry)) {
    if (typeof v === 'function' && (v === PrivkitError || v.prototype instanceof PrivkitError || isPrivkitError(v.prototype))) exported.set(name, v);
  }
  const extendsBase = (cls: { prototype: unknown }, base: keyof ErrorBases): boolean =>
    cls === (bases[base] as unknown) || (cls.prototype as object) instanceof bases[base];
  const declared = new Map<string, Set<string>>();
  const problems: string[] = [];
  let current: { cls: string; bases: string[] } | undefined;
  for (const line of m[1]!.split('\n')) {
    if (!line.startsWith('|') || /^\|\s*-/.test(line)) continue;
    const cells = line.split('|').slice(1, -1);
    const ticks = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((t) => t[1]!);
    const classCell = cells.find((cell) => ticks(cell).some((t) => CLASS_RE.test(t)));
    const codes = cells.flatMap(ticks).filter((t) => CODE_RE.test(t));
    if (classCell !== undefined) {
      const names = ticks(classCell).filter((t) => CLASS_RE.test(t));
      current = { cls: names[0]!, bases: names.slice(1).filter((n) => n in bases) };
    } else if (cells[0]?.trim() !== '') {
      current = undefined; // a row that names no class (e.g. codes reused by another function)
    }
    if (current === undefined) continue;
    const cls = exported.get(current.cls);
    if (cls === undefined) continue;
    const set = declared.get(current.cls) ?? new Set<string>();
    declared.set(current.cls, set);
    for (const b of current.bases) {
      set.add(b);
      if (!extendsBase(cls, b as keyof ErrorBases)) problems.push(`README names ${b} as a base of ${current.cls}, but ${current.cls} does not extend it`);
    }
    const when = cells.at(-1) ?? '';
    const malformed = /\b(malformed|truncated|corrupt)\b/i.test(when) || codes.some((c) => /MALFORMED|ENCODING/.test(c));
    if (malformed && !FORMAT_EXEMPT.some((b) => extendsBase(cls, b))) {
      problems.push(`README row ${codes.join(', ')} describes a malformed input, but ${current.cls} is not an EncodingError`);
    }
  }
  for (const [name, cls] of exported) {
    if (!declared.has(name)) continue;
    for (const b of ANNOUNCED_BASES) {
      if (cls !== (bases[b] as unknown) && extendsBase(cls, b) && !declared.get(name)!.has(b)) {
        problems.push(`${name} extends ${b}, but its README row does not say so (write "(a core \`${b}\`)")`);
      }
    }
  }
  return problems;
}

/** Inputs of {@link errorTableProblems}. */
export interface ErrorTableCheck {
  /** The package README. */
  readonly readme: string;
  /** Codes the package defines ({@link sourceErrorCodes} of its sources). */
  readonly ownCodes: ReadonlySet<string>;
  /** Codes the README may also cite: core's and the dependencies' ({@link sourceErrorCodes}). */
  readonly inheritedCodes: ReadonlySet<string>;
  /** The package's entry point namespace: every exported PrivkitError subclass must be documented. */
  readonly entry: object;
  /** Core's `PrivkitError` (of the same copy of core the entry uses). */
  readonly base: abstract new (...args: never[]) => Error;
}

function probeCode(cls: unknown): unknown {
  try {
    return (new (cls as new (m: string) => { code?: unknown })('probe')).code;
  } catch {
    return undefined;
  }
}

/**
 * Compares a README error table with the code: every code the package defines is documented, every documented code
 * exists, every exported error class is documented, and each class's default code (constructed with
 * `new X('probe')`) sits in a row naming that class.
 * @returns human-readable problems (empty when the table and the code agree)
 */
export function errorTableProblems(check: ErrorTableCheck): string[] {
  const rows = parseErrorTable(check.readme);
  const problems: string[] = [];
  if (rows.length <= 1) return ['README has no "## Errors" table'];
  const documented = new Set(rows.flatMap((r) => r.codes));
  const namedClasses = new Set(rows.flatMap((r) => r.classes));
  for (const c of check.ownCodes) if (!documented.has(c)) problems.push(`code ${c} is defined in src but not in the README table`);
  for (const c of documented) {
    if (!check.ownCodes.has(c) && !check.inheritedCodes.has(c)) problems.push(`README documents ${c}, which no source defines`);
  }
  for (const [name, v] of Object.entries(check.entry)) {
    if (typeof v !== 'function' || !(v.prototype instanceof check.base)) continue;
    if (!namedClasses.has(name)) {
      problems.push(`exported error class ${name} is not in the README table`);
      continue;
    }
    // A class whose constructor requires a code falls back to its parent's default when probed without one: only a
    // default of its own is checked.
    const code = probeCode(v);
    if (typeof code === 'string' && code !== probeCode(Object.getPrototypeOf(v)) && !rows.some((r) => r.classes.includes(name) && r.codes.includes(code))) {
      problems.push(`${name}'s default code ${code} is not in a README row naming ${name}`);
    }
  }
  return problems;
}

/** The two `node:fs` functions {@link packageErrorTableProblems} needs (passed in, so this entry stays portable). */
export interface ErrorTableFs {
  readFileSync(path: string, encoding: 'utf8'): string;
  readdirSync(path: string, options: { recursive: true }): unknown[];
}

/**
 * {@link errorTableProblems} and {@link errorHierarchyProblems} for `packages/<pkg>` of the workspace: reads its
 * README, its `src` (without the testing entry) and the `errors.ts` of core and of the listed dependencies.
 * @param o - `packagesDir` (absolute path of `packages/`), `pkg`, `deps` (other package directories whose codes the
 *   README may cite), the package's `entry` namespace, core's `PrivkitError` as `base`, optionally core's base
 *   classes as `bases` (default: those of the copy of core this entry uses), and `fs`
 * @returns problems (empty when README and code agree)
 */
export function packageErrorTableProblems(o: {
  packagesDir: string;
  pkg: string;
  deps?: readonly string[];
  entry: object;
  base: abstract new (...args: never[]) => Error;
  bases?: ErrorBases;
  fs: ErrorTableFs;
}): string[] {
  const dir = `${o.packagesDir}/${o.pkg}`;
  const files = o.fs
    .readdirSync(`${dir}/src`, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts') && !/(^|\/)testing\.ts$/.test(f) && f !== 'errors.ts');
  const read = (p: string) => o.fs.readFileSync(p, 'utf8');
  const own = sourceErrorCodes(read(`${dir}/src/errors.ts`), files.map((f) => read(`${dir}/src/${f}`)));
  const inherited = new Set<string>();
  for (const d of ['core', ...(o.deps ?? [])]) {
    if (d !== o.pkg) for (const c of sourceErrorCodes(read(`${o.packagesDir}/${d}/src/errors.ts`))) inherited.add(c);
  }
  const readme = read(`${dir}/README.md`);
  return [
    ...errorTableProblems({ readme, ownCodes: own, inheritedCodes: inherited, entry: o.entry, base: o.base }),
    ...errorHierarchyProblems(readme, o.entry, o.bases),
  ];
}
