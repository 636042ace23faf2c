/**
 * An in-memory ledger: the reference implementation of {@link LedgerAdapter} semantics (used as the model of the
 * conformance suite and for unit tests of code built on the adapter). Not persistent, single process.
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { anumber, astring, bytesToHex, copyBytes, randomBytes, InputError } from '@privkit/core';
import {
  assertExpiry, assertRecordId, assertRecordInput, assertVersion, retrySchedule, type SubscribeOptions,
  type HistoryEntry, type LedgerAdapter, type LedgerEvent, type LedgerRecord, type RecordInput, type RecordSummary,
} from './adapter.js';
import { LedgerError, LedgerFormatError } from './errors.js';

interface Stored {
  owner: string;
  version: number;
  anchor: Uint8Array;
  data: Uint8Array;
  deleted: boolean;
  grants: Map<string, number>;
  history: HistoryEntry[];
}

/** A shared in-memory ledger; `as(identity)` gives an adapter acting as that identity. */
export interface MemoryLedger {
  as(identity: string): LedgerAdapter;
  /** Moves the ledger clock forward (whole seconds, ≥ 0); the clock starts at the real time. @throws {InputError} otherwise */
  advanceTime(seconds: number): void;
  /** Current ledger time in Unix seconds. */
  now(): number;
}

/**
 * Creates an in-memory ledger.
 * @example
 * const ledger = createMemoryLedger();
 * const alice = ledger.as('alice');
 * await alice.put('rec-1', { anchor: new Uint8Array(32) });
 */
export function createMemoryLedger(): MemoryLedger {
  const records = new Map<string, Stored>();
  const listeners = new Set<(e: LedgerEvent) => void>();
  let offset = 0;
  const now = () => Math.floor(Date.now() / 1000) + offset;
  const txId = () => bytesToHex(randomBytes(16));
  const emit = (e: LedgerEvent) => {
    for (const l of [...listeners]) queueMicrotask(() => l(e));
  };
  const find = (id: string) => {
    const r = records.get(id);
    if (!r) throw new LedgerError(`record ${id} not found`, { code: 'LEDGER_NOT_FOUND' });
    return r;
  };
  const ownerOnly = (id: string, who: string) => {
    const r = find(id);
    if (r.owner !== who) throw new LedgerError(`only the owner may do this on ${id}`, { code: 'LEDGER_ACCESS_DENIED' });
    return r;
  };

  function as(identity: string): LedgerAdapter {
    astring(identity, 'identity', 256);
    return Object.freeze({
      backend: 'memory',
      identity,
      async put(id: string, input: RecordInput, options: { expectedVersion?: number } = {}) {
        assertRecordId(id);
        const { anchor, data } = assertRecordInput(input);
        const expected = options.expectedVersion === undefined ? undefined : assertVersion(options.expectedVersion);
        const existing = records.get(id);
        const tx = txId();
        if (!existing) {
          if (expected !== undefined && expected !== 0) {
            throw new LedgerError(`record ${id}: expected version ${expected}, found none`, { code: 'LEDGER_CONFLICT' });
          }
        } else {
          if (existing.owner !== identity) throw new LedgerError(`record ${id} belongs to another owner`, { code: 'LEDGER_ACCESS_DENIED' });
          if (expected !== undefined && expected !== existing.version) {
            throw new LedgerError(`record ${id}: expected version ${expected}, found ${existing.version}`, { code: 'LEDGER_CONFLICT' });
          }
        }
        const r: Stored = existing ?? { owner: identity, version: 0, anchor, data: new Uint8Array(), deleted: false, grants: new Map(), history: [] };
        r.version += 1;
        r.anchor = copyBytes(anchor);
        r.data = data ? copyBytes(data) : new Uint8Array();
        r.deleted = false;
        r.history.push({ version: r.version, anchor: copyBytes(anchor), dataHash: sha256(r.data), deleted: false, txId: tx });
        records.set(id, r);
        emit({ type: 'put', id, owner: r.owner, version: r.version, txId: tx });
        return { txId: tx, version: r.version };
      },
      async get(id: string): Promise<LedgerRecord> {
        assertRecordId(id);
        const r = find(id);
        const until = r.grants.get(identity);
        if (r.owner !== identity && !(until !== undefined && until > now())) {
          throw new LedgerError(`${identity} may not read ${id}`, { code: 'LEDGER_ACCESS_DENIED' });
        }
        return { id, owner: r.owner, version: r.version, anchor: copyBytes(r.anchor), data: copyBytes(r.data), deleted: r.deleted };
      },
      async getAnchor(id: string): Promise<RecordSummary> {
        assertRecordId(id);
        const r = find(id);
        return { id, owner: r.owner, version: r.version, anchor: copyBytes(r.anchor), deleted: r.deleted };
      },
      async history(id: string) {
        assertRecordId(id);
        return ownerOnly(id, identity).history.map((h) => ({ ...h, anchor: copyBytes(h.anchor), dataHash: copyBytes(h.dataHash) }));
      },
      async grant(id: string, reader: string, expiresAt: number) {
        assertRecordId(id);
        astring(reader, 'reader', 256);
        assertExpiry(expiresAt);
        const r = ownerOnly(id, identity);
        if (expiresAt <= now()) throw new LedgerFormatError('grant expiry must be in the future', { code: 'LEDGER_INVALID_RECORD' });
        r.grants.set(reader, expiresAt);
        const tx = txId();
        emit({ type: 'grant', id, reader, expiresAt, txId: tx });
        return { txId: tx };
      },
      async revoke(id: string, reader: string) {
        assertRecordId(id);
        astring(reader, 'reader', 256);
        const r = ownerOnly(id, identity);
        r.grants.delete(reader);
        const tx = txId();
        emit({ type: 'revoke', id, reader, txId: tx });
        return { txId: tx };
      },
      async deleteData(id: string) {
        assertRecordId(id);
        const r = ownerOnly(id, identity);
        r.version += 1;
        r.data = new Uint8Array();
        r.deleted = true;
        const tx = txId();
        r.history.push({ version: r.version, anchor: copyBytes(r.anchor), dataHash: sha256(r.data), deleted: true, txId: tx });
        emit({ type: 'delete', id, version: r.version, txId: tx });
        return { txId: tx, version: r.version };
      },
      async subscribe(listener: (e: LedgerEvent) => void, options?: SubscribeOptions) {
        if (typeof listener !== 'function') throw new InputError('"listener" expected a function', { code: 'INVALID_TYPE' });
        retrySchedule(options); // validated like every back end's (an in-process ledger never disconnects)
        listeners.add(listener);
        return () => void listeners.delete(listener);
      },
    });
  }
  return Object.freeze({
    as,
    now,
    advanceTime(seconds: number) {
      // a whole number of seconds, forward, keeping the clock a safe integer (a string or a bigint once broke the
      // clock: `offset += 'abc'` made it a string, a bigint threw a TypeError)
      offset += anumber(seconds, 'seconds', 0, Number.MAX_SAFE_INTEGER - now());
    },
  });
}
