#!/usr/bin/env node
// Checks every built package's manifest and type resolution: publint (exports map, files) and
// @arethetypeswrong/cli (types resolve for ESM and CJS under node10, node16 and bundler). Run after `pnpm build`.
import { execSync } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;

/**
 * attw over every entry point in every resolution mode (node10 included: the /testing subpaths resolve there through
 * typesVersions). One exception: @privkit/ledger/chaincode under node10, where TypeScript's legacy resolution finds
 * the `chaincode/` folder the tarball also ships (the Fabric chaincode sources) before typesVersions; that entry is
 * checked in the modern modes only.
 */
function attw(dir) {
  const base = 'attw --pack . --format ascii';
  if (dir !== 'ledger') return [base];
  return [`${base} --exclude-entrypoints ./chaincode`, `${base} --profile node16 --entrypoints ./chaincode`];
}
let failed = 0;
for (const dir of readdirSync(`${root}packages`)) {
  const cwd = `${root}packages/${dir}`;
  if (!existsSync(`${cwd}/dist`)) {
    console.error(`packages/${dir}: not built (run pnpm build first)`);
    failed++;
    continue;
  }
  for (const cmd of ['publint --strict', ...attw(dir)]) {
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
