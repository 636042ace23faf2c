/**
 * The chaincode/ folder is a self-contained, installable Node chaincode package: the checked-in bundle is what
 * scripts/build-chaincode.ts produces from the sources; copied to a temporary folder, `npm install` (published
 * packages only, from the npm registry) and `npm run build` work with npm alone; `npm start` runs it as a separate
 * process that registers with a harness peer, and the client adapter uses it for every operation.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort, listening } from './_net.js';
import { afterAll, describe, expect, it } from 'vitest';
import { createFabricAdapter, type LedgerAdapter } from '@privkit/ledger';
import { createFabricTestNetwork, type FabricTestNetwork } from '@privkit/ledger/testing';
import { CHAINCODE_BUNDLE, bundleChaincode } from '../scripts/build-chaincode.js';

const source = new URL('../chaincode/', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'privkit-cc-'));
const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}`, npm_config_update_notifier: 'false' };
const children: ChildProcess[] = [];
let net: FabricTestNetwork | undefined;

afterAll(async () => {
  await net?.close();
  // npm runs the chaincode as its child: end the whole process group we started.
  for (const c of children) {
    try {
      if (c.pid) process.kill(-c.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(work, { recursive: true, force: true });
});

describe('the installable chaincode package', () => {
  it('chaincode/index.js is exactly the esbuild bundle of src/fabric/chaincode.ts', async () => {
    expect(readFileSync(CHAINCODE_BUNDLE, 'utf8')).toBe(await bundleChaincode());
  });

  it('depends only on published packages', () => {
    const pkg = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies?: unknown };
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['fabric-contract-api', 'fabric-shim']);
    expect(pkg.devDependencies).toBeUndefined();
  });

  it('installs, builds and runs from its own folder with npm alone', async () => {
    cpSync(source, work, { recursive: true, filter: (p) => !p.includes('node_modules') });
    rmSync(join(work, 'contract-metadata.json'), { force: true });
    const npm = (args: string[]) => spawnSync('npm', args, { cwd: work, env, encoding: 'utf8', timeout: 240_000 });
    const install = npm(['install', '--no-audit', '--no-fund', '--omit=dev']);
    expect(install.status, install.stderr).toBe(0);
    const build = npm(['run', 'build']);
    expect(build.status, build.stderr).toBe(0);
    const metadata = JSON.parse(readFileSync(join(work, 'contract-metadata.json'), 'utf8')) as { contracts: Record<string, { transactions: { name: string }[] }> };
    const names = metadata.contracts['privkit.registry']!.transactions.map((t) => t.name).sort();
    expect(names).toEqual(['DeleteData', 'Get', 'GetAnchor', 'Grant', 'History', 'Put', 'Revoke', 'WhoAmI']);

    // `npm start` as a separate process, registering with each harness peer like with a real peer.
    net = await createFabricTestNetwork({
      orgs: ['Org1MSP', 'Org2MSP'],
      externalChaincode: ({ mspId, address, chaincode }) => {
        const child = spawn('npm', ['start', '--', '--peer.address', address, '--chaincode-id-name', `${chaincode}:1`], {
          cwd: work, env: { ...env, CORE_PEER_LOCALMSPID: mspId, CORE_CHAINCODE_LOGGING_LEVEL: 'critical' }, stdio: 'ignore', detached: true,
        });
        children.push(child);
      },
    });
    const [alice, bob] = (await Promise.all([0, 1].map((i) => createFabricAdapter(net!.connect(i))))) as [LedgerAdapter, LedgerAdapter];
    await alice.put('pkg-1', { anchor: new Uint8Array(32).fill(1), data: new Uint8Array([1, 2]) });
    await alice.grant('pkg-1', bob.identity, Math.floor(Date.now() / 1000) + 3600);
    expect((await bob.get('pkg-1')).data).toEqual(new Uint8Array([1, 2])); // served by Org1's peer (dataAt)
    await alice.revoke('pkg-1', bob.identity);
    await expect(bob.get('pkg-1')).rejects.toMatchObject({ code: 'LEDGER_ACCESS_DENIED' });
    await alice.deleteData('pkg-1');
    expect((await alice.history('pkg-1')).map((h) => h.deleted)).toEqual([false, true]);
    expect((await bob.getAnchor('pkg-1')).version).toBe(2);
    expect(existsSync(join(work, 'node_modules', '@privkit'))).toBe(false);
  }, 300_000);

  it('runs as a chaincode service (ccaas): one server per organisation, dialled by its peer, also after a restart', async () => {
    expect(existsSync(join(work, 'node_modules', 'fabric-shim')), 'installed by the previous test').toBe(true);
    await net?.close();
    net = await createFabricTestNetwork({
      orgs: ['Org1MSP', 'Org2MSP'],
      chaincodeServer: async ({ mspId, chaincode }) => {
        const port = await freePort();
        const child = spawn('npm', ['run', 'start:server', '--', '--chaincode-address', `127.0.0.1:${port}`, '--chaincode-id', `${chaincode}_1.0:0123abcd`], {
          cwd: work, env: { ...env, CORE_PEER_LOCALMSPID: mspId, CORE_CHAINCODE_LOGGING_LEVEL: 'critical' }, stdio: 'ignore', detached: true,
        });
        children.push(child);
        await listening(port);
        return `127.0.0.1:${port}`;
      },
    });
    const [alice, bob] = (await Promise.all([0, 1].map((i) => createFabricAdapter(net!.connect(i))))) as [LedgerAdapter, LedgerAdapter];
    await bob.put('svc-1', { anchor: new Uint8Array(32).fill(2), data: new Uint8Array([9]) });
    await bob.grant('svc-1', alice.identity, Math.floor(Date.now() / 1000) + 3600);
    expect((await alice.get('svc-1')).data).toEqual(new Uint8Array([9]));
    await net.restartPeer('Org2MSP', { downMs: 50 }); // the peer dials the still-running chaincode server again
    expect((await alice.get('svc-1')).data).toEqual(new Uint8Array([9]));
  }, 120_000);
});

