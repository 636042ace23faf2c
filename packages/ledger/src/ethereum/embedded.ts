/**
 * An embedded EVM for demos and tests: an EDR-simulated network created through Hardhat 3's public programmatic API
 * (`createHardhatRuntimeEnvironment` from `hardhat/hre`, then `hre.network.create()`), driven through viem's `custom`
 * transport. Only the `@privkit/ledger/testing` entry reaches this module, so the library itself never loads Hardhat
 * (an optional peer dependency, ESM-only: loaded with a real `import()`, also from the CJS build).
 * @module
 */
import { fileURLToPath } from 'node:url';
import { anumber, InputError } from '@privkit/core';
import { createPublicClient, createWalletClient, custom, defineChain, type Account, type Address, type Chain, type EIP1193Provider } from 'viem';
import type { LedgerAdapter } from '../adapter.js';
import { LedgerError } from '../errors.js';
import { createEthereumAdapter, deployRegistry, type EthereumPublicClient, type EthereumWalletClient } from './adapter.js';

/** The chain the embedded EVM runs (Hardhat's default chain id 31337). */
export const embeddedChain: Chain = defineChain({
  id: 31337,
  name: 'PrivKit embedded EVM',
  nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
  rpcUrls: { default: { http: ['http://127.0.0.1:8545'] } },
});

/** An embedded EVM with funded accounts. */
export interface EmbeddedEvm {
  provider: EIP1193Provider;
  publicClient: EthereumPublicClient;
  /** One wallet client per funded account (20). */
  walletClients: EthereumWalletClient[];
  /**
   * Moves block time forward by `seconds` (`evm_increaseTime`) and mines a block (`evm_mine`).
   * @throws {InputError} when `seconds` is not an integer in 0..2^32 - 1
   * @throws {LedgerError} `LEDGER_UNAVAILABLE` when the EVM fails the call (for example after `close`)
   */
  advanceTime(seconds: number): Promise<void>;
  /** Closes the Hardhat network connection (the simulated chain and its state are released). Idempotent. */
  close(): Promise<void>;
}

/**
 * The Hardhat project root: the package that contains this module (`@privkit/ledger`; Hardhat takes the closest
 * package.json). It has no `artifacts/`, so creating the network reads no build info of the caller's project, and it
 * does not depend on the working directory (Hardhat's default, which fails outside an npm project).
 */
const projectRoot = (): string => fileURLToPath(new URL('.', import.meta.url));

/** The part of Hardhat 3's public API (`hardhat/hre`) this module uses. */
interface HardhatNetworkConnection {
  provider: unknown;
  close(): Promise<void>;
}

/** Creates the EDR-simulated network through `hardhat/hre`. */
async function connectHardhat(): Promise<HardhatNetworkConnection> {
  const { createHardhatRuntimeEnvironment } = await import('hardhat/hre');
  const hre = await createHardhatRuntimeEnvironment(
    { networks: { default: { type: 'edr-simulated', chainId: embeddedChain.id, loggingEnabled: false } } },
    {},
    projectRoot(),
  );
  return hre.network.create();
}

/**
 * Starts an in-process EVM (Hardhat 3, EDR-simulated network `default`, chain id 31337, 20 funded accounts) and
 * returns viem clients for it.
 * @returns the provider, a public client, one wallet client per funded account, `advanceTime` and `close`
 * @throws {LedgerError} `LEDGER_UNAVAILABLE` when Hardhat 3 is not installed or the network cannot be created
 * @example const evm = await createEmbeddedEvm(); try { ... } finally { await evm.close(); }
 */
export async function createEmbeddedEvm(): Promise<EmbeddedEvm> {
  let connection: HardhatNetworkConnection;
  try {
    connection = await connectHardhat();
  } catch (cause) {
    throw new LedgerError('the embedded EVM needs the optional peer dependency hardhat@3', { code: 'LEDGER_UNAVAILABLE', cause });
  }
  const provider = connection.provider as EIP1193Provider;
  // No retries: a revert surfaces as an unknown RPC error from the in-process provider and must not be retried.
  const transport = custom(provider, { retryCount: 0 });
  const publicClient = createPublicClient({ chain: embeddedChain, transport, pollingInterval: 50 }) as unknown as EthereumPublicClient;
  const addresses = (await provider.request({ method: 'eth_accounts' })) as Address[];
  const walletClients = addresses.map((address) =>
    createWalletClient({ chain: embeddedChain, transport, account: address as unknown as Account }),
  ) as unknown as EthereumWalletClient[];
  let closed: Promise<void> | undefined;
  return {
    provider,
    publicClient,
    walletClients,
    async advanceTime(seconds: number) {
      anumber(seconds, 'seconds', 0, 2 ** 32 - 1);
      try {
        await provider.request({ method: 'evm_increaseTime' as never, params: [seconds] as never });
        await provider.request({ method: 'evm_mine' as never });
      } catch (cause) {
        throw new LedgerError('advanceTime: the embedded EVM did not complete the call', { code: 'LEDGER_UNAVAILABLE', cause });
      }
    },
    close() {
      closed ??= connection.close();
      return closed;
    },
  };
}

/** A PrivkitRegistry deployed on an EVM, with one adapter per funded account. */
export interface EthereumTestLedger {
  evm: EmbeddedEvm;
  address: Address;
  deployGas: bigint;
  /** Adapter acting as funded account `i` (0..19). */
  as(i: number): LedgerAdapter;
  identities: string[];
}

/**
 * Deploys a PrivkitRegistry on `evm` (default: a new embedded EVM) and returns adapters for its accounts.
 * @example const { as } = await createEthereumTestLedger(); const alice = as(0);
 */
export async function createEthereumTestLedger(evm?: EmbeddedEvm): Promise<EthereumTestLedger> {
  const e = evm ?? (await createEmbeddedEvm());
  const deployer = e.walletClients[0]!;
  const { address, blockNumber, gasUsed } = await deployRegistry({ publicClient: e.publicClient, walletClient: deployer });
  const adapters = e.walletClients.map((walletClient) =>
    createEthereumAdapter({ publicClient: e.publicClient, walletClient, address, fromBlock: blockNumber, pollingInterval: 50 }),
  );
  return {
    evm: e,
    address,
    deployGas: gasUsed,
    identities: adapters.map((a) => a.identity),
    as(i: number) {
      const a = adapters[i];
      if (!a) throw new InputError(`no funded account ${i}`, { code: 'INVALID_VALUE' });
      return a;
    },
  };
}
