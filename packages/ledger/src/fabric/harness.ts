/**
 * TEST HARNESS — a single-process stand-in for a Fabric peer and gateway, for tests and demos where no Fabric
 * network (and no Docker) is available. It is not a Fabric implementation and has no consensus, no real
 * endorsement policy and no persistence.
 *
 * What is real: the registry chaincode runs unmodified inside the real `fabric-shim` runtime
 * (`ChaincodeSupportClient` → real `ChaincodeStub`, real `fabric-contract-api` dispatch), connected over gRPC on
 * loopback to this harness's ChaincodeSupport service, exactly as it would connect to a peer; clients use the real
 * `@hyperledger/fabric-gateway` over gRPC on loopback against this harness's Gateway service (Evaluate, Endorse,
 * Submit, CommitStatus, ChaincodeEvents), with real signed proposals and transactions.
 *
 * Fabric semantics kept: simulation reads committed state only (no read-your-writes within a transaction); every
 * read records the key's version and commit re-checks it (MVCC_READ_CONFLICT, validation code 11, on a
 * concurrent update); private data is stored apart from public state and only its SHA-256 reaches the "channel"
 * (`inspect().privateDataHashes`); purged private data is gone while its hash history remains; key history is
 * kept per committed transaction; one chaincode event per transaction, delivered after commit; the transaction
 * timestamp comes from the client's signed proposal (shifted by `advanceTime`, which the harness applies when it
 * hands the proposal to the chaincode).
 * @module
 */
import { createHash, randomBytes, verify } from 'node:crypto';
import { createRequire } from 'node:module';
import * as grpc from '@grpc/grpc-js';
import { common, gateway as gw, ledger, msp, peer } from '@hyperledger/fabric-protos';
import { connect, hash, signers, type Contract, type Gateway, type Network } from '@hyperledger/fabric-gateway';
import { LedgerError } from '../errors.js';
import { PrivkitRegistryContract } from './chaincode.js';
import { selfSignedCertificate, type TestCertificate } from './_x509.js';

const MSG = peer.ChaincodeMessage.Type;
const VALID = 0;
const MVCC_READ_CONFLICT = 11;
const ENDORSEMENT_POLICY_FAILURE = 10;

interface Versioned {
  value: Buffer;
  version: number;
}

interface Simulation {
  reads: Map<string, number>;
  writes: Map<string, Buffer | null>;
  purges: Set<string>;
  timestamp: { seconds: number; nanos: number };
}

interface Pending {
  sim: Simulation;
  event?: peer.ChaincodeEvent;
  creator: Buffer;
}

/** One client identity of the test network. */
export interface FabricTestIdentity extends TestCertificate {
  mspId: string;
  /** Common name in the certificate. */
  name: string;
}

/** Options of {@link createFabricTestNetwork}. */
export interface FabricTestNetworkOptions {
  /** MSP ids of the organisations (default three: Org1MSP, Org2MSP, Org3MSP). */
  orgs?: string[];
  /** Client identities per organisation (default 1). */
  usersPerOrg?: number;
  channel?: string;
  chaincode?: string;
}

/** A running test network. */
export interface FabricTestNetwork {
  /** `127.0.0.1:<port>` of the gateway. */
  endpoint: string;
  channel: string;
  chaincode: string;
  identities: FabricTestIdentity[];
  /** Connects identity `i` through the real fabric-gateway client over gRPC. */
  connect(i: number): { gateway: Gateway; network: Network; contract: Contract; close(): void };
  /** Shifts the transaction timestamps the chaincode sees forward (grant expiry tests). */
  advanceTime(seconds: number): void;
  /** What is stored, for tests that check what reaches the channel ledger. */
  inspect(): { publicKeys: string[]; privateData: Map<string, Buffer>; privateDataHashes: Map<string, Buffer[]> };
  close(): Promise<void>;
}

const keyOf = (collection: string, key: string) => `${collection}\u0000${key}`;

/**
 * Starts the harness: the Gateway and ChaincodeSupport gRPC services on one loopback port, the registry chaincode
 * connected to it through fabric-shim, and client identities with self-signed certificates.
 * @example const net = await createFabricTestNetwork(); const { contract, network } = net.connect(0);
 */
export async function createFabricTestNetwork(options: FabricTestNetworkOptions = {}): Promise<FabricTestNetwork> {
  const channel = options.channel ?? 'privkit-channel';
  const chaincode = options.chaincode ?? 'privkit';
  const orgs = options.orgs ?? ['Org1MSP', 'Org2MSP', 'Org3MSP'];
  const users = options.usersPerOrg ?? 1;
  const identities: FabricTestIdentity[] = [];
  let serial = 1;
  for (const mspId of orgs) {
    for (let u = 0; u < users; u++) {
      const name = `user${u + 1}.${mspId.toLowerCase()}`;
      identities.push({ mspId, name, ...selfSignedCertificate(mspId, name, serial++) });
    }
  }

  const state = new Map<string, Versioned>();
  const history = new Map<string, { txId: string; value: Buffer | null; timestamp: Simulation['timestamp'] }[]>();
  const privateHashes = new Map<string, Buffer[]>();
  const pending = new Map<string, Pending>();
  const committed = new Map<string, { code: number; block: number }>();
  const eventStreams = new Set<(ev: peer.ChaincodeEvent, block: number) => void>();
  let block = 0;
  let commitSeq = 0;
  let timeOffset = 0;

  // ---- the peer side of the chaincode protocol (ChaincodeSupport.Register) ----
  let ccStream: grpc.ServerDuplexStream<peer.ChaincodeMessage, peer.ChaincodeMessage> | undefined;
  let ccReady!: () => void;
  const ready = new Promise<void>((r) => (ccReady = r));
  const inflight = new Map<string, { sim: Simulation; resolve: (m: peer.ChaincodeMessage) => void }>();

  const reply = (req: peer.ChaincodeMessage, type: number, payload: Uint8Array) => {
    const m = new peer.ChaincodeMessage();
    m.setType(type as never);
    m.setTxid(req.getTxid());
    m.setChannelId(req.getChannelId());
    m.setPayload(payload);
    ccStream!.write(m);
  };

  function handleShimRequest(msg: peer.ChaincodeMessage) {
    const run = inflight.get(msg.getTxid());
    if (!run) return reply(msg, MSG.ERROR, Buffer.from('unknown transaction'));
    const sim = run.sim;
    try {
      switch (msg.getType()) {
        case MSG.GET_STATE: {
          const req = peer.GetState.deserializeBinary(msg.getPayload_asU8());
          const k = keyOf(req.getCollection(), req.getKey());
          const cur = state.get(k);
          sim.reads.set(k, cur?.version ?? 0); // committed state only: no read-your-writes
          return reply(msg, MSG.RESPONSE, cur?.value ?? Buffer.alloc(0));
        }
        case MSG.PUT_STATE: {
          const req = peer.PutState.deserializeBinary(msg.getPayload_asU8());
          sim.writes.set(keyOf(req.getCollection(), req.getKey()), Buffer.from(req.getValue_asU8()));
          return reply(msg, MSG.RESPONSE, Buffer.alloc(0));
        }
        case MSG.DEL_STATE: {
          const req = peer.DelState.deserializeBinary(msg.getPayload_asU8());
          sim.writes.set(keyOf(req.getCollection(), req.getKey()), null);
          return reply(msg, MSG.RESPONSE, Buffer.alloc(0));
        }
        case MSG.PURGE_PRIVATE_DATA: {
          const req = peer.DelState.deserializeBinary(msg.getPayload_asU8());
          const k = keyOf(req.getCollection(), req.getKey());
          sim.writes.set(k, null);
          sim.purges.add(k);
          return reply(msg, MSG.RESPONSE, Buffer.alloc(0));
        }
        case MSG.GET_HISTORY_FOR_KEY: {
          const req = peer.GetHistoryForKey.deserializeBinary(msg.getPayload_asU8());
          const qr = new peer.QueryResponse();
          qr.setHasMore(false);
          qr.setId(randomBytes(8).toString('hex'));
          qr.setResultsList(
            (history.get(keyOf('', req.getKey())) ?? []).map((h) => {
              const km = new ledger.queryresult.KeyModification();
              km.setTxId(h.txId);
              km.setValue(h.value ?? Buffer.alloc(0));
              km.setIsDelete(h.value === null);
              const ts = new (require_timestamp())();
              ts.setSeconds(h.timestamp.seconds);
              ts.setNanos(h.timestamp.nanos);
              km.setTimestamp(ts);
              const r = new peer.QueryResultBytes();
              r.setResultbytes(km.serializeBinary());
              return r;
            }),
          );
          return reply(msg, MSG.RESPONSE, qr.serializeBinary());
        }
        case MSG.QUERY_STATE_CLOSE: {
          const qr = new peer.QueryResponse();
          qr.setHasMore(false);
          return reply(msg, MSG.RESPONSE, qr.serializeBinary());
        }
        case MSG.COMPLETED:
        case MSG.ERROR:
          inflight.delete(msg.getTxid());
          return run.resolve(msg);
        default:
          return reply(msg, MSG.ERROR, Buffer.from(`the test harness does not support message type ${msg.getType()}`));
      }
    } catch (e) {
      return reply(msg, MSG.ERROR, Buffer.from(String(e)));
    }
  }

  /** Runs the chaincode on a signed proposal; returns the response, event and simulation. */
  async function simulate(signed: peer.SignedProposal) {
    await ready;
    const proposal = peer.Proposal.deserializeBinary(signed.getProposalBytes_asU8());
    const header = common.Header.deserializeBinary(proposal.getHeader_asU8());
    const chHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
    const txId = chHeader.getTxId();
    // Present the proposal to the chaincode with its timestamp shifted by advanceTime (test clock).
    const ts = chHeader.getTimestamp();
    const seconds = Number(ts?.getSeconds() ?? Math.floor(Date.now() / 1000)) + timeOffset;
    if (ts) ts.setSeconds(seconds);
    header.setChannelHeader(chHeader.serializeBinary());
    proposal.setHeader(header.serializeBinary());
    const shifted = new peer.SignedProposal();
    shifted.setProposalBytes(proposal.serializeBinary());
    shifted.setSignature(signed.getSignature_asU8());
    const ccpp = peer.ChaincodeProposalPayload.deserializeBinary(proposal.getPayload_asU8());
    const spec = peer.ChaincodeInvocationSpec.deserializeBinary(ccpp.getInput_asU8()).getChaincodeSpec();
    const input = spec?.getInput();
    if (!input) throw new Error('proposal has no chaincode input');
    const sim: Simulation = { reads: new Map(), writes: new Map(), purges: new Set(), timestamp: { seconds, nanos: ts?.getNanos() ?? 0 } };
    const done = new Promise<peer.ChaincodeMessage>((resolve) => inflight.set(txId, { sim, resolve }));
    const m = new peer.ChaincodeMessage();
    m.setType(MSG.TRANSACTION);
    m.setTxid(txId);
    m.setChannelId(chHeader.getChannelId());
    m.setPayload(input.serializeBinary());
    m.setProposal(shifted);
    ccStream!.write(m);
    const out = await done;
    if (out.getType() !== MSG.COMPLETED) throw new Error(Buffer.from(out.getPayload_asU8()).toString());
    const response = peer.Response.deserializeBinary(out.getPayload_asU8());
    const sigHeader = common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8());
    return { txId, response, event: out.getChaincodeEvent(), sim, proposal, header, creator: Buffer.from(sigHeader.getCreator_asU8()) };
  }

  function chaincodeError(op: string, response: peer.Response) {
    return Object.assign(new Error(`${op} call returned error: chaincode response ${response.getStatus()}, ${response.getMessage()}`), {
      code: grpc.status.UNKNOWN,
    });
  }

  function commit(txId: string, p: Pending) {
    for (const [k, v] of p.sim.reads) {
      if ((state.get(k)?.version ?? 0) !== v) {
        committed.set(txId, { code: MVCC_READ_CONFLICT, block: ++block });
        return;
      }
    }
    commitSeq++;
    for (const [k, v] of p.sim.writes) {
      const collection = k.slice(0, k.indexOf('\u0000'));
      if (v === null) state.delete(k);
      else state.set(k, { value: v, version: commitSeq });
      if (collection === '') {
        const h = history.get(k) ?? [];
        h.push({ txId, value: v, timestamp: p.sim.timestamp });
        history.set(k, h);
      } else if (v !== null) {
        const hashes = privateHashes.get(k) ?? [];
        hashes.push(createHash('sha256').update(v).digest());
        privateHashes.set(k, hashes);
      }
    }
    committed.set(txId, { code: VALID, block: ++block });
    if (p.event && p.event.getEventName()) for (const l of [...eventStreams]) l(p.event, block);
  }

  const gatewayImpl = {
    evaluate: (call: grpc.ServerUnaryCall<gw.EvaluateRequest, gw.EvaluateResponse>, cb: grpc.sendUnaryData<gw.EvaluateResponse>) => {
      void (async () => {
        const r = await simulate(call.request.getProposedTransaction()!);
        if (r.response.getStatus() >= 400) return cb(chaincodeError('evaluate', r.response));
        const res = new gw.EvaluateResponse();
        res.setResult(r.response);
        cb(null, res);
      })().catch((e) => cb(Object.assign(new Error(String(e)), { code: grpc.status.UNAVAILABLE })));
    },
    endorse: (call: grpc.ServerUnaryCall<gw.EndorseRequest, gw.EndorseResponse>, cb: grpc.sendUnaryData<gw.EndorseResponse>) => {
      void (async () => {
        const r = await simulate(call.request.getProposedTransaction()!);
        if (r.response.getStatus() >= 400) {
          return cb(Object.assign(chaincodeError('endorse', r.response), { code: grpc.status.ABORTED }));
        }
        const action = new peer.ChaincodeAction();
        action.setResponse(r.response);
        if (r.event) action.setEvents(r.event.serializeBinary());
        const ccid = new peer.ChaincodeID();
        ccid.setName(chaincode);
        action.setChaincodeId(ccid);
        const prp = new peer.ProposalResponsePayload();
        prp.setProposalHash(createHash('sha256').update(r.proposal.getHeader_asU8()).update(r.proposal.getPayload_asU8()).digest());
        prp.setExtension$(action.serializeBinary());
        const endorsement = new peer.Endorsement();
        endorsement.setEndorser(Buffer.from('privkit-test-harness-peer'));
        endorsement.setSignature(Buffer.alloc(0));
        const cea = new peer.ChaincodeEndorsedAction();
        cea.setProposalResponsePayload(prp.serializeBinary());
        cea.setEndorsementsList([endorsement]);
        const cap = new peer.ChaincodeActionPayload();
        cap.setChaincodeProposalPayload(r.proposal.getPayload_asU8());
        cap.setAction(cea);
        const ta = new peer.TransactionAction();
        ta.setHeader(r.header.getSignatureHeader_asU8());
        ta.setPayload(cap.serializeBinary());
        const tx = new peer.Transaction();
        tx.setActionsList([ta]);
        const payload = new common.Payload();
        payload.setHeader(r.header);
        payload.setData(tx.serializeBinary());
        const env = new common.Envelope();
        env.setPayload(payload.serializeBinary());
        if (r.event) {
          // The peer, not the chaincode, fills in the event's chaincode id and transaction id.
          r.event.setChaincodeId(chaincode);
          r.event.setTxId(r.txId);
        }
        pending.set(r.txId, { sim: r.sim, ...(r.event ? { event: r.event } : {}), creator: r.creator });
        const res = new gw.EndorseResponse();
        res.setPreparedTransaction(env);
        cb(null, res);
      })().catch((e) => cb(Object.assign(new Error(String(e)), { code: grpc.status.UNAVAILABLE })));
    },
    submit: (call: grpc.ServerUnaryCall<gw.SubmitRequest, gw.SubmitResponse>, cb: grpc.sendUnaryData<gw.SubmitResponse>) => {
      const txId = call.request.getTransactionId();
      const p = pending.get(txId);
      const env = call.request.getPreparedTransaction();
      if (!p || !env) return cb(Object.assign(new Error(`unknown transaction ${txId}`), { code: grpc.status.NOT_FOUND }));
      pending.delete(txId);
      const id = msp.SerializedIdentity.deserializeBinary(p.creator);
      const signedOk = verify('sha256', env.getPayload_asU8(), Buffer.from(id.getIdBytes_asU8()).toString(), env.getSignature_asU8());
      if (!signedOk) committed.set(txId, { code: ENDORSEMENT_POLICY_FAILURE, block: ++block });
      else commit(txId, p);
      cb(null, new gw.SubmitResponse());
    },
    commitStatus: (call: grpc.ServerUnaryCall<gw.SignedCommitStatusRequest, gw.CommitStatusResponse>, cb: grpc.sendUnaryData<gw.CommitStatusResponse>) => {
      const req = gw.CommitStatusRequest.deserializeBinary(call.request.getRequest_asU8());
      const c = committed.get(req.getTransactionId());
      if (!c) return cb(Object.assign(new Error('transaction not committed'), { code: grpc.status.NOT_FOUND }));
      const res = new gw.CommitStatusResponse();
      res.setResult(c.code as never);
      res.setBlockNumber(c.block);
      cb(null, res);
    },
    chaincodeEvents: (call: grpc.ServerWritableStream<gw.SignedChaincodeEventsRequest, gw.ChaincodeEventsResponse>) => {
      const req = gw.ChaincodeEventsRequest.deserializeBinary(call.request.getRequest_asU8());
      const listener = (ev: peer.ChaincodeEvent, blockNumber: number) => {
        if (ev.getChaincodeId() !== req.getChaincodeId()) return;
        const res = new gw.ChaincodeEventsResponse();
        res.setEventsList([ev]);
        res.setBlockNumber(blockNumber);
        call.write(res);
      };
      eventStreams.add(listener);
      call.on('cancelled', () => eventStreams.delete(listener));
      call.on('close', () => eventStreams.delete(listener));
    },
    blockEvents: () => undefined,
    filteredBlockEvents: () => undefined,
    blockAndPrivateDataEvents: () => undefined,
  };

  const server = new grpc.Server();
  const gwService = (await import('@hyperledger/fabric-protos/lib/gateway/gateway_grpc_pb.js')) as unknown as { GatewayService?: grpc.ServiceDefinition; default?: { GatewayService: grpc.ServiceDefinition } };
  const ccService = (await import('@hyperledger/fabric-protos/lib/peer/chaincode_shim_grpc_pb.js')) as unknown as { ChaincodeSupportService?: grpc.ServiceDefinition; default?: { ChaincodeSupportService: grpc.ServiceDefinition } };
  server.addService((gwService.GatewayService ?? gwService.default!.GatewayService), gatewayImpl as unknown as grpc.UntypedServiceImplementation);
  server.addService((ccService.ChaincodeSupportService ?? ccService.default!.ChaincodeSupportService), {
    register: (stream: grpc.ServerDuplexStream<peer.ChaincodeMessage, peer.ChaincodeMessage>) => {
      ccStream = stream;
      stream.on('data', (msg: peer.ChaincodeMessage) => {
        if (msg.getType() === MSG.REGISTER) {
          const ok = new peer.ChaincodeMessage();
          ok.setType(MSG.REGISTERED);
          stream.write(ok);
          const rd = new peer.ChaincodeMessage();
          rd.setType(MSG.READY);
          stream.write(rd);
          ccReady();
          return;
        }
        handleShimRequest(msg);
      });
      stream.on('error', () => undefined);
    },
  } as unknown as grpc.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  const endpoint = `127.0.0.1:${port}`;

  // ---- the chaincode, inside the real fabric-shim runtime, connected like to a peer ----
  // The shim logs every message at info level unless told otherwise (its documented variable).
  process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'critical';
  const shimHandler = (await import('fabric-shim/lib/handler.js')) as unknown as { ChaincodeSupportClient?: new (cc: unknown, url: string, opts: unknown) => ShimClient; default?: { ChaincodeSupportClient: new (cc: unknown, url: string, opts: unknown) => ShimClient } };
  const fromContract = (await import('fabric-shim/lib/contract-spi/chaincodefromcontract.js')) as unknown as { default?: new (...a: unknown[]) => unknown } & (new (...a: unknown[]) => unknown);
  const { JSONSerializer } = (await import('fabric-contract-api')) as unknown as { JSONSerializer: unknown };
  const ChaincodeFromContract = (fromContract.default ?? fromContract) as new (...a: unknown[]) => unknown;
  const cc = new ChaincodeFromContract([PrivkitRegistryContract], { transaction: 'jsonSerializer', serializers: { jsonSerializer: JSONSerializer } }, {}, 'privkit-registry', '0.1.0');
  const Client = (shimHandler.ChaincodeSupportClient ?? shimHandler.default!.ChaincodeSupportClient);
  const shim = new Client(cc, `grpc://${endpoint}`, {});
  const ccid = new peer.ChaincodeID();
  ccid.setName(chaincode);
  shim.chat({ type: MSG.REGISTER, payload: ccid.serializeBinary() });
  await Promise.race([
    ready,
    new Promise((_, reject) => setTimeout(() => reject(new LedgerError('LEDGER_UNAVAILABLE', 'the chaincode did not register with the test harness')), 10_000)),
  ]);

  const clients = new Set<{ close(): void }>();
  return {
    endpoint,
    channel,
    chaincode,
    identities,
    connect(i: number) {
      const id = identities[i];
      if (!id) throw new LedgerError('LEDGER_INVALID_RECORD', `no identity ${i}`);
      const client = new grpc.Client(endpoint, grpc.credentials.createInsecure());
      const gateway = connect({
        client,
        identity: { mspId: id.mspId, credentials: Buffer.from(id.certificate) },
        signer: signers.newPrivateKeySigner(id.privateKey),
        hash: hash.sha256,
      });
      const network = gateway.getNetwork(channel);
      const contract = network.getContract(chaincode);
      const handle = {
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
    inspect() {
      const privateData = new Map<string, Buffer>();
      for (const [k, v] of state) if (!k.startsWith('\u0000')) privateData.set(k, v.value);
      return { publicKeys: [...state.keys()].filter((k) => k.startsWith('\u0000')).map((k) => k.slice(1)), privateData, privateDataHashes: new Map(privateHashes) };
    },
    async close() {
      for (const c of [...clients]) c.close();
      shim.close();
      ccStream?.end();
      // Open event streams would hold a graceful shutdown: give calls a moment, then force.
      await new Promise<void>((r) => {
        const t = setTimeout(() => {
          server.forceShutdown();
          r();
        }, 500);
        server.tryShutdown(() => {
          clearTimeout(t);
          r();
        });
      });
    },
  };
}

interface ShimClient {
  chat(msg: { type: number; payload: Uint8Array }): void;
  close(): void;
}

// The real class type (@types/google-protobuf): KeyModification.setTimestamp takes exactly this.
type TimestampCtor = typeof import('google-protobuf/google/protobuf/timestamp_pb.js').Timestamp;
let timestampCtor: TimestampCtor | undefined;
function require_timestamp(): TimestampCtor {
  // google.protobuf.Timestamp, the message type fabric-protos uses for KeyModification.timestamp.
  timestampCtor ??= (createRequire(import.meta.url)('google-protobuf/google/protobuf/timestamp_pb.js') as { Timestamp: TimestampCtor }).Timestamp;
  return timestampCtor;
}
