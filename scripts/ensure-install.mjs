#!/usr/bin/env node
// Makes `npm test` and `npm run example` work on a fresh machine that has only Node and npm (of any version npm
// runs on): installs the project's Node (scripts/node.mjs: Node 24 by default, PRIVKIT_NODE_LINE=22 for the other
// supported line) from the npm registry, the pinned pnpm, the workspace's dependencies when they are missing, builds
// the packages with --build, then runs the command after `--` with that Node first on PATH.
//
//   node scripts/ensure-install.mjs [--build] [-- <command> [args…]]
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { ensureNode, envWithNode, lineFromArgs } from './node.mjs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const pnpmVersion = pkg.packageManager.split('@')[1];
const root = new URL('..', import.meta.url).pathname;
const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const own = dash >= 0 ? argv.slice(0, dash) : argv;
const command = dash >= 0 ? argv.slice(dash + 1) : [];

const nodeBin = ensureNode(lineFromArgs(own));
const env = { ...envWithNode(nodeBin), npm_config_yes: 'true' };
const run = (cmd) => execSync(cmd, { stdio: 'inherit', cwd: root, env });

function pnpm() {
  try {
    const v = execSync('pnpm --version', { stdio: ['ignore', 'pipe', 'ignore'], env }).toString().trim();
    if (v === pnpmVersion) return 'pnpm';
  } catch {}
  return `npx --yes pnpm@${pnpmVersion}`;
}

const marker = `${root}node_modules/.modules.yaml`;
const lock = `${root}pnpm-lock.yaml`;
const stale = !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs);
if (stale) run(`${pnpm()} install --no-frozen-lockfile`);
if (own.includes('--build')) run(`${pnpm()} run build`);
if (command.length > 0) {
  // Binaries of the workspace (vitest, tsx) resolve from node_modules/.bin, and run under the project's Node.
  const binDir = `${root}node_modules/.bin`;
  const r = spawnSync(command[0], command.slice(1), {
    stdio: 'inherit',
    cwd: process.cwd(),
    env: { ...env, PATH: `${env.PATH.split(':')[0]}:${binDir}:${env.PATH}` },
  });
  if (r.error) throw r.error;
  process.exit(r.status ?? 1);
}
