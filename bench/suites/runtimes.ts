/**
 * Which core entry is faster on each runtime (issue #18 item 1): the Node entry (node:crypto fast paths), the portable
 * entry (pure TypeScript on @noble/*) and the Bun/Deno entry (AEADs probed per algorithm), on Node, Bun and Deno, from the built dist/ (`pnpm build` first).
 * Bun and Deno are the pinned binaries of scripts/runtimes.mjs. Each runtime runs the same tinybench script; outputs of
 * both entries are cross-checked before timing. A case a runtime's node:crypto cannot run is reported as such.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
// @ts-expect-error: a plain .mjs script without declarations
import { ensureRuntime } from '../../scripts/runtimes.mjs';

export const title = 'Core on Node, Bun and Deno — Node entry (node:crypto) vs portable entry (@noble/*), same run per runtime';

const root = new URL('../../', import.meta.url).pathname;

const script = (dist: string) => `
import { Bench } from 'tinybench';
import * as native from '${dist}/index.node.js';
import * as portable from '${dist}/index.js';
import * as runtime from '${dist}/index.runtime.js';
const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const data = new Uint8Array(64 * 1024).map((_, i) => i);
const key = new Uint8Array(32).fill(7), nonce = new Uint8Array(12).fill(9);
const x = portable.getDhGroup('x25519'), sk = x.randomSecretKey(), pk = x.getPublicKey(x.randomSecretKey());
const cases = {
  'AES-256-GCM seal 64 KiB': (m) => m.getAead('aes-256-gcm').seal(key, nonce, data),
  'ChaCha20-Poly1305 seal 64 KiB': (m) => m.getAead('chacha20-poly1305').seal(key, nonce, data),
  'SM4-GCM seal 64 KiB': (m) => m.getAead('sm4-gcm').seal(key.subarray(0, 16), nonce, data),
  'SM3 64 KiB': (m) => m.sm3(data),
  'X25519 shared secret': (m) => m.getDhGroup('x25519').getSharedSecret(sk, pk),
};
const rows = [];
for (const [name, fn] of Object.entries(cases)) {
  let nativeOk = true;
  try {
    if (hex(fn(native)) !== hex(fn(portable))) throw new Error('outputs differ: ' + name);
  } catch (e) {
    if (String(e.message).startsWith('outputs differ')) throw e;
    nativeOk = String(e.code ?? e.name) + ': ' + String(e.message).slice(0, 80);
  }
  const bench = new Bench({ time: 400, warmupTime: 100 });
  if (nativeOk === true) bench.add('node entry', () => fn(native));
  bench.add('portable entry', () => fn(portable));
  bench.add('bun/deno entry', () => fn(runtime));
  await bench.run();
  const med = Object.fromEntries(bench.tasks.map((t) => [t.name, t.result.latency.p50]));
  if (hex(fn(runtime)) !== hex(fn(portable))) throw new Error('outputs differ (bun/deno entry): ' + name);
  rows.push({ name, native: med['node entry'] ?? null, portable: med['portable entry'], runtime: med['bun/deno entry'], nativeError: nativeOk === true ? null : nativeOk });
}
console.log('ROWS ' + JSON.stringify(rows));
`;

interface Row {
  name: string;
  native: number | null;
  portable: number;
  runtime: number;
  nativeError: string | null;
}

export async function run(): Promise<{ markdown: string; data: unknown }> {
  // The script lives under bench/ so that it resolves bench's tinybench like the other suites.
  const dir = join(root, 'bench', '.out', 'runtimes');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'core-entries.mjs'), script(join(root, 'packages', 'core', 'dist')));
  const runtimes: [string, string, string[]][] = [
    [`Node ${process.version}`, process.execPath, []],
    [`Bun ${'1.4.5'}`, ensureRuntime('bun') as string, []],
    [`Deno ${'2.9.6'}`, ensureRuntime('deno') as string, ['run', '--allow-all', '--no-prompt']],
  ];
  const results: Record<string, Row[]> = {};
  for (const [label, bin, args] of runtimes) {
    const out = execFileSync(bin, [...args, 'core-entries.mjs'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
    });
    results[label] = JSON.parse(
      out
        .split('\n')
        .find((l) => l.startsWith('ROWS '))!
        .slice(5),
    ) as Row[];
  }
  const us = (ms: number) => (ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(1)} µs`);
  const lines = [
    '| runtime | case | node entry | portable entry | bun/deno entry (probed) | node entry speed-up over portable |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
  ];
  for (const [label, rows] of Object.entries(results)) {
    for (const r of rows) {
      const nat = r.native === null ? `fails (${r.nativeError})` : us(r.native);
      const ratio = r.native === null ? '—' : `${(r.portable / r.native).toFixed(2)}×`;
      lines.push(`| ${label} | ${r.name} | ${nat} | ${us(r.portable)} | ${us(r.runtime)} | ${ratio} |`);
    }
  }
  return { markdown: lines.join('\n'), data: results };
}
