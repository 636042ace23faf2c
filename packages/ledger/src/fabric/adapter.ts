/**
 * The Hyperledger Fabric back end: {@link LedgerAdapter} over the PrivKit registry chaincode through
 * `@hyperledger/fabric-gateway`. It depends only on the few `Contract`/`Network` methods it calls, so a gateway
 * connection to a real Fabric network or to the test harness works alike.
 * @module
 */
import { abytes, anumber, aobject, bytesToHex, bytesToUtf8, concatBytes, hexToBytes, isWellFormedString, randomBytes, InputError } from '@privkit/core';
import {
  assertExpiry, assertRecordId, assertRecordInput, assertVersion,
  type HistoryEntry, type LedgerAdapter, type LedgerEvent, type LedgerRecord, type RecordInput, type RecordSummary,
  type SubscribeOptions, retrySchedule,
} from '../adapter.js';
import { subscribeWithRetry } from '../_subscription.js';
import { LedgerError, LedgerFormatError, _ledgerError, _isLedgerError, type LedgerErrorCode } from '../errors.js';
import { FABRIC_EVENTS } from './_events.js';

/** Options of one evaluation/submission (satisfied by fabric-gateway's `ProposalOptions`). */
export interface FabricProposalOptions {
  arguments?: (string | Uint8Array)[];
  transientData?: Record<string, string | Uint8Array>;
  /** Organisations whose peers must run the proposal (fabric-gateway `endorsingOrganizations`). */
  endorsingOrganizations?: string[];
}

/** The `Contract` methods the adapter calls (satisfied by fabric-gateway's `Contract`). */
export interface FabricContractLike {
  getChaincodeName(): string;
  evaluate(name: string, options?: FabricProposalOptions): Promise<Uint8Array>;
  submitAsync(name: string, options?: FabricProposalOptions): Promise<{
    getResult(): Uint8Array;
    getTransactionId(): string;
    getStatus(): Promise<{ successful: boolean; code: number; blockNumber?: bigint }>;
  }>;
}

/** A chaincode event as fabric-gateway delivers it. */
export interface FabricChaincodeEventLike {
  eventName: string;
  payload: Uint8Array;
  transactionId: string;
  blockNumber: bigint;
}

/** The `Network` methods the adapter calls for events (satisfied by fabric-gateway's `Network`). */
export interface FabricNetworkLike {
  getChaincodeEvents(
    chaincodeName: string,
    options?: { startBlock?: bigint; checkpoint?: { getBlockNumber(): bigint | undefined; getTransactionId(): string | undefined } },
  ): Promise<AsyncIterable<FabricChaincodeEventLike> & { close(): void }>;
  /** For the current block height (`qscc` `GetChainInfo`), where a subscription starts. */
  getContract(chaincodeName: string): { evaluateTransaction(name: string, ...args: string[]): Promise<Uint8Array> };
  getName(): string;
}

/** Options of {@link createFabricAdapter}. */
export interface FabricAdapterOptions {
  contract: FabricContractLike;
  /** Needed for `subscribe`. */
  network?: FabricNetworkLike;
  /** Transaction name prefix of the registry contract (default `privkit.registry:`). */
  contractName?: string;
  /**
   * How long `createFabricAdapter` waits for the gateway to become ready (discovery finds no peers for a while
   * after a peer starts), retrying `LEDGER_UNAVAILABLE` with backoff; default 30000 ms, 0 to try once.
   */
  readyTimeoutMs?: number;
}

const SALT_LENGTH = 16;
/** gRPC status codes the gateway uses (https://grpc.io/docs/guides/status-codes/). */
const GRPC = { DEADLINE_EXCEEDED: 4, PERMISSION_DENIED: 7, UNAVAILABLE: 14, UNAUTHENTICATED: 16 } as const;
/** Fabric transaction validation codes (peer.TxValidationCode). */
const TX_VALIDATION = { MVCC_READ_CONFLICT: 11, PHANTOM_READ_CONFLICT: 12 } as const;
const CODE_RE = /^LEDGER_(NOT_FOUND|ACCESS_DENIED|CONFLICT|INVALID_RECORD|CLOCK_SKEW|UNAVAILABLE)\b/;

/** The chaincode's `LEDGER_*` code from a chaincode response message (`chaincode response 500, LEDGER_…: …`). */
function chaincodeCode(message: unknown): LedgerErrorCode | undefined {
  if (typeof message !== 'string') return undefined;
  const m = CODE_RE.exec(message.replace(/^chaincode response \d+, /, ''));
  return m ? (m[0] as LedgerErrorCode) : undefined;
}

/**
 * Maps a fabric-gateway failure onto a LedgerError, from structured fields only: the per-endorser `details` of
 * `EndorseError`/`GatewayError` (each carries the chaincode's response, whose `LEDGER_*` prefix is the
 * chaincode's own code), the gRPC status `code` (PERMISSION_DENIED / UNAUTHENTICATED: the channel refused the
 * identity), and `CommitError.code`, the transaction validation code (MVCC conflicts).
 */
function mapError(op: string, e: unknown): LedgerError | LedgerFormatError {
  if (_isLedgerError(e)) return e;
  const o = e as { details?: unknown; code?: unknown; name?: unknown; message?: unknown };
  const details = Array.isArray(o?.details) ? (o.details as { message?: unknown }[]) : [];
  for (const d of details) {
    const code = chaincodeCode(d?.message);
    if (code) return _ledgerError(`${op}: ${code}`, { code, cause: e });
  }
  if (o?.name === 'CommitError' || o?.name === 'TransactionInvalid') {
    if (o.code === TX_VALIDATION.MVCC_READ_CONFLICT || o.code === TX_VALIDATION.PHANTOM_READ_CONFLICT) {
      return new LedgerError(`${op}: a concurrent update won (MVCC conflict)`, { code: 'LEDGER_CONFLICT', cause: e });
    }
    return new LedgerError(`${op}: the transaction was invalidated (validation code ${String(o.code)})`, { code: 'LEDGER_UNAVAILABLE', cause: e });
  }
  if (o?.code === GRPC.PERMISSION_DENIED || o?.code === GRPC.UNAUTHENTICATED) {
    return new LedgerError(`${op}: the network refused this identity`, { code: 'LEDGER_ACCESS_DENIED', cause: e });
  }
  return new LedgerError(`${op}: the Fabric gateway did not complete the call`, { code: 'LEDGER_UNAVAILABLE', cause: e });
}

/** The `height` field (1) of a serialized common.BlockchainInfo (protobuf varint). */
function chainHeight(bytes: Uint8Array): number {
  if (bytes[0] !== 0x08) return 0;
  let v = 0;
  for (let i = 1, shift = 1; i < Math.min(bytes.length, 9); i++, shift *= 128) {
    v += (bytes[i]! & 0x7f) * shift;
    if ((bytes[i]! & 0x80) === 0) return v;
  }
  throw new LedgerError('malformed BlockchainInfo', { code: 'LEDGER_UNAVAILABLE' });
}

/** One chaincode event as a {@link LedgerEvent}; malformed payloads are rejected (reported, not delivered). */
function decodeEvent(ev: FabricChaincodeEventLike): LedgerEvent | undefined {
  let p: Record<string, unknown>;
  try {
    p = JSON.parse(bytesToUtf8(abytes(ev.payload))) as Record<string, unknown>;
  } catch (cause) {
    throw new LedgerFormatError(`subscribe: malformed ${ev.eventName} payload in ${ev.transactionId}`, { code: 'LEDGER_INVALID_RECORD', cause });
  }
  const txId = ev.transactionId;
  if (ev.eventName === FABRIC_EVENTS.put) return { type: 'put', id: String(p.id), owner: String(p.owner), version: Number(p.version), txId };
  if (ev.eventName === FABRIC_EVENTS.grant) return { type: 'grant', id: String(p.id), reader: String(p.reader), expiresAt: Number(p.expiresAt), txId };
  if (ev.eventName === FABRIC_EVENTS.revoke) return { type: 'revoke', id: String(p.id), reader: String(p.reader), txId };
  if (ev.eventName === FABRIC_EVENTS.delete) return { type: 'delete', id: String(p.id), version: Number(p.version), txId };
  return undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function createFabricAdapter(options: FabricAdapterOptions): Promise<LedgerAdapter> {
  const { contract, network } = aobject<FabricAdapterOptions>(options, 'options', false)!;
  if (!contract || typeof contract.submitAsync !== 'function' || typeof contract.evaluate !== 'function') {
    throw new LedgerFormatError('createFabricAdapter needs a fabric-gateway Contract', { code: 'LEDGER_INVALID_RECORD' });
  }
  const prefix = options.contractName ?? 'privkit.registry:';
  const evaluate = async (op: string, name: string, args: string[], endorsingOrganizations?: string[]) => {
    try {
      return bytesToUtf8(await contract.evaluate(prefix + name, endorsingOrganizations ? { arguments: args, endorsingOrganizations } : { arguments: args }));
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
    if (!status.successful) throw mapError(op, { name: 'TransactionInvalid', code: status.code });
    return { result: bytesToUtf8(tx.getResult()), txId: tx.getTransactionId() };
  };
  // Wait for the gateway: after a peer (re)starts, discovery reports no peers for a while.
  const readyTimeout = options.readyTimeoutMs === undefined ? 30_000 : anumber(options.readyTimeoutMs, 'readyTimeoutMs', 0, 3_600_000);
  const deadline = Date.now() + readyTimeout;
  let identity: string;
  for (let attempt = 0; ; attempt++) {
    try {
      identity = await evaluate('identity', 'WhoAmI', []);
      break;
    } catch (e) {
      // Only a transient gateway state is waited out (gRPC UNAVAILABLE / DEADLINE_EXCEEDED), not e.g. an unknown channel.
      const grpcCode = ((e as LedgerError).cause as { code?: unknown } | undefined)?.code;
      if ((grpcCode !== GRPC.UNAVAILABLE && grpcCode !== GRPC.DEADLINE_EXCEEDED) || Date.now() >= deadline) throw e;
      await sleep(Math.min(2000, 50 * 2 ** attempt, Math.max(0, deadline - Date.now())));
    }
  }

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
      let r = JSON.parse(await evaluate('get', 'Get', [id])) as { owner: string; version: number; anchor: string; deleted: boolean; data: string; dataAt?: string };
      // The data part lives in the owner organisation's implicit collection: ask a peer of that organisation.
      if (typeof r.dataAt === 'string') r = JSON.parse(await evaluate('get', 'Get', [id], [r.dataAt])) as typeof r;
      if (typeof r.dataAt === 'string') throw new LedgerError(`get: no peer of ${r.dataAt} served the data part`, { code: 'LEDGER_UNAVAILABLE' });
      const stored = Uint8Array.from(Buffer.from(r.data, 'base64'));
      const data = stored.length > SALT_LENGTH ? stored.slice(SALT_LENGTH) : new Uint8Array();
      return { id, owner: r.owner, version: r.version, anchor: hexToBytes(r.anchor), data, deleted: r.deleted };
    },
    async getAnchor(id: string): Promise<RecordSummary> {
      assertRecordId(id);
      const r = JSON.parse(await evaluate('getAnchor', 'GetAnchor', [id])) as { owner: string; version: number; anchor: string; deleted: boolean };
      return { id, owner: r.owner, version: r.version, anchor: hexToBytes(r.anchor), deleted: r.deleted };
    },
    async history(id: string): Promise<HistoryEntry[]> {
      assertRecordId(id);
      const list = JSON.parse(await evaluate('history', 'History', [id])) as { version: number; anchor: string; dataHash: string; deleted: boolean; txId: string }[];
      return list.map((h) => ({ version: h.version, anchor: hexToBytes(h.anchor), dataHash: hexToBytes(h.dataHash), deleted: h.deleted, txId: h.txId }));
    },
    async grant(id: string, reader: string, expiresAt: number) {
      assertRecordId(id);
      if (!isWellFormedString(reader) || reader.length === 0 || reader.length > 1024) {
        throw new InputError('"reader" expected a Fabric identity string', { code: 'INVALID_VALUE' });
      }
      assertExpiry(expiresAt);
      return { txId: (await submit('grant', 'Grant', [id, reader, String(expiresAt)])).txId };
    },
    async revoke(id: string, reader: string) {
      assertRecordId(id);
      if (!isWellFormedString(reader) || reader.length === 0 || reader.length > 1024) {
        throw new InputError('"reader" expected a Fabric identity string', { code: 'INVALID_VALUE' });
      }
      return { txId: (await submit('revoke', 'Revoke', [id, reader])).txId };
    },
    async deleteData(id: string) {
      assertRecordId(id);
      const r = await submit('deleteData', 'DeleteData', [id]);
      return { txId: r.txId, version: Number(r.result) };
    },
    async subscribe(listener: (e: LedgerEvent) => void, subscribeOptions: SubscribeOptions = {}) {
      if (typeof listener !== 'function') throw new InputError('"listener" expected a function', { code: 'INVALID_TYPE' });
      retrySchedule(subscribeOptions);
      if (!network) throw new LedgerError('subscribe needs the Network passed to createFabricAdapter', { code: 'LEDGER_UNAVAILABLE' });
      const name = contract.getChaincodeName();
      // Start at the current height, so that nothing committed after subscribe resolves is missed even if the
      // first connection drops before its first event; then resume from the last delivered (block, transaction).
      let start: bigint | undefined;
      try {
        start = BigInt(chainHeight(await network.getContract('qscc').evaluateTransaction('GetChainInfo', network.getName())));
      } catch {
        start = undefined; // qscc refused (channel ACL): begin at the next commit, as fabric-gateway does by default
      }
      // The checkpoint: the last delivered event's block and transaction, and every transaction delivered from that
      // block (so a gateway that replays the whole block on resume still delivers each event once).
      let last: { block: bigint; txId: string; seen: Set<string> } | undefined;
      const open = () =>
        network.getChaincodeEvents(name, last
          ? { checkpoint: { getBlockNumber: () => last!.block, getTransactionId: () => last!.txId } }
          : start !== undefined ? { startBlock: start } : {});
      return subscribeWithRetry(open, (ev) => {
        if (last && (ev.blockNumber < last.block || (ev.blockNumber === last.block && last.seen.has(ev.transactionId)))) return;
        if (!last || ev.blockNumber !== last.block) last = { block: ev.blockNumber, txId: ev.transactionId, seen: new Set() };
        last.txId = ev.transactionId;
        last.seen.add(ev.transactionId);
        const e = decodeEvent(ev);
        if (e) listener(e);
      }, (e) => mapError('subscribe', e), subscribeOptions);
    },
  };
  return Object.freeze(adapter);
}
