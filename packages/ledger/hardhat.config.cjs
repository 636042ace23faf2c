// Used only by the test that runs `hardhat node` on 127.0.0.1 (the library never loads Hardhat).
module.exports = { networks: { hardhat: { chainId: 31337 } } };
