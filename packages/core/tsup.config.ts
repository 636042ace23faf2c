import { defineConfig } from 'tsup';
import { packageConfig } from '../../scripts/tsup.shared.js';

export default defineConfig(
  packageConfig(
    { index: 'src/index.ts', 'index.node': 'src/index.node.ts', 'index.runtime': 'src/index.runtime.ts', testing: 'src/testing.ts' },
    {},
    { denoRequire: { 'index.node': 'index.runtime' } },
  ),
);
