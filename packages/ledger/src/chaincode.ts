/**
 * @privkit/ledger/chaincode — the registry chaincode for deployment to a Hyperledger Fabric network. Loaded by the
 * Fabric Node chaincode runtime (`fabric-chaincode-node start`), never by client applications. The deployable,
 * self-contained package is the `chaincode/` folder (README "Deploying the chaincode").
 * @module
 */
export {
  PrivkitRegistryContract, PRIVATE_COLLECTION, FABRIC_EVENTS, DEFAULT_MAX_SKEW, IMPLICIT_COLLECTION_PREFIX, type RegistryContractOptions,
} from './fabric/chaincode.js';
