/**
 * Real local components that README blocks run against (scripts/readme-snippets.mjs imports nothing from here; a
 * block's `<!-- snippet-setup: … -->` does): a private swtpm for the TPM blocks. Tooling only, never in a package.
 */
import { rmSync } from 'node:fs';
import { type Swtpm, startSwtpm } from '../packages/attest/test/tpm-helpers.js';

/**
 * Starts a private swtpm (two free loopback ports, `startup-clear`) with tpm2-tools bound to it (`tool`), stopped
 * and its state folder removed when the process exits (the snippet runner exits once the block completed).
 */
export async function snippetSwtpm(): Promise<Swtpm> {
  const tpm = await startSwtpm();
  process.once('exit', () => {
    tpm.proc.kill('SIGKILL');
    rmSync(tpm.dir, { recursive: true, force: true });
  });
  return tpm;
}
