import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileRegistry, renderArtifact } from '../scripts/compile.js';

describe('generated contract artefact', () => {
  it('src/ethereum/artifact.ts is exactly what solc-js produces from contracts/PrivkitRegistry.sol', () => {
    const checkedIn = readFileSync(new URL('../src/ethereum/artifact.ts', import.meta.url), 'utf8');
    expect(renderArtifact(compileRegistry())).toBe(checkedIn);
  }, 60_000);
});
