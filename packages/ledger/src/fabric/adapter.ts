/**
 * The Hyperledger Fabric back end: {@link LedgerAdapter} over the PrivKit registry chaincode through
 * `@hyperledger/fabric-gateway`. It depends only on the few `Contract`/`Network` methods it calls, so a gateway
 * connection to a real Fabric network or to the test harness works alike.
 * @module
 */
import { abytes, aobject, bytesToHex, bytesToUtf8, concatBytes, hexToBytes, randomBytes, isWellFormedString } from '@privkit/core';
import {
  assertExpiry, assertRecordId, assertRecordInput, assertVersion,
  type HistoryEntry, type LedgerAdapter, type LedgerEvent, type LedgerRecord, type RecordInput, type RecordSummary,
} from '../adapter.js';
import { LedgerError, type LedgerErrorCode } from '../errors.js';
import { FABRIC_EVENTS } from './_events.js';

/** The `Contract` methods the adapter calls (satisfied by fabric-gateway's `Contract`). */
export interface FabricContractLike {
  getChaincodeName(): string;
  evaluateTransaction(name: string, ...args: (string | Uint8Array)[]): Promise<Uint8Array>;
  submitAsync(name: string, options: { arguments?: (string | Uint8Array)[]; transientData?: Record<string, string | Uint8Array> }): Promise<{
    getResult(): Uint8Array;
    getTransactionId(): string;
    getStatus(): Promise<{ successful: boolean; code: number }>;
  }>;
}

/** The `Network` method the adapter calls for events (satisfied by fabric-gateway's `Network`). */
export interface FabricNetworkLike {
  getChaincodeEvents(chaincodeName: string): Promise<AsyncIterable<{ eventName: string; payload: Uint8Array; transactionId: string }> & { close(): void }>;
}

/** Options of {@link createFabricAdapter}. */
export interface FabricAdapterOptions {
  contract: FabricContractLike;
  /** Needed for `subscribe`. */
  network?: FabricNetworkLike;
  /** Transaction name prefix of the registry contract (default `privkit.registry:`). */
  contractName?: string;
}

const SALT_LENGTH = 16;

function mapError(op: string, e: unknown): LedgerError {
  if (e instanceof LedgerError) return e;
  const texts: string[] = [];
  const o = e as { message?: unknown; details?: { message?: unknown }[]; code?: unknown; cause?: unknown };
  if (typeof o?.message === 'string') texts.push(o.message);
  for (const d of Array.isArray(o?.details) ? o.details : []) if (typeof d?.message === 'string') texts.push(d.message);
  const all = texts.join('\n');
  // Chaincode errors reach the client only as text; the chaincode's wire format is `LEDGER_<CODE>: message`
  // (chaincode.ts). Parse that field — the first code followed by ': ' — into a closed set of codes; the message
  // after it is never interpreted (docs/CONVENTIONS.md, "Errors": no routing on message text).
  const m = /(?<![A-Z_])(LEDGER_(?:NOT_FOUND|ACCESS_DENIED|CONFLICT|INVALID_RECORD)): /.exec(all);
  if (m) return new LedgerError(`${op}: ${m[1]}`, { code: m[1] as LedgerErrorCode, cause: e });
  // A transaction that failed validation at commit: MVCC_READ_CONFLICT (11) or PHANTOM_READ_CONFLICT (12).
  if (o?.code === 11 || o?.code === 12 || /MVCC_READ_CONFLICT|PHANTOM_READ_CONFLICT/.test(all)) {
    return new LedgerError(`${op}: a concurrent update won (MVCC conflict)`, { code: 'LEDGER_CONFLICT', cause: e });
  }
  return new LedgerError(`${op}: the Fabric gateway did not complete the call`, { code: 'LEDGER_UNAVAILABLE', cause: e });
}

/**
 * Creates a {@link LedgerAdapter} over the registry chaincode. Async because it asks the chaincode for the
 * caller's identity (`<MSP id>::<x509 id>`), the string other owners grant access to.
 *
 * The data part travels as transient data with a fresh 16-byte salt prepended, so the hash Fabric records on the
 * channel ledger for the private value is salted (a guess of the data cannot be confirmed from the hash).
 * @example
 * const ledger = await createFabricAdapter({ contract: network.getContract('privkit'), network });
 */
export async function createFabricAdapter(options: FabricAdapterOptions): Promise<LedgerAdapter> {
  const { contract, network } = aobject<FabricAdapterOptions>(options, 'options', false)!;
  if (!contract || typeof contract.submitAsync !== 'function' || typeof contract.evaluateTransaction !== 'function') {
    throw new LedgerError('createFabricAdapter needs a fabric-gateway Contract', { code: 'LEDGER_INVALID_RECORD' });
  }
  const prefix = options.contractName ?? 'privkit.registry:';
  const evaluate = async (op: string, name: string, ...args: string[]) => {
    try {
      return bytesToUtf8(await contract.evaluateTransaction(prefix + name, ...args));
    } catch (e) {
      throw mapError(op, e);
    }
  };
  const submit = async (op: string, name: string, args: string[], transientData?: Record<string, Uint8Array>) => {
    let status: { successful: boolean; code: number };
    let tx: Awaited<ReturnType<FabricContractLike['submitAsync']>>;
    try {
      tx = await contract.submitAsync(prefix + name, transientData ? { arguments: args, transientData } : { arguments: args });
      status = await tx.getStatus();
    } catch (e) {
      throw mapError(op, e);
    }
    if (!status.successful) throw mapError(op, { code: status.code, message: `transaction invalidated with code ${status.code}` });
    return { result: bytesToUtf8(tx.getResult()), txId: tx.getTransactionId() };
  };
  const identity = await evaluate('identity', 'WhoAmI');

  const adapter: LedgerAdapter = {
    backend: 'fabric',
    identity,
    async put(id: string, input: RecordInput, opts: { expectedVersion?: number } = {}) {
      assertRecordId(id);
      const { anchor, data } = assertRecordInput(input);
      const expected = opts.expectedVersion === undefined ? '' : String(assertVersion(opts.expectedVersion));
      const transient = data && data.length > 0 ? { data: concatBytes(randomBytes(SALT_LENGTH), data) } : undefined;
      const r = await submit('put', 'Put', [id, bytesToHex(anchor), expected], transient);
      return { txId: r.txId, version: Number(r.result) };
    },
    async get(id: string): Promise<LedgerRecord> {
      assertRecordId(id);
      const r = JSON.parse(await evaluate('get', 'Get', id)) as { owner: string; version: number; anchor: string; deleted: boolean; data: string };
      const stored = Uint8Array.from(Buffer.from(r.data, 'base64'));
      const data = stored.length > SALT_LENGTH ? stored.slice(SALT_LENGTH) : new Uint8Array();
      return { id, owner: r.owner, version: r.version, anchor: hexToBytes(r.anchor), data, deleted: r.deleted };
    },
    async getAnchor(id: string): Promise<RecordSummary> {
      assertRecordId(id);
      const r = JSON.parse(await evaluate('getAnchor', 'GetAnchor', id)) as { owner: string; version: number; anchor: string; deleted: boolean };
      return { id, owner: r.owner, version: r.version, anchor: hexToBytes(r.anchor), deleted: r.deleted };
    },
    async history(id: string): Promise<HistoryEntry[]> {
      assertRecordId(id);
      const list = JSON.parse(await evaluate('history', 'History', id)) as { version: number; anchor: string; dataHash: string; deleted: boolean; txId: string }[];
      return list.map((h) => ({ version: h.version, anchor: hexToBytes(h.anchor), dataHash: hexToBytes(h.dataHash), deleted: h.deleted, txId: h.txId }));
    },
    async grant(id: string, reader: string, expiresAt: number) {
      assertRecordId(id);
      if (!isWellFormedString(reader) || reader.length === 0 || reader.length > 1024) {
        throw new LedgerError('"reader" expected a Fabric identity string', { code: 'LEDGER_INVALID_RECORD' });
      }
      assertExpiry(expiresAt);
      return { txId: (await submit('grant', 'Grant', [id, reader, String(expiresAt)])).txId };
    },
    async revoke(id: string, reader: string) {
      assertRecordId(id);
      if (!isWellFormedString(reader) || reader.length === 0 || reader.length > 1024) {
        throw new LedgerError('"reader" expected a Fabric identity string', { code: 'LEDGER_INVALID_RECORD' });
      }
      return { txId: (await submit('revoke', 'Revoke', [id, reader])).txId };
    },
    async deleteData(id: string) {
      assertRecordId(id);
      const r = await submit('deleteData', 'DeleteData', [id]);
      return { txId: r.txId, version: Number(r.result) };
    },
    async subscribe(listener: (e: LedgerEvent) => void) {
      if (!network) throw new LedgerError('subscribe needs the Network passed to createFabricAdapter', { code: 'LEDGER_UNAVAILABLE' });
      let events: Awaited<ReturnType<FabricNetworkLike['getChaincodeEvents']>>;
      try {
        events = await network.getChaincodeEvents(contract.getChaincodeName());
      } catch (e) {
        throw mapError('subscribe', e);
      }
      void (async () => {
        try {
          for await (const ev of events) {
            const p = JSON.parse(bytesToUtf8(abytes(ev.payload))) as Record<string, unknown>;
            const txId = ev.transactionId;
            if (ev.eventName === FABRIC_EVENTS.put) listener({ type: 'put', id: String(p.id), owner: String(p.owner), version: Number(p.version), txId });
            else if (ev.eventName === FABRIC_EVENTS.grant) listener({ type: 'grant', id: String(p.id), reader: String(p.reader), expiresAt: Number(p.expiresAt), txId });
            else if (ev.eventName === FABRIC_EVENTS.revoke) listener({ type: 'revoke', id: String(p.id), reader: String(p.reader), txId });
            else if (ev.eventName === FABRIC_EVENTS.delete) listener({ type: 'delete', id: String(p.id), version: Number(p.version), txId });
          }
        } catch {
          // the stream ends when closed (unsubscribe) or when the connection drops
        }
      })();
      return () => events.close();
    },
  };
  return Object.freeze(adapter);
}
