/**
 * An embedded EVM for demos and tests: Hardhat 2's in-process EDR provider, driven through viem's `custom`
 * transport. Only the `@privkit/ledger/testing` entry reaches this module, so the library itself never loads
 * Hardhat (an optional peer dependency).
 * @module
 */
import { tmpdir } from 'node:os';
import {
  createPublicClient, createWalletClient, custom, defineChain,
  type Account, type Address, type Chain, type EIP1193Provider, type PublicClient, type Transport, type WalletClient,
} from 'viem';
import type { LedgerAdapter } from '../adapter.js';
import { LedgerError, LedgerFormatError } from '../errors.js';
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
  /** Moves block time forward and mines a block. */
  advanceTime(seconds: number): Promise<void>;
}

/**
 * Starts an in-process EVM (Hardhat 2 EDR) and returns viem clients for it.
 * @throws {LedgerError} `LEDGER_UNAVAILABLE` when Hardhat is not installed
 */
export async function createEmbeddedEvm(): Promise<EmbeddedEvm> {
  let provider: EIP1193Provider;
  try {
    const cfg = (await import('hardhat/internal/core/config/config-resolution.js')) as unknown as {
      resolveConfig?: (path: string, config: unknown) => unknown;
      default?: { resolveConfig: (path: string, config: unknown) => unknown };
    };
    const cons = (await import('hardhat/internal/core/providers/construction.js')) as unknown as {
      createProvider?: (config: unknown, network: string) => Promise<EIP1193Provider>;
      default?: { createProvider: (config: unknown, network: string) => Promise<EIP1193Provider> };
    };
    const resolveConfig = cfg.resolveConfig ?? cfg.default!.resolveConfig;
    const createProvider = cons.createProvider ?? cons.default!.createProvider;
    // The path only has to exist: Hardhat derives its (unused) project paths from it.
    const config = resolveConfig(tmpdir(), {
      networks: { hardhat: { chainId: embeddedChain.id, loggingEnabled: false } },
    });
    provider = await createProvider(config, 'hardhat');
  } catch (cause) {
    throw new LedgerError('the embedded EVM needs the optional peer dependency hardhat@2', { code: 'LEDGER_UNAVAILABLE', cause });
  }
  // No retries: a revert surfaces as an unknown RPC error from the in-process provider and must not be retried.
  const transport = custom(provider, { retryCount: 0 });
  const publicClient = createPublicClient({ chain: embeddedChain, transport, pollingInterval: 50 }) as unknown as EthereumPublicClient;
  const addresses = (await provider.request({ method: 'eth_accounts' })) as Address[];
  const walletClients = addresses.map((address) =>
    createWalletClient({ chain: embeddedChain, transport, account: address as unknown as Account }),
  ) as unknown as EthereumWalletClient[];
  return {
    provider,
    publicClient,
    walletClients,
    async advanceTime(seconds: number) {
      await provider.request({ method: 'evm_increaseTime' as never, params: [seconds] as never });
      await provider.request({ method: 'evm_mine' as never });
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
      if (!a) throw new LedgerFormatError(`no funded account ${i}`, { code: 'LEDGER_INVALID_RECORD' });
      return a;
    },
  };
}
