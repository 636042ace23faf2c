/**
 * Ethereum subscriptions under a failing node connection: the same contract as Fabric's — failures reported to
 * onError, polling resumed after the last delivered block, no event lost or duplicated.
 */
import { describe, expect, it } from 'vitest';
import { createPublicClient, custom, type EIP1193Provider } from 'viem';
import { createEthereumAdapter, type EthereumPublicClient } from '@privkit/ledger';
import { createEthereumTestLedger, embeddedChain } from '@privkit/ledger/testing';

describe('Ethereum subscribe', () => {
  it('subscription survives a node outage without losing or duplicating an event', async () => {
    const eth = await createEthereumTestLedger();
    let down = false;
    // The reader's connection to the node: a real provider behind a switch that drops every request.
    const flaky = {
      request: (args: unknown) => (down ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:8545')) : eth.evm.provider.request(args as never)),
    } as EIP1193Provider;
    const publicClient = createPublicClient({ chain: embeddedChain, transport: custom(flaky, { retryCount: 0 }), pollingInterval: 20 }) as unknown as EthereumPublicClient;
    const reader = createEthereumAdapter({ publicClient, walletClient: eth.evm.walletClients[5]!, address: eth.address, pollingInterval: 20 });
    const writer = eth.as(1);
    const seen: string[] = [];
    const errors: unknown[] = [];
    const stop = await reader.subscribe((e) => seen.push(`${e.type}:${e.id}`), { onError: (e) => errors.push(e), retry: { initialDelayMs: 20, maxDelayMs: 100 } });
    await writer.put('e-before', { anchor: new Uint8Array(32).fill(1) });
    for (let i = 0; i < 100 && seen.length < 1; i++) await new Promise((r) => setTimeout(r, 20));
    down = true;
    await writer.put('e-during', { anchor: new Uint8Array(32).fill(2) });
    await writer.grant('e-during', reader.identity, Math.floor(Date.now() / 1000) + 86400);
    await new Promise((r) => setTimeout(r, 200));
    down = false;
    await writer.put('e-after', { anchor: new Uint8Array(32).fill(3) });
    for (let i = 0; i < 200 && seen.length < 4; i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 150));
    stop();
    expect(seen).toEqual(['put:e-before', 'put:e-during', 'grant:e-during', 'put:e-after']);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatchObject({ code: 'LEDGER_UNAVAILABLE' });
  });

  it('gives up after maxAttempts and says so', async () => {
    const eth = await createEthereumTestLedger();
    let down = false;
    const flaky = { request: (args: unknown) => (down ? Promise.reject(new Error('down')) : eth.evm.provider.request(args as never)) } as EIP1193Provider;
    const publicClient = createPublicClient({ chain: embeddedChain, transport: custom(flaky, { retryCount: 0 }) }) as unknown as EthereumPublicClient;
    const reader = createEthereumAdapter({ publicClient, walletClient: eth.evm.walletClients[5]!, address: eth.address, pollingInterval: 10 });
    const errors: { message?: string }[] = [];
    await reader.subscribe(() => undefined, { onError: (e) => errors.push(e as never), retry: { initialDelayMs: 5, maxDelayMs: 10, maxAttempts: 3 } });
    down = true;
    for (let i = 0; i < 100 && !errors.some((e) => /gave up/.test(String(e.message))); i++) await new Promise((r) => setTimeout(r, 10));
    expect(errors.at(-1)!.message).toMatch(/gave up after 3/);
  });
});

describe('subscribe options are validated by every back end', () => {
  it('hostile retry options and listeners get typed errors', async () => {
    const { createMemoryLedger } = await import('@privkit/ledger');
    const { PrivkitError } = await import('@privkit/core');
    const eth = await createEthereumTestLedger();
    for (const adapter of [createMemoryLedger().as('a'), eth.as(0)]) {
      for (const retry of [{ initialDelayMs: -1 }, { initialDelayMs: NaN }, { maxDelayMs: 'x' }, { maxAttempts: 0 }, { initialDelayMs: 500, maxDelayMs: 10 }]) {
        await expect(adapter.subscribe(() => undefined, { retry: retry as never }), JSON.stringify(retry)).rejects.toBeInstanceOf(PrivkitError);
      }
      await expect(adapter.subscribe('nope' as never)).rejects.toBeInstanceOf(PrivkitError);
    }
  });
});
