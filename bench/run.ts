/**
 * `pnpm bench [--update] [suite ...]`: runs every suite in bench/suites (or the named ones). Results go to the
 * ignored bench/.out/ (RESULTS.md and results/); with --update (or PRIVKIT_BENCH_UPDATE=1) to the committed
 * bench/results/ and bench/RESULTS.md.
 * A suite is a module exporting `title` and `run(): Promise<{ markdown: string; data: unknown }>`.
 */
import { readdirSync } from 'node:fs';
import { resultsDir, updateCommitted, writeSuite } from './lib.js';

const dir = new URL('./suites/', import.meta.url).pathname;
const all = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, ''));
const wanted = process.argv.slice(2).filter((a) => a !== '--update');
for (const w of wanted) if (!all.includes(w)) throw new Error(`unknown suite ${w}; have ${all.join(', ')}`);
for (const suite of wanted.length ? wanted : all) {
  const mod = (await import(`./suites/${suite}.ts`)) as { title: string; run: () => Promise<{ markdown: string; data: unknown }> };
  console.log(`\n# ${suite}: ${mod.title}`);
  const { markdown, data } = await mod.run();
  writeSuite(suite, mod.title, markdown, data);
  console.log(markdown);
}
console.log(`\nresults written to ${resultsDir}${updateCommitted ? '' : ' (not the committed bench/results/: pass --update for that)'}`);
