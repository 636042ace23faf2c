/**
 * `pnpm bench [suite ...]`: runs every suite in bench/suites (or the named ones) and regenerates bench/RESULTS.md.
 * A suite is a module exporting `title` and `run(): Promise<{ markdown: string; data: unknown }>`.
 */
import { readdirSync } from 'node:fs';
import { writeSuite } from './lib.js';

const dir = new URL('./suites/', import.meta.url).pathname;
const all = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, ''));
const wanted = process.argv.slice(2);
for (const w of wanted) if (!all.includes(w)) throw new Error(`unknown suite ${w}; have ${all.join(', ')}`);
for (const suite of wanted.length ? wanted : all) {
  const mod = (await import(`./suites/${suite}.ts`)) as { title: string; run: () => Promise<{ markdown: string; data: unknown }> };
  console.log(`\n# ${suite}: ${mod.title}`);
  const { markdown, data } = await mod.run();
  writeSuite(suite, mod.title, markdown, data);
  console.log(markdown);
}
