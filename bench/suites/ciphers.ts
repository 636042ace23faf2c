/**
 * "cipher costs": AES-256-GCM, ChaCha20-Poly1305, SM4-GCM, SM4-CBC, SM4-CTR, SM3 and SHA-256 at 1 KiB and 1 MiB,
 * for PrivKit's Node path (`index.node.ts`, node:crypto fast paths) and portable path (`index.ts`, pure
 * TypeScript / noble), raw `node:crypto`, `@noble/ciphers` / `@noble/hashes`, `sm-crypto-v2` and `sm-crypto`
 * where they have the algorithm. AEAD / cipher rows time encrypt + decrypt of one message; hash rows one digest.
 *
 * Outputs of every contender are cross-checked before timing. Slow pure-JS contenders need ~1 s per 1 MiB
 * operation, so instead of tinybench's fixed minimum iteration count this suite times interleaved rounds itself
 * (every contender once per round, round-robin, so machine load hits all contenders alike; small operations are
 * batched so one sample lasts ≥ ~4 ms, and fast contenders take many samples per round) and reports medians of
 * per-operation **CPU time** (the machine is shared with other jobs; CPU time is what load does not distort). All ratios come from the same run.
 */
import { createCipheriv, createDecipheriv, createHash, type CipherGCMTypes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { gcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { sha256 } from '@noble/hashes/sha2.js';
// @ts-expect-error sm-crypto ships no type declarations
import smCrypto from 'sm-crypto';
import { sm3 as v2sm3, sm4 as v2sm4 } from 'sm-crypto-v2';
import * as nodePath from '../../packages/core/src/index.node.js';
import * as portablePath from '../../packages/core/src/index.js';
import { crossValidate, ratio, table, target, type Chart, type Row } from '../lib.js';

export const title = 'Cipher costs (AES-GCM, ChaCha20-Poly1305, SM4, SM3, SHA-256)';

interface Case {
  name: string;
  fn: () => unknown;
}

const smv1 = smCrypto as {
  sm3: (input: number[] | string) => string;
  sm4: {
    encrypt: (input: number[], key: string, opts: { mode: 'cbc'; iv: string; output: 'array' }) => number[];
    decrypt: (input: number[], key: string, opts: { mode: 'cbc'; iv: string; output: 'array' }) => number[];
  };
};

/** CPU time of this process in ms (user + system): unaffected by time spent waiting for a core on a shared machine. */
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Interleaved round-robin timing of **CPU time** (`process.cpuUsage`, user + system): the machine is shared, and
 * wall-clock samples of millisecond operations mostly measured how long the process waited for a core. For these
 * synchronous, single-threaded operations CPU time equals wall time on an idle machine. Each contender gets a batch
 * size so one sample lasts ≥ `sampleMs` of CPU; slices and the budget are CPU time too; in every round
 * each contender takes samples until it has used `sliceMs` (at least one sample), so fast contenders collect many
 * samples and slow ones at least one per round; the order is reversed every other round so no contender always
 * runs right after the same neighbour. Rounds continue until `budgetMs` is spent (at least `minRounds`).
 */
function timeGroup(group: string, cases: Case[], budgetMs: number, minRounds = 3, sampleMs = 4, sliceMs = 40): Row[] {
  const batch = cases.map((c) => {
    c.fn();
    const t0 = cpuNow();
    c.fn();
    const one = Math.max(cpuNow() - t0, 1e-3);
    return Math.max(1, Math.min(100_000, Math.ceil(sampleMs / one)));
  });
  const samples: number[][] = cases.map(() => []);
  const start = cpuNow();
  for (let round = 0; round < 1000; round++) {
    if (round >= minRounds && cpuNow() - start > budgetMs) break;
    const order = cases.map((_, i) => i);
    if (round % 2) order.reverse();
    for (const i of order) {
      const f = cases[i]!.fn;
      const n = batch[i]!;
      const sliceStart = cpuNow();
      do {
        const t0 = cpuNow();
        for (let j = 0; j < n; j++) f();
        samples[i]!.push((cpuNow() - t0) / n);
      } while (cpuNow() - sliceStart < sliceMs);
    }
  }
  return cases.map((c, i) => {
    const s = samples[i]!;
    const med = median(s);
    const mean = s.reduce((a, b) => a + b, 0) / s.length;
    const sd = Math.sqrt(s.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, s.length - 1));
    const rme = s.length > 1 ? ((1.96 * sd) / Math.sqrt(s.length) / mean) * 100 : 0;
    return { group, name: c.name, medianMs: med, meanMs: mean, rmePct: rme, opsPerSec: 1000 / med, samples: s.length };
  });
}

const rnd = (n: number) => nodePath.randomBytes(n);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function rawGcmSeal(alg: CipherGCMTypes | 'chacha20-poly1305', k: Uint8Array, n: Uint8Array, m: Uint8Array, a: Uint8Array): Uint8Array {
  const c = createCipheriv(alg as CipherGCMTypes, k, n, { authTagLength: 16 });
  c.setAAD(a);
  return Buffer.concat([c.update(m), c.final(), c.getAuthTag()]);
}
function rawGcmOpen(alg: CipherGCMTypes | 'chacha20-poly1305', k: Uint8Array, n: Uint8Array, s: Uint8Array, a: Uint8Array): Uint8Array {
  const d = createDecipheriv(alg as CipherGCMTypes, k, n, { authTagLength: 16 });
  d.setAuthTag(s.subarray(s.length - 16));
  d.setAAD(a);
  // the node:crypto documentation's pattern: GCM and ChaCha20-Poly1305 return every byte from update(), final()
  // only checks the tag (returns nothing), so no concatenation copy
  const pt = d.update(s.subarray(0, s.length - 16));
  if (d.final().length !== 0) throw new Error('unexpected output from final()');
  return pt;
}
function rawCipher(alg: string, k: Uint8Array, iv: Uint8Array, m: Uint8Array, decrypt: boolean): Uint8Array {
  const c = decrypt ? createDecipheriv(alg, k, iv) : createCipheriv(alg, k, iv);
  return Buffer.concat([c.update(m), c.final()]);
}

/** Each cipher contender: seal/encrypt, then open/decrypt; cross-validated on the sealed output and round trip. */
interface CipherContender {
  name: string;
  seal: () => Uint8Array;
  open: (sealed: Uint8Array) => Uint8Array;
}

function cipherCases(label: string, msg: Uint8Array, cs: CipherContender[]): Case[] {
  const sealed: Record<string, unknown> = {};
  const opened: Record<string, unknown> = {};
  const cases: Case[] = [];
  for (const c of cs) {
    const s = c.seal();
    sealed[c.name] = s;
    opened[c.name] = c.open(s);
    cases.push({ name: c.name, fn: () => c.open(c.seal()) });
  }
  crossValidate(`${label} seal`, sealed);
  crossValidate(`${label} open`, { reference: msg, ...opened });
  return cases;
}

interface GroupResult {
  label: string;
  size: number;
  rows: Row[];
}

export async function run(): Promise<{ markdown: string; data: unknown }> {
  const load = loadavg()[0] ?? 0;
  const groups: GroupResult[] = [];
  const sizes = [
    { size: 1024, label: '1 KiB', budget: 1000, minRounds: 3 },
    { size: 1 << 20, label: '1 MiB', budget: 3000, minRounds: 5 },
  ];
  const aad = rnd(16);
  const add = (label: string, size: number, rows: Row[]) => {
    groups.push({ label, size, rows });
    console.log(`${label}\n${table(rows, size)}\n`);
  };

  for (const { size, label, budget, minRounds } of sizes) {
    const msg = rnd(size);
    const msgArr = Array.from(msg);
    const k16 = rnd(16);
    const k32 = rnd(32);
    const n12 = rnd(12);
    const iv16 = rnd(16);

    // AES-256-GCM
    {
      const pn = nodePath.getAead('aes-256-gcm');
      const pp = portablePath.getAead('aes-256-gcm');
      const cases = cipherCases(`aes-256-gcm ${label}`, msg, [
        { name: 'privkit node', seal: () => pn.seal(k32, n12, msg, aad), open: (s) => pn.open(k32, n12, s, aad) },
        { name: 'node:crypto', seal: () => rawGcmSeal('aes-256-gcm', k32, n12, msg, aad), open: (s) => rawGcmOpen('aes-256-gcm', k32, n12, s, aad) },
        { name: 'privkit portable', seal: () => pp.seal(k32, n12, msg, aad), open: (s) => pp.open(k32, n12, s, aad) },
        { name: '@noble/ciphers', seal: () => gcm(k32, n12, aad).encrypt(msg), open: (s) => gcm(k32, n12, aad).decrypt(s) },
      ]);
      add(`AES-256-GCM seal+open, ${label}`, size, timeGroup(`aes-256-gcm ${label}`, cases, budget, minRounds));
    }
    // ChaCha20-Poly1305
    {
      const pn = nodePath.getAead('chacha20-poly1305');
      const pp = portablePath.getAead('chacha20-poly1305');
      const cases = cipherCases(`chacha20-poly1305 ${label}`, msg, [
        { name: 'privkit node', seal: () => pn.seal(k32, n12, msg, aad), open: (s) => pn.open(k32, n12, s, aad) },
        { name: 'node:crypto', seal: () => rawGcmSeal('chacha20-poly1305', k32, n12, msg, aad), open: (s) => rawGcmOpen('chacha20-poly1305', k32, n12, s, aad) },
        { name: 'privkit portable', seal: () => pp.seal(k32, n12, msg, aad), open: (s) => pp.open(k32, n12, s, aad) },
        { name: '@noble/ciphers', seal: () => chacha20poly1305(k32, n12, aad).encrypt(msg), open: (s) => chacha20poly1305(k32, n12, aad).decrypt(s) },
      ]);
      add(`ChaCha20-Poly1305 seal+open, ${label}`, size, timeGroup(`chacha20-poly1305 ${label}`, cases, budget, minRounds));
    }
    // SM4-GCM
    {
      const v2seal = () => {
        const r = v2sm4.encrypt(msg, k16, { mode: 'gcm', iv: n12, associatedData: aad, output: 'array', outputTag: true });
        const out = new Uint8Array(r.output.length + 16);
        out.set(r.output);
        out.set(r.tag!, r.output.length);
        return out;
      };
      const v2open = (s: Uint8Array) =>
        v2sm4.decrypt(s.subarray(0, s.length - 16), k16, { mode: 'gcm', iv: n12, associatedData: aad, tag: s.subarray(s.length - 16), output: 'array' });
      const cases = cipherCases(`sm4-gcm ${label}`, msg, [
        { name: 'privkit node', seal: () => nodePath.sm4.gcm(k16, n12, aad).encrypt(msg), open: (s) => nodePath.sm4.gcm(k16, n12, aad).decrypt(s) },
        { name: 'privkit portable', seal: () => portablePath.sm4.gcm(k16, n12, aad).encrypt(msg), open: (s) => portablePath.sm4.gcm(k16, n12, aad).decrypt(s) },
        { name: 'sm-crypto-v2', seal: v2seal, open: v2open },
      ]);
      add(`SM4-GCM seal+open, ${label}`, size, timeGroup(`sm4-gcm ${label}`, cases, budget, minRounds));
    }
    // SM4-CBC
    {
      const k16hex = hex(k16);
      const ivhex = hex(iv16);
      const cases = cipherCases(`sm4-cbc ${label}`, msg, [
        { name: 'privkit node', seal: () => nodePath.sm4.cbc(k16, iv16).encrypt(msg), open: (s) => nodePath.sm4.cbc(k16, iv16).decrypt(s) },
        { name: 'node:crypto', seal: () => rawCipher('sm4-cbc', k16, iv16, msg, false), open: (s) => rawCipher('sm4-cbc', k16, iv16, s, true) },
        { name: 'privkit portable', seal: () => portablePath.sm4.cbc(k16, iv16).encrypt(msg), open: (s) => portablePath.sm4.cbc(k16, iv16).decrypt(s) },
        { name: 'sm-crypto-v2', seal: () => v2sm4.encrypt(msg, k16, { mode: 'cbc', iv: iv16, output: 'array' }), open: (s) => v2sm4.decrypt(s, k16, { mode: 'cbc', iv: iv16, output: 'array' }) },
        {
          name: 'sm-crypto',
          seal: () => Uint8Array.from(smv1.sm4.encrypt(msgArr.slice(), k16hex, { mode: 'cbc', iv: ivhex, output: 'array' })),
          open: (s) => Uint8Array.from(smv1.sm4.decrypt(Array.from(s), k16hex, { mode: 'cbc', iv: ivhex, output: 'array' })),
        },
      ]);
      add(`SM4-CBC encrypt+decrypt, ${label}`, size, timeGroup(`sm4-cbc ${label}`, cases, budget, minRounds));
    }
    // SM4-CTR
    {
      const cases = cipherCases(`sm4-ctr ${label}`, msg, [
        { name: 'privkit node', seal: () => nodePath.sm4.ctr(k16, iv16).encrypt(msg), open: (s) => nodePath.sm4.ctr(k16, iv16).decrypt(s) },
        { name: 'node:crypto', seal: () => rawCipher('sm4-ctr', k16, iv16, msg, false), open: (s) => rawCipher('sm4-ctr', k16, iv16, s, true) },
        { name: 'privkit portable', seal: () => portablePath.sm4.ctr(k16, iv16).encrypt(msg), open: (s) => portablePath.sm4.ctr(k16, iv16).decrypt(s) },
      ]);
      add(`SM4-CTR encrypt+decrypt, ${label}`, size, timeGroup(`sm4-ctr ${label}`, cases, budget, minRounds));
    }
    // SM3
    {
      const outs: Record<string, unknown> = {
        'privkit node': nodePath.sm3(msg),
        'node:crypto': new Uint8Array(createHash('sm3').update(msg).digest()),
        'privkit portable': portablePath.sm3(msg),
        'sm-crypto-v2': Buffer.from(v2sm3(msg), 'hex'),
        'sm-crypto': Buffer.from(smv1.sm3(msgArr), 'hex'),
      };
      crossValidate(`sm3 ${label}`, Object.fromEntries(Object.entries(outs).map(([k, v]) => [k, new Uint8Array(v as Uint8Array)])));
      const rows = timeGroup(`sm3 ${label}`, [
        { name: 'privkit node', fn: () => nodePath.sm3(msg) },
        { name: 'node:crypto', fn: () => createHash('sm3').update(msg).digest() },
        { name: 'privkit portable', fn: () => portablePath.sm3(msg) },
        { name: 'sm-crypto-v2', fn: () => v2sm3(msg) },
        { name: 'sm-crypto', fn: () => smv1.sm3(msgArr) },
      ], budget, minRounds);
      add(`SM3, ${label}`, size, rows);
    }
    // SHA-256
    {
      // getHash comes from the core-asymmetric engineer's hash registry; fall back to noble until it is exported
      type GetHash = (id: 'sha256') => (m: Uint8Array) => Uint8Array;
      const hn = ((nodePath as unknown as { getHash?: GetHash }).getHash ?? (() => sha256))('sha256');
      const hp = ((portablePath as unknown as { getHash?: GetHash }).getHash ?? (() => sha256))('sha256');
      crossValidate(`sha256 ${label}`, {
        'privkit node': hn(msg),
        'node:crypto': new Uint8Array(createHash('sha256').update(msg).digest()),
        'privkit portable': hp(msg),
        '@noble/hashes': sha256(msg),
      });
      const rows = timeGroup(`sha256 ${label}`, [
        { name: 'privkit node', fn: () => hn(msg) },
        { name: 'node:crypto', fn: () => createHash('sha256').update(msg).digest() },
        { name: 'privkit portable', fn: () => hp(msg) },
        { name: '@noble/hashes', fn: () => sha256(msg) },
      ], budget, minRounds);
      add(`SHA-256, ${label}`, size, rows);
    }
  }

  const g = (label: string) => {
    const r = groups.find((x) => x.label === label);
    if (!r) throw new Error(`missing group ${label}`);
    return r.rows;
  };
  const targets = [
    target('AES-256-GCM, registry (Node path) vs raw node:crypto, 1 MiB seal+open', ratio(g('AES-256-GCM seal+open, 1 MiB'), 'privkit node', 'node:crypto'), 0.9),
    target('SM4-GCM, Node path vs sm-crypto-v2 GCM, 1 MiB seal+open', ratio(g('SM4-GCM seal+open, 1 MiB'), 'privkit node', 'sm-crypto-v2'), 2.5),
    target('SM4-GCM, portable path vs sm-crypto-v2 GCM, 1 MiB seal+open', ratio(g('SM4-GCM seal+open, 1 MiB'), 'privkit portable', 'sm-crypto-v2'), 1.5),
    target('SM4-CBC, Node path vs node:crypto, 1 MiB encrypt+decrypt', ratio(g('SM4-CBC encrypt+decrypt, 1 MiB'), 'privkit node', 'node:crypto'), 0.9),
    target('SM4-CTR, Node path vs node:crypto, 1 MiB encrypt+decrypt', ratio(g('SM4-CTR encrypt+decrypt, 1 MiB'), 'privkit node', 'node:crypto'), 0.9),
    target('SM4-CBC, portable path vs sm-crypto-v2, 1 MiB encrypt+decrypt', ratio(g('SM4-CBC encrypt+decrypt, 1 MiB'), 'privkit portable', 'sm-crypto-v2'), 1.5),
    target('SM3, Node path vs node:crypto, 1 MiB', ratio(g('SM3, 1 MiB'), 'privkit node', 'node:crypto'), 0.9),
    target('SM3, portable path vs sm-crypto-v2, 1 MiB', ratio(g('SM3, 1 MiB'), 'privkit portable', 'sm-crypto-v2'), 1.2),
  ];

  const md = [
    'Each row times one operation on a message of the given size: encrypt + decrypt (AEADs: seal + open with 16 bytes of',
    'AAD), or one digest. "privkit node" is the `"node"` export condition (`index.node.ts`, node:crypto fast paths);',
    '"privkit portable" is the portable entry (pure TypeScript SM3/SM4, @noble/ciphers, @noble/hashes). Every',
    "contender's output was cross-checked against the others before timing. Contenders of a group run interleaved",
    '(round-robin, order reversed every other round) in the same process, so every ratio',
    'below is measured in the same run. Times are medians of per-operation **CPU time** (`process.cpuUsage`, user +',
    `system): the machine is shared with other jobs (load average ${load.toFixed(1)} on ${cpus().length} cores when the run started), and wall-clock`,
    'samples mostly measured waiting for a core. For these synchronous operations CPU time equals wall time on an',
    'idle machine; MB/s is message bytes per operation (so per direction it is twice that for encrypt + decrypt).',
    'SHA-256 "privkit" rows are `getHash(\'sha256\')` of each entry point.',
    '',
    '### Targets (1 MiB, same run)',
    '',
    ...targets,
    '',
    ...groups.flatMap((x) => [`### ${x.label}`, '', table(x.rows, x.size), '']),
  ].join('\n');
  const chart = (chartTitle: string, prefixes: string[]): Chart => ({
    title: chartTitle,
    unit: 'MB/s of message',
    log: true,
    bars: groups
      .filter((x) => x.size === 1 << 20 && prefixes.some((p) => x.label.startsWith(p)))
      .flatMap((x) => x.rows.map((r) => ({ label: `${x.label.replace(/, 1 MiB$/, '')} · ${r.name}`, value: (x.size / 1e6) * r.opsPerSec }))),
  });
  const charts = [
    chart('ShangMi at 1 MiB (SM4 encrypt+decrypt or seal+open, SM3 hash)', ['SM4-GCM', 'SM4-CBC', 'SM4-CTR', 'SM3']),
    chart('AEADs and SHA-256 at 1 MiB', ['AES-256-GCM', 'ChaCha20-Poly1305', 'SHA-256']),
  ];
  return { markdown: md, data: { groups, targets, charts } };
}
