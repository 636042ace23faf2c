/**
 * @privkit/attest/testing — fast-check arbitraries for this package's public types (issue 11): PCR banks with event
 * logs, nonces, TPMS_ATTEST fields, valid quotes and tampered quotes (with a description of the mutation), and a
 * model-based command set for the nonce registry. fast-check is a peer dependency of this entry only.
 * @module
 */
import fc from 'fast-check';
import { bytesToHex, randomBytes, utf8ToBytes } from '@privkit/core';
import { ATTESTATION_KEY_ALGS, createAttestationKey, type AttestationKey, type AttestationKeyAlg } from './attestationKey.js';
import { createNonceRegistry, type NonceRegistry } from './nonceRegistry.js';
import { createPcrBank, type PcrBank, type PcrBankAlg } from './pcr.js';
import { quote, type Quote } from './quote.js';
import type { TpmsAttestFields } from './tpmsAttest.js';

/** Writable PCR bank algorithms. */
export const arbPcrBankAlg: fc.Arbitrary<PcrBankAlg> = fc.constantFrom('sha256', 'sha384', 'sm3');

/** One measurement: a PCR index (0..23) and the measured data. */
export interface Measurement {
  index: number;
  data: Uint8Array;
  eventType: string;
}

/** Measurements to apply to a bank. */
export const arbMeasurements: fc.Arbitrary<Measurement[]> = fc.array(
  fc.record({
    index: fc.integer({ min: 0, max: 23 }),
    data: fc.uint8Array({ maxLength: 64 }),
    eventType: fc.constantFrom('EV_POST_CODE', 'EV_IPL', 'EV_EFI_VARIABLE_DRIVER_CONFIG', 'EV_SEPARATOR'),
  }),
  { maxLength: 12 },
);

/** A fresh PCR bank after the given measurements; its event log replays to its values. */
export function arbPcrBankWithLog(alg?: PcrBankAlg): fc.Arbitrary<{ bank: PcrBank; measurements: Measurement[] }> {
  return fc.tuple(alg === undefined ? arbPcrBankAlg : fc.constant(alg), arbMeasurements).map(([a, measurements]) => {
    const bank = createPcrBank(a);
    for (const m of measurements) bank.measure(m.index, m.data, { eventType: m.eventType, eventData: m.data });
    return { bank, measurements };
  });
}

/** Nonces as the registry issues them (16..64 bytes). */
export const arbNonce: fc.Arbitrary<Uint8Array> = fc.uint8Array({ minLength: 16, maxLength: 64 });

/** A non-empty PCR selection, ascending, distinct. */
export const arbSelection: fc.Arbitrary<number[]> = fc
  .uniqueArray(fc.integer({ min: 0, max: 23 }), { minLength: 1, maxLength: 24 })
  .map((a) => a.sort((x, y) => x - y));

/** Any valid TPMS_ATTEST field set (for encode/parse round trips). */
export const arbTpmsAttestFields: fc.Arbitrary<TpmsAttestFields> = fc.record({
  qualifiedSigner: fc.uint8Array({ maxLength: 66 }),
  extraData: fc.uint8Array({ maxLength: 64 }),
  clockInfo: fc.record({
    clock: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    resetCount: fc.integer({ min: 0, max: 0xffffffff }),
    restartCount: fc.integer({ min: 0, max: 0xffffffff }),
    safe: fc.boolean(),
  }),
  firmwareVersion: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  pcrSelections: fc.array(
    fc.record({
      hashAlg: fc.constantFrom(0x0004, 0x000b, 0x000c, 0x0012),
      sizeofSelect: fc.constant(3),
      pcrs: fc.uniqueArray(fc.integer({ min: 0, max: 23 }), { maxLength: 24 }).map((a) => a.sort((x, y) => x - y)),
    }),
    { maxLength: 4 },
  ),
  pcrDigest: fc.uint8Array({ maxLength: 64 }),
});

const keyCache = new Map<AttestationKeyAlg, AttestationKey>();
/** A (cached per algorithm) attestation key; `algs` defaults to every algorithm. */
export function arbAttestationKey(algs: readonly AttestationKeyAlg[] = ATTESTATION_KEY_ALGS): fc.Arbitrary<AttestationKey> {
  return fc.constantFrom(...algs).map((alg) => {
    let k = keyCache.get(alg);
    if (!k) {
      k = createAttestationKey(alg);
      keyCache.set(alg, k);
    }
    return k;
  });
}

/** A valid quote with everything needed to verify it. */
export interface QuoteCase {
  key: AttestationKey;
  bank: PcrBank;
  selection: number[];
  nonce: Uint8Array;
  data: Uint8Array | undefined;
  quote: Quote;
}

/** Valid quotes over random banks, selections, nonces and (optional) bound payloads. */
export function arbValidQuote(algs?: readonly AttestationKeyAlg[]): fc.Arbitrary<QuoteCase> {
  return fc
    .tuple(arbAttestationKey(algs), arbPcrBankWithLog(), arbSelection, arbNonce, fc.option(fc.uint8Array({ maxLength: 128 }), { nil: undefined }))
    .map(([key, { bank }, selection, nonce, data]) => ({
      key,
      bank,
      selection,
      nonce,
      data,
      quote: quote({ bank, selection, nonce, key, ...(data === undefined ? {} : { data }) }),
    }));
}

/** A tampered quote case: what to verify, and a description of the mutation. */
export interface TamperedQuoteCase extends QuoteCase {
  /** The (possibly mutated) attest and signature to present. */
  attest: Uint8Array;
  signature: Uint8Array;
  /** The nonce / data / PCR values the verifier will expect (possibly swapped). */
  expectNonce: Uint8Array;
  expectData: Uint8Array | undefined;
  expectPcrDelta: number | undefined;
  /** Human-readable description of the mutation. */
  mutation: string;
}

/** Quotes with exactly one mutation that must make verification fail. */
export function arbTamperedQuote(algs?: readonly AttestationKeyAlg[]): fc.Arbitrary<TamperedQuoteCase> {
  return fc.tuple(arbValidQuote(algs), fc.nat(), fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 6 })).map(([c, pos, bit, kind]) => {
    const base = {
      ...c,
      attest: c.quote.attest,
      signature: c.quote.signature,
      expectNonce: c.nonce,
      expectData: c.data,
      expectPcrDelta: undefined as number | undefined,
    };
    const flip = (b: Uint8Array, i: number) => {
      const o = Uint8Array.from(b);
      o[i % o.length]! ^= 1 << bit;
      return o;
    };
    switch (kind) {
      case 0:
        return { ...base, attest: flip(c.quote.attest, pos), mutation: `attest bit ${bit} of byte ${pos % c.quote.attest.length} flipped` };
      case 1:
        return { ...base, signature: flip(c.quote.signature, pos), mutation: `signature bit ${bit} of byte ${pos % c.quote.signature.length} flipped` };
      case 2:
        return { ...base, attest: c.quote.attest.subarray(0, pos % c.quote.attest.length), mutation: 'attest truncated' };
      case 3:
        return { ...base, attest: Uint8Array.of(...c.quote.attest, bit), mutation: 'attest extended by one byte' };
      case 4:
        return { ...base, expectNonce: flip(c.nonce, pos), mutation: 'verifier expects another nonce' };
      case 5:
        return {
          ...base,
          expectData: c.data === undefined ? utf8ToBytes('swapped') : flip(c.data.length ? c.data : new Uint8Array(1), pos),
          mutation: 'payload swapped',
        };
      default:
        return { ...base, expectPcrDelta: c.selection[pos % c.selection.length]!, mutation: 'verifier expects another PCR value' };
    }
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Model-based testing of the nonce registry (fc.commands)
// ---------------------------------------------------------------------------------------------------------------

/** Reference model of a nonce registry. */
export interface NonceModel {
  t: number;
  readonly ttl: number;
  readonly max: number;
  outstanding: Map<string, number>;
  used: Map<string, number>;
}

/** The system under test: a registry with an injected clock, and every nonce it issued. */
export interface NonceReal {
  registry: NonceRegistry;
  clock: { t: number };
  issued: Uint8Array[];
}

type NonceOutcome = 'OK' | 'NONCE_UNKNOWN' | 'NONCE_EXPIRED' | 'NONCE_REPLAYED' | 'NONCE_LIMIT';

function outcome(fn: () => unknown): { result: NonceOutcome; value?: unknown } {
  try {
    return { result: 'OK', value: fn() };
  } catch (e) {
    return { result: ((e as { code?: string }).code ?? 'THREW') as NonceOutcome };
  }
}

function modelPurge(m: NonceModel): void {
  for (const map of [m.outstanding, m.used]) for (const [k, exp] of map) if (m.t >= exp) map.delete(k);
}

function modelConsume(m: NonceModel, k: string): NonceOutcome {
  const exp = m.outstanding.get(k);
  if (exp === undefined) return m.used.has(k) ? 'NONCE_REPLAYED' : 'NONCE_UNKNOWN';
  m.outstanding.delete(k);
  if (m.t >= exp) return 'NONCE_EXPIRED';
  if (m.used.size >= m.max) m.used.delete(m.used.keys().next().value as string);
  m.used.set(k, exp);
  return 'OK';
}

function assertEqual(actual: unknown, expected: unknown, what: string): void {
  if (actual !== expected) throw new Error(`${what}: expected ${String(expected)}, got ${String(actual)}`);
}

/** `issue()` — the model predicts NONCE_LIMIT when full after evicting expired entries. */
export class IssueCommand implements fc.Command<NonceModel, NonceReal> {
  check(): boolean {
    return true;
  }
  run(m: NonceModel, r: NonceReal): void {
    modelPurge(m);
    const want: NonceOutcome = m.outstanding.size >= m.max ? 'NONCE_LIMIT' : 'OK';
    const got = outcome(() => r.registry.issue());
    assertEqual(got.result, want, 'issue');
    if (got.result === 'OK') {
      const nonce = got.value as Uint8Array;
      r.issued.push(nonce);
      m.outstanding.set(bytesToHex(nonce), m.t + m.ttl);
    }
    assertEqual(r.registry.outstanding, m.outstanding.size, 'outstanding');
  }
  toString(): string {
    return 'issue()';
  }
}

/** `consume(nonce)` of the k-th issued nonce (a replay when already consumed), or of a never-issued nonce. */
export class ConsumeCommand implements fc.Command<NonceModel, NonceReal> {
  constructor(
    readonly pick: number,
    readonly fresh: boolean,
  ) {}
  check(): boolean {
    return true;
  }
  run(m: NonceModel, r: NonceReal): void {
    const nonce = this.fresh || r.issued.length === 0 ? randomBytes(32) : r.issued[this.pick % r.issued.length]!;
    const want = modelConsume(m, bytesToHex(nonce));
    const got = outcome(() => r.registry.consume(nonce));
    assertEqual(got.result, want, `consume(${this.toString()})`);
  }
  toString(): string {
    return this.fresh ? 'consume(fresh)' : `consume(#${this.pick})`;
  }
}

/** Advances the injected clock by `ms`. */
export class AdvanceClockCommand implements fc.Command<NonceModel, NonceReal> {
  constructor(readonly ms: number) {}
  check(): boolean {
    return true;
  }
  run(m: NonceModel, r: NonceReal): void {
    m.t += this.ms;
    r.clock.t += this.ms;
  }
  toString(): string {
    return `advance(${this.ms})`;
  }
}

/** `purge()` — drops the expired entries on both sides. */
export class PurgeCommand implements fc.Command<NonceModel, NonceReal> {
  check(): boolean {
    return true;
  }
  run(m: NonceModel, r: NonceReal): void {
    const before = m.outstanding.size + m.used.size;
    modelPurge(m);
    assertEqual(r.registry.purge(), before - m.outstanding.size - m.used.size, 'purge');
  }
  toString(): string {
    return 'purge()';
  }
}

/** The command arbitrary for the nonce registry model (issue, consume, replay, expire, purge). */
export function arbNonceCommands(ttl: number): fc.Arbitrary<Iterable<fc.Command<NonceModel, NonceReal>>> {
  return fc.commands(
    [
      fc.constant(new IssueCommand()),
      fc.tuple(fc.nat(), fc.boolean()).map(([k, fresh]) => new ConsumeCommand(k, fresh)),
      fc.integer({ min: 0, max: 2 * ttl }).map((ms) => new AdvanceClockCommand(ms)),
      fc.constant(new PurgeCommand()),
    ],
    { maxCommands: 60 },
  );
}

/** Builds the initial model and real system for one `fc.modelRun`. */
export function nonceModelSetup(ttl: number, max: number): () => { model: NonceModel; real: NonceReal } {
  return () => {
    const clock = { t: 1_000 };
    return {
      model: { t: 1_000, ttl, max, outstanding: new Map(), used: new Map() },
      real: { registry: createNonceRegistry({ ttlMs: ttl, maxOutstanding: max, now: () => clock.t }), clock, issued: [] },
    };
  };
}
