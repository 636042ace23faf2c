#!/usr/bin/env node
// Type-checks every ```ts code block of every README (root and packages/*), as a user would paste it: each block is
// its own module, compiled with the repository's strict settings against the packages' sources (`@privkit/*` paths
// of tsconfig.json). A block that uses a name it does not import or declare fails (TS2304), as it would for a user.
//
// A block may rely on values the surrounding prose introduces: an HTML comment right above the fence,
//   <!-- snippet-given: declare const pt: Uint8Array; declare const info: Uint8Array; -->
// is prepended to the block (invisible on the rendered page; reviewers see exactly what is assumed). A block fenced
// ```ts no-check is skipped (say why next to it). Exits non-zero listing each error at its README line.
//
//   node scripts/readme-snippets.mjs [--list]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, '.snippets');

/** Every ```ts block of `file`: its first line number (1-based, the line after the fence), code and givens. */
export function extractSnippets(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(ts|typescript)(\s+.*)?$/.exec(lines[i].trim());
    if (!fence) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end].trim() !== '```') end++;
    let given = '';
    for (let j = i - 1; j >= 0 && /^<!--\s*snippet-given:/.test(lines[j].trim()); j--) {
      given = `${lines[j]
        .trim()
        .replace(/^<!--\s*snippet-given:\s*/, '')
        .replace(/\s*-->$/, '')}\n${given}`;
    }
    blocks.push({ file, line: start + 1, code: lines.slice(start, end).join('\n'), given, skip: /no-check/.test(fence[2] ?? '') });
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

export function readmes() {
  const files = [join(root, 'README.md')];
  for (const p of readdirSync(join(root, 'packages')))
    if (existsSync(join(root, 'packages', p, 'README.md'))) files.push(join(root, 'packages', p, 'README.md'));
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

/** Runs tsc over the blocks (each with its extra declarations) and returns the errors at their README positions. */
function typecheck(blocks, extra) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out);
  const map = new Map();
  blocks.forEach((b, n) => {
    const name = `${relative(root, b.file).replace(/[/\\.]/g, '_')}_${b.line}.ts`;
    // Givens and free names come first; `export {}` makes every block a module of its own.
    const free = [...(extra.get(b) ?? [])].map((x) => `declare const ${x}: any;\n`).join('');
    const head = `${b.given}${free}export {};\n`;
    writeFileSync(join(out, name), `${head}${elide(b.code)}\n`);
    map.set(name, { ...b, block: b, offset: head.split('\n').length - 1, n });
  });
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
      const b = map.get(m[1]);
      const name = /^Cannot find name '(\w+)'|^No value exists in scope for the shorthand property '(\w+)'/.exec(m[5]);
      errors.push({
        block: b.block,
        where: `${relative(root, b.file)}:${b.line + Number(m[2]) - 1 - b.offset}:${m[3]}`,
        code: m[4],
        text: m[5],
        missing: name?.[1] ?? name?.[2],
      });
    } else if (line.trim() && !/^\s/.test(line)) errors.push({ where: '', code: '', text: line });
  }
  return errors;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const blocks = readmes().flatMap(extractSnippets);
  const checked = blocks.filter((b) => !b.skip);
  if (process.argv.includes('--list')) for (const b of blocks) console.log(`${relative(root, b.file)}:${b.line}${b.skip ? ' (no-check)' : ''}`);
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
  const free = [...extra.values()].reduce((n, s) => n + s.size, 0);
  console.log(
    `README snippets: ${checked.length} ts blocks type-checked (${blocks.length - checked.length} marked no-check) from ${readmes().length} READMEs; ${free} free names taken as the reader's own values`,
  );
  if (report.length) {
    console.log([...new Set(report)].join('\n'));
    console.log(`${new Set(report).size} error(s)`);
    process.exitCode = 1;
  } else {
    rmSync(out, { recursive: true, force: true });
  }
}
