/**
 * `@privkit/ring-sig/testing` — fast-check arbitraries for the package's public types: rings with a signer index,
 * scopes, messages, valid signatures, and tampered signatures with a description of each mutation. Test-only:
 * imports `fast-check` (optional peer dependency).
 * @module
 */
import * as fc from 'fast-check';
import { computeKeyImage, encode, GROUP_ORDER, keygen, sign, type RingSignature, type Scope } from './index.js';

/** A ring of generated key pairs and the index of the signer. */
export interface RingCase {
  readonly secretKeys: readonly Uint8Array[];
  readonly ring: readonly Uint8Array[];
  readonly signerIndex: number;
  readonly secretKey: Uint8Array;
}

/** Size bounds for generated rings (signing costs ~4 ms per member, keep them small in properties). */
export interface ArbRingOptions {
  minSize?: number;
  maxSize?: number;
}

/**
 * Rings of distinct keys (derived from distinct 32-byte seeds) with a signer index.
 * @param options - `{minSize = 2, maxSize = 5}`
 * @returns arbitrary {@link RingCase}
 * @example fc.assert(fc.property(arbRing(), (c) => …))
 */
export function arbRing(options: ArbRingOptions = {}): fc.Arbitrary<RingCase> {
  const minSize = options.minSize ?? 2;
  const maxSize = options.maxSize ?? 5;
  return fc
    .uniqueArray(fc.uint8Array({ minLength: 32, maxLength: 32 }), {
      minLength: minSize,
      maxLength: maxSize,
      selector: (s) => Array.from(s).join(','),
    })
    .chain((seeds) =>
      fc.nat({ max: seeds.length - 1 }).map((signerIndex) => {
        const keys = seeds.map((s) => keygen(s));
        return Object.freeze({
          secretKeys: Object.freeze(keys.map((k) => k.secretKey)),
          ring: Object.freeze(keys.map((k) => k.publicKey)),
          signerIndex,
          secretKey: keys[signerIndex]!.secretKey,
        });
      }),
    );
}

/**
 * Scopes: `undefined` (global), short strings and byte strings (including empty).
 * @returns arbitrary scope
 * @example arbScope()
 */
export function arbScope(): fc.Arbitrary<Scope | undefined> {
  return fc.oneof(
    fc.constant(undefined),
    fc.string({ maxLength: 24 }),
    fc.uint8Array({ maxLength: 40 }),
  );
}

/**
 * Messages: byte strings up to 200 bytes.
 * @returns arbitrary message
 * @example arbMessage()
 */
export function arbMessage(): fc.Arbitrary<Uint8Array> {
  return fc.uint8Array({ maxLength: 200 });
}

/** A valid signature together with everything needed to verify it. */
export interface SignedCase extends RingCase {
  readonly message: Uint8Array;
  readonly scope: Scope | undefined;
  readonly scheme: 'clsag' | 'blsag';
  /** CLSAG with an auxiliary column: the auxiliary ring and secrets. */
  readonly auxRing: readonly Uint8Array[] | undefined;
  readonly signature: RingSignature;
  readonly encoded: Uint8Array;
}

/** Options for {@link arbSigned}. */
export interface ArbSignedOptions extends ArbRingOptions {
  /** Restrict the scheme (default: both). */
  scheme?: 'clsag' | 'blsag';
  /** Generate two-column CLSAG signatures (with D): `true`, `false`, or `'mixed'` (default false). */
  aux?: boolean | 'mixed';
}

/**
 * Valid signatures over random rings, signers, messages, scopes and schemes.
 * @param options - {@link ArbSignedOptions}
 * @returns arbitrary {@link SignedCase}
 * @example fc.assert(fc.property(arbSigned(), (c) => verify(c.signature, c.message, c.ring, {scope: c.scope})))
 */
export function arbSigned(options: ArbSignedOptions = {}): fc.Arbitrary<SignedCase> {
  const schemeArb = options.scheme ? fc.constant(options.scheme) : fc.constantFrom('clsag' as const, 'blsag' as const);
  const auxArb = options.aux === 'mixed' ? fc.boolean() : fc.constant(options.aux === true);
  return fc
    .record({ rc: arbRing(options), message: arbMessage(), scope: arbScope(), scheme: schemeArb, aux: auxArb })
    .map(({ rc, message, scope, scheme, aux }) => {
      const useAux = aux && scheme === 'clsag';
      const auxKeys = useAux ? rc.ring.map(() => keygen()) : undefined;
      const auxRing = auxKeys ? Object.freeze(auxKeys.map((k) => k.publicKey)) : undefined;
      const opts = {
        scheme,
        ...(scope === undefined ? {} : { scope }),
        ...(auxKeys ? { auxRing: auxRing!, auxSecretKey: auxKeys[rc.signerIndex]!.secretKey } : {}),
      };
      const signature = sign(message, rc.ring, rc.secretKey, opts);
      return Object.freeze({ ...rc, message, scope, scheme, auxRing, signature, encoded: encode(signature) });
    });
}

/** Verification inputs after one mutation, and what was mutated. */
export interface TamperedCase {
  readonly original: SignedCase;
  readonly description: string;
  readonly signature: Uint8Array;
  readonly message: Uint8Array;
  readonly ring: readonly Uint8Array[];
  readonly scope: Scope | undefined;
  readonly auxRing: readonly Uint8Array[] | undefined;
}

const leToBig = (b: Uint8Array): bigint => b.reduceRight((acc, v) => (acc << 8n) | BigInt(v), 0n);
const bigToLe = (x: bigint): Uint8Array => Uint8Array.from({ length: 32 }, (_, i) => Number((x >> BigInt(8 * i)) & 0xffn));
/** Adds `delta` (1..ℓ−1) to the canonical scalar at `off` (result stays canonical, so only the equations catch it). */
function bumpScalar(enc: Uint8Array, off: number, delta: bigint): Uint8Array {
  const out = Uint8Array.from(enc);
  out.set(bigToLe((leToBig(enc.subarray(off, off + 32)) + delta) % GROUP_ORDER), off);
  return out;
}

/** Kinds of mutation {@link arbTampered} applies. */
export const MUTATIONS = Object.freeze([
  'c0',
  'response',
  'keyImage',
  'auxImage',
  'message',
  'ringOrder',
  'memberSwapped',
  'scope',
  'scheme',
  'bitFlip',
] as const);
/** A mutation kind. */
export type Mutation = (typeof MUTATIONS)[number];

/**
 * Tampered signatures: one field of a valid {@link SignedCase} changed (each scalar — c_0 or a response —
 * shifted by a non-zero delta so it stays canonical; the key image or D replaced by another valid element; the
 * message, ring order, a member, the scope or the scheme byte changed; or one random bit of the encoding flipped).
 * Every case must fail verification.
 * @param options - {@link ArbSignedOptions} plus `mutations` to restrict the kinds
 * @returns arbitrary {@link TamperedCase}
 * @example fc.assert(fc.property(arbTampered(), (t) => !verify(t.signature, t.message, t.ring, {scope: t.scope})))
 */
export function arbTampered(options: ArbSignedOptions & { mutations?: readonly Mutation[] } = {}): fc.Arbitrary<TamperedCase> {
  const kinds = options.mutations ?? MUTATIONS;
  return fc
    .record({
      c: arbSigned(options),
      kind: fc.constantFrom(...kinds),
      pick: fc.nat(),
      delta: fc.bigInt({ min: 1n, max: GROUP_ORDER - 1n }),
      extra: fc.uint8Array({ minLength: 1, maxLength: 4 }),
    })
    .map(({ c, kind, pick, delta, extra }) => {
      const n = c.ring.length;
      const base = { original: c, signature: c.encoded, message: c.message, ring: c.ring, scope: c.scope, auxRing: c.auxRing };
      const hasD = c.auxRing !== undefined;
      switch (kind) {
        case 'c0':
          return { ...base, description: 'c0 + delta', signature: bumpScalar(c.encoded, 9, delta) };
        case 'response': {
          const i = pick % n;
          return { ...base, description: `s_${i} + delta`, signature: bumpScalar(c.encoded, 9 + 32 * (1 + i), delta) };
        }
        case 'auxImage':
        case 'keyImage': {
          const replaceD = kind === 'auxImage' && hasD;
          const off = 9 + 32 * (n + 1) + (replaceD ? 32 : 0);
          const other = replaceD ? keygen().publicKey : computeKeyImage(keygen().secretKey, c.scope === undefined ? {} : { scope: c.scope });
          const sig = Uint8Array.from(c.encoded);
          sig.set(other, off);
          return { ...base, description: replaceD ? 'D replaced' : 'key image replaced', signature: sig };
        }
        case 'message':
          return { ...base, description: 'message extended', message: Uint8Array.from([...c.message, ...extra]) };
        case 'ringOrder': {
          const i = pick % n;
          const j = (i + 1) % n;
          const ring = [...c.ring];
          [ring[i], ring[j]] = [ring[j]!, ring[i]!];
          const auxRing = c.auxRing ? [...c.auxRing] : undefined;
          if (auxRing) [auxRing[i], auxRing[j]] = [auxRing[j]!, auxRing[i]!];
          return { ...base, description: `members ${i} and ${j} swapped`, ring, auxRing };
        }
        case 'memberSwapped': {
          const i = pick % n;
          const ring = [...c.ring];
          ring[i] = keygen().publicKey;
          return { ...base, description: `member ${i} replaced by an outsider`, ring };
        }
        case 'scope': {
          const scope = c.scope === undefined ? 'other-scope' : typeof c.scope === 'string' ? `${c.scope}!` : Uint8Array.from([...c.scope, 0]);
          return { ...base, description: 'scope changed', scope };
        }
        case 'scheme': {
          const sig = Uint8Array.from(c.encoded);
          sig[5] = sig[5] === 1 ? 2 : 1;
          return { ...base, description: `verified as ${sig[5] === 1 ? 'CLSAG' : 'bLSAG'}`, signature: sig };
        }
        case 'bitFlip': {
          const sig = Uint8Array.from(c.encoded);
          const bit = pick % (sig.length * 8);
          sig[bit >> 3]! ^= 1 << (bit & 7);
          return { ...base, description: `bit ${bit} flipped`, signature: sig };
        }
      }
    });
}
