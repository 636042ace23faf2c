/**
 * The embedded EVM (`createEmbeddedEvm`): Hardhat 3 reached through its public exports only, the chain and accounts
 * it promises, `advanceTime` (hostile arguments refused before any state changes) and `close`.
 */
import { readFileSync } from 'node:fs';
import { InputError, isPrivkitError } from '@privkit/core';
import { LedgerError } from '@privkit/ledger';
import { createEmbeddedEvm, embeddedChain } from '@privkit/ledger/testing';
import { describe, expect, it } from 'vitest';
import { hardhatPackage } from './_hardhat.js';

describe('embedded EVM (Hardhat 3)', () => {
  it('imports only subpaths that hardhat@3 exports publicly (no hardhat/internal/...)', () => {
    const source = readFileSync(new URL('../src/ethereum/embedded.ts', import.meta.url), 'utf8');
    const specifiers = [...source.matchAll(/import\(\s*'(hardhat(?:\/[^']*)?)'\s*\)|from\s+'(hardhat(?:\/[^']*)?)'/g)].map((m) => m[1] ?? m[2]!);
    expect(specifiers).toEqual(['hardhat/hre']);
    const { manifest } = hardhatPackage();
    expect(manifest.version.split('.')[0]).toBe('3');
    for (const s of specifiers) {
      const subpath = `.${s.slice('hardhat'.length)}`;
      expect(Object.hasOwn(manifest.exports, subpath), `${s} is exported`).toBe(true);
      expect(subpath.startsWith('./internal')).toBe(false);
    }
  });

  it('runs chain 31337 with 20 funded accounts; advanceTime moves the clock and mines', async () => {
    const evm = await createEmbeddedEvm();
    try {
      expect(await evm.publicClient.getChainId()).toBe(embeddedChain.id);
      expect(embeddedChain.id).toBe(31337);
      expect(evm.walletClients).toHaveLength(20);
      const balances = await Promise.all(evm.walletClients.map((w) => evm.publicClient.getBalance({ address: w.account.address })));
      for (const b of balances) expect(b).toBeGreaterThan(10n ** 18n);
      const before = await evm.publicClient.getBlock();
      await evm.advanceTime(7200);
      const after = await evm.publicClient.getBlock();
      expect(after.number).toBe(before.number + 1n);
      expect(after.timestamp - before.timestamp).toBeGreaterThanOrEqual(7200n);
    } finally {
      await evm.close();
    }
  });

  it('advanceTime refuses hostile seconds with an InputError and changes no state', async () => {
    const evm = await createEmbeddedEvm();
    try {
      const before = await evm.publicClient.getBlock();
      for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 32, '60', 60n, null, undefined, { valueOf: () => 60 }]) {
        await expect(evm.advanceTime(bad as never)).rejects.toBeInstanceOf(InputError);
      }
      const after = await evm.publicClient.getBlock();
      expect(after.number).toBe(before.number);
      await evm.advanceTime(0);
      expect((await evm.publicClient.getBlock()).number).toBe(before.number + 1n);
    } finally {
      await evm.close();
    }
  });

  it('close is idempotent; a closed EVM fails with LEDGER_UNAVAILABLE', async () => {
    const evm = await createEmbeddedEvm();
    await Promise.all([evm.close(), evm.close()]);
    await evm.close();
    const e = await evm.advanceTime(1).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(LedgerError);
    expect(isPrivkitError(e, 'LEDGER_UNAVAILABLE')).toBe(true);
  });

  it('two embedded EVMs are independent chains', async () => {
    const [a, b] = await Promise.all([createEmbeddedEvm(), createEmbeddedEvm()]);
    try {
      await a.advanceTime(1);
      await a.advanceTime(1);
      expect(await a.publicClient.getBlockNumber()).toBe(2n);
      expect(await b.publicClient.getBlockNumber()).toBe(0n);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
