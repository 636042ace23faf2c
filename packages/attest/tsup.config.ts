import { defineConfig } from 'tsup';
import { packageConfig } from '../../scripts/tsup.shared.js';

export default defineConfig(
  packageConfig(
    { index: 'src/index.ts', 'index.node': 'src/index.node.ts', testing: 'src/testing.ts', tpm: 'src/tpm/index.ts' },
    {},
    { denoRequire: { 'index.node': 'index' } },
  ),
);
