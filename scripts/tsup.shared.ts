import type { Options } from 'tsup';

/** One build recipe for every package: ESM + CJS + .d.ts per entry, no bundling of dependencies. */
export function packageConfig(entry: Record<string, string>, extra: Partial<Options> = {}): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'es2022',
    splitting: true,
    treeshake: true,
    ...extra,
  };
}
