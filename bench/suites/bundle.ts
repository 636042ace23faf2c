/**
 * Bundle sizes as a browser app pays them (issue #18 item 3): every package entry and a few single imports, bundled
 * from the packed dist/ (`pnpm pack`, extracted — exactly what npm users get) with esbuild `--bundle --minify
 * --format=esm --platform=browser`, gzip level 9, next to the raw noble imports they build on, all in the same run.
 * Needs built packages (`pnpm build`). Dependencies (@noble/*, …) resolve from the workspace's pnpm store.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

export const title = 'Bundle size — esbuild --bundle --minify --format=esm --platform=browser, gzip -9, from the packed dist/';

const root = new URL('../../', import.meta.url).pathname;

interface Size {
  name: string;
  code: string;
  minified: number;
  gzip: number;
  error?: string;
}

/** Packs every package and extracts the tarballs into `<dir>/node_modules/@privkit/<pkg>`. */
function packAll(dir: string): string[] {
  const tarballs = join(dir, 'tarballs');
  mkdirSync(tarballs, { recursive: true });
  const pkgs = readdirSync(join(root, 'packages'));
  for (const p of pkgs) {
    execFileSync(process.env.PNPM ?? 'pnpm', ['pack', '--pack-destination', tarballs], { cwd: join(root, 'packages', p), stdio: 'ignore' });
  }
  for (const t of readdirSync(tarballs)) {
    const name = JSON.parse(execFileSync('tar', ['-xOzf', join(tarballs, t), 'package/package.json'], { encoding: 'utf8' })).name as string;
    const into = join(dir, 'node_modules', name);
    mkdirSync(into, { recursive: true });
    execFileSync('tar', ['-xzf', join(tarballs, t), '-C', into, '--strip-components=1']);
  }
  return pkgs;
}

async function size(dir: string, name: string, code: string): Promise<Size> {
  try {
    const out = await build({
      stdin: { contents: code, resolveDir: dir, loader: 'js' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
      // Our packages from the extracted tarballs (resolveDir), their dependencies from the pnpm store.
      // fast-check (the /testing entries' optional peer) from the root's devDependencies.
      nodePaths: [join(root, 'node_modules', '.pnpm', 'node_modules'), join(root, 'node_modules')],
    });
    const bytes = out.outputFiles[0]!.contents;
    return { name, code, minified: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  } catch (e) {
    return { name, code, minified: NaN, gzip: NaN, error: firstError(e) };
  }
}

/** The first esbuild error, without the temporary path: why an entry does not bundle for the browser. */
function firstError(e: unknown): string {
  const errors = (e as { errors?: { text: string }[] }).errors;
  const text = errors?.[0]?.text ?? String((e as Error).message).split('\n')[0]!;
  return `does not bundle for the browser: ${text}${errors && errors.length > 1 ? ` (+${errors.length - 1} more)` : ''}`;
}

const kb = (n: number) => (Number.isNaN(n) ? '—' : `${(n / 1024).toFixed(1)} KB`);

export async function run(): Promise<{ markdown: string; data: unknown }> {
  const dir = mkdtempSync(join(tmpdir(), 'privkit-bundle-'));
  try {
    const pkgs = packAll(dir);
    const cases: [string, string][] = [];
    for (const p of pkgs) {
      const manifest = JSON.parse(readFileSync(join(dir, 'node_modules', '@privkit', p, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
      for (const sub of Object.keys(manifest.exports).filter((k) => k !== './package.json')) {
        const spec = `@privkit/${p}${sub.slice(1)}`;
        cases.push([`${spec} (whole entry)`, `import * as m from '${spec}'; console.log(m);`]);
      }
    }
    const single: [string, string][] = [
      ['noble: gcm', `import { gcm } from '@noble/ciphers/aes.js'; console.log(gcm);`],
      [
        'noble: gcm + chacha20poly1305 + xchacha20poly1305',
        `import { gcm } from '@noble/ciphers/aes.js'; import { chacha20poly1305, xchacha20poly1305 } from '@noble/ciphers/chacha.js'; console.log(gcm, chacha20poly1305, xchacha20poly1305);`,
      ],
      [
        'noble: x25519 + hkdf + gcm',
        `import { x25519 } from '@noble/curves/ed25519.js'; import { hkdf } from '@noble/hashes/hkdf.js'; import { sha256 } from '@noble/hashes/sha2.js'; import { gcm } from '@noble/ciphers/aes.js'; console.log(x25519, hkdf, sha256, gcm);`,
      ],
      ['core: aes256Gcm (one AEAD)', `import { aes256Gcm } from '@privkit/core'; console.log(aes256Gcm);`],
      ['core: getAead (any id: all six AEADs)', `import { getAead } from '@privkit/core'; console.log(getAead('aes-256-gcm'));`],
      ['core: x25519Group (one DH group)', `import { x25519Group } from '@privkit/core'; console.log(x25519Group);`],
      ['core: randomBytes', `import { randomBytes } from '@privkit/core'; console.log(randomBytes(16));`],
      ['core: isPrivkitError', `import { isPrivkitError } from '@privkit/core'; console.log(isPrivkitError);`],
      [
        'envelope: withSuite(X25519_SHA256_AES_256_GCM).seal (one suite)',
        `import { withSuite, X25519_SHA256_AES_256_GCM } from '@privkit/envelope'; console.log(withSuite(X25519_SHA256_AES_256_GCM).seal(new Uint8Array(1), [new Uint8Array(32)]));`,
      ],
      [
        'envelope: seal with a suite name (any suite: every KEM, KDF, AEAD)',
        `import { seal } from '@privkit/envelope'; console.log(seal(new Uint8Array(1), [new Uint8Array(32)], { suite: 'X25519-SHA256-AES-256-GCM' }));`,
      ],
      ['qr: base45Encode', `import { base45Encode } from '@privkit/qr'; console.log(base45Encode(new Uint8Array(1)));`],
    ];
    const sizes: Size[] = [];
    for (const [name, code] of [...single, ...cases]) sizes.push(await size(dir, name, code));
    const by = (n: string) => sizes.find((s) => s.name === n)!;
    const gcm = by('noble: gcm').gzip;
    const trio = by('noble: x25519 + hkdf + gcm').gzip;
    const targets = [
      { label: 'one AEAD (`aes256Gcm`) ≤ 1.5 × noble gcm + 4 KB', measured: by('core: aes256Gcm (one AEAD)').gzip, limit: 1.5 * gcm + 4096 },
      {
        label: 'envelope with one suite (`withSuite(X25519_SHA256_AES_256_GCM).seal`) ≤ 1.5 × noble x25519 + hkdf + gcm + 8 KB',
        measured: by('envelope: withSuite(X25519_SHA256_AES_256_GCM).seal (one suite)').gzip,
        limit: 1.5 * trio + 8192,
      },
      { label: 'qr `base45Encode` ≤ 6 KB', measured: by('qr: base45Encode').gzip, limit: 6144 },
    ];
    const nobleAeads = by('noble: gcm + chacha20poly1305 + xchacha20poly1305').gzip;
    const registries = [
      `- \`getAead\` takes any of the six AEAD ids, so it keeps all six: ${kb(by('core: getAead (any id: all six AEADs)').gzip)} gzip, ` +
        `against ${kb(nobleAeads)} for noble's own three AEADs (SM4-GCM/CCM are ours). Import the AEAD constant to keep one.`,
      `- \`seal\` with a suite name opens the door to every suite, so it keeps every KEM, KDF and AEAD: ` +
        `${kb(by('envelope: seal with a suite name (any suite: every KEM, KDF, AEAD)').gzip)} gzip. Use \`withSuite(<constant>)\` to keep one suite.`,
    ];
    const row = (s: Size) => `| ${s.name} | ${kb(s.minified)} | ${kb(s.gzip)} |${s.error ? ` ${s.error} |` : ' |'}`;
    const markdown = [
      'Single imports (gzip is what a browser downloads):',
      '',
      '| import | minified | gzip | note |',
      '| --- | ---: | ---: | --- |',
      ...sizes.slice(0, single.length).map(row),
      '',
      ...targets.map(
        (t) =>
          `- ${t.measured <= t.limit ? '✅' : '❌'} ${t.label}: measured ${kb(t.measured)} gzip, limit ${kb(t.limit)} (${(t.measured / t.limit).toFixed(2)}× the limit)`,
      ),
      '',
      'Lookups by name keep everything they can name (by design, not a target):',
      '',
      ...registries,
      '',
      'Every package entry, whole (`import * as m`):',
      '',
      '| entry | minified | gzip | note |',
      '| --- | ---: | ---: | --- |',
      ...sizes.slice(single.length).map(row),
    ].join('\n');
    return { markdown, data: { sizes, targets } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
