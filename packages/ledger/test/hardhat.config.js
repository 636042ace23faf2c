// Hardhat 3 configuration of the test that runs `hardhat node` on 127.0.0.1 (ethereum-rpc.test.ts); the library
// never loads Hardhat. `hardhat node` creates <artifacts>/build-info and watches it: the test points artifacts and
// cache at a temporary folder it removes, so nothing is written into the package.
export default {
  paths: { artifacts: process.env.PRIVKIT_HARDHAT_ARTIFACTS, cache: process.env.PRIVKIT_HARDHAT_CACHE },
  networks: { node: { type: 'edr-simulated', chainId: 31337 } },
};
