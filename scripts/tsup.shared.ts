import { rmSync } from 'node:fs';
import type { Options } from 'tsup';

/**
 * One build recipe for every package (run from the package directory by `tsup`). Dependencies are never bundled.
 *
 * - ESM (`dist/**.js`): one module per source file (`bundle: false`), so a bundler keeps only the modules an app
 *   imports (`sideEffects: false` in every package.json lets it drop the rest without looking inside).
 * - CJS (`dist/<entry>.cjs`): one file per entry; `require` users do not tree-shake, and per-file CJS would need
 *   rewritten `.cjs` import specifiers.
 * - Types: `dist/<entry>.d.ts` (ESM) and `dist/<entry>.d.cts` (CJS), one rolled-up declaration file per entry.
 * - No source maps in the tarball: the ESM output is unminified, one file per source file and readable as is;
 *   maps pointing at a `src/` that is not published would dangle, and maps with `sourcesContent` made ~60% of
 *   every tarball.
 */
/** Options of the CJS build only. */
export interface CjsOptions {
  /**
   * ESM-only dependencies to bundle into the CJS files: those whose `exports` offer `import`/`module-sync` but no
   * `require`/`default` condition, which Node ≥ 22.12 loads from `require()` but Bun does not (the pack test's Bun CJS
   * step found multiformats).
   */
  noExternal?: string[];
}

export function packageConfig(entry: Record<string, string>, extra: Partial<Options> = {}, cjs: CjsOptions = {}): Options[] {
  // The three builds below run concurrently, so no single one of them may `clean`: empty dist/ once, up front.
  rmSync('dist', { recursive: true, force: true });
  const common: Options = { target: 'es2022', sourcemap: false, clean: false, ...extra };
  return [
    { ...common, entry: ['src/**/*.ts', '!src/**/*.d.ts'], format: ['esm'], bundle: false, dts: false },
    { ...common, entry, format: ['cjs'], dts: true, splitting: false, treeshake: true, ...(cjs.noExternal ? { noExternal: cjs.noExternal } : {}) },
    { ...common, entry, format: ['esm'], dts: { only: true } },
  ];
}
