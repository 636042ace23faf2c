/**
 * The Ethereum back end over real JSON-RPC: starts `hardhat node` (Hardhat 3's CLI, the package's `bin`, in its own
 * process) on 127.0.0.1 (a free port), deploys the registry through viem's http transport and runs the shared
 * conformance suite against it. The node is stopped and its temporary folder removed on every path.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hardhatPackage } from './_hardhat.js';
import { freePort } from './_net.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublicClient, createWalletClient, http, type Account, type Address, type Chain, type PublicClient, type Transport, type WalletClient } from 'viem';
import { createEthereumAdapter, deployRegistry } from '@privkit/ledger';
import { embeddedChain, runLedgerConformance } from '@privkit/ledger/testing';

const pkgDir = new URL('..', import.meta.url).pathname;

let node: ChildProcess | undefined;
let url = '';
let scratch = '';

/** Hardhat's CLI, as its package.json `bin` names it (no internal module path). */
function hardhatCli(): string {
  const { dir, manifest } = hardhatPackage();
  return join(dir, manifest.bin.hardhat!);
}

beforeAll(async () => {
  const port = await freePort();
  scratch = mkdtempSync(join(tmpdir(), 'privkit-hardhat-node-'));
  node = spawn(process.execPath, [hardhatCli(), '--config', 'test/hardhat.config.js', 'node', '--hostname', '127.0.0.1', '--port', String(port)], {
    cwd: pkgDir,
    env: {
      ...process.env,
      CI: 'true',
      PRIVKIT_HARDHAT_ARTIFACTS: join(scratch, 'artifacts'),
      PRIVKIT_HARDHAT_CACHE: join(scratch, 'cache'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hardhat node did not start:\n${out}`)), 60_000);
    node!.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('Started HTTP')) {
        clearTimeout(timer);
        resolve();
      }
    });
    node!.stderr!.on('data', (d) => (out += d));
    node!.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hardhat node exited with ${code}:\n${out}`));
    });
  });
  url = `http://127.0.0.1:${port}`;
}, 90_000);

afterAll(async () => {
  if (node && node.exitCode === null) {
    const exited = new Promise((r) => node!.once('exit', r));
    node.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (node.exitCode === null) node.kill('SIGKILL');
  }
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('Ethereum back end over JSON-RPC (hardhat node on 127.0.0.1)', () => {
  it('deploys the registry and passes the conformance suite', async () => {
    const chain: Chain = { ...embeddedChain, rpcUrls: { default: { http: [url] } } };
    const transport = http(url, { retryCount: 0 });
    const publicClient = createPublicClient({ chain, transport, pollingInterval: 50 }) as PublicClient;
    const accounts = (await publicClient.request({ method: 'eth_accounts' as never })) as Address[];
    const wallets = accounts.slice(0, 3).map((a) => createWalletClient({ chain, transport, account: a as unknown as Account })) as unknown as WalletClient<Transport, Chain, Account>[];
    const { address, blockNumber, gasUsed } = await deployRegistry({ publicClient, walletClient: wallets[0]! });
    expect(gasUsed).toBeGreaterThan(100_000n);
    const adapters = wallets.map((walletClient) => createEthereumAdapter({ publicClient, walletClient, address, fromBlock: blockNumber, pollingInterval: 50 }));
    await runLedgerConformance(
      async () => ({
        adapters,
        advanceTime: async (s: number) => {
          await publicClient.request({ method: 'evm_increaseTime' as never, params: [s] as never });
          await publicClient.request({ method: 'evm_mine' as never });
        },
      }),
      { numRuns: 8, maxCommands: 12 },
    );
  });
});
