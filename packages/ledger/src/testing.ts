/**
 * @privkit/ledger/testing — the conformance suite for `LedgerAdapter` back ends, fast-check arbitraries for
 * ledger records and Merkle proofs, an embedded EVM (Hardhat 3, EDR-simulated, public API) and the Fabric test
 * harness, for demos and tests. fast-check is a peer dependency of this entry only; Hardhat and the Fabric packages are optional peer
 * dependencies, loaded only when `createEmbeddedEvm` / `createFabricTestNetwork` is called.
 * @module
 */
import * as fc from 'fast-check';
import { buildMerkleTree, type MerkleProof } from './merkle.js';
import { LedgerError } from './errors.js';

export { runLedgerConformance, ledgerCommands, type ConformanceOptions, type LedgerUnderTest, type LedgerModel, type LedgerModelRecord, type LedgerReal } from './conformance.js';
export { createEmbeddedEvm, createEthereumTestLedger, embeddedChain, type EmbeddedEvm, type EthereumTestLedger } from './ethereum/embedded.js';

/** Valid record ids. */
export const arbRecordId = (): fc.Arbitrary<string> =>
  fc.stringMatching(/^[A-Za-z0-9._:/@+-]{1,40}$/);

/** Valid record inputs: a 32-byte anchor and an optional data part. */
export const arbRecordInput = () =>
  fc.record({ anchor: fc.uint8Array({ minLength: 32, maxLength: 32 }), data: fc.option(fc.uint8Array({ maxLength: 256 }), { nil: undefined }) })
    .map(({ anchor, data }) => (data === undefined ? { anchor } : { anchor, data }));

/** A Merkle batch of 1..`maxLeaves` blocks with one chosen leaf, its proof and the root. */
export const arbMerkleBatch = (maxLeaves = 64) =>
  fc.array(fc.uint8Array({ minLength: 1, maxLength: 48 }), { minLength: 1, maxLength: maxLeaves }).chain((leaves) =>
    fc.nat({ max: leaves.length - 1 }).map((index) => {
      const tree = buildMerkleTree(leaves);
      return { leaves, index, leaf: leaves[index]!, root: tree.root, proof: tree.proof(index) as MerkleProof };
    }),
  );

/** A valid batch plus one mutation of its proof, leaf or root, described for readable counterexamples. */
export const arbTamperedMerkleProof = (maxLeaves = 64) =>
  arbMerkleBatch(maxLeaves).chain((b) =>
    fc.oneof(
      fc.constant({ ...b, mutation: 'leaf changed', leaf: Uint8Array.from([...b.leaf, 0]) }),
      fc.constant({ ...b, mutation: 'root bit flipped', root: Uint8Array.from(b.root, (x, i) => (i === 0 ? x ^ 1 : x)) }),
      // (No "size changed" mutation: as in RFC 9162 the tree size is not bound by the root alone — a root is
      // anchored, and a proof shows membership under it; see FORMAT.md.)
      fc.constant({ ...b, mutation: 'leaf replaced by its hash', leaf: b.root }),
      ...(b.proof.path.length > 0
        ? [
            fc.nat({ max: b.proof.path.length - 1 }).map((i) => ({
              ...b, mutation: `path[${i}] bit flipped`,
              proof: { ...b.proof, path: b.proof.path.map((p, j) => (j === i ? Uint8Array.from(p, (x, k) => (k === 0 ? x ^ 1 : x)) : p)) },
            })),
            fc.constant({ ...b, mutation: 'path truncated', proof: { ...b.proof, path: b.proof.path.slice(0, -1) } }),
          ]
        : []),
      ...(b.leaves.length > 1 ? [fc.constant({ ...b, mutation: 'index changed', proof: { ...b.proof, index: (b.index + 1) % b.leaves.length } })] : []),
    ),
  );
export type {
  FabricCollectionConfig, FabricTestChannel, FabricTestConnection, FabricTestIdentity, FabricTestNetwork, FabricTestNetworkOptions,
} from './fabric/harness.js';

/**
 * Starts the Fabric test harness (see `fabric/harness.ts`): one peer per organisation, the registry chaincode in
 * the real fabric-shim runtime, clients through the real fabric-gateway. Loaded on first call, so this entry
 * needs the optional peer dependencies `@grpc/grpc-js`, `@hyperledger/fabric-gateway`,
 * `@hyperledger/fabric-protos`, `fabric-shim`, `fabric-contract-api` and `google-protobuf` only when it is used.
 * @throws {LedgerError} `LEDGER_UNAVAILABLE` when those packages are not installed
 * @example const net = await createFabricTestNetwork(); const alice = await createFabricAdapter(net.connect(0));
 */
export async function createFabricTestNetwork(options?: import('./fabric/harness.js').FabricTestNetworkOptions): Promise<import('./fabric/harness.js').FabricTestNetwork> {
  let harness: typeof import('./fabric/harness.js');
  try {
    harness = await import('./fabric/harness.js');
  } catch (cause) {
    throw new LedgerError('the Fabric test harness needs the optional peer dependencies @grpc/grpc-js, @hyperledger/fabric-gateway, @hyperledger/fabric-protos, fabric-shim, fabric-contract-api and google-protobuf', { code: 'LEDGER_UNAVAILABLE', cause });
  }
  return harness.createFabricTestNetwork(options);
}
