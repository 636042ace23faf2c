import { describe, expect, it } from 'vitest';
import { createMemoryLedger, LedgerError, type LedgerAdapter } from '@privkit/ledger';
import { createEthereumTestLedger, runLedgerConformance } from '@privkit/ledger/testing';

const memoryBackend = async () => {
  const l = createMemoryLedger();
  return { adapters: ['alice', 'bob', 'carol'].map((n) => l.as(n)), advanceTime: async (s: number) => l.advanceTime(s) };
};

/** A deliberately broken adapter: revoke checks its arguments and ownership, then leaves the reader able to read. */
const brokenBackend = async () => {
  const l = createMemoryLedger();
  const adapters = ['alice', 'bob', 'carol'].map((n): LedgerAdapter => {
    const real = l.as(n);
    return {
      ...real,
      revoke: async (id, reader) => {
        const r = await real.revoke(id, reader);
        await real.grant(id, reader, l.now() + 10);
        return r;
      },
    };
  });
  return { adapters, advanceTime: async (s: number) => l.advanceTime(s) };
};

describe('ledger conformance', () => {
  it('the in-memory reference back end conforms', async () => {
    await runLedgerConformance(memoryBackend, { numRuns: 300 });
  });

  it('a broken back end fails with a shrunk counterexample', async () => {
    const err = await runLedgerConformance(brokenBackend, { numRuns: 500, ids: 1, seed: 42 }).then(() => null, (e: Error) => e);
    expect(err).not.toBeNull();
    const msg = String(err!.message);
    expect(msg).toMatch(/Counterexample/);
    expect(msg).toMatch(/revoke\(/);
    expect(msg).toMatch(/get\(/);
    expect(msg).toMatch(/Shrunk \d+ time/);
  });

  it('the Ethereum back end conforms on the embedded EVM', async () => {
    const eth = await createEthereumTestLedger();
    await runLedgerConformance(async () => ({ adapters: [0, 1, 2].map((i) => eth.as(i)), advanceTime: (s) => eth.evm.advanceTime(s) }), {
      numRuns: 25,
      maxCommands: 12,
    });
  });

  it('errors are typed', async () => {
    const l = createMemoryLedger().as('alice');
    await expect(l.get('missing')).rejects.toBeInstanceOf(LedgerError);
    await expect(l.put('bad id with spaces', { anchor: new Uint8Array(32) })).rejects.toMatchObject({ code: 'LEDGER_INVALID_RECORD' });
    await expect(l.put('ok', { anchor: new Uint8Array(31) })).rejects.toMatchObject({ code: 'INVALID_LENGTH' });
  });
});
