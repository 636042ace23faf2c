/**
 * The Ethereum back end: {@link LedgerAdapter} over the PrivkitRegistry contract through viem.
 * @module
 */
import {
  BaseError, ContractFunctionRevertedError, decodeErrorResult, keccak256, toBytes, toHex,
  type Account, type Address, type Chain, type Hex, type PublicClient, type Transport, type WalletClient,
} from 'viem';
import { aobject, astring, InputError } from '@privkit/core';
import {
  assertExpiry, assertRecordId, assertRecordInput, assertVersion,
  type HistoryEntry, type LedgerAdapter, type LedgerEvent, type LedgerRecord, type RecordInput, type RecordSummary,
  type SubscribeOptions, type TxResult, retrySchedule,
} from '../adapter.js';
import { subscribeWithRetry, type EventSource } from '../_subscription.js';
import { LedgerError, LedgerFormatError, _ledgerError, _isLedgerError, type LedgerErrorCode } from '../errors.js';
import { registryAbi, registryBytecode } from './artifact.js';

const NO_CHECK = 2n ** 64n - 1n;
/** Largest block range of one eth_getLogs call of a subscription. */
const MAX_LOG_RANGE = 2000n;

interface RawLog {
  eventName: string;
  args: Record<string, unknown>;
  transactionHash: string;
  blockNumber: bigint;
  logIndex: number;
}

/** One registry log as a {@link LedgerEvent}. */
function decodeLog(log: RawLog): LedgerEvent | undefined {
  const a = log.args;
  const txId = log.transactionHash;
  if (log.eventName === 'RecordPut') return { type: 'put', id: a.id as string, owner: a.owner as string, version: Number(a.version), txId };
  if (log.eventName === 'ReaderGranted') return { type: 'grant', id: a.id as string, reader: a.reader as string, expiresAt: Number(a.expiresAt), txId };
  if (log.eventName === 'ReaderRevoked') return { type: 'revoke', id: a.id as string, reader: a.reader as string, txId };
  if (log.eventName === 'DataDeleted') return { type: 'delete', id: a.id as string, version: Number(a.version), txId };
  return undefined;
}
const ADDRESS_RE = /^0x[0-9a-fA-F]{40}$/;

/**
 * A viem public client (`createPublicClient`), named so the API reference links to viem instead of inlining it.
 * @noInheritDoc
 */
export interface EthereumPublicClient extends PublicClient {}

/**
 * A viem wallet client with an account (`createWalletClient({ account, … })`).
 * @noInheritDoc
 */
export interface EthereumWalletClient extends WalletClient<Transport, Chain | undefined, Account> {}

/** Options of {@link createEthereumAdapter}. */
export interface EthereumAdapterOptions {
  /** Reads, receipts, logs. */
  publicClient: EthereumPublicClient;
  /** Signs and sends transactions; must carry an `account`. */
  walletClient: EthereumWalletClient;
  /** Address of a deployed PrivkitRegistry. */
  address: Address;
  /** Block to start history/event scans from (the deployment block; default 0). */
  fromBlock?: bigint;
  /** Event polling interval in ms (default 100 for local nodes). */
  pollingInterval?: number;
}

const REVERT_CODES: Record<string, LedgerErrorCode> = {
  NotFound: 'LEDGER_NOT_FOUND',
  AccessDenied: 'LEDGER_ACCESS_DENIED',
  Conflict: 'LEDGER_CONFLICT',
  InvalidInput: 'LEDGER_INVALID_RECORD',
};

/** The contract's custom error name in a revert, whether viem decoded it or the node passed raw revert data. */
function revertName(e: unknown): string | undefined {
  const seen = new Set<unknown>();
  for (let c: unknown = e; c && typeof c === 'object' && !seen.has(c); c = (c as { cause?: unknown }).cause) {
    seen.add(c);
    if (c instanceof ContractFunctionRevertedError && c.data?.errorName) return c.data.errorName;
    // Some providers (Hardhat's in-process EDR) surface the revert as an error carrying raw `data`.
    const data = (c as { data?: unknown }).data;
    if (typeof data === 'string' && /^0x[0-9a-fA-F]{8}/.test(data)) {
      try {
        return decodeErrorResult({ abi: registryAbi, data: data as Hex }).errorName;
      } catch {
        // not one of ours: keep walking
      }
    }
  }
  return undefined;
}

/** Maps a viem error onto a LedgerError: contract reverts by their custom error, everything else UNAVAILABLE. */
function mapError(op: string, e: unknown): LedgerError | LedgerFormatError {
  if (_isLedgerError(e)) return e;
  const name = revertName(e);
  if (name !== undefined) {
    const code = REVERT_CODES[name] ?? 'LEDGER_INVALID_RECORD';
    return _ledgerError(`${op}: contract reverted with ${name}`, { code, cause: e });
  }
  if (e instanceof BaseError && e.walk((x) => x instanceof ContractFunctionRevertedError)) {
    return new LedgerFormatError(`${op}: contract reverted`, { code: 'LEDGER_INVALID_RECORD', cause: e });
  }
  return new LedgerError(`${op}: the Ethereum node did not complete the call`, { code: 'LEDGER_UNAVAILABLE', cause: e });
}

/**
 * Deploys a PrivkitRegistry.
 * @returns its address, the deployment block and gas used
 * @throws {LedgerError} `LEDGER_UNAVAILABLE` when the node fails
 */
export async function deployRegistry(clients: {
  publicClient: EthereumPublicClient;
  walletClient: EthereumWalletClient;
}): Promise<{ address: Address; blockNumber: bigint; gasUsed: bigint; txId: Hex }> {
  try {
    const hash = await clients.walletClient.deployContract({
      abi: registryAbi,
      bytecode: registryBytecode,
      account: clients.walletClient.account,
      chain: clients.walletClient.chain ?? null,
    });
    const receipt = await clients.publicClient.waitForTransactionReceipt({ hash });
    if (!receipt.contractAddress || receipt.status !== 'success') throw new Error('deployment reverted');
    return { address: receipt.contractAddress, blockNumber: receipt.blockNumber, gasUsed: receipt.gasUsed, txId: hash };
  } catch (e) {
    throw mapError('deploy', e);
  }
}

/**
 * Creates a {@link LedgerAdapter} bound to a deployed PrivkitRegistry, acting as the wallet client's account.
 * Read access control is enforced by the contract for `eth_call` from this account; on a public chain it is
 * advisory (anyone can read chain state) — the data part must be encrypted, which the integrity service does.
 * @example
 * const ledger = createEthereumAdapter({ publicClient, walletClient, address });
 * await ledger.put('block-1', { anchor: digest });
 */
export function createEthereumAdapter(options: EthereumAdapterOptions): LedgerAdapter {
  const { publicClient, walletClient, address } = aobject<EthereumAdapterOptions>(options, 'options', false)!;
  if (!publicClient || !walletClient?.account || typeof address !== 'string' || !ADDRESS_RE.test(address)) {
    throw new LedgerFormatError('createEthereumAdapter needs publicClient, walletClient with account, and address', { code: 'LEDGER_INVALID_RECORD' });
  }
  const account = walletClient.account;
  const fromBlock = options.fromBlock ?? 0n;
  const pollingInterval = options.pollingInterval ?? 100;
  const contract = { address, abi: registryAbi } as const;

  async function write(op: string, functionName: 'put' | 'grant' | 'revoke' | 'deleteData', args: readonly unknown[]) {
    try {
      const { request, result } = await publicClient.simulateContract({ ...contract, functionName, args, account } as never);
      const hash = await walletClient.writeContract(request as never);
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      if (receipt.status !== 'success') {
        // It passed simulation, so the state changed in between: a concurrent update won.
        throw new LedgerError(`${op}: transaction reverted (a concurrent update won)`, { code: 'LEDGER_CONFLICT' });
      }
      return { txId: hash as string, gasUsed: receipt.gasUsed, result: result as unknown };
    } catch (e) {
      throw mapError(op, e);
    }
  }

  const assertAddress = (a: unknown, title: string): Address => {
    astring(a, title, 42);
    if (!ADDRESS_RE.test(a as string)) throw new InputError(`"${title}" expected a 0x-prefixed 20-byte address`, { code: 'INVALID_VALUE' });
    return a as Address;
  };

  const adapter: LedgerAdapter = {
    backend: 'ethereum',
    identity: account.address,
    async put(id: string, input: RecordInput, opts: { expectedVersion?: number } = {}) {
      assertRecordId(id);
      const { anchor, data } = assertRecordInput(input);
      const expected = opts.expectedVersion === undefined ? NO_CHECK : BigInt(assertVersion(opts.expectedVersion));
      const r = await write('put', 'put', [id, toHex(anchor), toHex(data ?? new Uint8Array()), expected]);
      return { txId: r.txId, gasUsed: r.gasUsed, version: Number(r.result) };
    },
    async get(id: string): Promise<LedgerRecord> {
      assertRecordId(id);
      try {
        const [owner, version, deleted, anchor, data] = (await publicClient.readContract({
          ...contract, functionName: 'get', args: [id], account,
        })) as readonly [Address, bigint, boolean, Hex, Hex];
        return { id, owner, version: Number(version), deleted, anchor: toBytes(anchor), data: toBytes(data) };
      } catch (e) {
        throw mapError('get', e);
      }
    },
    async getAnchor(id: string): Promise<RecordSummary> {
      assertRecordId(id);
      try {
        const [owner, version, deleted, anchor] = (await publicClient.readContract({
          ...contract, functionName: 'getAnchor', args: [id],
        })) as readonly [Address, bigint, boolean, Hex];
        return { id, owner, version: Number(version), deleted, anchor: toBytes(anchor) };
      } catch (e) {
        throw mapError('getAnchor', e);
      }
    },
    async history(id: string): Promise<HistoryEntry[]> {
      const summary = await adapter.getAnchor(id);
      if (summary.owner.toLowerCase() !== account.address.toLowerCase()) {
        throw new LedgerError(`history of ${id} is for its owner`, { code: 'LEDGER_ACCESS_DENIED' });
      }
      try {
        const key = keccak256(toBytes(id));
        const [puts, deletes] = await Promise.all([
          publicClient.getContractEvents({ ...contract, eventName: 'RecordPut', args: { key }, fromBlock, strict: true }),
          publicClient.getContractEvents({ ...contract, eventName: 'DataDeleted', args: { key }, fromBlock, strict: true }),
        ]);
        const entries: HistoryEntry[] = [
          ...puts.map((l) => ({ version: Number(l.args.version), anchor: toBytes(l.args.anchor), dataHash: toBytes(l.args.dataHash), deleted: false, txId: l.transactionHash })),
          ...deletes.map((l) => ({ version: Number(l.args.version), anchor: toBytes(l.args.anchor), dataHash: toBytes(keccak256(new Uint8Array())), deleted: true, txId: l.transactionHash })),
        ];
        return entries.sort((a, b) => a.version - b.version);
      } catch (e) {
        throw mapError('history', e);
      }
    },
    async grant(id: string, reader: string, expiresAt: number): Promise<TxResult> {
      assertRecordId(id);
      const who = assertAddress(reader, 'reader');
      assertExpiry(expiresAt);
      const r = await write('grant', 'grant', [id, who, BigInt(expiresAt)]);
      return { txId: r.txId, gasUsed: r.gasUsed };
    },
    async revoke(id: string, reader: string): Promise<TxResult> {
      assertRecordId(id);
      const who = assertAddress(reader, 'reader');
      const r = await write('revoke', 'revoke', [id, who]);
      return { txId: r.txId, gasUsed: r.gasUsed };
    },
    async deleteData(id: string) {
      assertRecordId(id);
      const r = await write('deleteData', 'deleteData', [id]);
      return { txId: r.txId, gasUsed: r.gasUsed, version: Number(r.result) };
    },
    async subscribe(listener: (e: LedgerEvent) => void, subscribeOptions: SubscribeOptions = {}) {
      if (typeof listener !== 'function') throw new InputError('"listener" expected a function', { code: 'INVALID_TYPE' });
      retrySchedule(subscribeOptions);
      // Our own polling of eth_getLogs over block ranges: a failed poll is reported to onError and the poll
      // resumes from the first block not yet fully delivered.
      let next: bigint | undefined;
      const open = async (): Promise<EventSource<{ block: bigint; event: LedgerEvent | undefined }>> => {
        next ??= (await publicClient.getBlockNumber({ cacheTime: 0 })) + 1n;
        let stopped = false;
        let wake: (() => void) | undefined;
        async function* poll() {
          while (!stopped) {
            const latest = await publicClient.getBlockNumber({ cacheTime: 0 });
            if (latest >= next!) {
              const to = latest - next! >= MAX_LOG_RANGE ? next! + MAX_LOG_RANGE - 1n : latest;
              const logs = await publicClient.getContractEvents({ ...contract, fromBlock: next!, toBlock: to, strict: true });
              const sorted = [...(logs as unknown as RawLog[])].sort((a, b) => (a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1));
              for (const log of sorted) yield { block: to, event: decodeLog(log) };
              yield { block: to, event: undefined }; // the range is done: advance the checkpoint
              continue;
            }
            await new Promise<void>((r) => {
              const t = setTimeout(r, pollingInterval);
              wake = () => {
                clearTimeout(t);
                r();
              };
            });
          }
        }
        const it = poll();
        return { [Symbol.asyncIterator]: () => it, close: () => { stopped = true; wake?.(); } };
      };
      // Within a range, events are delivered in order; the checkpoint moves past the range once all were delivered.
      return subscribeWithRetry(open, ({ block, event }) => {
        if (event) listener(event);
        else next = block + 1n;
      }, (e) => mapError('subscribe', e), subscribeOptions);
    },
  };
  return Object.freeze(adapter);
}
