import { describe, expect, it } from 'vitest';
import * as main from '@privkit/ledger';
import * as testing from '@privkit/ledger/testing';
import * as chaincode from '../src/chaincode.js';
import { build, type Metafile } from 'esbuild';

const here = new URL('..', import.meta.url).pathname;
const OPTIONAL = /^(@grpc\/grpc-js|@hyperledger\/fabric-gateway|@hyperledger\/fabric-protos|fabric-shim|fabric-contract-api|google-protobuf|hardhat)(\/|$)/;

/** The packages an entry imports statically, through its own modules (dynamic `import()` is how optional peers load). */
async function staticPackages(entry: string): Promise<string[]> {
  const { metafile } = await build({
    absWorkingDir: here, entryPoints: [entry], bundle: true, write: false, metafile: true, platform: 'node', format: 'esm',
    outdir: 'out', splitting: true, logLevel: 'silent', packages: 'external',
  });
  const inputs = (metafile as Metafile).inputs;
  const seen = new Set<string>();
  const packages = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const i of inputs[file]?.imports ?? []) {
      if (i.kind !== 'import-statement') continue;
      if (i.external) packages.add(i.path);
      else walk(i.path);
    }
  };
  walk(Object.keys(inputs).find((k) => k.endsWith(entry))!);
  return [...packages];
}

describe('API lock', () => {
  it('main entry', () => {
    expect(Object.keys(main).sort()).toMatchSnapshot();
  });
  it('testing entry', () => {
    expect(Object.keys(testing).sort()).toMatchSnapshot();
  });
  it('chaincode entry', () => {
    expect(Object.keys(chaincode).sort()).toMatchSnapshot();
  });
  it('the main and testing entries load no Fabric or Hardhat package statically (optional peer dependencies)', async () => {
    for (const entry of ['src/index.ts', 'src/testing.ts']) {
      const packages = await staticPackages(entry);
      expect(packages).toContain('viem'); // the one required peer dependency
      expect(packages.filter((p) => OPTIONAL.test(p))).toEqual([]);
    }
    // the harness itself does import them (and is reached through a dynamic import only)
    expect((await staticPackages('src/fabric/harness.ts')).filter((p) => OPTIONAL.test(p)).length).toBeGreaterThan(3);
  }, 60_000);

  it('exported constants are frozen', () => {
    for (const v of [main.PROOF_KIND, main.RECORD_KIND, main.FABRIC_EVENTS]) expect(Object.isFrozen(v)).toBe(true);
  });
});
