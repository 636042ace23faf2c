/**
 * The embedded IPFS back end: a Helia node in process (no daemon), its blocks in a filesystem blockstore and its pins
 * and keys in a filesystem datastore under `directory`. Offline by default; with `network`, a libp2p node on TCP that
 * listens on and dials loopback addresses only (no bootstrap, DHT, mDNS, relays or HTTP gateways) and exchanges
 * blocks with the peers it is told to dial over bitswap.
 * @module
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Multiaddr } from '@multiformats/multiaddr';
import type { Helia } from 'helia';
import type { Libp2p } from 'libp2p';
import type { CID } from 'multiformats/cid';
import { _isStorageError, StorageError } from './errors.js';
import {
  DEFAULT_MAX_BYTES, _checkContent, _cid, _collect, _expectedCid, _lifecycle, _maxBytes, _putArgs, type ContentStore,
} from './_store.js';

/** Loopback networking of the embedded node. */
export interface IpfsNetworkOptions {
  /** Listen addresses (default `['/ip4/127.0.0.1/tcp/0']`); loopback TCP only. */
  listen?: string[];
  /** Give up fetching a block from peers after this long (default 30 s). */
  fetchTimeoutMs?: number;
}

/** Options of {@link createIpfsStorage}. */
export interface IpfsStorageOptions {
  /** Directory holding the node's blockstore (`blocks/`) and datastore (`datastore/`: pins, peer key). */
  directory: string;
  /** Bound on one content's size for `put` and `get` (default 64 MiB). */
  maxBytes?: number;
  /** Run libp2p + bitswap on loopback (off by default: the node is offline and serves only local blocks). */
  network?: IpfsNetworkOptions | boolean;
}

/** The embedded IPFS store; networked nodes also expose their addresses and dial peers. */
export interface IpfsStore extends ContentStore {
  readonly kind: 'ipfs';
  /** The node's peer id (networked nodes), or undefined. */
  readonly peerId: string | undefined;
  /** The node's listen addresses with its peer id (networked nodes; empty offline). */
  multiaddrs(): string[];
  /** Connects to a peer at a loopback multiaddr (with `/p2p/<id>`), so bitswap can fetch blocks from it. */
  dial(address: string): Promise<void>;
}

const RAW_CODEC = 0x55;
/** Largest single block read (IPFS implementations refuse blocks above 2–4 MiB). */
const MAX_BLOCK = 4 * 1024 * 1024;
const LOOPBACK = /^\/(ip4\/127\.\d{1,3}\.\d{1,3}\.\d{1,3}|ip6\/::1)\/tcp\/\d{1,5}(\/|$)/;

/** True for a TCP multiaddr on a loopback address (the only traffic the embedded node makes). */
export function isLoopbackMultiaddr(address: string | Multiaddr): boolean {
  return LOOPBACK.test(typeof address === 'string' ? address : address.toString());
}

function networkOptions(n: IpfsStorageOptions['network']): Required<IpfsNetworkOptions> | undefined {
  if (n === undefined || n === false) return undefined;
  const o = n === true ? {} : n;
  if (o === null || typeof o !== 'object') throw new StorageError('"network" must be a boolean or an object', { code: 'STORAGE_INVALID_INPUT' });
  const listen = o.listen ?? ['/ip4/127.0.0.1/tcp/0'];
  if (!Array.isArray(listen) || listen.some((a) => typeof a !== 'string' || !isLoopbackMultiaddr(a))) {
    throw new StorageError('"network.listen" must list loopback TCP multiaddrs', { code: 'STORAGE_INVALID_INPUT' });
  }
  const fetchTimeoutMs = _maxBytes(o.fetchTimeoutMs, 30_000);
  return { listen, fetchTimeoutMs };
}

/**
 * Starts an embedded IPFS node (Helia) storing its blocks under `directory`.
 * `put` adds the bytes as a UnixFS file (`@helia/unixfs` `addBytes`, defaults: CIDv1, raw leaves, 256 KiB chunks),
 * checks the node's CID against the one PrivKit computes, and pins it; `get` reads it back (from peers over bitswap
 * when networked) and re-checks the bytes against the CID.
 * @throws {StorageError} `STORAGE_INVALID_INPUT` for bad options, `STORAGE_UNAVAILABLE` when the node cannot start
 * @example
 * const store = await createIpfsStorage({ directory: './ipfs' });
 * const { cid } = await store.put(envelopeBytes); // 'bafkrei…'
 * const same = await store.get(cid);
 * await store.close();
 */
export async function createIpfsStorage(options: IpfsStorageOptions): Promise<IpfsStore> {
  if (!options || typeof options.directory !== 'string' || options.directory === '') {
    throw new StorageError('"directory" must be a non-empty path', { code: 'STORAGE_INVALID_INPUT' });
  }
  const maxBytes = _maxBytes(options.maxBytes, DEFAULT_MAX_BYTES);
  const net = networkOptions(options.network);
  // The IPFS stack is loaded on first use (seconds of module loading), and libp2p only for a networked node.
  const [{ createHeliaLight }, { unixfs }, { FsBlockstore }, { FsDatastore }, { CID }, dagPb, { UnixFS }, { multiaddr }] = await Promise.all([
    import('helia'), import('@helia/unixfs'), import('blockstore-fs'), import('datastore-fs'), import('multiformats/cid'),
    import('@ipld/dag-pb'), import('ipfs-unixfs'), import('@multiformats/multiaddr'),
  ]);
  const blockstore = new FsBlockstore(join(options.directory, 'blocks'));
  const datastore = new FsDatastore(join(options.directory, 'datastore'));
  let helia: Helia & { libp2p?: Libp2p };
  try {
    await mkdir(options.directory, { recursive: true });
    await blockstore.open();
    await datastore.open();
    const light = createHeliaLight({ blockstore, datastore });
    if (net) {
      const [{ withBitswap }, { withLibp2pLight }, { identify }, { noise }, { tcp }, { yamux }] = await Promise.all([
        import('@helia/bitswap'), import('@helia/libp2p'), import('@libp2p/identify'), import('@libp2p/noise'), import('@libp2p/tcp'), import('@libp2p/yamux'),
      ]);
      helia = withBitswap(withLibp2pLight(light, {
        addresses: { listen: net.listen },
        transports: [tcp()],
        connectionEncrypters: [noise()],
        streamMuxers: [yamux()],
        services: { identify: identify() },
        // Belt and braces: whatever a peer advertises, never dial anything but loopback.
        connectionGater: { denyDialMultiaddr: (ma: Multiaddr) => !isLoopbackMultiaddr(ma) },
      } as never) as never) as typeof helia;
    } else {
      helia = light;
    }
    await helia.start();
  } catch (cause) {
    await blockstore.close().catch(() => {});
    await datastore.close().catch(() => {});
    throw new StorageError('the embedded IPFS node could not start', { code: 'STORAGE_UNAVAILABLE', cause });
  }
  const fs = unixfs(helia);
  const life = _lifecycle();
  const parse = (cid: string) => CID.parse(_cid(cid));

  async function pin(cid: string): Promise<void> {
    life.check();
    const c = parse(cid);
    if (await helia.pins.isPinned(c)) return;
    for await (const _ of helia.pins.add(c, { signal: AbortSignal.timeout(net?.fetchTimeoutMs ?? 30_000) })) { /* drain */ }
  }
  async function unpin(cid: string): Promise<void> {
    life.check();
    const c = parse(cid);
    if (!(await helia.pins.isPinned(c))) return;
    for await (const _ of helia.pins.rm(c)) { /* drain */ }
  }

  /**
   * The bytes of a UnixFS file (raw leaf, or dag-pb `file`/`raw` nodes with data and links), depth-first. Bounded:
   * at most 32 levels and `2 + max / 1024` blocks, each at most 4 MiB (a hostile DAG cannot loop or balloon).
   */
  async function* readFile(root: CID, opts: { offline: boolean; signal: AbortSignal }, max: number): AsyncGenerator<Uint8Array> {
    let budget = 2 + Math.floor(max / 1024);
    const bad = () => new StorageError('not a UnixFS file DAG within bounds', { code: 'STORAGE_INTEGRITY' });
    async function* walk(c: CID, depth: number): AsyncGenerator<Uint8Array> {
      if (depth > 32 || --budget < 0) throw bad();
      const block = await _collect(helia.blockstore.get(c, opts as never) as unknown as AsyncIterable<Uint8Array>, MAX_BLOCK);
      if (c.code === RAW_CODEC) return yield block;
      if (c.code !== dagPb.code) throw bad();
      let node: ReturnType<typeof dagPb.decode>;
      let file: ReturnType<typeof UnixFS.unmarshal>;
      try {
        node = dagPb.decode(block);
        file = UnixFS.unmarshal(node.Data ?? new Uint8Array());
      } catch (cause) {
        throw new StorageError('not a UnixFS file DAG', { code: 'STORAGE_INTEGRITY', cause });
      }
      if (file.type !== 'file' && file.type !== 'raw') throw bad();
      if (file.data !== undefined && file.data.length > 0) yield file.data;
      for (const link of node.Links) yield* walk(link.Hash as CID, depth + 1);
    }
    yield* walk(root, 0);
  }

  const store: IpfsStore = {
    kind: 'ipfs',
    get peerId() {
      return net ? helia.libp2p!.peerId.toString() : undefined;
    },
    multiaddrs() {
      life.check();
      return net ? helia.libp2p!.getMultiaddrs().map((m) => m.toString()) : [];
    },
    async dial(address) {
      life.check();
      if (!net) throw new StorageError('this node is offline (no "network" option)', { code: 'STORAGE_INVALID_INPUT' });
      if (typeof address !== 'string' || !isLoopbackMultiaddr(address)) {
        throw new StorageError('only loopback TCP multiaddrs can be dialled', { code: 'STORAGE_INVALID_INPUT' });
      }
      try {
        await helia.libp2p!.dial(multiaddr(address));
      } catch (cause) {
        throw new StorageError('cannot reach the peer', { code: 'STORAGE_UNAVAILABLE', cause });
      }
    },
    async put(bytes, opts) {
      life.check();
      const cidVersion = _putArgs(bytes, opts, maxBytes);
      const expected = _expectedCid(bytes, cidVersion);
      const got = (await fs.addBytes(bytes, { cidVersion, rawLeaves: cidVersion === 1 })).toString();
      if (got !== expected) throw new StorageError('the node addressed the content differently', { code: 'STORAGE_INTEGRITY' });
      await pin(got);
      return { cid: got, size: bytes.length };
    },
    async get(cid, opts = {}) {
      life.check();
      const norm = _cid(cid);
      const max = _maxBytes(opts.maxBytes, maxBytes);
      const signal = opts.signal ?? AbortSignal.timeout(net?.fetchTimeoutMs ?? 30_000);
      try {
        if (!net && !(await helia.blockstore.has(CID.parse(norm), { offline: true } as never))) {
          throw new StorageError('no content under this CID', { code: 'STORAGE_NOT_FOUND' });
        }
        // Read the UnixFS file's blocks straight from the blockstore (the exporter costs ~6× more for the same bytes);
        // the result is re-checked against the CID as a whole.
        const bytes = await _collect(readFile(CID.parse(norm), { offline: !net, signal }, max), max);
        return _checkContent(bytes, norm);
      } catch (e) {
        if (_isStorageError(e)) throw e;
        const name = (e as { name?: string })?.name;
        if (name === 'NotFoundError' || name === 'LoadBlockFailedError' || name === 'AbortError' || name === 'TimeoutError') {
          throw new StorageError('no content under this CID', { code: 'STORAGE_NOT_FOUND', cause: e });
        }
        throw new StorageError('the node could not read the content', { code: 'STORAGE_UNAVAILABLE', cause: e });
      }
    },
    async has(cid) {
      life.check();
      return helia.blockstore.has(parse(cid), { offline: true } as never) as Promise<boolean>;
    },
    pin,
    unpin,
    async delete(cid) {
      await unpin(cid);
      await helia.gc();
    },
    async list() {
      life.check();
      const out: string[] = [];
      for await (const p of helia.pins.ls()) out.push(p.cid.toString());
      return out.sort();
    },
    async close() {
      if (!life.close()) return;
      await helia.stop();
      await blockstore.close().catch(() => {});
      await datastore.close().catch(() => {});
    },
  };
  return Object.freeze(store);
}
