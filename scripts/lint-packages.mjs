#!/usr/bin/env node
// Checks every built package's manifest and type resolution: publint (exports map, files) and
// @arethetypeswrong/cli (types resolve for ESM and CJS under node10, node16 and bundler). Run after `pnpm build`.
import { execSync } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
let failed = 0;
for (const dir of readdirSync(`${root}packages`)) {
  const cwd = `${root}packages/${dir}`;
  if (!existsSync(`${cwd}/dist`)) {
    console.error(`packages/${dir}: not built (run pnpm build first)`);
    failed++;
    continue;
  }
  for (const cmd of ['publint --strict', 'attw --pack . --format ascii']) {
    try {
      execSync(`${root}node_modules/.bin/${cmd}`, { cwd, stdio: 'pipe' });
      console.log(`packages/${dir}: ${cmd.split(' ')[0]} ok`);
    } catch (e) {
      failed++;
      console.error(`packages/${dir}: ${cmd.split(' ')[0]} FAILED\n${e.stdout}${e.stderr}`);
    }
  }
}
if (failed) process.exit(1);
