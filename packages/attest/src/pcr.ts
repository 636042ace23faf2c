/**
 * PCR banks with TPM 2.0 extend semantics and an event log that can be replayed.
 *
 * TPM 2.0 Library Part 1 §17 (PCR extend: `PCR_new = H(PCR_old ‖ digest)`) and the TCG PC Client Platform TPM
 * Profile (PTP) §4.6 (24 PCRs, initial values, which PCRs `TPM2_PCR_Reset` may reset).
 * @module
 */
import { abytes, anumber, aobject, aoneOf, equalBytes, InputError, isWellFormedString } from '@privkit/core';
import { hashFn, hashLen, PCR_COUNT, type TpmHashId } from './_tpm.js';
import { PcrError } from './errors.js';

/** Hash algorithms a PCR bank can use. `sha1` banks are read-only (for verifying legacy quotes). */
export type PcrBankAlg = 'sha1' | 'sha256' | 'sha384' | 'sm3';
/** Every {@link PcrBankAlg}, frozen. */
export const PCR_BANK_ALGS: readonly PcrBankAlg[] = Object.freeze(['sha1', 'sha256', 'sha384', 'sm3'] as const);

/**
 * One event log entry. `kind: 'extend'` records `PCR[index] = H(PCR[index] ‖ digest)`; `kind: 'reset'` records a
 * `TPM2_PCR_Reset` (so that a log containing resets of PCR 16/23 still replays).
 */
export interface PcrEvent {
  readonly kind: 'extend' | 'reset';
  readonly index: number;
  /** The digest extended (empty for resets). */
  readonly digest: Uint8Array;
  /** Free-form event type, e.g. `EV_IPL` (not interpreted). */
  readonly eventType: string;
  /** The measured data or a description of it, when the caller supplied it (not interpreted). */
  readonly eventData: Uint8Array;
  /**
   * For `kind: 'reset'`: the locality the reset was made from (default 0). Replay applies the PCR reset rules
   * ({@link pcrResetLocality}) to it, and a verifier caps what a log may claim with `maxResetLocality`.
   */
  readonly locality?: number;
}

/** Options of {@link replayEventLog} and {@link checkEventLog}. */
export interface ReplayOptions {
  /**
   * The highest locality a reset in the log may claim (default 0: only PCRs 16 and 23, which any software can
   * reset). A log is a claim by the prover; raise this only for logs of localities you trust (e.g. 4 for a DRTM
   * launch log resetting PCRs 17–20).
   */
  maxResetLocality?: number;
}

/** PCR values as `verifyTpmQuote` and `verifyQuote` take them: a bank hash and `{index: digest}`. */
export interface PcrValues {
  readonly hash: PcrBankAlg;
  readonly values: Readonly<Record<number, Uint8Array>>;
}

/** Options for {@link createPcrBank}. */
export interface PcrBankOptions {
  /** Initial register values (24 digests), e.g. to model a bank read from a real TPM. Required for `sha1`. */
  values?: readonly Uint8Array[];
}

/** Optional event description passed to `extend`. */
export interface PcrEventInfo {
  eventType?: string;
  eventData?: Uint8Array;
}

/** A bank of 24 PCRs for one hash algorithm. */
export interface PcrBank {
  /** The bank's hash algorithm. */
  readonly alg: PcrBankAlg;
  /** Digest length in bytes. */
  readonly digestLength: number;
  /** False for SHA-1 banks (read-only). */
  readonly writable: boolean;
  /** A copy of PCR `index`. */
  read(index: number): Uint8Array;
  /** Copies of all 24 PCRs. */
  readAll(): Uint8Array[];
  /** `PCR[index] = H(PCR[index] ‖ digest)`; `digest` must be exactly one digest of the bank's hash. */
  extend(index: number, digest: Uint8Array, event?: PcrEventInfo): void;
  /** Hashes `data` with the bank's hash and extends the result (what a measuring agent does). */
  measure(index: number, data: Uint8Array, event?: PcrEventInfo): Uint8Array;
  /** `TPM2_PCR_Reset` at `locality` (default 0): allowed for PCRs 16 and 23 at any locality, 17–22 per PTP. */
  reset(index: number, locality?: number): void;
  /** The values of the selected PCRs in the shape `verifyTpmQuote` takes. */
  pcrValues(selection: readonly number[]): PcrValues;
  /** A copy of the event log since creation. */
  eventLog(): PcrEvent[];
}

/** PCRs 17–22 start as all-ones (dynamic root of trust PCRs, PC Client PTP); all others start as zero. */
function initialValue(index: number, len: number): Uint8Array {
  return new Uint8Array(len).fill(index >= 17 && index <= 22 ? 0xff : 0);
}

/**
 * Minimum locality for `TPM2_PCR_Reset` of each PCR (PC Client PTP, PCR attributes table); `undefined` = never
 * resettable (0–15: only a TPM reset clears them). Simplified rule: 16 (debug) and 23 (application) at any
 * locality; 21–22 at locality ≥ 2; 17–20 at locality 4 (DRTM). A reset sets the PCR to zero.
 */
export function pcrResetLocality(index: number): number | undefined {
  anumber(index, 'index', 0, PCR_COUNT - 1);
  if (index === 16 || index === 23) return 0;
  if (index === 21 || index === 22) return 2;
  if (index >= 17 && index <= 20) return 4;
  return undefined;
}

function checkIndex(index: unknown): number {
  return anumber(index, 'index', 0, PCR_COUNT - 1);
}

function checkEventInfo(event: unknown): { eventType: string; eventData: Uint8Array } {
  const e = aobject<PcrEventInfo>(event, 'event');
  const eventType = e?.eventType === undefined ? '' : e.eventType;
  if (!isWellFormedString(eventType) || eventType.length > 256) {
    throw new InputError('"event.eventType" expected string of length 0..256', { code: 'INVALID_TYPE' });
  }
  const eventData = e?.eventData === undefined ? new Uint8Array(0) : abytes(e.eventData, undefined, 'event.eventData');
  return { eventType, eventData: Uint8Array.from(eventData) };
}

/**
 * Creates a bank of 24 PCRs with TPM 2.0 extend semantics and an event log.
 *
 * TPM 2.0 Library Part 1 §17.2 (extend), PC Client PTP (initial values, reset attributes).
 * @param alg - `sha256 | sha384 | sm3`, or `sha1` (read-only: must be given `values`)
 * @param options - `values`: 24 initial digests
 * @returns a {@link PcrBank}
 * @throws {InputError} on a bad algorithm or bad initial values
 * @example
 * ```ts
 * const bank = createPcrBank('sha256');
 * bank.measure(16, utf8ToBytes('firmware v1.2'), { eventType: 'EV_POST_CODE' });
 * replayEventLog('sha256', bank.eventLog()); // equals bank.readAll()
 * ```
 */
export function createPcrBank(alg: PcrBankAlg, options?: PcrBankOptions): PcrBank {
  aoneOf(alg, PCR_BANK_ALGS, 'alg');
  const opts = aobject<PcrBankOptions>(options, 'options');
  const len = hashLen(alg as TpmHashId);
  const h = hashFn(alg as TpmHashId);
  const writable = alg !== 'sha1';
  let regs: Uint8Array[];
  if (opts?.values !== undefined) {
    const v = opts.values as unknown;
    if (!Array.isArray(v) || v.length !== PCR_COUNT) {
      throw new InputError(`"options.values" expected array of ${PCR_COUNT} digests`, { code: 'INVALID_VALUE' });
    }
    regs = v.map((d, i) => Uint8Array.from(abytes(d, len, `options.values[${i}]`)));
  } else {
    if (!writable) {
      throw new InputError('"options.values" is required for a read-only sha1 bank', { code: 'INVALID_VALUE' });
    }
    regs = Array.from({ length: PCR_COUNT }, (_, i) => initialValue(i, len));
  }
  const log: PcrEvent[] = [];
  const bank: PcrBank = {
    alg,
    digestLength: len,
    writable,
    read(index) {
      return Uint8Array.from(regs[checkIndex(index)]!);
    },
    readAll() {
      return regs.map((r) => Uint8Array.from(r));
    },
    extend(index, digest, event) {
      const i = checkIndex(index);
      const d = abytes(digest, len, 'digest');
      const info = checkEventInfo(event);
      if (!writable) throw new PcrError(`the ${alg} bank is read-only`, { code: 'PCR_READ_ONLY' });
      const buf = new Uint8Array(2 * len);
      buf.set(regs[i]!, 0);
      buf.set(d, len);
      regs[i] = h(buf);
      log.push(Object.freeze({ kind: 'extend', index: i, digest: Uint8Array.from(d), ...info }));
    },
    measure(index, data, event) {
      checkIndex(index);
      const d = h(abytes(data, undefined, 'data'));
      bank.extend(index, d, event);
      return d;
    },
    reset(index, locality = 0) {
      const i = checkIndex(index);
      const loc = anumber(locality, 'locality', 0, 4);
      if (!writable) throw new PcrError(`the ${alg} bank is read-only`, { code: 'PCR_READ_ONLY' });
      const min = pcrResetLocality(i);
      if (min === undefined || loc < min) {
        throw new PcrError(`PCR ${i} is not resettable at locality ${loc}`, { code: 'PCR_RESET_FORBIDDEN' });
      }
      regs[i] = new Uint8Array(len);
      log.push(Object.freeze({ kind: 'reset', index: i, digest: new Uint8Array(0), eventType: 'reset', eventData: new Uint8Array(0), locality: loc }));
    },
    pcrValues(selection) {
      const sel = checkSelection(selection);
      const values: Record<number, Uint8Array> = {};
      for (const i of sel) values[i] = Uint8Array.from(regs[i]!);
      return Object.freeze({ hash: alg, values: Object.freeze(values) });
    },
    eventLog() {
      return log.map((e) => Object.freeze({ ...e, digest: Uint8Array.from(e.digest), eventData: Uint8Array.from(e.eventData) }));
    },
  };
  return Object.freeze(bank);
}

/** Validates a PCR selection: distinct integers 0..23, returned sorted ascending. */
export function checkSelection(selection: unknown, title = 'selection', min = 0): number[] {
  if (!Array.isArray(selection)) {
    throw new InputError(`"${title}" expected array of PCR indices`, { code: 'INVALID_TYPE' });
  }
  if (selection.length < min || selection.length > PCR_COUNT) {
    throw new InputError(`"${title}" expected ${min}..${PCR_COUNT} PCR indices, got ${selection.length}`, { code: 'INVALID_LENGTH' });
  }
  const out = selection.map((i, k) => anumber(i, `${title}[${k}]`, 0, PCR_COUNT - 1)).sort((a, b) => a - b);
  for (let k = 1; k < out.length; k++) {
    if (out[k] === out[k - 1]) throw new InputError(`"${title}" has duplicate index ${out[k]}`, { code: 'INVALID_VALUE' });
  }
  return out;
}

/**
 * Replays an event log from the initial PCR values and returns the 24 resulting values.
 *
 * TCG PC Client Platform Firmware Profile §10 (log replay) — here over {@link PcrEvent}s. A reset in the log obeys
 * the same rules as `bank.reset` (PC Client PTP PCR attributes, {@link pcrResetLocality}): PCRs 0–15 are never
 * reset, 17–22 only from the localities that may reset them, and no reset may claim a locality above
 * `options.maxResetLocality` (default 0). Otherwise a forged log could place good events, a fake reset, then the
 * real ones, and still replay to the quoted value.
 * @param alg - the bank hash (`sha1` allowed: replay only reads)
 * @param events - the log, in order
 * @param initial - optional initial values (default: PC Client initial values)
 * @param options - `{maxResetLocality?}` (default 0)
 * @returns 24 digests
 * @throws {InputError} on malformed events; {@link PcrError} `PCR_RESET_FORBIDDEN` for a reset the rules forbid
 * @example
 * ```ts
 * const values = replayEventLog('sha256', bank.eventLog());
 * ```
 */
export function replayEventLog(
  alg: PcrBankAlg,
  events: readonly PcrEvent[],
  initial?: readonly Uint8Array[],
  options?: ReplayOptions,
): Uint8Array[] {
  aoneOf(alg, PCR_BANK_ALGS, 'alg');
  const o = aobject<ReplayOptions>(options, 'options');
  const maxLocality = o?.maxResetLocality === undefined ? 0 : anumber(o.maxResetLocality, 'options.maxResetLocality', 0, 4);
  if (!Array.isArray(events)) throw new InputError('"events" expected array', { code: 'INVALID_TYPE' });
  const len = hashLen(alg as TpmHashId);
  const h = hashFn(alg as TpmHashId);
  let regs: Uint8Array[];
  if (initial !== undefined) {
    if (!Array.isArray(initial) || initial.length !== PCR_COUNT) {
      throw new InputError(`"initial" expected array of ${PCR_COUNT} digests`, { code: 'INVALID_VALUE' });
    }
    regs = initial.map((d, i) => Uint8Array.from(abytes(d, len, `initial[${i}]`)));
  } else regs = Array.from({ length: PCR_COUNT }, (_, i) => initialValue(i, len));
  events.forEach((e: unknown, k) => {
    const ev = aobject<PcrEvent>(e, `events[${k}]`, false)!;
    const i = anumber(ev.index, `events[${k}].index`, 0, PCR_COUNT - 1);
    const kind = aoneOf(ev.kind, ['extend', 'reset'] as const, `events[${k}].kind`);
    if (kind === 'reset') {
      const loc = ev.locality === undefined ? 0 : anumber(ev.locality, `events[${k}].locality`, 0, 4);
      const min = pcrResetLocality(i);
      if (min === undefined || loc < min || loc > maxLocality) {
        throw new PcrError(`event log resets PCR ${i} at locality ${loc}, which the PCR reset rules forbid`, { code: 'PCR_RESET_FORBIDDEN' });
      }
      regs[i] = new Uint8Array(len);
      return;
    }
    const d = abytes(ev.digest, len, `events[${k}].digest`);
    const buf = new Uint8Array(2 * len);
    buf.set(regs[i]!, 0);
    buf.set(d, len);
    regs[i] = h(buf);
  });
  return regs;
}

/**
 * Replays `events` and checks the result against `expected` PCR values (only the indices present in `expected`).
 * @param events - the event log
 * @param expected - the PCR values a quote attested (e.g. `bank.pcrValues([…])` or values a verifier trusts)
 * @param initial - optional initial values (default: PC Client initial values; `parseTcgEventLog(...).initial`)
 * @param options - `{maxResetLocality?}` as for {@link replayEventLog}
 * @returns nothing
 * @throws {PcrError} `PCR_LOG_MISMATCH` naming the first PCR that differs; `PCR_RESET_FORBIDDEN` (see replay)
 * @example
 * ```ts
 * checkEventLog(bank.eventLog(), bank.pcrValues([16, 23]));
 * ```
 */
export function checkEventLog(
  events: readonly PcrEvent[],
  expected: PcrValues,
  initial?: readonly Uint8Array[],
  options?: ReplayOptions,
): void {
  const exp = aobject<PcrValues>(expected, 'expected', false)!;
  const alg = aoneOf(exp.hash, PCR_BANK_ALGS, 'expected.hash');
  const replayed = replayEventLog(alg, events, initial, options);
  const vals = aobject<Record<string, Uint8Array>>(exp.values, 'expected.values', false)!;
  for (const key of Object.keys(vals)) {
    const i = anumber(Number(key), 'expected.values index', 0, PCR_COUNT - 1);
    const want = abytes(vals[key], hashLen(alg as TpmHashId), `expected.values[${key}]`);
    if (!equalBytes(replayed[i]!, want)) {
      throw new PcrError(`event log does not replay to PCR ${i}`, { code: 'PCR_LOG_MISMATCH' });
    }
  }
}

/**
 * Standalone form of `bank.extend(index, digest, event)` (TPM 2.0 Library Part 3 §22.2 TPM2_PCR_Extend).
 * @param bank - a writable bank
 * @param index - PCR index 0..23
 * @param digest - one digest of the bank's hash
 * @param event - optional event description for the log
 * @returns nothing
 * @throws {InputError} on bad arguments; {@link PcrError} `PCR_READ_ONLY` on a SHA-1 bank
 * @example
 * ```ts
 * extend(bank, 16, sha256(utf8ToBytes('config')));
 * ```
 */
export function extend(bank: PcrBank, index: number, digest: Uint8Array, event?: PcrEventInfo): void {
  const b = aobject<PcrBank>(bank, 'bank', false)!;
  if (typeof b.extend !== 'function') throw new InputError('"bank" expected PcrBank', { code: 'INVALID_TYPE' });
  b.extend(index, digest, event);
}
