import { defineConfig } from 'tsup';
import { packageConfig } from '../../scripts/tsup.shared.js';

export default defineConfig(packageConfig({ index: 'src/index.ts', testing: 'src/testing.ts', chaincode: 'src/chaincode.ts' }, {}, { noExternal: ['multiformats', '@ipld/dag-pb', 'ipfs-unixfs', 'protons-runtime', 'uint8arraylist', 'uint8arrays', 'uint8-varint'] }));
