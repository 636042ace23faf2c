/**
 * Binary TCG event logs — TCG PC Client Platform Firmware Profile (PFP) §10.2.1 (TCG_PCClientPCREvent, SHA-1
 * "legacy" format) and §10.2.2 (TCG_PCR_EVENT2, crypto-agile format announced by a "Spec ID Event03"
 * TCG_EfiSpecIDEvent). Parsed into {@link PcrEvent}s for one bank, so `replayEventLog` / `checkEventLog` can check a
 * firmware log against the PCR values a quote attested. Fields are little-endian. Strict and bounded.
 * @module
 */
import { abytes, aoneOf, bytesToHex } from '@privkit/core';
import { algToHash, hashLen, PCR_COUNT } from './_tpm.js';
import { TpmEncodingError } from './errors.js';
import { PCR_BANK_ALGS, type PcrBankAlg, type PcrEvent } from './pcr.js';

/** EV_NO_ACTION: informational events that are never extended (PFP §10.4.1). */
const EV_NO_ACTION = 0x00000003;
/** Most events accepted in one log. */
export const MAX_LOG_EVENTS = 100_000;
/** Largest event data accepted (1 MiB). */
const MAX_EVENT_SIZE = 1 << 20;

/** Result of {@link parseTcgEventLog}. */
export interface TcgEventLog {
  /** `legacy` (SHA-1 only) or `crypto-agile`. */
  readonly format: 'legacy' | 'crypto-agile';
  /** Banks with digests in the log. */
  readonly banks: readonly PcrBankAlg[];
  /** Extend events for the requested bank (EV_NO_ACTION skipped), eventType as 8 hex digits. */
  readonly events: readonly PcrEvent[];
  /** Initial PCR values for replay: PC Client defaults, with PCR 0 set by a StartupLocality event if present. */
  readonly initial: readonly Uint8Array[];
}

class LeReader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}
  need(n: number, what: string): void {
    if (this.pos + n > this.buf.length) throw new TpmEncodingError(`TCG event log: truncated at ${what} (offset ${this.pos})`);
  }
  u8(what: string): number {
    this.need(1, what);
    return this.buf[this.pos++]!;
  }
  u16(what: string): number {
    this.need(2, what);
    const v = this.buf[this.pos]! | (this.buf[this.pos + 1]! << 8);
    this.pos += 2;
    return v;
  }
  u32(what: string): number {
    this.need(4, what);
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
  }
  bytes(n: number, what: string): Uint8Array {
    this.need(n, what);
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}

const SPEC_ID = 'Spec ID Event03\0';
const STARTUP_LOCALITY = 'StartupLocality\0';
const ascii = (b: Uint8Array) => String.fromCharCode(...b);

function initialValues(len: number, pcr0Locality: number | undefined): Uint8Array[] {
  return Array.from({ length: PCR_COUNT }, (_, i) => {
    const v = new Uint8Array(len).fill(i >= 17 && i <= 22 ? 0xff : 0);
    if (i === 0 && pcr0Locality !== undefined) v[len - 1] = pcr0Locality;
    return v;
  });
}

/**
 * Parses a binary TCG event log (legacy SHA-1 or crypto-agile) and returns the extend events of one bank.
 *
 * TCG PC Client Platform Firmware Profile §10.2.1, §10.2.2, §10.4.5 (StartupLocality).
 * @param log - the raw log (e.g. `/sys/kernel/security/tpm0/binary_bios_measurements`)
 * @param bank - which bank's digests to return (default: `sha256` for crypto-agile logs, `sha1` for legacy logs)
 * @returns `{format, banks, events, initial}`
 * @throws {InputError} bad arguments; {@link TpmEncodingError} a malformed log, an unknown digest size, a PCR ≥ 24,
 *   or a bank that the log does not carry
 * @example
 * ```ts
 * const log = parseTcgEventLog(raw, 'sha1');
 * checkEventLog(log.events, quotedPcrs); // throws PCR_LOG_MISMATCH unless the log replays to the quoted values
 * ```
 */
export function parseTcgEventLog(log: Uint8Array, bank?: PcrBankAlg): TcgEventLog {
  abytes(log, undefined, 'log');
  if (bank !== undefined) aoneOf(bank, PCR_BANK_ALGS, 'bank');
  const r = new LeReader(log);
  const events: PcrEvent[] = [];
  // First event: always the legacy TCG_PCClientPCREvent format.
  const first = readLegacy(r);
  const agile = first.eventType === EV_NO_ACTION && first.data.length >= 16 && ascii(first.data.subarray(0, 16)) === SPEC_ID;
  let pcr0Locality: number | undefined;
  if (!agile) {
    const b = bank ?? 'sha1';
    if (b !== 'sha1') throw new TpmEncodingError(`TCG event log: a legacy log carries only sha1, not ${b}`);
    const all = [first];
    while (r.pos < log.length) {
      if (all.length >= MAX_LOG_EVENTS) throw new TpmEncodingError('TCG event log: too many events');
      all.push(readLegacy(r));
    }
    for (const e of all) if (e.eventType !== EV_NO_ACTION) events.push(toEvent(e.pcr, e.digest, e.eventType, e.data));
    return Object.freeze({ format: 'legacy', banks: Object.freeze(['sha1'] as PcrBankAlg[]), events: Object.freeze(events), initial: initialValues(20, undefined) });
  }
  // Spec ID event: digest sizes of every algorithm in the log.
  const s = new LeReader(first.data);
  s.bytes(16, 'signature');
  s.u32('platformClass');
  s.u8('specVersionMinor');
  s.u8('specVersionMajor');
  s.u8('specErrata');
  s.u8('uintnSize');
  const n = s.u32('numberOfAlgorithms');
  if (n < 1 || n > 16) throw new TpmEncodingError(`TCG event log: numberOfAlgorithms ${n} not in 1..16`);
  const sizes = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const alg = s.u16('algorithmId');
    const size = s.u16('digestSize');
    if (size < 1 || size > 64) throw new TpmEncodingError(`TCG event log: digest size ${size} for alg 0x${alg.toString(16)}`);
    sizes.set(alg, size);
  }
  const banks = [...sizes.keys()].map(algToHash).filter((h): h is PcrBankAlg => h !== undefined && (PCR_BANK_ALGS as readonly string[]).includes(h));
  const want = bank ?? 'sha256';
  if (!banks.includes(want)) throw new TpmEncodingError(`TCG event log: no ${want} digests in this log`);
  const wantAlg = [...sizes.keys()].find((a) => algToHash(a) === want)!;
  let count = 0;
  while (r.pos < log.length) {
    if (++count > MAX_LOG_EVENTS) throw new TpmEncodingError('TCG event log: too many events');
    const pcr = r.u32('pcrIndex');
    const eventType = r.u32('eventType');
    const dcount = r.u32('digests.count');
    if (dcount > 16) throw new TpmEncodingError(`TCG event log: ${dcount} digests in one event`);
    let digest: Uint8Array | undefined;
    for (let i = 0; i < dcount; i++) {
      const alg = r.u16('digests.hashAlg');
      const size = sizes.get(alg);
      if (size === undefined) throw new TpmEncodingError(`TCG event log: digest of unknown alg 0x${alg.toString(16)}`);
      const d = r.bytes(size, 'digest');
      if (alg === wantAlg) digest = d;
    }
    const size = r.u32('eventSize');
    if (size > MAX_EVENT_SIZE) throw new TpmEncodingError(`TCG event log: event of ${size} bytes`);
    const data = r.bytes(size, 'event');
    if (pcr >= PCR_COUNT) throw new TpmEncodingError(`TCG event log: PCR index ${pcr}`);
    if (eventType === EV_NO_ACTION) {
      if (pcr === 0 && data.length === 17 && ascii(data.subarray(0, 16)) === STARTUP_LOCALITY) pcr0Locality = data[16]!;
      continue;
    }
    if (digest === undefined) throw new TpmEncodingError(`TCG event log: event without a ${want} digest`);
    events.push(toEvent(pcr, digest, eventType, data));
  }
  return Object.freeze({
    format: 'crypto-agile',
    banks: Object.freeze(banks),
    events: Object.freeze(events),
    initial: initialValues(hashLen(want), pcr0Locality),
  });
}

function readLegacy(r: LeReader): { pcr: number; eventType: number; digest: Uint8Array; data: Uint8Array } {
  const pcr = r.u32('pcrIndex');
  const eventType = r.u32('eventType');
  const digest = r.bytes(20, 'digest');
  const size = r.u32('eventDataSize');
  if (size > MAX_EVENT_SIZE) throw new TpmEncodingError(`TCG event log: event of ${size} bytes`);
  const data = r.bytes(size, 'event');
  if (pcr >= PCR_COUNT) throw new TpmEncodingError(`TCG event log: PCR index ${pcr}`);
  return { pcr, eventType, digest, data };
}

function toEvent(index: number, digest: Uint8Array, eventType: number, eventData: Uint8Array): PcrEvent {
  return Object.freeze({ kind: 'extend', index, digest, eventType: bytesToHex(Uint8Array.of(eventType >>> 24, (eventType >>> 16) & 255, (eventType >>> 8) & 255, eventType & 255)), eventData });
}
