import { defineConfig } from 'tsup';
import { packageConfig } from '../../scripts/tsup.shared.js';

const entries = { index: 'src/index.ts', testing: 'src/testing.ts' };

// One output module per source module (every src file is an entry, shared code in chunks), so that bundlers drop
// whole modules a program does not use ("sideEffects": false) together with their dependencies:
// `import { base45Encode }` must not pull jsqr, qrcode or pngjs. Types for the two public entries only; the package
// "exports" expose only index and testing.
export default defineConfig(packageConfig(entries, { entry: ['src/*.ts'], dts: { entry: entries } }));
