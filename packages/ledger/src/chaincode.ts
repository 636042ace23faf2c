/**
 * @privkit/ledger/chaincode — the registry chaincode for deployment to a Hyperledger Fabric network. Loaded by the
 * Fabric Node chaincode runtime (`fabric-chaincode-node start`), never by client applications.
 * @module
 */
export { PrivkitRegistryContract, PRIVATE_COLLECTION, FABRIC_EVENTS } from './fabric/chaincode.js';
