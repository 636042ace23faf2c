#!/usr/bin/env node
// Type-checks every ```ts code block of every README (root, packages/*, examples/*), as a user would paste it, and
// runs every block that can run on this machine (offline). Each block is its own module, compiled with the strict
// settings of the repository against the packages' sources (`@privkit/*` paths of tsconfig.json), then run with Node
// (tsx) in a folder of its own, where `@privkit/*` resolve to the built workspace packages through their exports maps
// (as for a user who installed them). A block that uses a name it does not import or declare fails (TS2304), as it
// would for a user; a block that throws, rejects or prints to stderr fails.
//
// HTML comments right above the fence (invisible on the rendered page; reviewers see exactly what is assumed):
//   <!-- snippet-given: declare const pt: Uint8Array; -->   declarations the surrounding prose introduces (types only)
//   <!-- snippet-setup: const pt = utf8ToBytes('x'); -->    real values for them, prepended to the block (type-checked
//                                                           and run; may span lines; may use the block's imports)
//   <!-- snippet-check: if (!r.verified) throw … -->       appended to the block: checks what the block's comments
//                                                           promise (`// true`), so a wrong result fails the run
//   <!-- snippet: typecheck-only (needs a Fabric peer) -->  type-checked, never run: the reason is required
//   <!-- snippet: test (a fragment of a test file) -->      run as a vitest test file (`it`, `expect` from vitest)
// A block meant to run must leave no name free: each free name needs a snippet-setup value, or the block is marked
// typecheck-only with the reason. A block fenced ```ts no-check is skipped entirely (say why next to it). Exits
// non-zero listing each error at its README line; prints "N blocks type-checked, M run, K type-check-only (reasons)".
//
//   node scripts/readme-snippets.mjs [--list] [--no-run] [--only <substring of "path:line">]
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, '.snippets');
/** A block's run may take this long (the Fabric harness starts peers and a chaincode). */
const RUN_TIMEOUT_MS = 120_000;

/**
 * The HTML comments right above line `i` (a fence), nearest last: `{ kind, text }` for `<!-- snippet-<kind>: text -->`
 * (kind `given`, `setup`, `check`) and `<!-- snippet: text -->` (kind `mark`). A comment may span several lines.
 */
function commentsAbove(lines, i) {
  const found = [];
  let j = i - 1;
  while (j >= 0 && lines[j].trim().endsWith('-->')) {
    let k = j;
    while (k >= 0 && !lines[k].trim().startsWith('<!--')) k--;
    if (k < 0) break;
    const text = lines
      .slice(k, j + 1)
      .join('\n')
      .trim()
      .replace(/^<!--\s*/, '')
      .replace(/\s*-->$/, '');
    const m = /^snippet(?:-(given|setup|check))?:\s*([\s\S]*)$/.exec(text);
    if (!m) break;
    found.unshift({ kind: m[1] ?? 'mark', text: m[2] });
    j = k - 1;
  }
  return found;
}

/**
 * Every ```ts block of `file`: its first line number (1-based, the line after the fence), code, givens, setup, check,
 * `typecheckOnly` (the reason given by `<!-- snippet: typecheck-only (reason) -->`, or null).
 */
export function extractSnippets(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(ts|typescript)(\s+.*)?$/.exec(lines[i].trim());
    if (!fence) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end].trim() !== '```') end++;
    const comments = commentsAbove(lines, i);
    const given = comments
      .filter((c) => c.kind === 'given')
      .map((c) => `${c.text}\n`)
      .join('');
    const [setup, check] = ['setup', 'check'].map((kind) =>
      comments
        .filter((c) => c.kind === kind)
        .map((c) => `${c.text}\n`)
        .join(''),
    );
    let typecheckOnly = null;
    let test = false;
    for (const c of comments.filter((c) => c.kind === 'mark')) {
      const m = /^(typecheck-only|test)\s*(?:\((.+)\))?$/.exec(c.text.trim());
      if (!m || (m[1] === 'typecheck-only' && !m[2]))
        throw new Error(`${file}:${i + 1}: unknown snippet mark "${c.text}" (expected "typecheck-only (reason)" or "test")`);
      if (m[1] === 'test') test = true;
      else typecheckOnly = m[2].trim();
    }
    blocks.push({
      file,
      line: start + 1,
      code: lines.slice(start, end).join('\n'),
      given,
      setup,
      check,
      typecheckOnly,
      test,
      skip: /no-check/.test(fence[2] ?? ''),
    });
    i = end;
  }
  return blocks;
}

/**
 * READMEs write `…` for elided code (`{ … }`, `f(a, …)`); outside strings and comments it becomes the comment
 * `/*…*\/`, so the rest of the block is still checked.
 */
export function elide(code) {
  let out = '';
  let state = null; // null | "'" | '"' | '`' | '//' | '/*'
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    const two = code.slice(i, i + 2);
    if (state === null) {
      if (c === '…') {
        out += '/*…*/';
        continue;
      }
      if (two === '//' || two === '/*') {
        state = two;
        out += two;
        i++;
        continue;
      }
      if (c === "'" || c === '"' || c === '`') state = c;
    } else if (state === '//') {
      if (c === '\n') state = null;
    } else if (state === '/*') {
      if (two === '*/') {
        state = null;
        out += two;
        i++;
        continue;
      }
    } else if (c === '\\') {
      out += two;
      i++;
      continue;
    } else if (c === state) {
      state = null;
    }
    out += c;
  }
  return out;
}

/** The root README and those of every package and example. */
export function readmes() {
  const files = [join(root, 'README.md')];
  for (const dir of ['packages', 'examples'])
    for (const p of readdirSync(join(root, dir))) if (existsSync(join(root, dir, p, 'README.md'))) files.push(join(root, dir, p, 'README.md'));
  return files;
}

/** Names a block must import to use: every export of every @privkit entry (from dist/) and of common node: modules. */
async function importableNames() {
  const names = new Map();
  for (const p of readdirSync(join(root, 'packages'))) {
    const manifest = JSON.parse(readFileSync(join(root, 'packages', p, 'package.json'), 'utf8'));
    for (const sub of Object.keys(manifest.exports ?? {}).filter((k) => k !== './package.json')) {
      const target = manifest.exports[sub];
      const rel = target?.import?.default ?? `./dist/${sub === '.' ? 'index' : sub.slice(2)}.js`;
      const file = join(root, 'packages', p, rel);
      if (!existsSync(file)) throw new Error(`${file} missing: run pnpm build first`);
      for (const k of Object.keys(await import(file))) if (!names.has(k)) names.set(k, `@privkit/${p}${sub.slice(1)}`);
    }
  }
  for (const m of ['node:fs', 'node:stream', 'node:buffer', 'node:crypto', 'node:path'])
    for (const k of Object.keys(await import(m))) if (!names.has(k)) names.set(k, m);
  return names;
}

/** The file name of a block in .snippets/ (without extension). */
const blockName = (b) => `${relative(root, b.file).replace(/[/\\.]/g, '_')}_${b.line}`;
/** Where a block is: `README.md:41`. */
const at = (b) => `${relative(root, b.file)}:${b.line}`;

/**
 * Creates .snippets/ with a node_modules where `@privkit/<pkg>` links to packages/<pkg> (resolved through its exports
 * map to the built dist/, as for a user who installed it) and every other bare import of a block links to the copy
 * the workspace has (root node_modules first, then the packages' own: viem, hardhat, the Fabric packages).
 */
function prepare(blocks) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'node_modules', '@privkit'), { recursive: true });
  for (const p of readdirSync(join(root, 'packages')))
    if (existsSync(join(root, 'packages', p, 'package.json'))) symlinkSync(join(root, 'packages', p), join(out, 'node_modules', '@privkit', p), 'dir');
  const bare = new Set();
  for (const b of blocks)
    for (const m of `${b.setup}\n${b.code}\n${b.check}`.matchAll(/\bfrom\s+'([^'.][^']*)'|\bimport\(\s*'([^'.][^']*)'\s*\)/g)) {
      const spec = m[1] ?? m[2];
      if (spec.startsWith('node:') || spec.startsWith('@privkit/')) continue;
      bare.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
    }
  const homes = [root, ...readdirSync(join(root, 'packages')).map((p) => join(root, 'packages', p))];
  for (const name of bare) {
    const home = homes.find((h) => existsSync(join(h, 'node_modules', name, 'package.json')));
    if (!home) throw new Error(`a README block imports ${name}, which no workspace package has installed`);
    const link = join(out, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    if (!existsSync(link)) symlinkSync(join(home, 'node_modules', name), link, 'dir');
  }
}

/** The module a block becomes: givens, setup, `any` declarations for free names, then the block (`…` elided). */
export function moduleOf(b, extra = new Map()) {
  const free = [...(extra.get(b) ?? [])].map((x) => `declare const ${x}: any;\n`).join('');
  // `export {}` makes every block a module of its own.
  const head = `${b.given}${b.setup}${free}export {};\n`;
  return { head, text: `${head}${elide(b.code)}\n${b.check ? `// snippet-check\n${b.check}` : ''}` };
}

/** Runs tsc over the blocks (each with its extra declarations) and returns the errors at their README positions. */
function typecheck(blocks, extra) {
  for (const f of readdirSync(out)) if (f.endsWith('.ts')) rmSync(join(out, f));
  const map = new Map();
  for (const b of blocks) {
    const { head, text } = moduleOf(b, extra);
    writeFileSync(join(out, `${blockName(b)}.ts`), text);
    map.set(`${blockName(b)}.ts`, { block: b, offset: head.split('\n').length - 1 });
  }
  writeFileSync(
    join(out, 'tsconfig.json'),
    JSON.stringify(
      {
        extends: '../tsconfig.json',
        // A user's strict project, not this repository's extra checks (noUncheckedIndexedAccess and
        // exactOptionalPropertyTypes would flag `devices[5].secretKey` style that READMEs rightly use).
        compilerOptions: {
          noEmit: true,
          noUnusedLocals: false,
          noUncheckedIndexedAccess: false,
          exactOptionalPropertyTypes: false,
          baseUrl: '..',
          lib: ['ES2023', 'DOM', 'ESNext.Disposable'],
          target: 'ES2022',
        },
        include: ['./*.ts', '../packages/*/src/**/*.d.ts'],
      },
      null,
      2,
    ),
  );
  let output = '';
  try {
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(out, 'tsconfig.json')], {
      encoding: 'utf8',
      stdio: 'pipe',
    });
  } catch (e) {
    output = `${e.stdout}${e.stderr}`;
  }
  const errors = [];
  for (const line of output.split('\n')) {
    const m = /^([^(]+\.ts)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line.trim().replace(/^.*\.snippets\//, ''));
    if (m && map.has(m[1])) {
      const { block: b, offset } = map.get(m[1]);
      const name = /^Cannot find name '(\w+)'|^No value exists in scope for the shorthand property '(\w+)'/.exec(m[5]);
      const row = Number(m[2]);
      errors.push({
        block: b,
        // A line of the head is in the comments above the fence (snippet-given / snippet-setup).
        where: row > offset ? `${relative(root, b.file)}:${b.line + row - 1 - offset}:${m[3]}` : `${at(b)} (snippet-given/setup line ${row})`,
        code: m[4],
        text: m[5],
        missing: name?.[1] ?? name?.[2],
      });
    } else if (line.trim() && !/^\s/.test(line)) errors.push({ where: '', code: '', text: line });
  }
  return errors;
}

/**
 * Runs one block with Node and tsx (a test fragment with vitest) in a folder of its own (files it writes land there),
 * as the module tsc checked. Resolves to `{ ok, secs }`; `ok` is false (with the failure `text`) when the block threw,
 * rejected, timed out or printed to stderr.
 */
function runBlock(b) {
  const dir = join(out, 'cwd', blockName(b));
  mkdirSync(dir, { recursive: true });
  // The runner exits once the block's module (top-level awaits included) has completed and pending rejections had a
  // turn to surface, so that servers a block leaves running (IPFS, an EVM, Fabric peers) do not keep it alive.
  const main = join(out, `${blockName(b)}.run.mjs`);
  writeFileSync(
    main,
    `await import(${JSON.stringify(`./${blockName(b)}.ts`)});\nawait new Promise((r) => setTimeout(r, 100));\nprocess.exit(process.exitCode ?? 0);\n`,
  );
  // A test fragment is a vitest file of its own (vitest resolves `@privkit/*` through .snippets/node_modules too).
  const argv = b.test
    ? [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', out, '--config', join(out, 'vitest.config.mjs'), `${blockName(b)}.test.ts`]
    : [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), '--tsconfig', join(out, 'tsconfig.run.json'), main];
  if (b.test) writeFileSync(join(out, `${blockName(b)}.test.ts`), readFileSync(join(out, `${blockName(b)}.ts`)));
  return new Promise((resolve) => {
    const t0 = Date.now();
    execFile(
      process.execPath,
      argv,
      { cwd: dir, encoding: 'utf8', timeout: RUN_TIMEOUT_MS, maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
      (err, _stdout, stderr) => {
        const secs = ((Date.now() - t0) / 1000).toFixed(1);
        if (!err && !stderr.trim()) return resolve({ ok: true, secs });
        const why = err?.killed ? `timed out after ${RUN_TIMEOUT_MS / 1000} s` : err ? `exit code ${err.code}` : 'printed to stderr';
        resolve({ ok: false, secs, text: `${at(b)} run failed (${why}):\n${`${stderr}`.trim().split('\n').slice(0, 30).join('\n')}` });
      },
    );
  });
}

/** Runs `tasks` (functions returning promises) `limit` at a time, in order of start. */
async function pool(tasks, limit) {
  const results = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : null;
  const files = readmes();
  const blocks = files.flatMap(extractSnippets).filter((b) => !only || `${at(b)}`.includes(only));
  const checked = blocks.filter((b) => !b.skip);
  if (argv.includes('--list')) {
    for (const b of blocks) console.log(`${at(b)}${b.skip ? ' (no-check)' : b.typecheckOnly ? ` (typecheck-only: ${b.typecheckOnly})` : ''}`);
    process.exit(0);
  }
  prepare(checked);
  // Pass 1: names a block uses without defining. A PrivKit or node: export used without its import is an error (a
  // user pasting the block gets ReferenceError); any other free name stands for the reader's own data (`pt`, `aad`)
  // and is declared `any` for pass 2, which checks everything else.
  const importable = await importableNames();
  const extra = new Map();
  const report = [];
  for (const e of typecheck(checked, extra)) {
    if (!e.missing) continue;
    if (importable.has(e.missing)) report.push(`${e.where} uses ${e.missing} without importing it (from '${importable.get(e.missing)}')`);
    else {
      if (!extra.has(e.block)) extra.set(e.block, new Set());
      extra.get(e.block).add(e.missing);
    }
  }
  for (const e of typecheck(checked, extra)) {
    if (e.missing && importable.has(e.missing)) continue; // reported above
    report.push(`${e.where} ${e.code} ${e.text}`.trim());
  }
  // Runs: every checked block not marked typecheck-only. One that still has free names cannot run: its values must
  // come from a snippet-setup comment, or the block says why it is type-checked only.
  const runnable = [];
  for (const b of checked) {
    if (b.typecheckOnly) continue;
    const free = [...(extra.get(b) ?? [])];
    if (free.length)
      report.push(
        `${at(b)} cannot run: ${free.join(', ')} ${free.length > 1 ? 'are' : 'is'} not defined (give values in <!-- snippet-setup: … -->, or mark the block <!-- snippet: typecheck-only (why) -->)`,
      );
    else runnable.push(b);
  }
  let ran = 0;
  if (!argv.includes('--no-run') && !report.length) {
    // The blocks run as a user's project compiles them: tsx without this repository's `paths`, so `@privkit/*` are
    // the built packages.
    writeFileSync(join(out, 'tsconfig.run.json'), JSON.stringify({ compilerOptions: { target: 'es2022', module: 'preserve', strict: true } }, null, 2));
    writeFileSync(join(out, 'vitest.config.mjs'), "export default { test: { include: ['*.test.ts'], reporters: ['dot'], watch: false } };\n");
    const outcomes = await pool(
      runnable.map((b) => () => runBlock(b)),
      Math.max(1, Math.min(2, availableParallelism())),
    );
    for (const [i, o] of outcomes.entries()) {
      if (o.ok) ran++;
      else report.push(o.text);
      console.log(`${o.ok ? 'ran' : 'FAILED'} ${at(runnable[i])}${runnable[i].test ? ' (vitest)' : ''} (${o.secs} s)`);
    }
  }
  const free = [...extra.values()].reduce((n, s) => n + s.size, 0);
  const only_ = checked.filter((b) => b.typecheckOnly);
  console.log(
    `README snippets (${files.length} READMEs): ${checked.length} blocks type-checked, ${ran} run, ${only_.length} type-check-only` +
      `${blocks.length - checked.length ? `, ${blocks.length - checked.length} marked no-check` : ''}; ${free} free names in type-check-only blocks taken as the reader's own values`,
  );
  for (const b of only_) console.log(`  type-check-only ${at(b)}: ${b.typecheckOnly}`);
  if (report.length) {
    console.log([...new Set(report)].join('\n'));
    console.log(`${new Set(report).size} error(s)`);
    process.exitCode = 1;
  } else {
    rmSync(out, { recursive: true, force: true });
  }
}
