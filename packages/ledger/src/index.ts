/**
 * @privkit/ledger — the thin adapter layer between PrivKit and ledgers: the `LedgerAdapter` interface, the
 * integrity service (encrypted block digests, Merkle batches, IPFS CIDs), and the Ethereum and Hyperledger Fabric
 * back ends.
 * @module
 */
export { LedgerError, LedgerFormatError, type LedgerErrorCode, type LedgerFormatErrorCode, type LedgerOperationErrorCode } from './errors.js';
export {
  MAX_DATA_LENGTH, assertRecordId,
  type HistoryEntry, type LedgerAdapter, type LedgerEvent, type LedgerRecord, type RecordInput, type RecordSummary,
  type SubscribeOptions, type TxResult,
} from './adapter.js';
export { createMemoryLedger, type MemoryLedger } from './memory.js';
export {
  MAX_MERKLE_LEAVES, buildMerkleTree, decodeMerkleProof, encodeMerkleProof, merkleLeafHash, merkleRoot,
  verifyMerkleProof, type MerkleProof, type MerkleTree,
} from './merkle.js';
export { blockCid, blockMatchesCid, cidDigest } from './cid.js';
export {
  MAX_CID_INPUT, UNIXFS_CHUNK_SIZE, UNIXFS_LAYOUTS, UNIXFS_MAX_LINKS, parseContentCid, unixfsCid, type UnixfsCidOptions, type UnixfsLayout,
} from './cid.js';
export {
  createEthereumAdapter, deployRegistry, type EthereumAdapterOptions, type EthereumPublicClient, type EthereumWalletClient,
} from './ethereum/adapter.js';
export { registryAbi, registryBytecode } from './ethereum/artifact.js';
export {
  createFabricAdapter, type FabricAdapterOptions, type FabricChaincodeEventLike, type FabricContractLike, type FabricNetworkLike,
  type FabricProposalOptions,
} from './fabric/adapter.js';
export { FABRIC_EVENTS, PRIVATE_COLLECTION } from './fabric/_events.js';
export {
  PROOF_KIND, RECORD_KIND, createIntegrityService, decodeQuoteProof, decodeRecordData, encodeQuoteProof, detectionProbability, encodeRecordData, proofMessage,
  type BlockCheck, type IntegrityRecordData, type IntegrityService, type IntegrityServiceOptions, type ProofKind,
  type ProofVerifier, type SampleReport, type SubmitterProof,
} from './integrity.js';
export { deviceProofVerifier, type BlockStore, type RecordBlockOptions, type SampleOptions, type VerifyOptions } from './integrity.js';
export {
  checkDeviceProof, decodeDeviceProof, encodeDeviceProof, type DeviceProof, type DeviceProofCheck, type DeviceProofPolicy,
} from './deviceProof.js';
