/**
 * Bundles src/page.ts for the browser with esbuild: `@privkit/*` resolve to the packages' portable sources
 * (the browser never sees the "node" export condition), `platform: 'browser'`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { build, type Plugin } from 'esbuild';

const root = new URL('../../../', import.meta.url).pathname;

const privkitSources: Plugin = {
  name: 'privkit-sources',
  setup(b) {
    b.onResolve({ filter: /^@privkit\/[a-z-]+(\/testing)?$/ }, (args) => {
      const [, pkg, sub] = /^@privkit\/([a-z-]+)(\/testing)?$/.exec(args.path)!;
      const file = `${root}packages/${pkg}/src/${sub ? 'testing' : 'index'}.ts`;
      if (!existsSync(file)) return { errors: [{ text: `no sources for ${args.path}` }] };
      return { path: file };
    });
  },
};

/**
 * Files the page fetches next to its script: node-seal 7 (SEAL for @privkit/he) loads `seal_allows.wasm` from
 * `new URL('seal_allows.wasm', import.meta.url)`, which esbuild does not copy (packages/he/README.md, Browsers).
 */
export function pageAssets(): Record<string, Uint8Array> {
  return { '/seal_allows.wasm': readFileSync(`${root}packages/he/node_modules/node-seal/dist/seal_allows.wasm`) };
}

/** Returns the bundled page script (ESM) and esbuild's warnings. */
export async function bundlePage(): Promise<{ code: string; warnings: string[] }> {
  const result = await build({
    entryPoints: [new URL('./page.ts', import.meta.url).pathname],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    minify: false,
    logLevel: 'silent',
    plugins: [privkitSources],
    // node-seal 7 (Emscripten) imports Node's "module" in a branch that only runs under Node.
    external: ['module'],
    // No `define`s and no polyfills: every package must load in a plain browser bundle.
  });
  return { code: result.outputFiles[0]!.text, warnings: result.warnings.map((w) => w.text) };
}
