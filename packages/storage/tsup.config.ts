import { defineConfig } from 'tsup';
import { packageConfig } from '../../scripts/tsup.shared.js';

// The CJS build bundles the ESM-only packages the entry imports statically (Bun's require() cannot load them);
// Helia, libp2p and kubo-rpc-client are loaded with import() when a store is created, from either build.
export default defineConfig(
  packageConfig({ index: 'src/index.ts' }, {}, { noExternal: ['multiformats', '@ipld/dag-pb', 'ipfs-unixfs', 'protons-runtime', 'uint8arraylist', 'uint8arrays', 'uint8-varint'] }),
);
