/**
 * The PrivKit registry chaincode for Hyperledger Fabric (fabric-contract-api): the same records as the Ethereum
 * contract, with the access rules inside the contract and the data part in private data.
 *
 * - Public state `rec\0<id>`: `{owner, dataOrg, version, anchor, deleted, dataHash}` — `dataHash` is SHA-256 of
 *   the private value, which the client salts (FORMAT.md), so only a salted hash reaches the channel ledger.
 * - The data part (already envelope-encrypted by the integrity service) is private data under `<id>` in the
 *   owner organisation's implicit collection `_implicit_org_<owner MSP>` (Fabric ≥ 2.0, no collection config
 *   needed, every organisation of the channel has one): only the owner organisation's peers hold it, every
 *   organisation of the channel can be an owner or a reader, and the access rules are the contract's. A reader
 *   from another organisation is served by a peer of the owner's organisation (`Get` answers `dataAt` and the
 *   client re-evaluates there). A deployment may instead name one explicit collection (`collection` option).
 *   The value arrives as transient data `data` (never in the proposal arguments, so never in a block);
 *   `DeleteData` purges it (Fabric ≥ 2.5 `PurgePrivateData`), while the hash history stays on the channel.
 * - Grants `grant\0<id>\0<reader>`: `{expiresAt}` in Unix seconds. `Get` compares the expiry with the endorsing
 *   peer's clock, not with the proposal timestamp the reader chooses; every time-dependent transaction rejects a
 *   proposal whose timestamp is more than `maxClockSkewSeconds` from the peer's clock (`LEDGER_CLOCK_SKEW`).
 * - Only the owner updates, shares, unshares, deletes and reads the history; readers see records shared with
 *   them; everyone sees `GetAnchor`. Errors are thrown as `LEDGER_<CODE>: message`, which the client adapter
 *   maps back to `LedgerError` / `LedgerFormatError` codes; the peer's refusals of private-data access (its shim protocol carries
 *   them as text only) become `LEDGER_ACCESS_DENIED` here, in the one place that sees them.
 * - Helper methods start with `_`: fabric-contract-api exposes every other method as a transaction.
 * @module
 */
import { createHash } from 'node:crypto';
import { Contract, type Context } from 'fabric-contract-api';

import { FABRIC_EVENTS, IMPLICIT_COLLECTION_PREFIX, PRIVATE_COLLECTION } from './_events.js';

export { FABRIC_EVENTS, IMPLICIT_COLLECTION_PREFIX, PRIVATE_COLLECTION };

interface StoredRecord {
  owner: string;
  /** MSP id of the organisation whose implicit collection holds the data part (the owner's). */
  dataOrg?: string;
  version: number;
  anchor: string;
  deleted: boolean;
  dataHash: string;
}

const ID_RE = /^[A-Za-z0-9._:/@+-]{1,128}$/;
const HEX32 = /^[0-9a-f]{64}$/;
const MAX_DATA = 16 * 1024 + 64;

function fail(code: string, message: string): never {
  throw new Error(`${code}: ${message}`);
}

function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

const EMPTY_HASH = sha256Hex(new Uint8Array());

/** Default bound on |proposal timestamp − endorsing peer's clock|, in seconds. */
export const DEFAULT_MAX_SKEW = 300;

/** Options of {@link PrivkitRegistryContract} (a deployment subclasses the contract to change them). */
export interface RegistryContractOptions {
  /**
   * One explicit collection for every data part (it must list every organisation that owns or reads records);
   * default: env `PRIVKIT_DATA_COLLECTION`, else the owner organisation's implicit collection `_implicit_org_<MSP>`.
   */
  collection?: string;
  /** The endorsing peer's clock in Unix seconds (default the chaincode host's `Date.now()`). */
  clock?: () => number;
  /** The endorsing peer's MSP id (default `ctx.stub.getMspID()`, i.e. `CORE_PEER_LOCALMSPID`). */
  localMspId?: () => string;
  /** Largest accepted |proposal timestamp − peer clock| in seconds, 1..86400 (default env `PRIVKIT_MAX_CLOCK_SKEW`, else {@link DEFAULT_MAX_SKEW}). */
  maxClockSkewSeconds?: number;
}

/**
 * The registry contract. Transaction functions take and return strings (JSON for structured results).
 */
export class PrivkitRegistryContract extends Contract {
  readonly collection: string | undefined;
  private readonly clock: () => number;
  private readonly localMsp: ((ctx: Context) => string);
  private readonly maxSkew: number;

  constructor(options: RegistryContractOptions = {}) {
    super('privkit.registry');
    // Deployment knobs (the Fabric runtime constructs the contract without arguments): environment variables of
    // the chaincode process; every peer's chaincode must use the same values or their endorsements differ.
    const env = typeof process === 'object' ? process.env : {};
    this.collection = options.collection ?? (env.PRIVKIT_DATA_COLLECTION || undefined);
    this.clock = options.clock ?? (() => Date.now() / 1000);
    const local = options.localMspId;
    this.localMsp = local ? () => local() : (ctx) => ctx.stub.getMspID();
    const skew = options.maxClockSkewSeconds ?? (env.PRIVKIT_MAX_CLOCK_SKEW ? Number(env.PRIVKIT_MAX_CLOCK_SKEW) : DEFAULT_MAX_SKEW);
    if (!Number.isSafeInteger(skew) || skew < 1 || skew > 86_400) throw new Error('PRIVKIT_MAX_CLOCK_SKEW / maxClockSkewSeconds must be an integer number of seconds in 1..86400');
    this.maxSkew = skew;
  }

  /** The caller's identity: `<MSP id>::<x509 id>`. */
  WhoAmI(ctx: Context): string {
    return `${ctx.clientIdentity.getMSPID()}::${ctx.clientIdentity.getID()}`;
  }

  private _checkId(id: string): void {
    if (typeof id !== 'string' || !ID_RE.test(id)) fail('LEDGER_INVALID_RECORD', 'bad record id');
  }

  /**
   * The endorsing peer's clock, after checking that the proposal's timestamp (chosen by the client) is within
   * `maxClockSkewSeconds` of it. Returns both: reads decide on the peer's clock; writes on the proposal
   * timestamp, which every endorser sees alike (so their results match).
   */
  private _clock(ctx: Context): { peer: number; proposal: number } {
    const proposal = Number(ctx.stub.getTxTimestamp().seconds.toString());
    const peer = this.clock();
    if (!(Math.abs(proposal - peer) <= this.maxSkew)) {
      fail('LEDGER_CLOCK_SKEW', `proposal timestamp ${proposal} is more than ${this.maxSkew} s from the endorsing peer's clock`);
    }
    return { peer, proposal };
  }

  /** Where a record's data part lives: the configured collection, else its owner org's implicit collection; records written before `dataOrg` existed (0.1.0) keep theirs in {@link PRIVATE_COLLECTION}. */
  private _collection(rec: StoredRecord): string {
    return this.collection ?? (rec.dataOrg === undefined ? PRIVATE_COLLECTION : IMPLICIT_COLLECTION_PREFIX + rec.dataOrg);
  }

  /** Runs a private-data call; the peer's refusal (member-only collections) becomes LEDGER_ACCESS_DENIED. */
  private async _private<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (e) {
      const text = String((e as Error)?.message ?? e);
      if (/does not have (read|write) access permission/.test(text)) fail('LEDGER_ACCESS_DENIED', 'the peer refused access to the private data collection');
      fail('LEDGER_UNAVAILABLE', 'the private data is not available on this peer');
    }
  }

  private async _load(ctx: Context, id: string): Promise<StoredRecord> {
    this._checkId(id);
    const raw = await ctx.stub.getState(ctx.stub.createCompositeKey('rec', [id]));
    if (!raw || raw.length === 0) fail('LEDGER_NOT_FOUND', `record ${id} not found`);
    return JSON.parse(Buffer.from(raw).toString('utf8')) as StoredRecord;
  }

  private async _save(ctx: Context, id: string, rec: StoredRecord): Promise<void> {
    await ctx.stub.putState(ctx.stub.createCompositeKey('rec', [id]), Buffer.from(JSON.stringify(rec)));
  }

  private async _owned(ctx: Context, id: string): Promise<StoredRecord> {
    const rec = await this._load(ctx, id);
    if (rec.owner !== this.WhoAmI(ctx)) fail('LEDGER_ACCESS_DENIED', `only the owner may do this on ${id}`);
    return rec;
  }

  /**
   * Creates or updates a record. `expectedVersion` is the decimal version the caller last saw ("0" to create) or
   * "" to skip the check; the data part arrives as transient field `data`.
   */
  async Put(ctx: Context, id: string, anchorHex: string, expectedVersion: string): Promise<string> {
    this._checkId(id);
    if (!HEX32.test(anchorHex)) fail('LEDGER_INVALID_RECORD', 'anchor must be 32 bytes of lowercase hex');
    if (expectedVersion !== '' && !/^\d{1,15}$/.test(expectedVersion)) fail('LEDGER_INVALID_RECORD', 'bad expected version');
    const me = this.WhoAmI(ctx);
    const key = ctx.stub.createCompositeKey('rec', [id]);
    const raw = await ctx.stub.getState(key);
    const exists = raw && raw.length > 0;
    const rec: StoredRecord = exists
      ? (JSON.parse(Buffer.from(raw).toString('utf8')) as StoredRecord)
      : { owner: me, dataOrg: ctx.clientIdentity.getMSPID(), version: 0, anchor: anchorHex, deleted: false, dataHash: '' };
    if (exists && rec.owner !== me) fail('LEDGER_ACCESS_DENIED', `record ${id} belongs to another owner`);
    if (expectedVersion !== '' && Number(expectedVersion) !== rec.version) {
      fail('LEDGER_CONFLICT', `record ${id}: expected version ${expectedVersion}, found ${rec.version}`);
    }
    const data = ctx.stub.getTransient().get('data') ?? new Uint8Array();
    if (data.length > MAX_DATA) fail('LEDGER_INVALID_RECORD', 'data part too large');
    const collection = this._collection(rec);
    if (data.length > 0) await this._private(() => ctx.stub.putPrivateData(collection, id, data));
    else if (exists) await this._private(() => ctx.stub.deletePrivateData(collection, id));
    rec.version += 1;
    rec.anchor = anchorHex;
    rec.deleted = false;
    rec.dataHash = sha256Hex(data);
    await this._save(ctx, id, rec);
    ctx.stub.setEvent(FABRIC_EVENTS.put, Buffer.from(JSON.stringify({ id, owner: rec.owner, version: rec.version })));
    return String(rec.version);
  }

  /**
   * The whole record (JSON, data base64) for the owner or a reader with a grant unexpired on the endorsing peer's
   * clock. When the data part lives in another organisation's implicit collection, the answer carries
   * `dataAt: <MSP id>` and no data: the client evaluates again on a peer of that organisation.
   */
  async Get(ctx: Context, id: string): Promise<string> {
    const rec = await this._load(ctx, id);
    const me = this.WhoAmI(ctx);
    const { peer } = this._clock(ctx);
    if (rec.owner !== me) {
      const g = await ctx.stub.getState(ctx.stub.createCompositeKey('grant', [id, me]));
      const until = g && g.length > 0 ? (JSON.parse(Buffer.from(g).toString('utf8')) as { expiresAt: number }).expiresAt : 0;
      if (!(until > peer)) fail('LEDGER_ACCESS_DENIED', `${me} may not read ${id}`);
    }
    const out = { owner: rec.owner, version: rec.version, anchor: rec.anchor, deleted: rec.deleted, data: '' };
    if (rec.deleted || rec.dataHash === EMPTY_HASH) return JSON.stringify(out);
    if (this.collection === undefined && rec.dataOrg !== undefined && rec.dataOrg !== this.localMsp(ctx)) {
      return JSON.stringify({ ...out, dataAt: rec.dataOrg });
    }
    const collection = this._collection(rec);
    const data = (await this._private(() => ctx.stub.getPrivateData(collection, id))) ?? new Uint8Array();
    // Never answer a data part that is not the committed one (e.g. private data this peer has not received yet).
    if (sha256Hex(data) !== rec.dataHash) fail('LEDGER_UNAVAILABLE', `the data part of ${id} on this peer does not match the ledger's hash`);
    return JSON.stringify({ ...out, data: Buffer.from(data).toString('base64') });
  }

  /** The public part of a record; anyone. */
  async GetAnchor(ctx: Context, id: string): Promise<string> {
    const rec = await this._load(ctx, id);
    return JSON.stringify({ owner: rec.owner, version: rec.version, anchor: rec.anchor, deleted: rec.deleted });
  }

  /** The record's history (JSON array, oldest first); owner only. */
  async History(ctx: Context, id: string): Promise<string> {
    await this._owned(ctx, id);
    const it = await ctx.stub.getHistoryForKey(ctx.stub.createCompositeKey('rec', [id]));
    const out: { version: number; anchor: string; dataHash: string; deleted: boolean; txId: string }[] = [];
    try {
      for (let r = await it.next(); !r.done; r = await it.next()) {
        const v = r.value;
        if (v.isDelete) continue;
        const rec = JSON.parse(Buffer.from(v.value).toString('utf8')) as StoredRecord;
        out.push({ version: rec.version, anchor: rec.anchor, dataHash: rec.dataHash, deleted: rec.deleted, txId: v.txId });
      }
    } finally {
      await it.close();
    }
    return JSON.stringify(out.sort((a, b) => a.version - b.version));
  }

  /** Lets `reader` read the record until `expiresAt` (Unix seconds); owner only. */
  async Grant(ctx: Context, id: string, reader: string, expiresAt: string): Promise<void> {
    await this._owned(ctx, id);
    if (!reader || reader.length > 1024) fail('LEDGER_INVALID_RECORD', 'bad reader');
    const until = Number(expiresAt);
    if (!/^\d{1,13}$/.test(expiresAt) || until <= this._clock(ctx).proposal) fail('LEDGER_INVALID_RECORD', 'grant expiry must be in the future');
    await ctx.stub.putState(ctx.stub.createCompositeKey('grant', [id, reader]), Buffer.from(JSON.stringify({ expiresAt: until })));
    ctx.stub.setEvent(FABRIC_EVENTS.grant, Buffer.from(JSON.stringify({ id, reader, expiresAt: until })));
  }

  /** Withdraws a grant; owner only. */
  async Revoke(ctx: Context, id: string, reader: string): Promise<void> {
    await this._owned(ctx, id);
    await ctx.stub.deleteState(ctx.stub.createCompositeKey('grant', [id, reader]));
    ctx.stub.setEvent(FABRIC_EVENTS.revoke, Buffer.from(JSON.stringify({ id, reader })));
  }

  /** Purges the private data part; the public record and its hash history remain; owner only. */
  async DeleteData(ctx: Context, id: string): Promise<string> {
    const rec = await this._owned(ctx, id);
    const collection = this._collection(rec);
    await this._private(() => ctx.stub.purgePrivateData(collection, id));
    rec.version += 1;
    rec.deleted = true;
    rec.dataHash = sha256Hex(new Uint8Array());
    await this._save(ctx, id, rec);
    ctx.stub.setEvent(FABRIC_EVENTS.delete, Buffer.from(JSON.stringify({ id, version: rec.version })));
    return String(rec.version);
  }
}
