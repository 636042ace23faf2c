#!/usr/bin/env node
// The project's own Node.js: PrivKit supports the maintained lines, Node 22 and 24 (Node 20 reached end of life in
// April 2026). A machine that has only an older Node and npm still runs the README's two commands: this script
// installs the exact Node we test from the npm registry (the `node-<platform>-<arch>` package ships the official
// binary) into `.tools/`, and every other script runs under it.
//
//   node scripts/node.mjs [--line 22|24] -- <command> [args…]   run a command with that Node first on PATH
//   node scripts/node.mjs [--line 22|24] --print                 print the path of that node binary
//
// The line is chosen by --line, else PRIVKIT_NODE_LINE, else 24. A running Node of the requested line is used
// as it is (no download); any other Node gets the pinned binary.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The exact versions CI tests, one per supported line. */
export const NODE_VERSIONS = Object.freeze({ 24: '24.22.3', 22: '22.23.5' });
export const DEFAULT_LINE = 24;

const root = fileURLToPath(new URL('..', import.meta.url));

/** Returns the path of a node binary of `line`, installing the pinned version into .tools/ when needed. */
export function ensureNode(line = DEFAULT_LINE) {
  const version = NODE_VERSIONS[line];
  if (!version) throw new Error(`unsupported Node line ${line}: supported ${Object.keys(NODE_VERSIONS).join(', ')}`);
  if (Number(process.versions.node.split('.')[0]) === Number(line)) return process.execPath;
  const pkg = `node-${process.platform}-${process.arch}`;
  const prefix = join(root, '.tools', `node-v${version}`);
  const bin = join(prefix, 'node_modules', pkg, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  if (!existsSync(bin)) {
    mkdirSync(prefix, { recursive: true });
    process.stderr.write(`installing Node ${version} (${pkg}) from the npm registry into .tools/ …\n`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    execFileSync(
      npm,
      ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--ignore-scripts', `${pkg}@${version}`],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    if (!existsSync(bin)) throw new Error(`npm installed ${pkg}@${version} but ${bin} is missing`);
  }
  return bin;
}

/** An environment whose PATH starts with the directory of `nodeBin`, so child processes use it too. */
export function envWithNode(nodeBin, env = process.env) {
  const sep = process.platform === 'win32' ? ';' : ':';
  return { ...env, PATH: `${dirname(nodeBin)}${sep}${env.PATH ?? ''}`, PRIVKIT_NODE: nodeBin };
}

export function lineFromArgs(argv) {
  const i = argv.indexOf('--line');
  if (i >= 0) return Number(argv[i + 1]);
  return Number(process.env.PRIVKIT_NODE_LINE ?? DEFAULT_LINE);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const nodeBin = ensureNode(lineFromArgs(argv));
  if (argv.includes('--print')) {
    process.stdout.write(`${nodeBin}\n`);
  } else {
    const dash = argv.indexOf('--');
    const cmd = dash >= 0 ? argv.slice(dash + 1) : [];
    if (cmd.length === 0) {
      process.stderr.write('usage: node scripts/node.mjs [--line 22|24] -- <command> [args…]\n');
      process.exit(2);
    }
    const r = spawnSync(cmd[0], cmd.slice(1), { stdio: 'inherit', env: envWithNode(nodeBin), cwd: process.cwd() });
    if (r.error) throw r.error;
    process.exit(r.status ?? 1);
  }
}
