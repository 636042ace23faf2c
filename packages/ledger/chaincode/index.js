'use strict';
// Entry point the Fabric Node chaincode runtime loads: one contract, the PrivKit registry.
const { PrivkitRegistryContract } = require('@privkit/ledger/chaincode');

module.exports.contracts = [PrivkitRegistryContract];
