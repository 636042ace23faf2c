/**
 * The scenario of the real-network test: every operation of the adapter succeeds at least once, for every
 * identity as owner and as a reader from another organisation, with the expected denials in between. Run on a real
 * network by fabric-network.test.ts and on the harness by fabric.test.ts (so the scenario itself is exercised).
 */
import { expect } from 'vitest';
import type { LedgerAdapter, LedgerEvent } from '@privkit/ledger';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the scenario with ids under `prefix`; returns how many times each operation succeeded. */
export async function runFabricScenario(adapters: LedgerAdapter[], prefix: string): Promise<Record<string, number>> {
  const ok: Record<string, number> = {};
  const count = <T>(op: string, v: T) => ((ok[op] = (ok[op] ?? 0) + 1), v);
  const seen: LedgerEvent[] = [];
  const stops = await Promise.all(adapters.slice(0, 1).map((a) => a.subscribe((e) => seen.push(e))));
  const txIds: string[] = [];
  for (let i = 0; i < adapters.length; i++) {
    const owner = adapters[i]!;
    const reader = adapters[(i + 1) % adapters.length]!;
    const id = `${prefix}-${i}`;
    const data = new Uint8Array([i, 1, 2, 3]);
    const v1 = count('put', await owner.put(id, { anchor: new Uint8Array(32).fill(i + 1), data }, { expectedVersion: 0 }));
    txIds.push(v1.txId);
    expect(v1.version).toBe(1);
    expect(count('get', await owner.get(id)).data).toEqual(data);
    await expect(owner.put(id, { anchor: new Uint8Array(32) }, { expectedVersion: 7 })).rejects.toMatchObject({ code: 'LEDGER_CONFLICT' });
    const v2 = count('put', await owner.put(id, { anchor: new Uint8Array(32).fill(i + 2), data }, { expectedVersion: 1 }));
    expect(v2.version).toBe(2);
    expect(count('getAnchor', await reader.getAnchor(id)).version).toBe(2);
    await expect(reader.get(id)).rejects.toMatchObject({ code: 'LEDGER_ACCESS_DENIED' });
    txIds.push(count('grant', await owner.grant(id, reader.identity, Math.floor(Date.now() / 1000) + 3600)).txId);
    expect(count('get', await reader.get(id)).data).toEqual(data); // cross-organisation read
    txIds.push(count('revoke', await owner.revoke(id, reader.identity)).txId);
    await expect(reader.get(id)).rejects.toMatchObject({ code: 'LEDGER_ACCESS_DENIED' });
    await expect(reader.history(id)).rejects.toMatchObject({ code: 'LEDGER_ACCESS_DENIED' });
    const d = count('deleteData', await owner.deleteData(id));
    txIds.push(d.txId);
    expect(d.version).toBe(3);
    const after = count('get', await owner.get(id));
    expect(after.deleted).toBe(true);
    expect(after.data).toHaveLength(0);
    expect(count('history', await owner.history(id)).map((h) => `${h.version}:${h.deleted}`)).toEqual(['1:false', '2:false', '3:true']);
  }
  for (let t = 0; t < 600 && txIds.some((x) => !seen.some((e) => e.txId === x)); t++) await wait(100);
  for (const stop of stops) stop();
  const delivered = seen.filter((e) => e.id.startsWith(prefix));
  expect(txIds.every((x) => delivered.some((e) => e.txId === x))).toBe(true);
  expect(new Set(delivered.map((e) => e.txId)).size).toBe(delivered.length); // no duplicates
  ok.subscribe = delivered.length;
  return ok;
}
