import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Tests run against the TypeScript sources, not dist/: `@privkit/<pkg>` resolves to the package's Node entry
 * (core's `index.node.ts`, the native fast path) and `@privkit/<pkg>/testing` to its testing entry. The portable
 * entry of core is imported directly by the tests that compare both paths.
 */
function sourceAliases() {
  const aliases: { find: RegExp; replacement: string }[] = [];
  for (const pkg of readdirSync(`${root}packages`)) {
    const src = `${root}packages/${pkg}/src`;
    if (!existsSync(src)) continue;
    const main = existsSync(`${src}/index.node.ts`) ? `${src}/index.node.ts` : `${src}/index.ts`;
    aliases.push({ find: new RegExp(`^@privkit/${pkg}/testing$`), replacement: `${src}/testing.ts` });
    // Sub-entries kept in their own folder (e.g. @privkit/attest/tpm → src/tpm/index.ts).
    for (const sub of readdirSync(src)) {
      if (existsSync(`${src}/${sub}/index.ts`)) aliases.push({ find: new RegExp(`^@privkit/${pkg}/${sub}$`), replacement: `${src}/${sub}/index.ts` });
    }
    aliases.push({ find: new RegExp(`^@privkit/${pkg}$`), replacement: main });
  }
  return aliases;
}

const packages = readdirSync(`${root}packages`).filter((p) => existsSync(`${root}packages/${p}/test`));
const extra = [...readdirSync(`${root}examples`).map((e) => `examples/${e}`), 'bench', 'scripts'].filter((p) => existsSync(`${root}${p}/test`));

export default defineConfig({
  resolve: { alias: sourceAliases() },
  test: {
    reporters: ['default', `${root}scripts/summary-reporter.ts`],
    projects: [...packages.map((p) => `packages/${p}`), ...extra].map((dir) => ({
      extends: true as const,
      test: {
        name: dir.split('/').pop()!,
        root: `${root}${dir}`,
        include: ['test/**/*.test.ts'],
        testTimeout: 60_000,
        hookTimeout: 120_000,
      },
    })),
  },
});
