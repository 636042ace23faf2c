import { defineConfig } from 'tsup';
import { packageConfig } from '../../scripts/tsup.shared.js';

export default defineConfig(packageConfig({ index: 'src/index.ts', testing: 'src/testing.ts', chaincode: 'src/chaincode.ts' }, {}, { noExternal: ['multiformats'] }));
