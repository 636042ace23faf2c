/**
 * The `LedgerAdapter` interface: the small set of operations PrivKit needs from a ledger, implemented by the
 * Ethereum, Fabric and in-memory back ends and checked by one conformance suite (`runLedgerConformance`).
 *
 * Model: a record lives under a string id and has an owner (the identity that created it), a 32-byte `anchor`
 * (a digest, an encrypted-digest commitment or a Merkle root — public), an optional `data` part (the mutable,
 * deletable part, e.g. an envelope holding the encrypted digest; readable only by the owner and granted readers)
 * and a version that every change increments. Writes take an optional expected version (optimistic concurrency).
 * @module
 */
import { abytes, abytesRange, anumber, astring, InputError } from '@privkit/core';
import { LedgerFormatError } from './errors.js';

/** Largest `data` part accepted by every back end, in bytes. */
export const MAX_DATA_LENGTH = 16 * 1024;

/** What a writer submits. */
export interface RecordInput {
  /** 32-byte public commitment: a digest, an encrypted-digest commitment or a Merkle root. */
  anchor: Uint8Array;
  /** Optional mutable/private part (≤ 16 KiB), e.g. an envelope; readable by the owner and granted readers. */
  data?: Uint8Array;
}

/** A record as the owner or a granted reader sees it. */
export interface LedgerRecord {
  id: string;
  owner: string;
  version: number;
  anchor: Uint8Array;
  /** The data part; empty after `deleteData`. */
  data: Uint8Array;
  /** True once the owner deleted the data part (the anchor and history remain). */
  deleted: boolean;
}

/** The public part of a record, readable by anyone. */
export type RecordSummary = Omit<LedgerRecord, 'data'>;

/** One entry of a record's history (owner only). */
export interface HistoryEntry {
  version: number;
  anchor: Uint8Array;
  /** Digest of the data part at that version (back-end specific: keccak-256 on Ethereum, salted SHA-256 on Fabric). */
  dataHash: Uint8Array;
  deleted: boolean;
  txId: string;
}

/** Events every back end emits. */
export type LedgerEvent =
  | { type: 'put'; id: string; owner: string; version: number; txId: string }
  | { type: 'grant'; id: string; reader: string; expiresAt: number; txId: string }
  | { type: 'revoke'; id: string; reader: string; txId: string }
  | { type: 'delete'; id: string; version: number; txId: string };

/** Options of {@link LedgerAdapter.subscribe}. */
export interface SubscribeOptions {
  /**
   * Called when the event stream drops (a `LedgerError` `LEDGER_UNAVAILABLE`; the subscription reconnects and
   * resumes after the last delivered event), when an event cannot be decoded (`LEDGER_INVALID_RECORD`, skipped),
   * when the listener throws (its error, unchanged), and a last time when reconnection gives up.
   */
  onError?: (error: unknown) => void;
  /** Reconnection: exponential backoff from `initialDelayMs` (default 100) to `maxDelayMs` (default 5000); gives up after `maxAttempts` consecutive failures (default: never). */
  retry?: { initialDelayMs?: number; maxDelayMs?: number; maxAttempts?: number };
}

/** Result of a write. */
export interface TxResult {
  txId: string;
  /** Gas used (Ethereum) where the back end reports it. */
  gasUsed?: bigint;
}

/** The operations PrivKit needs from a ledger, as seen by one identity. */
export interface LedgerAdapter {
  /** `ethereum`, `fabric`, `memory`, … */
  readonly backend: string;
  /** The caller's identity on this ledger (an address, an MSP-qualified client id, …). */
  readonly identity: string;
  /** Creates a record (expectedVersion 0 or omitted) or updates one the caller owns. */
  put(id: string, input: RecordInput, options?: { expectedVersion?: number }): Promise<TxResult & { version: number }>;
  /** Reads a record; the owner and readers with an unexpired grant only. */
  get(id: string): Promise<LedgerRecord>;
  /** Reads the public part of a record; anyone. */
  getAnchor(id: string): Promise<RecordSummary>;
  /** The record's versions, oldest first; owner only. */
  history(id: string): Promise<HistoryEntry[]>;
  /** Lets `reader` read the record until `expiresAt` (Unix seconds, ledger time); owner only. */
  grant(id: string, reader: string, expiresAt: number): Promise<TxResult>;
  /** Withdraws a grant; owner only. */
  revoke(id: string, reader: string): Promise<TxResult>;
  /** Deletes (purges) the data part; the anchor and the history remain; owner only. */
  deleteData(id: string): Promise<TxResult & { version: number }>;
  /**
   * Calls `listener` for every event committed from now on, in commit order, each once: a dropped connection is
   * reported to `options.onError` and the subscription reconnects with backoff and resumes after the last
   * delivered event (Fabric: block and transaction checkpoint; Ethereum: block). Returns an unsubscribe function.
   */
  subscribe(listener: (event: LedgerEvent) => void, options?: SubscribeOptions): Promise<() => void>;
}

const ID_RE = /^[A-Za-z0-9._:/@+-]{1,128}$/;

/**
 * Validates a record id: 1–128 characters from `[A-Za-z0-9._:/@+-]`.
 * @throws {InputError} on a non-string; {LedgerFormatError} `LEDGER_INVALID_RECORD` on a bad id
 */
export function assertRecordId(id: unknown): string {
  astring(id, 'id', 128);
  if (!ID_RE.test(id as string)) {
    throw new LedgerFormatError(`"id" must match ${ID_RE.source}, got ${JSON.stringify(id)}`, { code: 'LEDGER_INVALID_RECORD' });
  }
  return id as string;
}

/** Validates a {@link RecordInput}. @throws {InputError} */
export function assertRecordInput(input: unknown): RecordInput {
  if (typeof input !== 'object' || input === null) {
    throw new InputError('"input" expected object with anchor and optional data', { code: 'INVALID_TYPE' });
  }
  const { anchor, data } = input as RecordInput;
  abytes(anchor, 32, 'anchor');
  if (data !== undefined) abytesRange(data, 0, MAX_DATA_LENGTH, 'data');
  return data === undefined ? { anchor } : { anchor, data };
}

/** Validates an expiry in Unix seconds. @throws {InputError} */
export function assertExpiry(expiresAt: unknown): number {
  return anumber(expiresAt, 'expiresAt', 1, 2 ** 40);
}

/** The reconnection schedule of {@link SubscribeOptions.retry}, validated. @throws {InputError} */
export function retrySchedule(options: SubscribeOptions = {}): { delay(attempt: number): number; maxAttempts: number } {
  const r = options.retry ?? {};
  const initial = r.initialDelayMs === undefined ? 100 : anumber(r.initialDelayMs, 'retry.initialDelayMs', 1, 3_600_000);
  const max = r.maxDelayMs === undefined ? 5000 : anumber(r.maxDelayMs, 'retry.maxDelayMs', initial, 3_600_000);
  const maxAttempts = r.maxAttempts === undefined ? Infinity : anumber(r.maxAttempts, 'retry.maxAttempts', 1, 2 ** 31);
  return { delay: (attempt) => Math.min(max, initial * 2 ** Math.min(attempt, 30)), maxAttempts };
}

/** Validates an expected version. @throws {InputError} */
export function assertVersion(v: unknown): number {
  return anumber(v, 'expectedVersion', 0, 2 ** 48);
}
