/** Test helper: the installed Hardhat package (its folder and manifest), found from a public export. */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * Hardhat's package.json and folder. Found by walking up from `hardhat/hre` (a public export): not every 3.x release
 * exports `./package.json` (3.4.0 does not).
 */
export function hardhatPackage(): { dir: string; manifest: { name: string; version: string; bin: Record<string, string>; exports: Record<string, string> } } {
  for (let dir = dirname(require.resolve('hardhat/hre')); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    if (manifest.name === 'hardhat') return { dir, manifest };
  }
  throw new Error('hardhat/package.json not found above hardhat/hre');
}
