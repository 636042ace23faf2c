#!/usr/bin/env node
// Tests what users install (issue #18 item 7). Run after `pnpm build`:
//
//   node scripts/pack-test.mjs [--keep] [--only esm,cjs,copies,types,browser,node22,bun,deno]
//
// 1. packs every package with `pnpm pack` (workspace:^ becomes ^0.x, `files` decides the content);
// 2. installs the tarballs with plain npm into a fresh folder outside the workspace (their dependencies come from
//    the npm registry, as for a user);
// 3. runs the same smoke test (scripts/pack-test/smoke.js: a real operation per package, checked) as ESM and as CJS
//    on the running Node, and checks that errors from the ESM and the CJS copy of core are recognised by both;
// 4. type-checks a consumer importing every entry under `nodenext`, `bundler` and `node10` resolution with
//    `skipLibCheck: false`;
// 5. bundles the smoke test from the packed dist/ with esbuild for the browser (no defines, no polyfills) and runs it
//    in headless Chromium;
// 6. runs the ESM and the CJS smoke test and the two-copies check under Node 22 (scripts/node.mjs), Bun and Deno
//    (binaries from scripts/runtimes.mjs).
// Prints one line per check and exits non-zero when any failed. --keep leaves the temporary folder for inspection.
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNode } from './node.mjs';
import { ensureRuntime } from './runtimes.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const onlyArg = args.indexOf('--only') >= 0 ? args[args.indexOf('--only') + 1].split(',') : null;
const wants = (check) => !onlyArg || onlyArg.includes(check);

/**
 * Packages whose browser check runs on a page of its own, so that their state is reported apart from the others
 * (both failed when this check was written; the reason is what the check printed then).
 */
const OWN_BROWSER_PAGE = {
  qr: 'issue #18 item 2: bc-ur pulled the util/assert polyfills, which read `process` at load (qr now has its own UR code)',
  he: "node-seal's browser build required Node's `url` (he then loaded the allows_wasm_web_es build); node-seal 7 needs the bundler steps below",
};
/**
 * What a user's plain-esbuild configuration must add for a package (its README says so): node-seal 7 (he) is
 * Emscripten output with a Node-only `import("module")` branch and a separate `.wasm` it fetches next to the script
 * (`new URL('seal_allows.wasm', import.meta.url)`), which esbuild neither resolves nor copies.
 */
const BUNDLER_STEPS = {
  he: { args: ['--external:module'], assets: [['node-seal', 'dist', 'seal_allows.wasm']] },
};
/** Packages that are Node-only by design (their README says so), left out of the browser bundle. */
const NODE_ONLY = {
  storage: 'embedded IPFS on a filesystem blockstore, the Kubo RPC client and a local directory: Node only (README "Runtimes")',
};

const packages = readdirSync(join(root, 'packages')).filter((p) => existsSync(join(root, 'packages', p, 'package.json')));
const manifests = Object.fromEntries(packages.map((p) => [p, JSON.parse(readFileSync(join(root, 'packages', p, 'package.json'), 'utf8'))]));
for (const p of packages) if (!existsSync(join(root, 'packages', p, 'dist'))) throw new Error(`packages/${p} is not built: run pnpm build first`);

const started = Date.now();
const results = [];
function check(name, fn) {
  if (!wants(name.split(':')[0])) return;
  const t0 = Date.now();
  try {
    const detail = fn();
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)${detail ? `\n${indent(detail)}` : ''}`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}\n${indent(String(e.stdout ?? '') + String(e.stderr ?? '') + (e.stdout === undefined ? (e.stack ?? e) : ''))}`);
  }
}
const indent = (s) =>
  s
    .trim()
    .split('\n')
    .map((l) => `     ${l}`)
    .join('\n');
const run = (cmd, argv, cwd, opts = {}) => execFileSync(cmd, argv, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20, ...opts });

const tmp = mkdtempSync(join(tmpdir(), 'privkit-pack-'));
const app = join(tmp, 'app');
const tarballs = join(tmp, 'tarballs');
mkdirSync(app);
mkdirSync(tarballs);
console.log(`pack test in ${tmp} (Node ${process.version})`);

// 1–2: pack and install.
const pnpm = process.env.PNPM ?? 'pnpm';
for (const p of packages) run(pnpm, ['pack', '--pack-destination', tarballs], join(root, 'packages', p));
const tgz = readdirSync(tarballs).map((f) => join(tarballs, f));
const typesNode = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies['@types/node'];
// fast-check is the optional peer of every /testing entry: a user of those entries installs it, and so do we.
const fastCheck = manifests.core.devDependencies['fast-check'];
writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'privkit-consumer', private: true, version: '0.0.0' }, null, 2));
// The ledger's /chaincode and /testing entries are for Fabric users, whose projects have the Fabric packages (optional
// peers of @privkit/ledger): install them as such a user would, so their .d.ts type-check with skipLibCheck off.
const ledgerDev = manifests.ledger.devDependencies;
const fabricPeers = ['fabric-contract-api', '@hyperledger/fabric-gateway'].map((n) => `${n}@${ledgerDev[n]}`);
run(
  'npm',
  ['install', '--no-audit', '--no-fund', '--loglevel=error', '--omit=optional', ...tgz, `@types/node@${typesNode}`, `fast-check@${fastCheck}`, ...fabricPeers],
  app,
);
console.log(`installed ${tgz.length} tarballs with npm ${run('npm', ['--version'], app).trim()} (${((Date.now() - started) / 1000).toFixed(0)} s)`);

// The smoke test, wrapped once per flavour.
const body = readFileSync(join(root, 'scripts', 'pack-test', 'smoke.js'), 'utf8');
const ident = (p) => p.replace(/-(.)/g, (_, c) => c.toUpperCase());
const esm = (pkgs) =>
  `${pkgs.map((p) => `import * as ${ident(p)} from '@privkit/${p}';`).join('\n')}\n${body}\n` +
  `const steps = await smoke({ ${pkgs.map((p) => `'${p}': ${ident(p)}`).join(', ')} }, (l) => console.log(l));\n` +
  `console.log('SMOKE PASSED ' + steps);\n`;
const cjs = (pkgs) =>
  `'use strict';\n${pkgs.map((p) => `const ${ident(p)} = require('@privkit/${p}');`).join('\n')}\n${body}\n` +
  `smoke({ ${pkgs.map((p) => `'${p}': ${ident(p)}`).join(', ')} }, (l) => console.log(l))` +
  `.then((steps) => console.log('SMOKE PASSED ' + steps), (e) => { console.error(e); process.exitCode = 1; });\n`;
writeFileSync(join(app, 'smoke.mjs'), esm(packages));
writeFileSync(join(app, 'smoke.cjs'), cjs(packages));
const passed = (out) => {
  if (!/SMOKE PASSED \d+/.test(out)) throw Object.assign(new Error('no SMOKE PASSED line'), { stdout: out, stderr: '' });
  return out
    .split('\n')
    .filter((l) => l.startsWith('SMOKE'))
    .join('\n');
};

// 3: Node ESM and CJS, and error recognition across the two copies of core.
check('esm: smoke test over every package (import)', () => passed(run(process.execPath, ['smoke.mjs'], app)));
check('cjs: smoke test over every package (require)', () => passed(run(process.execPath, ['smoke.cjs'], app)));
writeFileSync(
  join(app, 'copies.mjs'),
  `import { createRequire } from 'node:module';
import * as esm from '@privkit/core';
const cjs = createRequire(import.meta.url)('@privkit/core');
if (esm.PrivkitError === cjs.PrivkitError) throw new Error('expected two copies of core (ESM and CJS)');
const fromEsm = (() => { try { esm.getAead('aes-128-gcm').seal(new Uint8Array(1), new Uint8Array(12), new Uint8Array(0)); } catch (e) { return e; } })();
const fromCjs = (() => { try { cjs.getAead('aes-128-gcm').seal(new Uint8Array(1), new Uint8Array(12), new Uint8Array(0)); } catch (e) { return e; } })();
for (const [who, is] of [['esm', esm.isPrivkitError], ['cjs', cjs.isPrivkitError]]) {
  if (!is(fromEsm) || !is(fromCjs)) throw new Error(who + ': isPrivkitError misses the other copy');
  if (!is(fromCjs, fromCjs.code) || is(fromCjs, 'NOT_A_CODE') || is(new Error('x')) || is({ code: 'X' })) throw new Error(who + ': wrong answer');
}
console.log('isPrivkitError recognises errors of both copies (code ' + fromCjs.code + ')');
`,
);
check('copies: isPrivkitError across the ESM and CJS copies of core', () => run(process.execPath, ['copies.mjs'], app));

// The ledger's embedded EVM (@privkit/ledger/testing) loads Hardhat 3 (an optional peer, ESM-only) with a real
// import() from both builds: without Hardhat it refuses with a typed LEDGER_UNAVAILABLE naming hardhat@3; with
// Hardhat installed by npm as a user would (the version the ledger is tested with), it deploys and anchors.
const evmProbe = `async function probe(t) {
  let evm;
  try { evm = await t.createEmbeddedEvm(); } catch (e) {
    if (e.name !== 'LedgerError' || e.code !== 'LEDGER_UNAVAILABLE' || !e.message.includes('hardhat@3')) throw e;
    return 'without hardhat: LedgerError LEDGER_UNAVAILABLE "' + e.message + '"';
  }
  try {
    const l = await t.createEthereumTestLedger(evm);
    const anchor = new Uint8Array(32).map((_, i) => i + 1);
    await l.as(0).put('pack', { anchor });
    const got = await l.as(1).getAnchor('pack');
    const t0 = (await evm.publicClient.getBlock()).timestamp;
    await evm.advanceTime(3600);
    const dt = (await evm.publicClient.getBlock()).timestamp - t0;
    const chain = await evm.publicClient.getChainId();
    if (chain !== 31337 || evm.walletClients.length !== 20 || dt < 3600n || got.anchor.join() !== anchor.join()) throw new Error('embedded EVM misbehaves');
    return 'with hardhat: chain ' + chain + ', ' + evm.walletClients.length + ' accounts, anchor read back, advanceTime +' + dt + ' s';
  } finally { await evm.close(); }
}`;
writeFileSync(join(app, 'evm.mjs'), `import * as t from '@privkit/ledger/testing';\n${evmProbe}\nconsole.log(await probe(t));\n`);
writeFileSync(
  join(app, 'evm.cjs'),
  `const t = require('@privkit/ledger/testing');\n${evmProbe}\nprobe(t).then(console.log, (e) => { console.error(e); process.exitCode = 1; });\n`,
);
const withoutHardhat = /^without hardhat: /;
const withHardhat = /^with hardhat: /;
const evmRun = (file, expect) => {
  const out = run(process.execPath, [file], app);
  if (!expect.test(out)) throw Object.assign(new Error('unexpected output'), { stdout: out, stderr: '' });
  return out;
};
check('esm: @privkit/ledger/testing embedded EVM without hardhat', () => evmRun('evm.mjs', withoutHardhat));
check('cjs: @privkit/ledger/testing embedded EVM without hardhat', () => evmRun('evm.cjs', withoutHardhat));
if (wants('esm') || wants('cjs')) {
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `hardhat@${ledgerDev.hardhat}`], app);
}
check(`esm: @privkit/ledger/testing embedded EVM with hardhat@${ledgerDev.hardhat}`, () => evmRun('evm.mjs', withHardhat));
check(`cjs: @privkit/ledger/testing embedded EVM with hardhat@${ledgerDev.hardhat} (import() from the CJS build)`, () => evmRun('evm.cjs', withHardhat));

// 4: types, as a TypeScript user compiles them (no skipLibCheck: our .d.ts and what they pull in must check).
const entries = packages.flatMap((p) =>
  Object.keys(manifests[p].exports)
    .filter((k) => k !== './package.json')
    .map((k) => `@privkit/${p}${k.slice(1)}`),
);
const consumer = (list) =>
  `${list.map((e, i) => `import * as m${i} from '${e}';`).join('\n')}\n` +
  `import { getAead, isPrivkitError, type Aead } from '@privkit/core';\n` +
  `import { seal, open } from '@privkit/envelope';\n` +
  `const aead: Aead = getAead('aes-128-gcm');\n` +
  `const sealed: Uint8Array = seal(new Uint8Array(1), [new Uint8Array(32)]);\n` +
  `export const used = [aead.keyLength, isPrivkitError(sealed), open, ${list.map((_, i) => `m${i}`).join(', ')}];\n`;
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
// node10 (TypeScript's legacy `moduleResolution: node`) checks that every subpath resolves to its types through
// typesVersions; it runs with skipLibCheck, because fast-check's own .d.ts (pulled in by the /testing entries) do not
// resolve under node10. @privkit/ledger/chaincode is left out of it: the tarball also ships the Fabric chaincode
// sources in a `chaincode/` folder, which node10 resolution finds first (exports-aware resolvers are unaffected).
const typeChecks = [
  ['nodenext', { module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: false }, entries],
  ['bundler', { module: 'esnext', moduleResolution: 'bundler', skipLibCheck: false }, entries],
  ['node10', { module: 'commonjs', moduleResolution: 'node10', skipLibCheck: true }, entries.filter((e) => e !== '@privkit/ledger/chaincode')],
];
if (wants('types')) {
  // The three compilations are independent: run them at once and report them in order.
  const pending = typeChecks.map(([label, options, list]) => {
    writeFileSync(join(app, `consumer.${label}.ts`), consumer(list));
    const cfg = {
      compilerOptions: { target: 'es2022', lib: ['es2022', 'dom'], strict: true, noEmit: true, types: ['node'], ...options },
      files: [`consumer.${label}.ts`],
    };
    writeFileSync(join(app, `tsconfig.${label}.json`), JSON.stringify(cfg, null, 2));
    return new Promise((resolve) =>
      execFile(process.execPath, [tsc, '-p', `tsconfig.${label}.json`], { cwd: app, maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
        resolve({ err, stdout, stderr }),
      ),
    );
  });
  const outcomes = await Promise.all(pending);
  typeChecks.forEach(([label, options], i) => {
    check(`types: consumer of every entry under ${label}, skipLibCheck ${options.skipLibCheck}`, () => {
      const { err, stdout, stderr } = outcomes[i];
      if (err) throw Object.assign(new Error('tsc failed'), { stdout, stderr });
    });
  });
}

// 5: a browser bundle of the packed dist/, no defines, run in headless Chromium. qr has its own page, so that its
// state is reported apart from the others.
// A failing check prints, so the cause is visible: `OWN_BROWSER_PAGE` gives the cause seen when it was written.
function browserCheck(name, pkgs) {
  const extra = pkgs.some((p) => p in BUNDLER_STEPS) ? '; the README bundler steps' : '';
  check(`${name}: esbuild bundle of ${pkgs.join(', ')} (packed dist/, no defines${extra}) runs in headless Chromium`, () => {
    const dir = join(app, name);
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'entry.mjs'),
      esm(['core', ...pkgs.filter((p) => p !== 'core')]).replace(
        "console.log('SMOKE PASSED ' + steps);",
        "console.log('SMOKE PASSED ' + steps); window.__done = steps;",
      ),
    );
    const steps = pkgs.map((p) => BUNDLER_STEPS[p]).filter(Boolean);
    run(
      join(root, 'node_modules', '.bin', 'esbuild'),
      ['entry.mjs', '--bundle', '--format=esm', '--platform=browser', '--outfile=bundle.js', '--log-level=error', ...steps.flatMap((s) => s.args)],
      dir,
      { env: { ...process.env, NODE_PATH: join(app, 'node_modules') } },
    );
    for (const asset of steps.flatMap((s) => s.assets)) copyFileSync(join(app, 'node_modules', ...asset), join(dir, asset.at(-1)));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="bundle.js"></script>');
    return passed(run(process.execPath, [join(root, 'scripts', 'pack-test', 'browser.mjs'), dir], root));
  });
}
browserCheck(
  'browser',
  packages.filter((p) => !(p in OWN_BROWSER_PAGE) && !(p in NODE_ONLY)),
);
for (const p of packages.filter((p) => p in OWN_BROWSER_PAGE)) browserCheck(`browser-${p}`, [p]);

// 6: Node 22, Bun and Deno run what Node runs from the installed node_modules: the ESM and the CJS smoke test, and the
// check that errors of the ESM and the CJS copy of core are recognised by both. Deno 2 runs a `.cjs` program as CommonJS,
// with `require` (and `createRequire`) resolving the package's "node" condition, not "deno": the dispatch files of core
// and attest (scripts/tsup.shared.ts, `denoRequire`) send it to the Deno entries.
const denoEnv = { env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' } };
const runtimes = {
  // The second supported Node line (the checks above run on the Node running this script, 24 in CI).
  node22: (file) => run(ensureNode(22), [file], app),
  bun: (file) => run(ensureRuntime('bun'), [file], app),
  deno: (file) => run(ensureRuntime('deno'), ['run', '--allow-all', '--no-prompt', file], app, denoEnv),
};
for (const [name, exec] of Object.entries(runtimes)) {
  check(`${name}: smoke test over every package`, () => passed(exec('smoke.mjs')));
  check(`${name}: smoke test over every package (require)`, () => passed(exec('smoke.cjs')));
  check(`${name}: isPrivkitError across the ESM and CJS copies of core`, () => exec('copies.mjs'));
}

const failed = results.filter((r) => !r.ok);
console.log(`\npack test: ${results.length - failed.length} passed, ${failed.length} failed (${((Date.now() - started) / 1000).toFixed(0)} s)`);
if (!keep) rmSync(tmp, { recursive: true, force: true });
process.exitCode = failed.length ? 1 : 0;
