/**
 * The PrivKit registry chaincode for Hyperledger Fabric (fabric-contract-api): the same records as the Ethereum
 * contract, with the access rules inside the contract and the sensitive part in a private data collection.
 *
 * - Public state `rec\0<id>`: `{owner, version, anchor, deleted, dataHash}` — `dataHash` is SHA-256 of the private
 *   value, which the client salts (FORMAT.md), so only a salted hash reaches the channel ledger.
 * - Private data (collection, default `privkitPrivate`) under `<id>`: the value sent as transient data `data`
 *   (never in the proposal arguments, so never in a block); `DeleteData` purges it (Fabric ≥ 2.5
 *   `PurgePrivateData`), while the hash history stays on the channel.
 * - Grants `grant\0<id>\0<reader>`: `{expiresAt}` in Unix seconds, compared with the transaction timestamp.
 * - Only the owner updates, shares, unshares, deletes and reads the history; readers see records shared with
 *   them; everyone sees `GetAnchor`. Errors are thrown as `LEDGER_<CODE>: message`, which the client adapter
 *   maps back to {@link LedgerError} codes.
 * @module
 */
import { createHash } from 'node:crypto';
import { Contract, type Context } from 'fabric-contract-api';

import { FABRIC_EVENTS, PRIVATE_COLLECTION } from './_events.js';

export { FABRIC_EVENTS, PRIVATE_COLLECTION };

interface StoredRecord {
  owner: string;
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

/**
 * The registry contract. Transaction functions take and return strings (JSON for structured results).
 */
export class PrivkitRegistryContract extends Contract {
  constructor(readonly collection: string = PRIVATE_COLLECTION) {
    super('privkit.registry');
  }

  /** The caller's identity: `<MSP id>::<x509 id>`. */
  WhoAmI(ctx: Context): string {
    return `${ctx.clientIdentity.getMSPID()}::${ctx.clientIdentity.getID()}`;
  }

  private checkId(id: string): void {
    if (typeof id !== 'string' || !ID_RE.test(id)) fail('LEDGER_INVALID_RECORD', 'bad record id');
  }

  private now(ctx: Context): number {
    const ts = ctx.stub.getTxTimestamp();
    return Number(ts.seconds.toString());
  }

  private async load(ctx: Context, id: string): Promise<StoredRecord> {
    this.checkId(id);
    const raw = await ctx.stub.getState(ctx.stub.createCompositeKey('rec', [id]));
    if (!raw || raw.length === 0) fail('LEDGER_NOT_FOUND', `record ${id} not found`);
    return JSON.parse(Buffer.from(raw).toString('utf8')) as StoredRecord;
  }

  private async save(ctx: Context, id: string, rec: StoredRecord): Promise<void> {
    await ctx.stub.putState(ctx.stub.createCompositeKey('rec', [id]), Buffer.from(JSON.stringify(rec)));
  }

  private async owned(ctx: Context, id: string): Promise<StoredRecord> {
    const rec = await this.load(ctx, id);
    if (rec.owner !== this.WhoAmI(ctx)) fail('LEDGER_ACCESS_DENIED', `only the owner may do this on ${id}`);
    return rec;
  }

  /**
   * Creates or updates a record. `expectedVersion` is the decimal version the caller last saw ("0" to create) or
   * "" to skip the check; the data part arrives as transient field `data`.
   */
  async Put(ctx: Context, id: string, anchorHex: string, expectedVersion: string): Promise<string> {
    this.checkId(id);
    if (!HEX32.test(anchorHex)) fail('LEDGER_INVALID_RECORD', 'anchor must be 32 bytes of lowercase hex');
    if (expectedVersion !== '' && !/^\d{1,15}$/.test(expectedVersion)) fail('LEDGER_INVALID_RECORD', 'bad expected version');
    const me = this.WhoAmI(ctx);
    const key = ctx.stub.createCompositeKey('rec', [id]);
    const raw = await ctx.stub.getState(key);
    const exists = raw && raw.length > 0;
    const rec: StoredRecord = exists
      ? (JSON.parse(Buffer.from(raw).toString('utf8')) as StoredRecord)
      : { owner: me, version: 0, anchor: anchorHex, deleted: false, dataHash: '' };
    if (exists && rec.owner !== me) fail('LEDGER_ACCESS_DENIED', `record ${id} belongs to another owner`);
    if (expectedVersion !== '' && Number(expectedVersion) !== rec.version) {
      fail('LEDGER_CONFLICT', `record ${id}: expected version ${expectedVersion}, found ${rec.version}`);
    }
    const data = ctx.stub.getTransient().get('data') ?? new Uint8Array();
    if (data.length > MAX_DATA) fail('LEDGER_INVALID_RECORD', 'data part too large');
    if (data.length > 0) await ctx.stub.putPrivateData(this.collection, id, data);
    else if (exists) await ctx.stub.deletePrivateData(this.collection, id);
    rec.version += 1;
    rec.anchor = anchorHex;
    rec.deleted = false;
    rec.dataHash = sha256Hex(data);
    await this.save(ctx, id, rec);
    ctx.stub.setEvent(FABRIC_EVENTS.put, Buffer.from(JSON.stringify({ id, owner: rec.owner, version: rec.version })));
    return String(rec.version);
  }

  /** The whole record (JSON, data base64) for the owner or a reader with an unexpired grant. */
  async Get(ctx: Context, id: string): Promise<string> {
    const rec = await this.load(ctx, id);
    const me = this.WhoAmI(ctx);
    if (rec.owner !== me) {
      const g = await ctx.stub.getState(ctx.stub.createCompositeKey('grant', [id, me]));
      const until = g && g.length > 0 ? (JSON.parse(Buffer.from(g).toString('utf8')) as { expiresAt: number }).expiresAt : 0;
      if (!(until > this.now(ctx))) fail('LEDGER_ACCESS_DENIED', `${me} may not read ${id}`);
    }
    const data = rec.deleted ? new Uint8Array() : ((await ctx.stub.getPrivateData(this.collection, id)) ?? new Uint8Array());
    return JSON.stringify({ owner: rec.owner, version: rec.version, anchor: rec.anchor, deleted: rec.deleted, data: Buffer.from(data).toString('base64') });
  }

  /** The public part of a record; anyone. */
  async GetAnchor(ctx: Context, id: string): Promise<string> {
    const rec = await this.load(ctx, id);
    return JSON.stringify({ owner: rec.owner, version: rec.version, anchor: rec.anchor, deleted: rec.deleted });
  }

  /** The record's history (JSON array, oldest first); owner only. */
  async History(ctx: Context, id: string): Promise<string> {
    await this.owned(ctx, id);
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
    await this.owned(ctx, id);
    if (!reader || reader.length > 1024) fail('LEDGER_INVALID_RECORD', 'bad reader');
    const until = Number(expiresAt);
    if (!/^\d{1,13}$/.test(expiresAt) || until <= this.now(ctx)) fail('LEDGER_INVALID_RECORD', 'grant expiry must be in the future');
    await ctx.stub.putState(ctx.stub.createCompositeKey('grant', [id, reader]), Buffer.from(JSON.stringify({ expiresAt: until })));
    ctx.stub.setEvent(FABRIC_EVENTS.grant, Buffer.from(JSON.stringify({ id, reader, expiresAt: until })));
  }

  /** Withdraws a grant; owner only. */
  async Revoke(ctx: Context, id: string, reader: string): Promise<void> {
    await this.owned(ctx, id);
    await ctx.stub.deleteState(ctx.stub.createCompositeKey('grant', [id, reader]));
    ctx.stub.setEvent(FABRIC_EVENTS.revoke, Buffer.from(JSON.stringify({ id, reader })));
  }

  /** Purges the private data part; the public record and its hash history remain; owner only. */
  async DeleteData(ctx: Context, id: string): Promise<string> {
    const rec = await this.owned(ctx, id);
    await ctx.stub.purgePrivateData(this.collection, id);
    rec.version += 1;
    rec.deleted = true;
    rec.dataHash = sha256Hex(new Uint8Array());
    await this.save(ctx, id, rec);
    ctx.stub.setEvent(FABRIC_EVENTS.delete, Buffer.from(JSON.stringify({ id, version: rec.version })));
    return String(rec.version);
  }
}
