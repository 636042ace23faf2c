import { rmSync, writeFileSync } from 'node:fs';
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
  /**
   * Deno's `require()` (a `.cjs` program, or `createRequire` in ESM) resolves export conditions as Node does: it
   * takes `"node"`, never `"deno"` (Deno 2.9.6, checked by the pack test). For each `{ nodeEntry: denoEntry }` pair,
   * `dist/<nodeEntry>.dispatch.cjs` is written: it loads `<denoEntry>.cjs` when `globalThis.Deno` exists and
   * `<nodeEntry>.cjs` otherwise; the package's `node.require` condition points at it, so Deno's `require` gets the
   * same entry as Deno's `import` (the `"deno"` condition).
   */
  denoRequire?: Record<string, string>;
}

/** The CommonJS file that picks `denoEntry` on Deno and `nodeEntry` everywhere else (see `CjsOptions.denoRequire`). */
export function denoDispatcher(nodeEntry: string, denoEntry: string): string {
  return (
    "'use strict';\n" +
    `// Deno's require() selects the "node" export condition; send it to the entry Deno's import gets ("deno").\n` +
    `module.exports = typeof globalThis.Deno === 'object' ? require('./${denoEntry}.cjs') : require('./${nodeEntry}.cjs');\n`
  );
}

export function packageConfig(entry: Record<string, string>, extra: Partial<Options> = {}, cjs: CjsOptions = {}): Options[] {
  // The three builds below run concurrently, so no single one of them may `clean`: empty dist/ once, up front.
  rmSync('dist', { recursive: true, force: true });
  const common: Options = { target: 'es2022', sourcemap: false, clean: false, ...extra };
  return [
    { ...common, entry: ['src/**/*.ts', '!src/**/*.d.ts'], format: ['esm'], bundle: false, dts: false },
    {
      ...common,
      entry,
      format: ['cjs'],
      dts: true,
      splitting: false,
      treeshake: true,
      ...(cjs.noExternal ? { noExternal: cjs.noExternal } : {}),
      ...(cjs.denoRequire
        ? {
            onSuccess: async () => {
              for (const [nodeEntry, denoEntry] of Object.entries(cjs.denoRequire ?? {}))
                writeFileSync(`dist/${nodeEntry}.dispatch.cjs`, denoDispatcher(nodeEntry, denoEntry));
            },
          }
        : {}),
    },
    { ...common, entry, format: ['esm'], dts: { only: true } },
  ];
}
