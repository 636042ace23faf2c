#!/usr/bin/env node
// Makes `npm test` and `npm run example` work on a fresh machine that has only Node and npm: installs the pinned
// pnpm (through npx) and the workspace's dependencies when they are missing, and builds the packages with --build.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const pnpmVersion = pkg.packageManager.split('@')[1];
const root = new URL('..', import.meta.url).pathname;
const run = (cmd) => execSync(cmd, { stdio: 'inherit', cwd: root, env: { ...process.env, npm_config_yes: 'true' } });

function pnpm() {
  try {
    const v = execSync('pnpm --version', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    if (v === pnpmVersion) return 'pnpm';
  } catch {}
  return `npx --yes pnpm@${pnpmVersion}`;
}

const marker = `${root}node_modules/.modules.yaml`;
const lock = `${root}pnpm-lock.yaml`;
const stale = !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs);
if (stale) run(`${pnpm()} install --no-frozen-lockfile`);
if (process.argv.includes('--build')) run(`${pnpm()} run build`);
