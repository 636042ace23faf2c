/**
 * TEST HARNESS — a single-process stand-in for a Fabric network (one peer per organisation, an ordering service
 * and a Gateway on every peer), for tests and demos where no Fabric network (and no Docker) is available. It is
 * not a Fabric implementation: no consensus, no gossip, no persistence, no TLS.
 *
 * What is real: the registry chaincode runs unmodified inside the real `fabric-shim` runtime, one chaincode
 * process per peer (`ChaincodeSupportClient` → real `ChaincodeStub`, real `fabric-contract-api` dispatch),
 * connected over gRPC on loopback to its peer's ChaincodeSupport service; clients use the real
 * `@hyperledger/fabric-gateway` over gRPC against the Gateway service of their organisation's peer (Evaluate,
 * Endorse, Submit, CommitStatus, ChaincodeEvents), with real signed proposals and transactions; peers sign their
 * endorsements with their own keys and every committing peer checks the signatures against the endorsement policy.
 *
 * Fabric semantics kept (the ones PrivKit's correctness depends on):
 * - one peer per organisation, each with its own private-data store: a collection's private values reach only
 *   the peers of its member organisations (`collections_config.json` `policy`), every peer records only their
 *   hashes; implicit per-organisation collections `_implicit_org_<MSP>` exist for every organisation;
 * - `memberOnlyRead` / `memberOnlyWrite`: the peer refuses private-data reads/writes of a client whose organisation
 *   is not a member (the message the real peer sends: "tx creator does not have read access permission on
 *   privatedata …"); a non-member peer does not have the private values;
 * - endorsement policies (`MAJORITY` by default, `ANY`, `ALL`, or a signature policy), collection-level policies
 *   (an implicit collection needs its organisation's peer): the gateway chooses endorsers like discovery does and
 *   committing peers invalidate a transaction whose endorsements do not satisfy them (ENDORSEMENT_POLICY_FAILURE);
 * - errors shaped like the real gateway's: evaluate fails with "evaluate call to endorser returned error: …",
 *   endorse with ABORTED "failed to endorse transaction, see attached details for more info" and the chaincode's
 *   message only in the per-endorser `details` (`google.rpc.Status` in `grpc-status-details-bin`, which
 *   fabric-gateway turns into `EndorseError.details`);
 * - simulation reads committed state only (no read-your-writes), MVCC version checks at commit
 *   (MVCC_READ_CONFLICT), blocks cut by a batch timeout (`commitDelayMs`, Fabric's default is 2 s) and
 *   CommitStatus that waits for the block; one chaincode event per transaction, delivered per block with
 *   checkpoint/resume (start block + `after_transaction_id`);
 * - a discovery start-up delay (`discoveryDelayMs`: a gateway reports "no peers available" until then) and peer
 *   restarts (`restartPeer`: the peer's gRPC server goes away, open event streams fail with UNAVAILABLE, the peer
 *   comes back on the same address and catches up with the blocks committed meanwhile);
 * - time: every peer has a clock (`advanceTime` moves the whole network's clocks, peers and clients); proposal
 *   timestamps are the clients' (the harness shifts them by the same offset), so a client may back-date one.
 * @module
 */
import { InputError } from '@privkit/core';
import { createHash, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { common, gateway as gw, google, ledger, msp, peer } from '@hyperledger/fabric-protos';
import { connect, hash, signers, type Contract, type Gateway, type Network } from '@hyperledger/fabric-gateway';
import { LedgerError, LedgerFormatError } from '../errors.js';
import { PrivkitRegistryContract, type RegistryContractOptions } from './chaincode.js';
import { chooseEndorsers, parsePolicy, policyOrgs, satisfies, type Policy } from './_policy.js';
import { selfSignedCertificate, type TestCertificate } from './_x509.js';

const MSG = peer.ChaincodeMessage.Type;
const TX = { VALID: 0, DUPLICATE_TXID: 2, BAD_CREATOR_SIGNATURE: 4, ENDORSEMENT_POLICY_FAILURE: 10, MVCC_READ_CONFLICT: 11 } as const;
const IMPLICIT_PREFIX = '_implicit_org_';

/** One collection of `collections_config.json` (the fields the harness honours). */
export interface FabricCollectionConfig {
  name: string;
  /** Member organisations, a signature policy such as `OR('Org1MSP.member','Org2MSP.member')`. */
  policy: string;
  memberOnlyRead?: boolean;
  memberOnlyWrite?: boolean;
  requiredPeerCount?: number;
  maxPeerCount?: number;
  blockToLive?: number;
  /** Collection-level endorsement policy. */
  endorsementPolicy?: { signaturePolicy?: string };
}

/** A channel of the test network. */
export interface FabricTestChannel {
  name: string;
  /** Member organisations (default: all). */
  orgs?: string[];
  /** `MAJORITY` (default, as `peer lifecycle` defaults to), `ANY`, `ALL` or a signature policy. */
  endorsementPolicy?: string;
  /** Collection definitions (default: the shipped `chaincode/collections_config.json`). */
  collections?: FabricCollectionConfig[];
}

/** One client identity of the test network. */
export interface FabricTestIdentity extends TestCertificate {
  mspId: string;
  /** Common name in the certificate. */
  name: string;
}

/** Options of {@link createFabricTestNetwork}. */
export interface FabricTestNetworkOptions {
  /** MSP ids of the organisations, one peer each (default three: Org1MSP, Org2MSP, Org3MSP). */
  orgs?: string[];
  /** Client identities per organisation (default 1). */
  usersPerOrg?: number;
  /** Channels (default one, `privkit-channel`, with every organisation). */
  channels?: FabricTestChannel[];
  chaincode?: string;
  /** Options of the registry chaincode on every peer (which collection holds the data part). */
  contract?: { collection?: string; maxClockSkewSeconds?: number };
  /** Orderer batch timeout: transactions submitted within it share a block (default 0: a block per submit). */
  commitDelayMs?: number;
  /** Time after start (and after a peer restart) during which a gateway finds no peers (default 0). */
  discoveryDelayMs?: number;
  /**
   * Launches the chaincode of a peer as a separate process (e.g. the installed `chaincode/` package's
   * `npm start -- --peer.address <address> --chaincode-id-name <chaincode>:1` with `CORE_PEER_LOCALMSPID=<mspId>`)
   * instead of running it in this process; the harness waits for it to register. Its clock is the real one.
   */
  externalChaincode?: (peer: { mspId: string; address: string; chaincode: string }) => void | Promise<void>;
  /**
   * Chaincode as a service: returns the address of a running chaincode server for this peer (e.g. the installed
   * package's `npm run start:server -- --chaincode-address … --chaincode-id …` with `CORE_PEER_LOCALMSPID`), which the
   * peer dials like Fabric's `ccaas` builder does (again after a restart).
   */
  chaincodeServer?: (peer: { mspId: string; chaincode: string }) => string | Promise<string>;
}

/** A connection of one identity to a gateway peer. */
export interface FabricTestConnection {
  gateway: Gateway;
  network: Network;
  contract: Contract;
  close(): void;
}

/** A running test network. */
export interface FabricTestNetwork {
  /** `127.0.0.1:<port>` of each organisation's peer (its gateway). */
  endpoints: Record<string, string>;
  /** The default (first) channel. */
  channel: string;
  channels: string[];
  chaincode: string;
  identities: FabricTestIdentity[];
  /**
   * Connects identity `i` through the real fabric-gateway client to its organisation's peer (or `options.peer`'s),
   * on the default channel or `options.channel`.
   */
  connect(i: number, options?: { channel?: string; peer?: string }): FabricTestConnection;
  /** Moves every clock of the network (peers' and clients') forward. */
  advanceTime(seconds: number): void;
  /**
   * Stops a peer's gRPC server (event streams fail with UNAVAILABLE), waits `downMs`, starts it again; with
   * `losePrivateData` it comes back without its private data (like a peer rebuilt from a snapshot before
   * reconciliation) while the channel still holds the hashes.
   */
  restartPeer(mspId: string, options?: { downMs?: number; losePrivateData?: boolean }): Promise<void>;
  /** What is stored, for tests that check what reaches whom. */
  inspect(channel?: string): {
    publicKeys: string[];
    /** Private values per peer (organisation), keyed `<collection>\0<key>`. */
    privateData: Map<string, Map<string, Buffer>>;
    /** Hashes of private values on the channel ledger (every peer), keyed `<collection>\0<key>`. */
    privateDataHashes: Map<string, Buffer[]>;
    /** Current block height. */
    height: number;
  };
  close(): Promise<void>;
}

interface Simulation {
  reads: Map<string, number>;
  writes: Map<string, Buffer | null>;
  purges: Set<string>;
  collections: Set<string>;
  timestamp: { seconds: number; nanos: number };
  creatorMsp: string;
}

interface Collection {
  members: Set<string>;
  memberOnlyRead: boolean;
  memberOnlyWrite: boolean;
  endorsement?: Policy;
}

interface TxRecord {
  txId: string;
  code: number;
  event?: peer.ChaincodeEvent;
}

interface Channel {
  name: string;
  orgs: string[];
  policy: Policy;
  collections: Map<string, Collection>;
  versions: Map<string, number>;
  state: Map<string, Buffer>;
  history: Map<string, { txId: string; value: Buffer | null; timestamp: Simulation['timestamp'] }[]>;
  privateHashes: Map<string, Buffer[]>;
  blocks: TxRecord[][];
  pending: Map<string, { sim: Simulation; event?: peer.ChaincodeEvent; creator: Buffer; env?: common.Envelope }>;
  queue: string[];
  batchTimer?: ReturnType<typeof setTimeout> | undefined;
  committed: Map<string, { code: number; block: number }>;
  waiters: Map<string, ((c: { code: number; block: number }) => void)[]>;
}

interface Peer {
  mspId: string;
  address: string;
  port: number;
  identity: TestCertificate;
  up: boolean;
  readyAt: number;
  server?: grpc.Server | undefined;
  shim?: { close(): void };
  ccStream?: ChaincodeStream | undefined;
  inflight: Map<string, { sim: Simulation; channel: Channel; resolve: (m: peer.ChaincodeMessage) => void }>;
  privateData: Map<string, Map<string, Buffer>>;
  streams: Set<{ channel: string; chaincode: string; deliver(block: number, txs: TxRecord[]): void; fail(): void }>;
}

const keyOf = (collection: string, key: string) => `${collection}\u0000${key}`;
const collectionOf = (k: string) => k.slice(0, k.indexOf('\u0000'));

/** The shipped chaincode/collections_config.json (from src/fabric/ in the sources, from dist/ when built). */
function defaultCollections(): FabricCollectionConfig[] {
  for (const rel of ['../../chaincode/collections_config.json', '../chaincode/collections_config.json']) {
    const url = new URL(rel, import.meta.url);
    if (existsSync(url)) return JSON.parse(readFileSync(url, 'utf8')) as FabricCollectionConfig[];
  }
  throw new LedgerError('chaincode/collections_config.json not found next to the harness', { code: 'LEDGER_UNAVAILABLE' });
}

/** A gRPC error with gateway `ErrorDetail`s in `grpc-status-details-bin`, as the real gateway sends. */
function gatewayError(code: grpc.status, message: string, details: { address: string; mspId: string; message: string }[] = []) {
  const status = new google.rpc.Status();
  status.setCode(code);
  status.setMessage(message);
  status.setDetailsList(
    details.map((d) => {
      const ed = new gw.ErrorDetail();
      ed.setAddress(d.address);
      ed.setMspId(d.mspId);
      ed.setMessage(d.message);
      const any = new (protobufClass<AnyCtor>('any_pb.js', 'Any'))();
      any.pack(ed.serializeBinary(), 'gateway.ErrorDetail');
      return any;
    }),
  );
  const metadata = new grpc.Metadata();
  metadata.set('grpc-status-details-bin', Buffer.from(status.serializeBinary()));
  return Object.assign(new Error(message), { code, details: message, metadata });
}

/**
 * Starts the harness: one peer per organisation (Gateway and ChaincodeSupport gRPC services on its own loopback
 * port, its own chaincode process, its own private-data store), the channels, and client identities with
 * self-signed certificates.
 * @example const net = await createFabricTestNetwork(); const { contract, network } = net.connect(0);
 */
export async function createFabricTestNetwork(options: FabricTestNetworkOptions = {}): Promise<FabricTestNetwork> {
  const chaincode = options.chaincode ?? 'privkit';
  const orgs = options.orgs ?? ['Org1MSP', 'Org2MSP', 'Org3MSP'];
  const users = options.usersPerOrg ?? 1;
  const commitDelayMs = options.commitDelayMs ?? 0;
  const discoveryDelayMs = options.discoveryDelayMs ?? 0;
  const identities: FabricTestIdentity[] = [];
  let serial = 1;
  for (const mspId of orgs) {
    for (let u = 0; u < users; u++) {
      const name = `user${u + 1}.${mspId.toLowerCase()}`;
      identities.push({ mspId, name, ...selfSignedCertificate(mspId, name, serial++) });
    }
  }
  let timeOffset = 0;
  const clock = () => Date.now() / 1000 + timeOffset;

  const channels = new Map<string, Channel>();
  for (const spec of options.channels ?? [{ name: 'privkit-channel' }]) {
    const members = spec.orgs ?? orgs;
    const collections = new Map<string, Collection>();
    for (const c of spec.collections ?? defaultCollections()) {
      collections.set(c.name, {
        members: policyOrgs(parsePolicy(c.policy, members)),
        memberOnlyRead: c.memberOnlyRead ?? false,
        memberOnlyWrite: c.memberOnlyWrite ?? false,
        ...(c.endorsementPolicy?.signaturePolicy ? { endorsement: parsePolicy(c.endorsementPolicy.signaturePolicy, members) } : {}),
      });
    }
    // Implicit per-organisation collections (Fabric ≥ 2.0): members = the organisation, no member-only flags,
    // endorsement by the organisation's peer.
    for (const o of members) {
      collections.set(IMPLICIT_PREFIX + o, { members: new Set([o]), memberOnlyRead: false, memberOnlyWrite: false, endorsement: { org: o } });
    }
    channels.set(spec.name, {
      name: spec.name, orgs: members, policy: parsePolicy(spec.endorsementPolicy ?? 'MAJORITY', members), collections,
      versions: new Map(), state: new Map(), history: new Map(), privateHashes: new Map(), blocks: [], pending: new Map(),
      queue: [], committed: new Map(), waiters: new Map(),
    });
  }
  const defaultChannel = [...channels.keys()][0]!;

  const peers = new Map<string, Peer>();
  for (const mspId of orgs) {
    peers.set(mspId, {
      mspId, address: '', port: 0, identity: selfSignedCertificate(mspId, `peer0.${mspId.toLowerCase()}`, serial++),
      up: false, readyAt: 0, inflight: new Map(), privateData: new Map(), streams: new Set(),
    });
  }
  const peerStore = (p: Peer, channel: string) => {
    let s = p.privateData.get(channel);
    if (!s) p.privateData.set(channel, (s = new Map()));
    return s;
  };

  // ---- the peer side of the chaincode protocol (ChaincodeSupport.Register) ----
  function handleShimRequest(p: Peer, msg: peer.ChaincodeMessage) {
    const reply = (type: number, payload: Uint8Array) => {
      const m = new peer.ChaincodeMessage();
      m.setType(type as never);
      m.setTxid(msg.getTxid());
      m.setChannelId(msg.getChannelId());
      m.setPayload(payload);
      p.ccStream?.write(m);
    };
    const run = p.inflight.get(msg.getTxid());
    if (!run) return reply(MSG.ERROR, Buffer.from('unknown transaction'));
    const { sim, channel: ch } = run;
    const access = (collection: string, write: boolean): string | undefined => {
      const c = ch.collections.get(collection);
      if (!c) return `collection ${collection} not found for chaincode ${chaincode}`;
      sim.collections.add(collection);
      if ((write ? c.memberOnlyWrite : c.memberOnlyRead) && !c.members.has(sim.creatorMsp)) {
        return `tx creator does not have ${write ? 'write' : 'read'} access permission on privatedata in chaincodeName:${chaincode} collectionName: ${collection}`;
      }
      return undefined;
    };
    try {
      switch (msg.getType()) {
        case MSG.GET_STATE: {
          const req = peer.GetState.deserializeBinary(msg.getPayload_asU8());
          const collection = req.getCollection();
          const k = keyOf(collection, req.getKey());
          sim.reads.set(k, ch.versions.get(k) ?? 0); // committed state only: no read-your-writes
          if (collection === '') return reply(MSG.RESPONSE, ch.state.get(k) ?? Buffer.alloc(0));
          const denied = access(collection, false);
          if (denied) return reply(MSG.ERROR, Buffer.from(denied));
          if (!ch.collections.get(collection)!.members.has(p.mspId) && ch.privateHashes.has(k) && ch.versions.has(k)) {
            return reply(MSG.ERROR, Buffer.from('private data matching public hash version is not available'));
          }
          return reply(MSG.RESPONSE, peerStore(p, ch.name).get(k) ?? Buffer.alloc(0));
        }
        case MSG.PUT_STATE:
        case MSG.DEL_STATE:
        case MSG.PURGE_PRIVATE_DATA: {
          const type = msg.getType();
          const req = type === MSG.PUT_STATE ? peer.PutState.deserializeBinary(msg.getPayload_asU8()) : peer.DelState.deserializeBinary(msg.getPayload_asU8());
          const collection = req.getCollection();
          if (collection !== '') {
            const denied = access(collection, true);
            if (denied) return reply(MSG.ERROR, Buffer.from(denied));
          } else if (type === MSG.PURGE_PRIVATE_DATA) {
            return reply(MSG.ERROR, Buffer.from('collection must not be empty'));
          }
          const k = keyOf(collection, req.getKey());
          sim.writes.set(k, type === MSG.PUT_STATE ? Buffer.from((req as peer.PutState).getValue_asU8()) : null);
          if (type === MSG.PURGE_PRIVATE_DATA) sim.purges.add(k);
          return reply(MSG.RESPONSE, Buffer.alloc(0));
        }
        case MSG.GET_HISTORY_FOR_KEY: {
          const req = peer.GetHistoryForKey.deserializeBinary(msg.getPayload_asU8());
          const qr = new peer.QueryResponse();
          qr.setHasMore(false);
          qr.setId(randomBytes(8).toString('hex'));
          qr.setResultsList(
            (ch.history.get(keyOf('', req.getKey())) ?? []).map((h) => {
              const km = new ledger.queryresult.KeyModification();
              km.setTxId(h.txId);
              km.setValue(h.value ?? Buffer.alloc(0));
              km.setIsDelete(h.value === null);
              const ts = new (protobufClass<TimestampCtor>('timestamp_pb.js', 'Timestamp'))();
              ts.setSeconds(h.timestamp.seconds);
              ts.setNanos(h.timestamp.nanos);
              km.setTimestamp(ts);
              const r = new peer.QueryResultBytes();
              r.setResultbytes(km.serializeBinary());
              return r;
            }),
          );
          return reply(MSG.RESPONSE, qr.serializeBinary());
        }
        case MSG.QUERY_STATE_CLOSE: {
          const qr = new peer.QueryResponse();
          qr.setHasMore(false);
          return reply(MSG.RESPONSE, qr.serializeBinary());
        }
        case MSG.COMPLETED:
        case MSG.ERROR:
          p.inflight.delete(msg.getTxid());
          return run.resolve(msg);
        default:
          return reply(MSG.ERROR, Buffer.from(`the test harness does not support message type ${msg.getType()}`));
      }
    } catch (e) {
      return reply(MSG.ERROR, Buffer.from(String(e)));
    }
  }

  interface Proposal {
    txId: string;
    channel: Channel;
    proposal: peer.Proposal;
    header: common.Header;
    creator: Buffer;
    creatorMsp: string;
    chaincodeId: string;
    input: peer.ChaincodeInput;
    timestamp: { seconds: number; nanos: number };
  }

  /** Decodes a signed proposal; its timestamp is shifted by the network's time offset (the client's clock). */
  function decodeProposal(signed: peer.SignedProposal): Proposal {
    const proposal = peer.Proposal.deserializeBinary(signed.getProposalBytes_asU8());
    const header = common.Header.deserializeBinary(proposal.getHeader_asU8());
    const chHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
    const ts = chHeader.getTimestamp();
    const seconds = Number(ts?.getSeconds() ?? Math.floor(Date.now() / 1000)) + Math.floor(timeOffset);
    if (ts) ts.setSeconds(seconds);
    header.setChannelHeader(chHeader.serializeBinary());
    proposal.setHeader(header.serializeBinary());
    const sigHeader = common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8());
    const creator = Buffer.from(sigHeader.getCreator_asU8());
    const ccpp = peer.ChaincodeProposalPayload.deserializeBinary(proposal.getPayload_asU8());
    const spec = peer.ChaincodeInvocationSpec.deserializeBinary(ccpp.getInput_asU8()).getChaincodeSpec();
    const input = spec?.getInput();
    const channel = channels.get(chHeader.getChannelId());
    if (!input || !spec) throw gatewayError(grpc.status.INVALID_ARGUMENT, 'proposal has no chaincode input');
    if (!channel) throw gatewayError(grpc.status.NOT_FOUND, `channel '${chHeader.getChannelId()}' not found`);
    const creatorMsp = msp.SerializedIdentity.deserializeBinary(creator).getMspid();
    return {
      txId: chHeader.getTxId(), channel, proposal, header, creator, creatorMsp,
      chaincodeId: spec.getChaincodeId()?.getName() ?? '', input, timestamp: { seconds, nanos: ts?.getNanos() ?? 0 },
    };
  }

  /** Runs the chaincode of peer `p` on a proposal; returns the response, event and simulation. */
  async function simulate(p: Peer, prop: Proposal) {
    if (!p.up || !p.ccStream) throw new Error(`peer ${p.address} is not available`);
    const sim: Simulation = { reads: new Map(), writes: new Map(), purges: new Set(), collections: new Set(), timestamp: prop.timestamp, creatorMsp: prop.creatorMsp };
    const done = new Promise<peer.ChaincodeMessage>((resolve) => p.inflight.set(prop.txId, { sim, channel: prop.channel, resolve }));
    const shifted = new peer.SignedProposal();
    shifted.setProposalBytes(prop.proposal.serializeBinary());
    const m = new peer.ChaincodeMessage();
    m.setType(MSG.TRANSACTION);
    m.setTxid(prop.txId);
    m.setChannelId(prop.channel.name);
    m.setPayload(prop.input.serializeBinary());
    m.setProposal(shifted);
    p.ccStream.write(m);
    const out = await done;
    if (out.getType() !== MSG.COMPLETED) {
      const r = new peer.Response();
      r.setStatus(500);
      r.setMessage(Buffer.from(out.getPayload_asU8()).toString());
      return { response: r, event: undefined, sim };
    }
    return { response: peer.Response.deserializeBinary(out.getPayload_asU8()), event: out.getChaincodeEvent(), sim };
  }

  const available = (ch: Channel) => ch.orgs.map((o) => peers.get(o)!).filter((p) => p.up && p.ccStream && Date.now() >= p.readyAt);
  const detail = (p: Peer, message: string) => ({ address: p.address, mspId: p.mspId, message });
  const chaincodeMessage = (r: peer.Response) => `chaincode response ${r.getStatus()}, ${r.getMessage()}`;

  /** The policies a simulation must satisfy: the chaincode's for public writes, each written collection's own. */
  function requiredPolicies(ch: Channel, sim: Simulation): Policy[] {
    const out: Policy[] = [];
    let chaincodeLevel = false;
    for (const k of sim.writes.keys()) {
      const c = collectionOf(k);
      const endorsement = c === '' ? undefined : ch.collections.get(c)?.endorsement;
      if (endorsement) out.push(endorsement);
      else chaincodeLevel = true;
    }
    if (chaincodeLevel || out.length === 0) out.push(ch.policy);
    return out;
  }

  function qscc(ch: Channel, input: peer.ChaincodeInput) {
    const fn = Buffer.from(input.getArgsList_asU8()[0] ?? new Uint8Array()).toString();
    if (fn !== 'GetChainInfo') return undefined;
    const info = new common.BlockchainInfo();
    info.setHeight(ch.blocks.length + 1);
    return Buffer.from(info.serializeBinary());
  }

  function makeGateway(self: Peer) {
    const guard = (ch: Channel, callerMsp: string) => {
      if (Date.now() < self.readyAt) {
        throw gatewayError(grpc.status.UNAVAILABLE, `no peers available to evaluate chaincode ${chaincode} in channel ${ch.name}`);
      }
      if (!ch.orgs.includes(self.mspId)) throw gatewayError(grpc.status.NOT_FOUND, `channel '${ch.name}' not found`);
      if (!ch.orgs.includes(callerMsp)) {
        throw gatewayError(grpc.status.PERMISSION_DENIED, `access denied: creator org [${callerMsp}] is not a member of channel [${ch.name}]`);
      }
    };
    const fail = (cb: (e: grpc.ServiceError) => void) => (e: unknown) =>
      cb(((e as { metadata?: unknown }).metadata ? e : gatewayError(grpc.status.UNAVAILABLE, String((e as Error)?.message ?? e))) as grpc.ServiceError);
    return {
      evaluate: (call: grpc.ServerUnaryCall<gw.EvaluateRequest, gw.EvaluateResponse>, cb: grpc.sendUnaryData<gw.EvaluateResponse>) => {
        void (async () => {
          const prop = decodeProposal(call.request.getProposedTransaction()!);
          guard(prop.channel, prop.creatorMsp);
          const res = new gw.EvaluateResponse();
          if (prop.chaincodeId === 'qscc') {
            const info = qscc(prop.channel, prop.input);
            if (!info) throw gatewayError(grpc.status.UNIMPLEMENTED, 'the test harness answers only qscc GetChainInfo');
            const r = new peer.Response();
            r.setStatus(200);
            r.setPayload(info);
            res.setResult(r);
            return cb(null, res);
          }
          const targets = call.request.getTargetOrganizationsList();
          const candidates = available(prop.channel).filter((p) => (targets.length ? targets.includes(p.mspId) : true));
          const target = candidates.find((p) => p === self) ?? candidates[0];
          if (!target) throw gatewayError(grpc.status.UNAVAILABLE, `no peers available to evaluate chaincode ${chaincode} in channel ${prop.channel.name}`);
          const r = await simulate(target, prop);
          if (r.response.getStatus() >= 400) {
            throw gatewayError(grpc.status.UNKNOWN, `evaluate call to endorser returned error: ${chaincodeMessage(r.response)}`, [detail(target, chaincodeMessage(r.response))]);
          }
          res.setResult(r.response);
          cb(null, res);
        })().catch(fail(cb));
      },
      endorse: (call: grpc.ServerUnaryCall<gw.EndorseRequest, gw.EndorseResponse>, cb: grpc.sendUnaryData<gw.EndorseResponse>) => {
        void (async () => {
          const prop = decodeProposal(call.request.getProposedTransaction()!);
          const ch = prop.channel;
          guard(ch, prop.creatorMsp);
          const up = available(ch);
          const wanted = call.request.getEndorsingOrganizationsList();
          const first = wanted.length ? up.find((p) => wanted.includes(p.mspId)) : (up.find((p) => p === self) ?? up[0]);
          if (!first) throw gatewayError(grpc.status.UNAVAILABLE, `no peers available to evaluate chaincode ${chaincode} in channel ${ch.name}`);
          const failed = (p: Peer, r: peer.Response) =>
            gatewayError(grpc.status.ABORTED, 'failed to endorse transaction, see attached details for more info', [detail(p, chaincodeMessage(r))]);
          const results = [{ p: first, r: await simulate(first, prop) }];
          if (results[0]!.r.response.getStatus() >= 400) throw failed(first, results[0]!.r.response);
          // Discovery: the smallest set of organisations (with the first endorser's) satisfying every policy.
          const plan = wanted.length
            ? wanted
            : chooseEndorsers(requiredPolicies(ch, results[0]!.r.sim), up.map((p) => p.mspId), first.mspId);
          if (!plan) {
            throw gatewayError(grpc.status.UNAVAILABLE, 'no combination of peers can be derived which satisfy the endorsement policy');
          }
          for (const org of plan) {
            if (org === first.mspId) continue;
            const p = up.find((x) => x.mspId === org);
            if (!p) throw gatewayError(grpc.status.UNAVAILABLE, `no peers available in organisation ${org}`);
            const r = await simulate(p, prop);
            if (r.response.getStatus() >= 400) throw failed(p, r.response);
            results.push({ p, r });
          }
          const digest = (x: (typeof results)[number]) =>
            createHash('sha256').update(x.r.response.serializeBinary()).update(JSON.stringify([...x.r.sim.writes].map(([k, v]) => [k, v && createHash('sha256').update(v).digest('hex')]))).digest('hex');
          if (results.some((x) => digest(x) !== digest(results[0]!))) {
            throw gatewayError(grpc.status.ABORTED, 'failed to assemble transaction: ProposalResponsePayloads do not match', results.map((x) => detail(x.p, 'ProposalResponsePayloads do not match')));
          }
          const lead = results[0]!.r;
          const action = new peer.ChaincodeAction();
          action.setResponse(lead.response);
          if (lead.event) {
            // The peer, not the chaincode, fills in the event's chaincode id and transaction id.
            lead.event.setChaincodeId(chaincode);
            lead.event.setTxId(prop.txId);
            action.setEvents(lead.event.serializeBinary());
          }
          const ccid = new peer.ChaincodeID();
          ccid.setName(chaincode);
          action.setChaincodeId(ccid);
          const prp = new peer.ProposalResponsePayload();
          prp.setProposalHash(createHash('sha256').update(prop.proposal.getHeader_asU8()).update(prop.proposal.getPayload_asU8()).digest());
          prp.setExtension$(action.serializeBinary());
          const prpBytes = Buffer.from(prp.serializeBinary());
          const cea = new peer.ChaincodeEndorsedAction();
          cea.setProposalResponsePayload(prpBytes);
          cea.setEndorsementsList(results.map(({ p }) => endorsement(p, prpBytes)));
          const cap = new peer.ChaincodeActionPayload();
          cap.setChaincodeProposalPayload(prop.proposal.getPayload_asU8());
          cap.setAction(cea);
          const ta = new peer.TransactionAction();
          ta.setHeader(prop.header.getSignatureHeader_asU8());
          ta.setPayload(cap.serializeBinary());
          const tx = new peer.Transaction();
          tx.setActionsList([ta]);
          const payload = new common.Payload();
          payload.setHeader(prop.header);
          payload.setData(tx.serializeBinary());
          const env = new common.Envelope();
          env.setPayload(payload.serializeBinary());
          ch.pending.set(prop.txId, { sim: lead.sim, ...(lead.event ? { event: lead.event } : {}), creator: prop.creator });
          const res = new gw.EndorseResponse();
          res.setPreparedTransaction(env);
          cb(null, res);
        })().catch(fail(cb));
      },
      submit: (call: grpc.ServerUnaryCall<gw.SubmitRequest, gw.SubmitResponse>, cb: grpc.sendUnaryData<gw.SubmitResponse>) => {
        const ch = channels.get(call.request.getChannelId());
        const txId = call.request.getTransactionId();
        const p = ch?.pending.get(txId);
        const env = call.request.getPreparedTransaction();
        if (!ch || !p || !env) return cb(gatewayError(grpc.status.NOT_FOUND, `unknown transaction ${txId}`));
        if (Date.now() < self.readyAt) return cb(gatewayError(grpc.status.UNAVAILABLE, 'no orderers available'));
        p.env = env;
        ch.queue.push(txId);
        if (commitDelayMs <= 0) setImmediate(() => cutBlock(ch));
        else ch.batchTimer ??= setTimeout(() => cutBlock(ch), commitDelayMs);
        cb(null, new gw.SubmitResponse());
      },
      commitStatus: (call: grpc.ServerUnaryCall<gw.SignedCommitStatusRequest, gw.CommitStatusResponse>, cb: grpc.sendUnaryData<gw.CommitStatusResponse>) => {
        const req = gw.CommitStatusRequest.deserializeBinary(call.request.getRequest_asU8());
        const ch = channels.get(req.getChannelId());
        if (!ch) return cb(gatewayError(grpc.status.NOT_FOUND, `channel '${req.getChannelId()}' not found`));
        const answer = (c: { code: number; block: number }) => {
          const res = new gw.CommitStatusResponse();
          res.setResult(c.code as never);
          res.setBlockNumber(c.block);
          cb(null, res);
        };
        const c = ch.committed.get(req.getTransactionId());
        if (c) return answer(c);
        // Like the real gateway: wait for the transaction's block.
        const list = ch.waiters.get(req.getTransactionId()) ?? [];
        list.push(answer);
        ch.waiters.set(req.getTransactionId(), list);
      },
      chaincodeEvents: (call: grpc.ServerWritableStream<gw.SignedChaincodeEventsRequest, gw.ChaincodeEventsResponse>) => {
        const req = gw.ChaincodeEventsRequest.deserializeBinary(call.request.getRequest_asU8());
        const ch = channels.get(req.getChannelId());
        if (!ch || !ch.orgs.includes(self.mspId)) {
          call.emit('error', gatewayError(grpc.status.NOT_FOUND, `channel '${req.getChannelId()}' not found`));
          return;
        }
        const start = req.getStartPosition();
        let next = start?.hasSpecified() ? Number(start.getSpecified()!.getNumber()) : start?.hasOldest() ? 1 : ch.blocks.length + 1;
        let skipUntil = req.getAfterTransactionId() || undefined;
        const stream = {
          channel: ch.name,
          chaincode: req.getChaincodeId(),
          deliver(block: number, txs: TxRecord[]) {
            if (block < next) return;
            next = block + 1;
            let list = txs;
            if (skipUntil !== undefined) {
              const i = txs.findIndex((t) => t.txId === skipUntil);
              if (i >= 0) list = txs.slice(i + 1);
              skipUntil = undefined;
            }
            const events = list.filter((t) => t.code === TX.VALID && t.event && t.event.getEventName() && t.event.getChaincodeId() === stream.chaincode).map((t) => t.event!);
            if (events.length === 0) return;
            const res = new gw.ChaincodeEventsResponse();
            res.setEventsList(events);
            res.setBlockNumber(block);
            call.write(res);
          },
          fail() {
            self.streams.delete(stream);
            call.emit('error', Object.assign(new Error('peer restarting: connection closed'), { code: grpc.status.UNAVAILABLE }));
          },
        };
        // Replay the committed blocks from the start position, then follow new ones.
        for (let b = next; b <= ch.blocks.length; b++) stream.deliver(b, ch.blocks[b - 1]!);
        self.streams.add(stream);
        call.on('cancelled', () => self.streams.delete(stream));
        call.on('close', () => self.streams.delete(stream));
      },
      blockEvents: () => undefined,
      filteredBlockEvents: () => undefined,
      blockAndPrivateDataEvents: () => undefined,
    };
  }

  function endorsement(p: Peer, prpBytes: Buffer): peer.Endorsement {
    const id = new msp.SerializedIdentity();
    id.setMspid(p.mspId);
    id.setIdBytes(Buffer.from(p.identity.certificate));
    const endorser = Buffer.from(id.serializeBinary());
    const e = new peer.Endorsement();
    e.setEndorser(endorser);
    e.setSignature(sign('sha256', Buffer.concat([prpBytes, endorser]), p.identity.privateKey));
    return e;
  }

  /** The organisations whose peers validly signed the endorsements of a prepared transaction. */
  function endorsingOrgs(env: common.Envelope): Set<string> {
    const out = new Set<string>();
    const payload = common.Payload.deserializeBinary(env.getPayload_asU8());
    for (const ta of peer.Transaction.deserializeBinary(payload.getData_asU8()).getActionsList()) {
      const cea = peer.ChaincodeActionPayload.deserializeBinary(ta.getPayload_asU8()).getAction();
      if (!cea) continue;
      const prpBytes = Buffer.from(cea.getProposalResponsePayload_asU8());
      for (const e of cea.getEndorsementsList()) {
        const endorser = Buffer.from(e.getEndorser_asU8());
        const id = msp.SerializedIdentity.deserializeBinary(endorser);
        const p = peers.get(id.getMspid());
        // Only the organisation's peer certificate counts (the harness's MSP: one peer identity per organisation).
        if (!p || Buffer.from(id.getIdBytes_asU8()).toString() !== p.identity.certificate) continue;
        if (verify('sha256', Buffer.concat([prpBytes, endorser]), p.identity.certificate, e.getSignature_asU8())) out.add(id.getMspid());
      }
    }
    return out;
  }

  /** The orderer cuts a block; every peer validates and commits it. */
  function cutBlock(ch: Channel) {
    if (ch.batchTimer) clearTimeout(ch.batchTimer);
    ch.batchTimer = undefined;
    const ids = ch.queue.splice(0);
    if (ids.length === 0) return;
    const number = ch.blocks.length + 1;
    const txs: TxRecord[] = [];
    for (const txId of ids) {
      const p = ch.pending.get(txId)!;
      ch.pending.delete(txId);
      txs.push({ txId, code: validateAndApply(ch, txId, p), ...(p.event ? { event: p.event } : {}) });
    }
    ch.blocks.push(txs);
    for (const t of txs) {
      const c = ch.committed.get(t.txId) ?? { code: t.code, block: number };
      ch.committed.set(t.txId, c);
      for (const w of ch.waiters.get(t.txId) ?? []) w(c);
      ch.waiters.delete(t.txId);
    }
    for (const p of peers.values()) {
      if (!p.up) continue; // a restarting peer catches up from the ledger when it comes back
      for (const s of [...p.streams]) if (s.channel === ch.name) s.deliver(number, txs);
    }
  }

  function validateAndApply(ch: Channel, txId: string, p: { sim: Simulation; creator: Buffer; env?: common.Envelope }): number {
    if (ch.committed.has(txId)) return TX.DUPLICATE_TXID;
    const env = p.env!;
    const creatorCert = Buffer.from(msp.SerializedIdentity.deserializeBinary(p.creator).getIdBytes_asU8()).toString();
    if (!verify('sha256', env.getPayload_asU8(), creatorCert, env.getSignature_asU8())) return TX.BAD_CREATOR_SIGNATURE;
    const signed = endorsingOrgs(env);
    if (!requiredPolicies(ch, p.sim).every((policy) => satisfies(policy, signed))) return TX.ENDORSEMENT_POLICY_FAILURE;
    for (const [k, v] of p.sim.reads) if ((ch.versions.get(k) ?? 0) !== v) return TX.MVCC_READ_CONFLICT;
    const version = ch.blocks.length + 1;
    for (const [k, v] of p.sim.writes) {
      const collection = collectionOf(k);
      if (v === null) ch.versions.delete(k);
      else ch.versions.set(k, version);
      if (collection === '') {
        if (v === null) ch.state.delete(k);
        else ch.state.set(k, v);
        const h = ch.history.get(k) ?? [];
        h.push({ txId, value: v, timestamp: p.sim.timestamp });
        ch.history.set(k, h);
        continue;
      }
      if (v !== null) {
        const hashes = ch.privateHashes.get(k) ?? [];
        hashes.push(createHash('sha256').update(v).digest());
        ch.privateHashes.set(k, hashes);
      }
      // Private values reach the member organisations' peers only.
      for (const member of ch.collections.get(collection)?.members ?? []) {
        const peerOf = peers.get(member);
        if (!peerOf) continue;
        if (v === null) peerStore(peerOf, ch.name).delete(k);
        else peerStore(peerOf, ch.name).set(k, v);
      }
    }
    return TX.VALID;
  }

  // ---- peers: gRPC server + chaincode process ----
  const gwService = (await import('@hyperledger/fabric-protos/lib/gateway/gateway_grpc_pb.js')) as unknown as { GatewayService?: grpc.ServiceDefinition; default?: { GatewayService: grpc.ServiceDefinition } };
  const ccService = (await import('@hyperledger/fabric-protos/lib/peer/chaincode_shim_grpc_pb.js')) as unknown as {
    ChaincodeSupportService?: grpc.ServiceDefinition; ChaincodeService?: grpc.ServiceDefinition;
    default?: { ChaincodeSupportService: grpc.ServiceDefinition; ChaincodeService: grpc.ServiceDefinition };
  };
  // The shim logs every message at info level unless told otherwise (its documented variable).
  process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'critical';
  const shimHandler = (await import('fabric-shim/lib/handler.js')) as unknown as { ChaincodeSupportClient?: ShimClientCtor; default?: { ChaincodeSupportClient: ShimClientCtor } };
  const fromContract = (await import('fabric-shim/lib/contract-spi/chaincodefromcontract.js')) as unknown as { default?: new (...a: unknown[]) => unknown } & (new (...a: unknown[]) => unknown);
  const { JSONSerializer } = (await import('fabric-contract-api')) as unknown as { JSONSerializer: unknown };
  const ChaincodeFromContract = (fromContract.default ?? fromContract) as new (...a: unknown[]) => unknown;
  const ShimClient = shimHandler.ChaincodeSupportClient ?? shimHandler.default!.ChaincodeSupportClient;

  async function startPeer(p: Peer) {
    const server = new grpc.Server();
    server.addService(gwService.GatewayService ?? gwService.default!.GatewayService, makeGateway(p) as unknown as grpc.UntypedServiceImplementation);
    let registered!: () => void;
    const ready = new Promise<void>((r) => (registered = r));
    // The chaincode protocol on one stream, whichever side dialled: the chaincode registers, the peer confirms.
    const attach = (stream: ChaincodeStream) => {
      p.ccStream = stream;
      stream.on('data', (msg: peer.ChaincodeMessage) => {
        if (msg.getType() === MSG.REGISTER) {
          for (const type of [MSG.REGISTERED, MSG.READY]) {
            const m = new peer.ChaincodeMessage();
            m.setType(type);
            stream.write(m);
          }
          registered();
          return;
        }
        handleShimRequest(p, msg);
      });
      stream.on('error', () => undefined);
    };
    server.addService(ccService.ChaincodeSupportService ?? ccService.default!.ChaincodeSupportService, {
      register: attach,
    } as unknown as grpc.UntypedServiceImplementation);
    p.port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${p.port}`, grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
    );
    p.address = `127.0.0.1:${p.port}`;
    p.server = server;
    if (options.externalChaincode) {
      await options.externalChaincode({ mspId: p.mspId, address: p.address, chaincode });
      await registration(ready, 60_000);
      p.up = true;
      p.readyAt = Date.now() + discoveryDelayMs;
      return;
    }
    if (options.chaincodeServer) {
      // Chaincode as a service: the peer dials the chaincode's server (protos.Chaincode/Connect), as the ccaas builder does.
      const address = await options.chaincodeServer({ mspId: p.mspId, chaincode });
      const Client = grpc.makeGenericClientConstructor(ccService.ChaincodeService ?? ccService.default!.ChaincodeService, 'Chaincode');
      const client = new Client(address, grpc.credentials.createInsecure());
      attach((client as unknown as { connect(): ChaincodeStream }).connect());
      p.shim = { close: () => client.close() };
      await registration(ready, 60_000);
      p.up = true;
      p.readyAt = Date.now() + discoveryDelayMs;
      return;
    }
    // The peer's own chaincode process: its clock is the peer's, its local MSP the peer's organisation.
    const contractOptions: RegistryContractOptions = { ...options.contract, clock, localMspId: () => p.mspId };
    class PeerRegistry extends PrivkitRegistryContract {
      constructor() {
        super(contractOptions);
      }
    }
    // fabric-shim lists the transaction functions of the contract's own prototype only.
    for (const name of Object.getOwnPropertyNames(PrivkitRegistryContract.prototype)) {
      if (name !== 'constructor') Object.defineProperty(PeerRegistry.prototype, name, Object.getOwnPropertyDescriptor(PrivkitRegistryContract.prototype, name)!);
    }
    const cc = new ChaincodeFromContract([PeerRegistry], { transaction: 'jsonSerializer', serializers: { jsonSerializer: JSONSerializer } }, {}, 'privkit-registry', '0.1.0');
    // A fresh connection (not the process-wide subchannel pool, which may still back off from the last stop).
    const shim = new ShimClient(cc, `grpc://${p.address}`, { 'grpc.use_local_subchannel_pool': 1 });
    const ccid = new peer.ChaincodeID();
    ccid.setName(chaincode);
    shim.chat({ type: MSG.REGISTER, payload: ccid.serializeBinary() });
    p.shim = shim;
    await registration(ready, 10_000);
    p.up = true;
    p.readyAt = Date.now() + discoveryDelayMs;
  }

  async function registration(ready: Promise<void>, ms: number) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      ready,
      new Promise((_, reject) => (timer = setTimeout(() => reject(new LedgerError('the chaincode did not register with the test harness', { code: 'LEDGER_UNAVAILABLE' })), ms))),
    ]).finally(() => clearTimeout(timer));
  }

  async function stopPeer(p: Peer) {
    p.up = false;
    for (const s of [...p.streams]) s.fail();
    p.streams.clear();
    for (const run of p.inflight.values()) {
      const m = new peer.ChaincodeMessage();
      m.setType(MSG.ERROR);
      m.setPayload(Buffer.from('peer stopped'));
      run.resolve(m);
    }
    p.inflight.clear();
    p.shim?.close();
    p.ccStream?.end();
    p.ccStream = undefined;
    const server = p.server;
    p.server = undefined;
    if (!server) return;
    await new Promise<void>((r) => {
      const t = setTimeout(() => {
        server.forceShutdown();
        r();
      }, 200);
      server.tryShutdown(() => {
        clearTimeout(t);
        r();
      });
    });
  }

  for (const p of peers.values()) await startPeer(p);

  const clients = new Set<FabricTestConnection>();
  return {
    endpoints: Object.fromEntries([...peers.values()].map((p) => [p.mspId, p.address])),
    channel: defaultChannel,
    channels: [...channels.keys()],
    chaincode,
    identities,
    connect(i: number, opts: { channel?: string; peer?: string } = {}) {
      const id = identities[i];
      if (!id) throw new LedgerFormatError(`no identity ${i}`, { code: 'LEDGER_INVALID_RECORD' });
      const p = peers.get(opts.peer ?? id.mspId);
      if (!p) throw new InputError(`no peer ${opts.peer}`, { code: 'INVALID_VALUE' });
      const client = new grpc.Client(p.address, grpc.credentials.createInsecure());
      const gateway = connect({
        client,
        identity: { mspId: id.mspId, credentials: Buffer.from(id.certificate) },
        signer: signers.newPrivateKeySigner(id.privateKey as KeyObject),
        hash: hash.sha256,
      });
      const network = gateway.getNetwork(opts.channel ?? defaultChannel);
      const contract = network.getContract(chaincode);
      const handle: FabricTestConnection = {
        gateway, network, contract,
        close() {
          gateway.close();
          client.close();
          clients.delete(handle);
        },
      };
      clients.add(handle);
      return handle;
    },
    advanceTime(seconds: number) {
      timeOffset += seconds;
    },
    async restartPeer(mspId: string, opts: { downMs?: number; losePrivateData?: boolean } = {}) {
      const p = peers.get(mspId);
      if (!p) throw new InputError(`no peer ${mspId}`, { code: 'INVALID_VALUE' });
      await stopPeer(p);
      if (opts.losePrivateData) p.privateData.clear(); // e.g. rebuilt from a snapshot: private data not reconciled yet
      await new Promise((r) => setTimeout(r, opts.downMs ?? 100));
      await startPeer(p);
    },
    inspect(channel = defaultChannel) {
      const ch = channels.get(channel);
      if (!ch) throw new LedgerFormatError(`no channel ${channel}`, { code: 'LEDGER_INVALID_RECORD' });
      const privateData = new Map<string, Map<string, Buffer>>();
      for (const p of peers.values()) privateData.set(p.mspId, new Map(peerStore(p, channel)));
      return {
        publicKeys: [...ch.state.keys()].map((k) => k.slice(1)),
        privateData,
        privateDataHashes: new Map(ch.privateHashes),
        height: ch.blocks.length + 1,
      };
    },
    async close() {
      for (const c of [...clients]) c.close();
      for (const ch of channels.values()) if (ch.batchTimer) clearTimeout(ch.batchTimer);
      for (const p of peers.values()) await stopPeer(p);
    },
  };
}

/** The chaincode's message stream: served (the chaincode dialled the peer) or dialled (chaincode as a service). */
type ChaincodeStream = grpc.ServerDuplexStream<peer.ChaincodeMessage, peer.ChaincodeMessage> | grpc.ClientDuplexStream<peer.ChaincodeMessage, peer.ChaincodeMessage>;

type ShimClientCtor = new (cc: unknown, url: string, opts: unknown) => { chat(msg: { type: number; payload: Uint8Array }): void; close(): void };

// The real class types (@types/google-protobuf): fabric-protos' setters take exactly these.
type TimestampCtor = typeof import('google-protobuf/google/protobuf/timestamp_pb.js').Timestamp;
type AnyCtor = typeof import('google-protobuf/google/protobuf/any_pb.js').Any;
const requireHere = createRequire(import.meta.url);
/** A google.protobuf well-known type class (Timestamp for KeyModification, Any for gateway error details). */
function protobufClass<T>(file: string, name: string): T {
  return (requireHere(`google-protobuf/google/protobuf/${file}`) as Record<string, T>)[name]!;
}
