import { defineConfig } from 'tsup';
import { packageConfig } from '../../scripts/tsup.shared.js';

const entries = { index: 'src/index.ts', testing: 'src/testing.ts' };

// ESM: one output module per source module (every src file is an entry, shared code in chunks), so that bundlers
// drop whole modules a program does not use ("sideEffects": false) together with their dependencies:
// `import { base45Encode }` must not pull jsqr, qrcode or pngjs. Types and CJS: the two public entries only.
export default defineConfig([
  packageConfig({ ...entries }, { format: ['esm'], entry: ['src/*.ts'], dts: { entry: entries } }),
  packageConfig(entries, { format: ['cjs'], clean: false }),
]);
