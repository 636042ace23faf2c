/**
 * fast-check arbitraries for `@privkit/envelope` (issue 11): HPKE suites, key pairs per KEM, valid envelopes and
 * mutated (invalid) envelopes with a description of the mutation, and stream chunk-list mutations.
 * Import from `@privkit/envelope/testing`; requires the optional peer dependency `fast-check`.
 * @module
 */
import fc from 'fast-check';
import * as hpke from './hpke.js';
import { seal } from './envelope.js';
import { suites, type SuiteName } from './named.js';
import type { KeyPair } from './_dhkem.js';

/** Registered KEM ids (RFC 9180 and PrivKit private ids). */
export const KEM_IDS: readonly number[] = Object.freeze([0x0010, 0x0011, 0x0012, 0x0016, 0x0020, 0x0021, 0xff01, 0xff10, 0xff11]);
/** Registered KDF ids. */
export const KDF_IDS: readonly number[] = Object.freeze([0x0001, 0x0002, 0x0003, 0xff01]);
/** Registered AEAD ids (0xffff = export-only). */
export const AEAD_IDS: readonly number[] = Object.freeze([0x0001, 0x0002, 0x0003, 0xff01, 0xffff]);
/** The named suites. */
export const SUITE_NAMES: readonly SuiteName[] = Object.freeze(Object.keys(suites) as SuiteName[]);

/**
 * Any HPKE suite built from the registered ids (`withExportOnly` includes AEAD 0xffff; `kems` restricts KEMs).
 * @example fc.assert(fc.property(arbHpkeSuite(), (s) => …))
 */
export function arbHpkeSuite(opts: { withExportOnly?: boolean; kems?: readonly number[] } = {}): fc.Arbitrary<hpke.Suite> {
  const aeads = opts.withExportOnly ? AEAD_IDS : AEAD_IDS.filter((a) => a !== 0xffff);
  return fc
    .tuple(fc.constantFrom(...(opts.kems ?? KEM_IDS)), fc.constantFrom(...KDF_IDS), fc.constantFrom(...aeads))
    .map(([k, d, a]) => hpke.suite(k, d, a));
}

/** A key pair of KEM `kemId`, derived from 32..64 random bytes (`DeriveKeyPair`, so shrinkable/reproducible). */
export function arbKeyPair(kemId: number): fc.Arbitrary<KeyPair> {
  const kem = hpke.suite(kemId, 1, 1).kem;
  return fc.uint8Array({ minLength: 32, maxLength: 64 }).map((ikm) => kem.deriveKeyPair(ikm));
}

/** A valid envelope and everything needed to open it. */
export interface EnvelopeCase {
  readonly suite: SuiteName;
  readonly plaintext: Uint8Array;
  readonly aad: Uint8Array;
  readonly recipients: readonly KeyPair[];
  readonly sender: KeyPair | undefined;
  readonly envelope: Uint8Array;
}

/**
 * A valid envelope: random suite (from `suiteNames`), plaintext, aad, 1..`maxRecipients` recipients, base or
 * auth mode.
 */
export function arbEnvelope(opts: { suiteNames?: readonly SuiteName[]; maxRecipients?: number; maxLength?: number } = {}): fc.Arbitrary<EnvelopeCase> {
  const names = opts.suiteNames ?? SUITE_NAMES;
  return fc
    .record({
      suite: fc.constantFrom(...names),
      plaintext: fc.uint8Array({ maxLength: opts.maxLength ?? 256 }),
      aad: fc.uint8Array({ maxLength: 32 }),
      // distinct seeds: a recipient listed twice is refused by seal (duplicate key ids, FORMAT.md §3.2)
      seeds: fc.uniqueArray(fc.uint8Array({ minLength: 32, maxLength: 32 }), { minLength: 1, maxLength: opts.maxRecipients ?? 3, selector: (x) => x.join(',') }),
      senderSeed: fc.option(fc.uint8Array({ minLength: 32, maxLength: 32 }), { nil: undefined }),
    })
    .map(({ suite, plaintext, aad, seeds, senderSeed }) => {
      const ids = suites[suite];
      const kem = hpke.suite(ids[0], ids[1], ids[2]).kem;
      const recipients = seeds.map((s) => kem.deriveKeyPair(s));
      const sender = senderSeed ? kem.deriveKeyPair(senderSeed) : undefined;
      const envelope = seal(
        plaintext,
        recipients.map((r) => r.publicKey),
        sender ? { suite, aad, senderSecretKey: sender.secretKey } : { suite, aad },
      );
      return { suite, plaintext, aad, recipients, sender, envelope };
    });
}

/** A mutated (invalid) envelope with a description of what was changed. */
export interface MutatedEnvelope extends EnvelopeCase {
  readonly mutated: Uint8Array;
  readonly mutation: string;
}

/** Applies one mutation to an envelope (bit flip, truncation, extension, suite/version/flags rewrite). */
export function arbMutatedEnvelope(opts: Parameters<typeof arbEnvelope>[0] = {}): fc.Arbitrary<MutatedEnvelope> {
  return arbEnvelope(opts).chain((c) => {
    const len = c.envelope.length;
    const flip = fc.tuple(fc.nat(len - 1), fc.integer({ min: 0, max: 7 })).map(([i, bit]) => {
      const m = c.envelope.slice();
      m[i]! ^= 1 << bit;
      return { mutated: m, mutation: `flip bit ${bit} of byte ${i}/${len}` };
    });
    const truncate = fc.nat(len - 1).map((n) => ({ mutated: c.envelope.slice(0, n), mutation: `truncate to ${n}/${len} bytes` }));
    const extend = fc.uint8Array({ minLength: 1, maxLength: 16 }).map((x) => {
      const m = new Uint8Array(len + x.length);
      m.set(c.envelope);
      m.set(x, len);
      return { mutated: m, mutation: `append ${x.length} bytes` };
    });
    const rewrite = fc
      .tuple(fc.constantFrom(4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14), fc.integer({ min: 1, max: 255 }))
      .map(([i, delta]) => {
        const m = c.envelope.slice();
        m[i] = (m[i]! + delta) & 0xff;
        const field = i === 4 ? 'version' : i === 5 ? 'kind' : i < 8 ? 'kem_id' : i < 10 ? 'kdf_id' : i < 12 ? 'aead_id' : i === 12 ? 'flags' : 'recipient count';
        return { mutated: m, mutation: `rewrite ${field} (byte ${i} += ${delta})` };
      });
    return fc.oneof(flip, truncate, extend, rewrite).map((x) => ({ ...c, ...x }));
  });
}

/** A plaintext split into pieces of random sizes (how a stream's input arrives). */
export function arbPieces(maxLength = 2048): fc.Arbitrary<{ plaintext: Uint8Array; cuts: number[] }> {
  return fc.uint8Array({ maxLength }).chain((plaintext) =>
    fc.uniqueArray(fc.nat(plaintext.length), { maxLength: 8 }).map((cuts) => ({ plaintext, cuts: cuts.sort((a, b) => a - b) })),
  );
}

/** Splits `data` at sorted offsets `cuts`. */
export function splitAt(data: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const c of cuts) {
    out.push(data.subarray(prev, c));
    prev = c;
  }
  out.push(data.subarray(prev));
  return out;
}

/**
 * A mutation of a list of `n ≥ 1` sealed stream records (header first): drop a suffix (truncation), drop/duplicate
 * one record, swap two records, or permute all records after the header. The description says which. Never the
 * identity.
 */
export function arbRecordMutation(n: number): fc.Arbitrary<{ apply: <T>(xs: readonly T[]) => T[]; mutation: string }> {
  const body = n - 1; // records after the header
  const options: fc.Arbitrary<{ apply: <T>(xs: readonly T[]) => T[]; mutation: string }>[] = [
    fc.integer({ min: 1, max: n }).map((k) => ({ apply: <T>(xs: readonly T[]) => xs.slice(0, n - k), mutation: `drop last ${k} record(s)` })),
    fc.integer({ min: 0, max: n - 1 }).map((i) => ({ apply: <T>(xs: readonly T[]) => [...xs.slice(0, i + 1), xs[i]!, ...xs.slice(i + 1)], mutation: `duplicate record ${i}` })),
  ];
  if (body >= 1) {
    options.push(fc.integer({ min: 1, max: n - 1 }).map((i) => ({ apply: <T>(xs: readonly T[]) => xs.filter((_, j) => j !== i), mutation: `drop record ${i}` })));
  }
  if (body >= 2) {
    options.push(
      fc
        .tuple(fc.integer({ min: 1, max: n - 1 }), fc.integer({ min: 1, max: n - 1 }))
        .filter(([i, j]) => i !== j)
        .map(([i, j]) => ({
          apply: <T>(xs: readonly T[]) => {
            const ys = xs.slice();
            [ys[i], ys[j]] = [ys[j]!, ys[i]!];
            return ys;
          },
          mutation: `swap records ${i} and ${j}`,
        })),
    );
  }
  if (body >= 2) {
    const idx = Array.from({ length: body }, (_, i) => i + 1);
    options.push(
      fc
        .shuffledSubarray(idx, { minLength: body, maxLength: body })
        .filter((perm) => perm.some((v, i) => v !== idx[i]))
        .map((perm) => ({ apply: <T>(xs: readonly T[]) => [xs[0]!, ...perm.map((i) => xs[i]!), ...xs.slice(n)], mutation: `permute records to [0,${perm.join(',')}]` })),
    );
  }
  return fc.oneof(...options);
}
