#!/usr/bin/env node
// Bun and Deno for the pack test (scripts/pack-test.mjs), installed like scripts/node.mjs installs Node: the exact
// version from the npm registry into `.tools/`. The `bun` and `deno` npm packages fetch their binary in a postinstall
// step (deno's from GitHub, unreachable in CI), so we install the per-platform packages that carry the binary:
// `@oven/bun-<platform>-<arch>` and `@deno/<platform>-<arch>[-glibc]`, with scripts off.
//
//   node scripts/runtimes.mjs --print     installs both if needed and prints their paths
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The exact versions the pack test runs (the versions issue #18 was reported against). */
export const RUNTIME_VERSIONS = Object.freeze({ bun: '1.4.5', deno: '2.9.6' });

const root = fileURLToPath(new URL('..', import.meta.url));
const arch = { x64: 'x64', arm64: 'aarch64' }[process.arch];

const SPECS = {
  bun: () => ({ pkg: `@oven/bun-${process.platform}-${arch}`, bin: ['bin', 'bun'] }),
  deno: () => ({ pkg: `@deno/${process.platform}-${process.arch}${process.platform === 'linux' ? '-glibc' : ''}`, bin: ['deno'] }),
};

/** Returns the path of the pinned `bun` or `deno` binary, installing it into .tools/ when needed. */
export function ensureRuntime(name) {
  const version = RUNTIME_VERSIONS[name];
  if (!version || !arch) throw new Error(`no ${name} build for ${process.platform}-${process.arch}`);
  const { pkg, bin: rel } = SPECS[name]();
  const prefix = join(root, '.tools', `${name}-v${version}`);
  const bin = join(prefix, 'node_modules', pkg, ...rel);
  if (!existsSync(bin)) {
    mkdirSync(prefix, { recursive: true });
    process.stderr.write(`installing ${name} ${version} (${pkg}) from the npm registry into .tools/ …\n`);
    execFileSync(
      process.platform === 'win32' ? 'npm.cmd' : 'npm',
      ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--ignore-scripts', `${pkg}@${version}`],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    if (!existsSync(bin)) throw new Error(`npm installed ${pkg}@${version} but ${bin} is missing`);
  }
  return bin;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const name of Object.keys(RUNTIME_VERSIONS)) console.log(`${name} ${ensureRuntime(name)}`);
}
