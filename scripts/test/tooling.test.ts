/**
 * The release tooling's own checks can fail: the pack test's smoke body rejects a broken package, and the README
 * snippet checker extracts blocks, their givens and `no-check` marks, and elides `…` only outside strings and comments.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@privkit/core';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without declarations
import { elide, extractSnippets, moduleOf } from '../readme-snippets.mjs';
import { denoDispatcher } from '../tsup.shared.js';

type Smoke = (P: Record<string, unknown>, log: (l: string) => void) => Promise<number>;
const body = readFileSync(new URL('../pack-test/smoke.js', import.meta.url), 'utf8');
const smoke = new Function(`${body}\nreturn smoke;`)() as Smoke;

describe('pack-test smoke body', () => {
  it('passes over the real core', async () => {
    const lines: string[] = [];
    expect(await smoke({ core }, (l) => lines.push(l))).toBe(7);
    expect(lines.every((l) => l.startsWith('ok core:'))).toBe(true);
  });

  it('fails when SM3 gives a wrong digest', async () => {
    const broken = { ...core, sm3: () => new Uint8Array(32) };
    await expect(smoke({ core: broken }, () => {})).rejects.toThrow(/sm3\(abc\)/);
  });

  it('fails when an AEAD accepts a forged tag', async () => {
    const lax = { ...core, getAead: (id: core.AeadId) => ({ ...core.getAead(id), open: (_k: Uint8Array, _n: Uint8Array, ct: Uint8Array) => ct.subarray(0, ct.length - 16) }) };
    await expect(smoke({ core: lax }, () => {})).rejects.toThrow();
  });

  it('fails when a bad input throws something other than a PrivkitError', async () => {
    const raw = { ...core, getAead: () => ({ ...core.getAead('aes-128-gcm'), seal: () => { throw new TypeError('native'); } }) };
    await expect(smoke({ core: raw }, () => {})).rejects.toThrow();
  });
});

describe('README snippet checker', () => {
  it('replaces … only outside strings and comments', () => {
    expect(elide("f(a, …); const s = '…'; // …\n/* … */ g(`…`, \"…\")")).toBe("f(a, /*…*/); const s = '…'; // …\n/* … */ g(`…`, \"…\")");
  });

  it('extracts setup (several lines), check and typecheck-only / test marks; a mark without its reason is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'snippets-'));
    try {
      const file = join(dir, 'README.md');
      const md = [
        '<!-- snippet: typecheck-only (needs a Fabric peer) -->',
        '<!-- snippet-setup:',
        "const pt = utf8ToBytes('x');",
        'const key = randomBytes(32);',
        '-->',
        '<!-- snippet-check: if (!ok) throw new Error(); -->',
        '```ts',
        'seal(pt, key);',
        '```',
        '',
        '<!-- an ordinary comment -->',
        '<!-- snippet: test (a vitest fragment) -->',
        '```ts',
        "it('x', () => {});",
        '```',
      ];
      writeFileSync(file, md.join('\n'));
      const blocks = extractSnippets(file) as { line: number; setup: string; check: string; typecheckOnly: string | null; test: boolean }[];
      expect(blocks.map(({ line, setup, check, typecheckOnly, test }) => ({ line, setup, check, typecheckOnly, test }))).toEqual([
        { line: 8, setup: "const pt = utf8ToBytes('x');\nconst key = randomBytes(32);\n", check: 'if (!ok) throw new Error();\n', typecheckOnly: 'needs a Fabric peer', test: false },
        { line: 14, setup: '', check: '', typecheckOnly: null, test: true },
      ]);
      writeFileSync(file, ['<!-- snippet: typecheck-only -->', '```ts', 'x;', '```'].join('\n'));
      expect(() => extractSnippets(file)).toThrow(/typecheck-only \(reason\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds the module a block runs as: givens, setup, free names, the block (… elided), then its check', () => {
    const b = { given: 'declare const t: number;\n', setup: 'const pt = f();\n', code: 'seal(pt, …);', check: 'if (!ok) throw 1;\n' };
    const { head, text } = moduleOf(b, new Map([[b, new Set(['aad'])]]));
    expect(head).toBe('declare const t: number;\nconst pt = f();\ndeclare const aad: any;\nexport {};\n');
    expect(text).toBe(`${head}seal(pt, /*…*/);\n// snippet-check\nif (!ok) throw 1;\n`);
  });

  it('extracts ts blocks with their line, givens and no-check mark', () => {
    const dir = mkdtempSync(join(tmpdir(), 'snippets-'));
    try {
      const file = join(dir, 'README.md');
      writeFileSync(file, ['# x', '<!-- snippet-given: declare const pt: Uint8Array; -->', '```ts', 'seal(pt);', '```', '```sh', 'ls', '```', '```ts no-check', 'nope(', '```'].join('\n'));
      const blocks = extractSnippets(file) as { line: number; code: string; given: string; skip: boolean }[];
      expect(blocks.map(({ line, code, given, skip }) => ({ line, code, given, skip }))).toEqual([
        { line: 4, code: 'seal(pt);', given: 'declare const pt: Uint8Array;\n', skip: false },
        { line: 10, code: 'nope(', given: '', skip: true },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("Deno require dispatcher (Deno's require takes the \"node\" condition)", () => {
  const load = (deno: boolean) => {
    const g = globalThis as { Deno?: unknown };
    const had = 'Deno' in g;
    const saved = g.Deno;
    if (deno) g.Deno = {};
    else delete g.Deno;
    try {
      const required: string[] = [];
      const module = { exports: undefined as unknown };
      new Function('module', 'require', denoDispatcher('index.node', 'index.runtime'))(module, (p: string) => (required.push(p), { from: p }));
      return { required, exports: module.exports };
    } finally {
      if (had) g.Deno = saved;
      else delete g.Deno;
    }
  };
  it('loads the Deno entry on Deno and the Node entry elsewhere, and only that one', () => {
    expect(load(true)).toEqual({ required: ['./index.runtime.cjs'], exports: { from: './index.runtime.cjs' } });
    expect(load(false)).toEqual({ required: ['./index.node.cjs'], exports: { from: './index.node.cjs' } });
  });
});
