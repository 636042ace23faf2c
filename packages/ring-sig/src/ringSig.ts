/**
 * The public signer API of `@privkit/ring-sig`: `{lengths, keygen, getPublicKey, sign, verify}` plus key images,
 * linking, encoding, ring contexts and batch verification. CLSAG (eprint 2019/654) is the default scheme, bLSAG
 * (Zero to Monero 2nd ed. §3.4) the alternative; both over ristretto255 (RFC 9496).
 * @module
 */
import {
  abytes,
  aobject,
  aoneOf,
  astring,
  equalBytes,
  InputError,
  isBytes,
  KeyError,
  randomBytes,
  utf8ToBytes,
} from '@privkit/core';
import { DST, G, ORDER, hashToScalar, scalarFromBytes, scalarToBytes } from './_group.js';
import { decodeRing, prepareRing, type PreparedRing } from './_ring.js';
import { MAX_RING, MAX_SCOPE, MIN_RING, memberHashPoint, scopeField, type Scheme } from './_transcript.js';
import { blsagSign, blsagVerify } from './blsag.js';
import { clsagSign, clsagVerify, type AuxColumn } from './clsag.js';
import { RingSigError } from './errors.js';
import {
  decode,
  encode,
  fromParts,
  parseSignature,
  signatureLength,
  type DecodedSignature,
  type RingSignature,
} from './signature.js';

/** A linkability scope: bytes, or a string (UTF-8). At most 1,024 bytes. */
export type Scope = Uint8Array | string;

/** Options of {@link sign}. */
export interface SignOptions {
  /** Scope of the key image; omitted = global linkability. */
  scope?: Scope;
  /** `'clsag'` (default) or `'blsag'`. */
  scheme?: Scheme;
  /** CLSAG only: auxiliary key column (same size as the ring), e.g. commitments to zero. */
  auxRing?: readonly Uint8Array[];
  /** CLSAG only: the secret of the auxiliary key at the signer's position. */
  auxSecretKey?: Uint8Array;
}

/** Options of {@link verify}. */
export interface VerifyOptions {
  /** The scope the signature was made for (must match exactly). */
  scope?: Scope;
  /** CLSAG with an auxiliary column: the auxiliary ring (not allowed with a ring context, which carries its own). */
  auxRing?: readonly Uint8Array[];
}

/** Options of {@link createRingContext}. */
export interface RingContextOptions {
  /** Auxiliary key column for two-column CLSAG. */
  auxRing?: readonly Uint8Array[];
  /**
   * Build per-point fixed-base tables for every member and its hash point (window 8 for rings ≤ 32, 6 for ≤ 128,
   * 4 above; ~1.8 / 0.6 / 0.22 MB per member per cached scope, built lazily on first use). Default: true for rings
   * of up to 256 members, false above (memory); decoded members and hash-to-points are cached either way.
   */
  precompute?: boolean;
}

/** One item of {@link verifyBatch}. */
export interface BatchItem {
  signature: RingSignature | Uint8Array;
  message: Uint8Array;
  scope?: Scope;
}

/**
 * A registered ring: decoded members, cached hash-to-points per scope and optional per-point tables, for fast
 * repeated verification. Create with {@link createRingContext}.
 */
export interface RingContext {
  /** Number of members. */
  readonly size: number;
  /** The members (copies), in order. */
  readonly ring: readonly Uint8Array[];
  /** 1, or 2 with an auxiliary column. */
  readonly columns: 1 | 2;
  /** Same as `verify(signature, message, context, options)`. */
  verify(signature: RingSignature | Uint8Array, message: Uint8Array, options?: { scope?: Scope }): boolean;
  /** Same as `verifyBatch(items, context)`. */
  verifyBatch(items: readonly BatchItem[]): boolean[];
}

interface ContextState {
  ring: PreparedRing;
  aux: AuxColumn | undefined;
}
const CONTEXTS = new WeakMap<object, ContextState>();

/**
 * Sizes in bytes and limits. Signature size depends on the ring size: see {@link signatureLength} (FORMAT.md §4).
 * @example lengths.publicKey // 32
 */
export const lengths = Object.freeze({
  secretKey: 32,
  publicKey: 32,
  seed: 32,
  keyImage: 32,
  scalar: 32,
  element: 32,
  header: 9,
  minRing: MIN_RING,
  maxRing: MAX_RING,
  maxScope: MAX_SCOPE,
} as const);

function normScope(scope: unknown): Uint8Array {
  if (scope === undefined) return scopeField(undefined);
  let b: Uint8Array;
  if (typeof scope === 'string') b = utf8ToBytes(astring(scope, 'scope', MAX_SCOPE * 4));
  else b = abytes(scope, undefined, 'scope');
  if (b.length > MAX_SCOPE) {
    throw new InputError(`"scope" expected Uint8Array of length 0..${MAX_SCOPE}, got length=${b.length}`, { code: 'INVALID_LENGTH' });
  }
  return scopeField(b);
}

function secretScalar(sk: unknown, title = 'secretKey'): bigint {
  abytes(sk, 32, title);
  const x = scalarFromBytes(sk as Uint8Array);
  if (x === undefined || x === 0n) throw new KeyError(`"${title}" is not a canonical non-zero scalar`);
  return x;
}

function auxColumn(auxRing: unknown, n: number): AuxColumn {
  const { points, bytes } = decodeRing(auxRing, 'auxRing');
  if (points.length !== n) {
    throw new RingSigError(`"auxRing" expected ${n} members, got ${points.length}`, { code: 'RING_INVALID' });
  }
  return { points, bytes };
}

/**
 * Generates a key pair. With a 32-byte `seed`, derivation is deterministic:
 * `x = HashToScalar(seed, "PrivKit-RingSig-v1-KeyGen-XMD:SHA-512")`, `P = x·G`.
 * @param seed - optional 32-byte seed (default: fresh randomness)
 * @returns `{secretKey, publicKey}` (32 bytes each)
 * @throws {InputError} seed of the wrong type or length
 * @example const { secretKey, publicKey } = keygen()
 */
export function keygen(seed?: Uint8Array): { secretKey: Uint8Array; publicKey: Uint8Array } {
  const s = seed === undefined ? randomBytes(32) : abytes(seed, 32, 'seed');
  let x = hashToScalar(s, DST.keygen);
  if (x === 0n) x = 1n; // probability 2^-252
  const secretKey = scalarToBytes(x);
  return { secretKey, publicKey: G.multiply(x).toBytes() };
}

/**
 * The public key `P = x·G` of a secret key (RFC 9496 encoding).
 * @param secretKey - 32-byte little-endian scalar, `0 < x < ℓ`
 * @returns 32-byte public key
 * @throws {InputError} wrong type/length
 * @throws {KeyError} non-canonical or zero scalar
 * @example const pk = getPublicKey(sk)
 */
export function getPublicKey(secretKey: Uint8Array): Uint8Array {
  return G.multiply(secretScalar(secretKey)).toBytes();
}

/**
 * The key image (linking tag) a secret key produces in a scope, without signing: `I = x·Hp(scopeField ‖ P)`.
 * @param secretKey - the signer's secret key
 * @param options - `{scope?}`; omitted = global
 * @returns 32-byte key image, equal to `keyImage(sign(…, secretKey, {scope}))`
 * @throws {InputError} wrong argument types/lengths (secret key, options, scope)
 * @throws {KeyError} secret key not a canonical non-zero scalar
 * @example computeKeyImage(sk, { scope: 'epoch-42' })
 */
export function computeKeyImage(secretKey: Uint8Array, options?: { scope?: Scope }): Uint8Array {
  const o = aobject<{ scope?: Scope }>(options, 'options');
  const x = secretScalar(secretKey);
  const P = G.multiply(x).toBytes();
  return memberHashPoint(normScope(o?.scope), P).multiply(x).toBytes();
}

/**
 * Signs `message` on behalf of `ring` (CLSAG by default). The signer's public key must be a ring member; the
 * signature reveals only that some member signed, plus the key image of the signer for the scope.
 * @param message - bytes to sign (any length up to 2^32 − 1)
 * @param ring - 2..1,024 distinct canonical ristretto255 public keys, order significant
 * @param secretKey - the signer's 32-byte secret key
 * @param options - `{scope?, scheme?, auxRing?, auxSecretKey?}`
 * @returns the signature object (frozen); {@link encode} gives its wire form
 * @throws {InputError} wrong argument types/lengths/values
 * @throws {KeyError} invalid secret key
 * @throws {RingSigError} `RING_INVALID`, `RING_SIGNER_NOT_IN_RING`
 * @example
 * ```ts
 * const sig = sign(msg, ring, sk, { scope: 'upload-epoch-7' });
 * verify(sig, msg, ring, { scope: 'upload-epoch-7' }); // true
 * ```
 */
export function sign(
  message: Uint8Array,
  ring: readonly Uint8Array[] | RingContext,
  secretKey: Uint8Array,
  options?: SignOptions,
): RingSignature {
  abytes(message, undefined, 'message');
  const o = aobject<SignOptions>(options, 'options') ?? {};
  const scheme = o.scheme === undefined ? 'clsag' : aoneOf(o.scheme, ['clsag', 'blsag'] as const, 'options.scheme');
  const scopeBytes = normScope(o.scope);
  const x = secretScalar(secretKey);
  const state = typeof ring === 'object' && ring !== null ? CONTEXTS.get(ring) : undefined;
  const prepared = state ? state.ring : prepareRing(ring, false);
  let aux: AuxColumn | undefined;
  if (state) {
    if (o.auxRing !== undefined) throw new InputError('"options.auxRing" is not allowed with a ring context', { code: 'INVALID_VALUE' });
    aux = state.aux;
  } else if (o.auxRing !== undefined) aux = auxColumn(o.auxRing, prepared.n);
  if (scheme === 'blsag' && (aux || o.auxSecretKey !== undefined)) {
    throw new InputError('"options.auxRing" / "options.auxSecretKey" are CLSAG-only', { code: 'INVALID_VALUE' });
  }
  if (!aux !== (o.auxSecretKey === undefined)) {
    throw new InputError('"options.auxRing" and "options.auxSecretKey" go together', { code: 'INVALID_VALUE' });
  }
  const z = o.auxSecretKey === undefined ? undefined : secretScalar(o.auxSecretKey, 'options.auxSecretKey');
  // Locate the signer without an early exit (BigInt work elsewhere dominates timing anyway; see README).
  const P = G.multiply(x).toBytes();
  let pi = -1;
  for (let i = 0; i < prepared.n; i++) if (equalBytes(prepared.members[i]!, P) && pi < 0) pi = i;
  if (pi < 0) throw new RingSigError('the secret key is not a member of the ring', { code: 'RING_SIGNER_NOT_IN_RING' });
  if (aux && !equalBytes(G.multiply(z!).toBytes(), aux.points[pi]!.toBytes())) {
    throw new RingSigError('"options.auxSecretKey" does not match auxRing at the signer position', { code: 'RING_SIGNER_NOT_IN_RING' });
  }
  const rand32 = randomBytes(32);
  const raw =
    scheme === 'clsag'
      ? clsagSign({ ring: prepared, aux, pi, x, z, message, scopeBytes, rand32 })
      : blsagSign({ ring: prepared, pi, x, message, scopeBytes, rand32 });
  return fromParts({ scheme, c0: scalarToBytes(raw.c0), s: raw.s.map(scalarToBytes), I: raw.I, D: raw.D });
}

/** A signature argument must be a Uint8Array or a plain object; anything else is a caller bug (InputError). */
function asSignatureArg(signature: unknown): void {
  if (isBytes(signature)) return;
  if (ArrayBuffer.isView(signature)) abytes(signature, undefined, 'signature');
  aobject(signature, 'signature', false);
}

function verifyPrepared(
  prepared: PreparedRing,
  aux: AuxColumn | undefined,
  signature: RingSignature | Uint8Array,
  message: Uint8Array,
  scopeBytes: Uint8Array,
): boolean {
  let sig: DecodedSignature;
  try {
    sig = parseSignature(signature);
  } catch {
    return false;
  }
  if (sig.s.length !== prepared.n) return false;
  if ((sig.columns === 2) !== !!aux) return false;
  try {
    return sig.scheme === 'clsag'
      ? clsagVerify(prepared, aux, sig, message, scopeBytes) === true
      : blsagVerify(prepared, sig, message, scopeBytes) === true;
  } catch {
    return false;
  }
}

function resolveRing(ring: unknown, auxRing: unknown, precompute: boolean, window?: number): ContextState {
  const state = typeof ring === 'object' && ring !== null ? CONTEXTS.get(ring) : undefined;
  if (state) {
    if (auxRing !== undefined) throw new InputError('"options.auxRing" is not allowed with a ring context', { code: 'INVALID_VALUE' });
    return state;
  }
  const prepared = prepareRing(ring, precompute, 'ring', window);
  return { ring: prepared, aux: auxRing === undefined ? undefined : auxColumn(auxRing, prepared.n) };
}

/**
 * Verifies a ring signature. Returns false for any signature that is malformed, non-canonical, made for another
 * ring/order/message/scope/scheme, or forged; never true on an error path.
 * @param signature - signature object or its encoding
 * @param message - the signed bytes
 * @param ring - the ring (array of public keys, same order as signing) or a {@link RingContext}
 * @param options - `{scope?, auxRing?}`
 * @returns true only for a valid signature
 * @throws {InputError} wrong argument types (message, ring, options)
 * @throws {RingSigError} `RING_INVALID` (the ring itself is invalid)
 * @example verify(sig, msg, ring, { scope: 'epoch-7' })
 */
export function verify(
  signature: RingSignature | Uint8Array,
  message: Uint8Array,
  ring: readonly Uint8Array[] | RingContext,
  options?: VerifyOptions,
): boolean {
  asSignatureArg(signature);
  abytes(message, undefined, 'message');
  const o = aobject<VerifyOptions>(options, 'options') ?? {};
  const scopeBytes = normScope(o.scope);
  const { ring: prepared, aux } = resolveRing(ring, o.auxRing, false);
  return verifyPrepared(prepared, aux, signature, message, scopeBytes);
}

/**
 * Verifies many signatures over the same ring, sharing the ring preparation: members decoded once, hash-to-points
 * cached per scope, per-point tables built once (see README "Batch verification" for why random-linear-combination
 * batching does not apply to ring signatures).
 * @param items - `{signature, message, scope?}[]`
 * @param ring - the ring or a {@link RingContext}
 * @param options - `{auxRing?}`
 * @returns one boolean per item
 * @throws {InputError} wrong argument types (items, messages, signature types, options)
 * @throws {RingSigError} `RING_INVALID` (the ring itself is invalid)
 * @example verifyBatch([{ signature, message }], ring)
 */
export function verifyBatch(
  items: readonly BatchItem[],
  ring: readonly Uint8Array[] | RingContext,
  options?: { auxRing?: readonly Uint8Array[] },
): boolean[] {
  if (!Array.isArray(items)) throw new InputError('"items" expected array', { code: 'INVALID_TYPE' });
  const o = aobject<{ auxRing?: readonly Uint8Array[] }>(options, 'options') ?? {};
  const checked = items.map((it, i) => {
    const item = aobject<BatchItem>(it, `items[${i}]`, false)!;
    asSignatureArg(item.signature);
    abytes(item.message, undefined, `items[${i}].message`);
    return { signature: item.signature, message: item.message, scopeBytes: normScope(item.scope) };
  });
  const n = Array.isArray(ring) ? ring.length : 0;
  // Window-4 tables (cheap to build: ~9 ms per member) pay for themselves from about 5 signatures on.
  const state = resolveRing(ring, o.auxRing, checked.length >= 6 && n <= 256, 4);
  return checked.map((it) => verifyPrepared(state.ring, state.aux, it.signature, it.message, it.scopeBytes));
}

/**
 * Registers a ring for repeated verification: decodes and validates the members once, caches Hp(P_i) per scope and
 * (by default for rings ≤ 256) builds per-point wNAF tables. Verification against a context is ≥ 1.5× faster.
 * @param ring - 2..1,024 distinct public keys
 * @param options - `{auxRing?, precompute?}`
 * @returns a frozen {@link RingContext} usable wherever a ring is accepted
 * @throws {InputError} wrong argument types (ring, options)
 * @throws {RingSigError} `RING_INVALID` (size, duplicate or invalid member, auxiliary ring size)
 * @example const ctx = createRingContext(ring); ctx.verify(sig, msg)
 */
export function createRingContext(ring: readonly Uint8Array[], options?: RingContextOptions): RingContext {
  const o = aobject<RingContextOptions>(options, 'options') ?? {};
  const size = Array.isArray(ring) ? ring.length : 0;
  const precompute = o.precompute === undefined ? size <= 256 : o.precompute;
  if (typeof precompute !== 'boolean') throw new InputError('"options.precompute" expected boolean', { code: 'INVALID_TYPE' });
  const prepared = prepareRing(ring, precompute);
  const aux = o.auxRing === undefined ? undefined : auxColumn(o.auxRing, prepared.n);
  const ctx: RingContext = Object.freeze({
    size: prepared.n,
    ring: Object.freeze(prepared.members.map((m) => Uint8Array.from(m))),
    columns: aux ? 2 : 1,
    verify: (signature: RingSignature | Uint8Array, message: Uint8Array, opts?: { scope?: Scope }) =>
      verify(signature, message, ctx, opts),
    verifyBatch: (items: readonly BatchItem[]) => verifyBatch(items, ctx),
  });
  CONTEXTS.set(ctx, { ring: prepared, aux });
  return ctx;
}

/**
 * The key image (linking tag) carried by a signature.
 * @param signature - signature object or encoding
 * @returns 32-byte canonical ristretto255 encoding of I
 * @throws {InputError} not a signature object or Uint8Array (or a signature object with wrong field types)
 * @throws {RingSigFormatError} `RING_SIG_MALFORMED`
 * @example keyImage(sig)
 */
export function keyImage(signature: RingSignature | Uint8Array): Uint8Array {
  asSignatureArg(signature);
  return Uint8Array.from(parseSignature(signature).IBytes);
}

/**
 * True when two signatures carry the same key image: same signer key and same scope (global counts as a scope).
 * Only meaningful for signatures that verified. Constant-time comparison.
 * @param a - first signature (object or encoding)
 * @param b - second signature
 * @returns whether they link
 * @throws {InputError} not a signature object or Uint8Array (or a signature object with wrong field types)
 * @throws {RingSigFormatError} `RING_SIG_MALFORMED`
 * @example if (linked(sigA, sigB)) rejectDoubleSubmission()
 */
export function linked(a: RingSignature | Uint8Array, b: RingSignature | Uint8Array): boolean {
  return equalBytes(keyImage(a), keyImage(b));
}

/**
 * Frozen bundle with the PrivKit signer shape `{lengths, keygen, getPublicKey, sign, verify}` plus the ring-signature
 * extras (CLSAG eprint 2019/654 default, bLSAG Zero to Monero §3.4).
 * @example const { sign, verify } = ringSig
 */
export const ringSig = Object.freeze({
  lengths,
  signatureLength,
  keygen,
  getPublicKey,
  sign,
  verify,
  verifyBatch,
  createRingContext,
  keyImage,
  computeKeyImage,
  linked,
  encode,
  decode,
});

/**
 * ristretto255 group order ℓ = 2^252 + 27742317777372353535851937790883648493 (RFC 9496 §4), for tests and tooling.
 * @example GROUP_ORDER.toString(16)
 */
export const GROUP_ORDER: bigint = ORDER;
