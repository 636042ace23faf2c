/**
 * The shared conformance suite for {@link LedgerAdapter} back ends: a fast-check model-based test (`fc.commands`)
 * that drives random sequences of put/get/getAnchor/history/grant/revoke/deleteData/time-travel through several
 * identities and compares every outcome — value or error code — with a simple model. A third-party back end is
 * checked with one call: `await runLedgerConformance(factory)`. Reached only through `@privkit/ledger/testing`.
 * @module
 */
import * as fc from 'fast-check';
import { bytesToHex, randomBytes } from '@privkit/core';
import type { LedgerAdapter } from './adapter.js';
import { _isLedgerError } from './errors.js';

/** A back end under test: adapters for ≥ 2 identities on one shared ledger. */
export interface LedgerUnderTest {
  adapters: LedgerAdapter[];
  /** Moves ledger time forward (needed for grant expiry); when absent, expiry commands are not generated. */
  advanceTime?: (seconds: number) => Promise<void>;
  /** Releases resources after the run. */
  close?: () => Promise<void>;
}

/** Options of {@link runLedgerConformance}. */
export interface ConformanceOptions {
  numRuns?: number;
  maxCommands?: number;
  seed?: number;
  /** Record ids used per run (default 2: collisions between commands are the interesting part). */
  ids?: number;
}

/** One record as the conformance model tracks it. */
export interface LedgerModelRecord {
  owner: number;
  version: number;
  anchor: string;
  data: string;
  deleted: boolean;
  grants: Set<number>;
  history: { version: number; anchor: string; deleted: boolean }[];
}

/** The model state of `ledgerCommands` (what a correct back end must hold). */
export interface LedgerModel {
  records: Map<string, LedgerModelRecord>;
}

/** The real side of `ledgerCommands`: the back end under test and its run-scoped state. */
export interface LedgerReal {
  sut: LedgerUnderTest;
  prefix: string;
  /** Seconds the back end's clock was advanced, across all runs (the back end is shared between runs). */
  clock: { advanced: number };
}

type Outcome<T> = { ok: true; value: T } | { ok: false; code: string };

async function attempt<T>(f: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await f() };
  } catch (e) {
    if (_isLedgerError(e)) return { ok: false, code: e.code };
    const code = (e as { code?: unknown })?.code;
    return { ok: false, code: typeof code === 'string' ? code : `untyped: ${String(e)}` };
  }
}

function fail(cmd: string, msg: string): never {
  throw new Error(`${cmd}: ${msg}`);
}

function expectError(cmd: string, out: Outcome<unknown>, code: string): void {
  if (out.ok) fail(cmd, `expected ${code}, but the call succeeded`);
  if (out.code !== code) fail(cmd, `expected ${code}, got ${out.code}`);
}

function expectOk<T>(cmd: string, out: Outcome<T>): T {
  if (!out.ok) fail(cmd, `expected success, got ${out.code}`);
  return out.value;
}

const GRANT_SECONDS = 3600;
const ADVANCE_SECONDS = 2 * GRANT_SECONDS;

function idOf(real: LedgerReal, i: number) {
  return `${real.prefix}-rec${i}`;
}

class PutCmd implements fc.AsyncCommand<LedgerModel, LedgerReal> {
  constructor(readonly actor: number, readonly id: number, readonly anchor: number, readonly data: number, readonly stale: boolean) {}
  check = () => true;
  async run(m: LedgerModel, r: LedgerReal) {
    const id = idOf(r, this.id);
    const rec = m.records.get(id);
    const anchor = new Uint8Array(32).fill(this.anchor);
    const data = new Uint8Array(this.data).fill(this.anchor ^ 0x5a);
    const expectedVersion = rec ? (this.stale ? rec.version + 1 : rec.version) : this.stale ? 3 : 0;
    const out = await attempt(() => r.sut.adapters[this.actor]!.put(id, { anchor, data }, { expectedVersion }));
    if (rec && rec.owner !== this.actor) return expectError(this.toString(), out, 'LEDGER_ACCESS_DENIED');
    if (this.stale) return expectError(this.toString(), out, 'LEDGER_CONFLICT');
    const got = expectOk(this.toString(), out);
    const next: LedgerModelRecord = rec ?? { owner: this.actor, version: 0, anchor: '', data: '', deleted: false, grants: new Set(), history: [] };
    next.version += 1;
    next.anchor = bytesToHex(anchor);
    next.data = bytesToHex(data);
    next.deleted = false;
    next.history.push({ version: next.version, anchor: next.anchor, deleted: false });
    m.records.set(id, next);
    if (got.version !== next.version) fail(this.toString(), `version ${got.version}, model says ${next.version}`);
  }
  toString = () => `put(actor=${this.actor}, rec${this.id}, anchor=${this.anchor}, data=${this.data}B${this.stale ? ', stale version' : ''})`;
}

class GetCmd implements fc.AsyncCommand<LedgerModel, LedgerReal> {
  constructor(readonly actor: number, readonly id: number) {}
  check = () => true;
  async run(m: LedgerModel, r: LedgerReal) {
    const id = idOf(r, this.id);
    const rec = m.records.get(id);
    const out = await attempt(() => r.sut.adapters[this.actor]!.get(id));
    if (!rec) return expectError(this.toString(), out, 'LEDGER_NOT_FOUND');
    if (rec.owner !== this.actor && !rec.grants.has(this.actor)) return expectError(this.toString(), out, 'LEDGER_ACCESS_DENIED');
    const got = expectOk(this.toString(), out);
    const want = `${rec.version}/${rec.anchor}/${rec.deleted ? '' : rec.data}/${rec.deleted}`;
    const have = `${got.version}/${bytesToHex(got.anchor)}/${bytesToHex(got.data)}/${got.deleted}`;
    if (want !== have) fail(this.toString(), `got ${have}, model says ${want}`);
    if (got.owner.toLowerCase() !== r.sut.adapters[rec.owner]!.identity.toLowerCase()) fail(this.toString(), 'wrong owner');
  }
  toString = () => `get(actor=${this.actor}, rec${this.id})`;
}

class AnchorCmd implements fc.AsyncCommand<LedgerModel, LedgerReal> {
  constructor(readonly actor: number, readonly id: number) {}
  check = () => true;
  async run(m: LedgerModel, r: LedgerReal) {
    const id = idOf(r, this.id);
    const rec = m.records.get(id);
    const out = await attempt(() => r.sut.adapters[this.actor]!.getAnchor(id));
    if (!rec) return expectError(this.toString(), out, 'LEDGER_NOT_FOUND');
    const got = expectOk(this.toString(), out);
    if (got.version !== rec.version || bytesToHex(got.anchor) !== rec.anchor || got.deleted !== rec.deleted) {
      fail(this.toString(), `got v${got.version}, model says v${rec.version}`);
    }
  }
  toString = () => `getAnchor(actor=${this.actor}, rec${this.id})`;
}

class HistoryCmd implements fc.AsyncCommand<LedgerModel, LedgerReal> {
  constructor(readonly actor: number, readonly id: number) {}
  check = () => true;
  async run(m: LedgerModel, r: LedgerReal) {
    const id = idOf(r, this.id);
    const rec = m.records.get(id);
    const out = await attempt(() => r.sut.adapters[this.actor]!.history(id));
    if (!rec) return expectError(this.toString(), out, 'LEDGER_NOT_FOUND');
    if (rec.owner !== this.actor) return expectError(this.toString(), out, 'LEDGER_ACCESS_DENIED');
    const got = expectOk(this.toString(), out).map((h) => `${h.version}:${bytesToHex(h.anchor)}:${h.deleted}`);
    const want = rec.history.map((h) => `${h.version}:${h.anchor}:${h.deleted}`);
    if (got.join() !== want.join()) fail(this.toString(), `got [${got}], model says [${want}]`);
  }
  toString = () => `history(actor=${this.actor}, rec${this.id})`;
}

class GrantCmd implements fc.AsyncCommand<LedgerModel, LedgerReal> {
  constructor(readonly actor: number, readonly id: number, readonly reader: number) {}
  check = () => true;
  async run(m: LedgerModel, r: LedgerReal) {
    const id = idOf(r, this.id);
    const rec = m.records.get(id);
    const expiresAt = Math.floor(Date.now() / 1000) + r.clock.advanced + GRANT_SECONDS;
    const reader = r.sut.adapters[this.reader]!.identity;
    const out = await attempt(() => r.sut.adapters[this.actor]!.grant(id, reader, expiresAt));
    if (!rec) return expectError(this.toString(), out, 'LEDGER_NOT_FOUND');
    if (rec.owner !== this.actor) return expectError(this.toString(), out, 'LEDGER_ACCESS_DENIED');
    expectOk(this.toString(), out);
    rec.grants.add(this.reader);
  }
  toString = () => `grant(actor=${this.actor}, rec${this.id}, reader=${this.reader})`;
}

class RevokeCmd implements fc.AsyncCommand<LedgerModel, LedgerReal> {
  constructor(readonly actor: number, readonly id: number, readonly reader: number) {}
  check = () => true;
  async run(m: LedgerModel, r: LedgerReal) {
    const id = idOf(r, this.id);
    const rec = m.records.get(id);
    const reader = r.sut.adapters[this.reader]!.identity;
    const out = await attempt(() => r.sut.adapters[this.actor]!.revoke(id, reader));
    if (!rec) return expectError(this.toString(), out, 'LEDGER_NOT_FOUND');
    if (rec.owner !== this.actor) return expectError(this.toString(), out, 'LEDGER_ACCESS_DENIED');
    expectOk(this.toString(), out);
    rec.grants.delete(this.reader);
  }
  toString = () => `revoke(actor=${this.actor}, rec${this.id}, reader=${this.reader})`;
}

class DeleteCmd implements fc.AsyncCommand<LedgerModel, LedgerReal> {
  constructor(readonly actor: number, readonly id: number) {}
  check = () => true;
  async run(m: LedgerModel, r: LedgerReal) {
    const id = idOf(r, this.id);
    const rec = m.records.get(id);
    const out = await attempt(() => r.sut.adapters[this.actor]!.deleteData(id));
    if (!rec) return expectError(this.toString(), out, 'LEDGER_NOT_FOUND');
    if (rec.owner !== this.actor) return expectError(this.toString(), out, 'LEDGER_ACCESS_DENIED');
    const got = expectOk(this.toString(), out);
    rec.version += 1;
    rec.deleted = true;
    rec.data = '';
    rec.history.push({ version: rec.version, anchor: rec.anchor, deleted: true });
    if (got.version !== rec.version) fail(this.toString(), `version ${got.version}, model says ${rec.version}`);
  }
  toString = () => `deleteData(actor=${this.actor}, rec${this.id})`;
}

class AdvanceCmd implements fc.AsyncCommand<LedgerModel, LedgerReal> {
  check = () => true;
  async run(m: LedgerModel, r: LedgerReal) {
    await r.sut.advanceTime!(ADVANCE_SECONDS);
    r.clock.advanced += ADVANCE_SECONDS;
    for (const rec of m.records.values()) rec.grants.clear(); // every grant made so far has expired
  }
  toString = () => `advanceTime(${ADVANCE_SECONDS}s)`;
}

/**
 * The arbitrary of command sequences used by {@link runLedgerConformance} (exported for custom runners).
 * @param identities - number of identities (adapters) available
 */
export function ledgerCommands(identities: number, ids = 2, withTime = true, maxCommands = 20) {
  const actor = fc.nat({ max: identities - 1 });
  const id = fc.nat({ max: ids - 1 });
  const cmds: fc.Arbitrary<fc.AsyncCommand<LedgerModel, LedgerReal>>[] = [
    fc.tuple(actor, id, fc.integer({ min: 1, max: 255 }), fc.nat({ max: 40 }), fc.boolean()).map(([a, i, an, d, s]) => new PutCmd(a, i, an, d, s)),
    fc.tuple(actor, id).map(([a, i]) => new GetCmd(a, i)),
    fc.tuple(actor, id).map(([a, i]) => new AnchorCmd(a, i)),
    fc.tuple(actor, id).map(([a, i]) => new HistoryCmd(a, i)),
    fc.tuple(actor, id, actor).map(([a, i, rd]) => new GrantCmd(a, i, rd)),
    fc.tuple(actor, id, actor).map(([a, i, rd]) => new RevokeCmd(a, i, rd)),
    fc.tuple(actor, id).map(([a, i]) => new DeleteCmd(a, i)),
  ];
  if (withTime) cmds.push(fc.constant(new AdvanceCmd()));
  return fc.commands(cmds, { maxCommands, size: 'max' });
}

/**
 * Runs the model-based conformance suite against a back end. Resolves when every run matched the model; rejects
 * with fast-check's report — the shrunk command sequence that diverged — otherwise.
 * @param factory - creates the back end once; every run uses fresh record ids on it
 * @example await runLedgerConformance(async () => { const l = createMemoryLedger(); return { adapters: ['a','b','c'].map(l.as), advanceTime: async (s) => l.advanceTime(s) }; });
 */
export async function runLedgerConformance(factory: () => Promise<LedgerUnderTest>, options: ConformanceOptions = {}): Promise<void> {
  const sut = await factory();
  try {
    if (!Array.isArray(sut.adapters) || sut.adapters.length < 2) throw new Error('the back end must give at least 2 adapters');
    const ids = options.ids ?? 2;
    const clock = { advanced: 0 };
    await fc.assert(
      fc.asyncProperty(ledgerCommands(sut.adapters.length, ids, sut.advanceTime !== undefined, options.maxCommands ?? 20), async (cmds) => {
        const real: LedgerReal = { sut, prefix: `ct-${bytesToHex(randomBytes(6))}`, clock };
        await fc.asyncModelRun(() => ({ model: { records: new Map() }, real }), cmds);
      }),
      { numRuns: options.numRuns ?? 30, ...(options.seed === undefined ? {} : { seed: options.seed }) },
    );
  } finally {
    await sut.close?.();
  }
}
