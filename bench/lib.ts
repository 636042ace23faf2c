/**
 * The bench harness: tinybench runs, medians, ratios measured in the same run, cross-validation of outputs before
 * timing, and writing one section per suite into bench/results/ (RESULTS.md is assembled from the sections).
 */
import { cpus, totalmem } from 'node:os';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Bench } from 'tinybench';
import { derivedCharts } from './charts.js';

/**
 * Where results go: the committed bench/results/ and bench/RESULTS.md only when asked (`pnpm bench --update …` or
 * PRIVKIT_BENCH_UPDATE=1, the lead's quiet runs); otherwise the ignored bench/.out/, so a local run changes no tracked file.
 */
export const updateCommitted = process.argv.includes('--update') || process.env.PRIVKIT_BENCH_UPDATE === '1';
const outRoot = updateCommitted ? new URL('./', import.meta.url) : new URL('./.out/', import.meta.url);
export const resultsDir = new URL('./results/', outRoot).pathname;

/** One thing to time. `fn` runs one operation (of `units` items, e.g. bytes, for throughput). */
export interface Contender {
  name: string;
  fn: () => unknown;
}

export interface Row {
  group: string;
  name: string;
  medianMs: number;
  meanMs: number;
  rmePct: number;
  opsPerSec: number;
  samples: number;
}

/** Throws unless every output equals the first one (bytes compared as hex; other values with JSON). */
export function crossValidate(label: string, outputs: Record<string, unknown>): void {
  const norm = (v: unknown) =>
    v instanceof Uint8Array ? Buffer.from(v).toString('hex') : JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
  const entries = Object.entries(outputs);
  const ref = norm(entries[0]![1]);
  for (const [name, out] of entries) {
    if (norm(out) !== ref) throw new Error(`cross-validation failed for ${label}: ${name} differs from ${entries[0]![0]}`);
  }
}

/** Times the contenders in one tinybench run (interleaved order is tinybench's) and returns a row each. */
export async function measure(group: string, contenders: Contender[], opts: { time?: number; warmupTime?: number } = {}): Promise<Row[]> {
  const bench = new Bench({ time: opts.time ?? 1000, warmupTime: opts.warmupTime ?? 200 });
  for (const c of contenders) bench.add(c.name, c.fn);
  await bench.run();
  return bench.tasks.map((t) => {
    const r = t.result as { state?: string; latency?: { p50: number; mean: number; rme: number; samples?: unknown[] }; error?: unknown };
    if (!r.latency) throw new Error(`${group} / ${t.name} did not complete: ${String(r.error ?? r.state)}`);
    return {
      group,
      name: t.name,
      medianMs: r.latency.p50,
      meanMs: r.latency.mean,
      rmePct: r.latency.rme,
      opsPerSec: 1000 / r.latency.p50,
      samples: (t.result as { latency: { samples?: unknown[] } }).latency.samples?.length ?? 0,
    };
  });
}

/** ratio = speed of `a` relative to `b` (medians from the same run): > 1 means `a` is faster. */
export function ratio(rows: Row[], a: string, b: string): number {
  const ra = rows.find((r) => r.name === a);
  const rb = rows.find((r) => r.name === b);
  if (!ra || !rb) throw new Error(`ratio: missing ${!ra ? a : b}`);
  return rb.medianMs / ra.medianMs;
}

const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(2) : n.toPrecision(3));

/** A markdown table of rows: median, ops/s, optional MB/s for `bytes` per op, ± relative error. */
export function table(rows: Row[], bytes?: number): string {
  const head = bytes ? '| case | median | ops/s | MB/s | ±% |\n| --- | ---: | ---: | ---: | ---: |' : '| case | median | ops/s | ±% |\n| --- | ---: | ---: | ---: |';
  const lines = rows.map((r) => {
    const med = r.medianMs >= 1 ? `${fmt(r.medianMs)} ms` : `${fmt(r.medianMs * 1000)} µs`;
    const mbs = bytes ? ` ${fmt((bytes / 1e6) * r.opsPerSec)} |` : '';
    return `| ${r.name} | ${med} | ${fmt(r.opsPerSec)} |${mbs} ${r.rmePct.toFixed(1)} |`;
  });
  return [head, ...lines].join('\n');
}

/** A target line: `✅`/`❌` with the measured ratio. */
export function target(label: string, measured: number, wanted: number, higherIsBetter = true): string {
  const ok = higherIsBetter ? measured >= wanted : measured <= wanted;
  return `- ${ok ? '✅' : '❌'} ${label}: measured ${measured.toFixed(2)}×, target ${higherIsBetter ? '≥' : '≤'} ${wanted}×`;
}

export function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `Node ${process.version}, ${cpu} × ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${process.platform}/${process.arch}`;
}

/** A horizontal bar chart: one bar per contender, values in `unit` (higher is better unless `lowerIsBetter`). */
export interface Chart {
  title: string;
  unit: string;
  bars: { label: string; value: number }[];
  lowerIsBetter?: boolean;
  /** Logarithmic axis, for values spanning orders of magnitude. */
  log?: boolean;
}

const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Renders a {@link Chart} as a self-contained SVG. */
export function renderChart(c: Chart): string {
  const labelW = 330;
  const barW = 420;
  const rowH = 22;
  const top = 34;
  const h = top + rowH * c.bars.length + 24;
  const max = Math.max(...c.bars.map((b) => b.value), 1e-12);
  const min = Math.min(...c.bars.map((b) => b.value).filter((v) => v > 0), max);
  const scale = (v: number) => {
    if (v <= 0) return 0;
    if (!c.log) return (v / max) * barW;
    const lo = Math.log10(min) - 0.3;
    return ((Math.log10(v) - lo) / (Math.log10(max) - lo)) * barW;
  };
  const fmtv = (v: number) => (v >= 1000 ? v.toLocaleString('en', { maximumFractionDigits: 0 }) : v >= 10 ? v.toFixed(1) : v.toPrecision(3));
  const rows = c.bars
    .map((b, i) => {
      const y = top + i * rowH;
      const w = Math.max(1, scale(b.value));
      const fill = b.label.startsWith('PrivKit') ? '#2b6cb0' : '#a0aec0';
      return `<text x="${labelW - 8}" y="${y + 15}" text-anchor="end">${esc(b.label)}</text><rect x="${labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 6}" fill="${fill}"/><text x="${labelW + w + 6}" y="${y + 15}">${fmtv(b.value)}</text>`;
    })
    .join('');
  const note = `${c.unit}${c.lowerIsBetter ? ' (lower is better)' : ' (higher is better)'}${c.log ? ', log scale' : ''}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${labelW + barW + 120}" height="${h}" font-family="sans-serif" font-size="12"><text x="8" y="20" font-size="14" font-weight="bold">${esc(c.title)}</text><text x="${labelW + barW + 110}" y="20" text-anchor="end" fill="#555">${esc(note)}</text>${rows}</svg>\n`;
}

/** Writes a suite's section (markdown) and raw data (JSON), then reassembles bench/RESULTS.md from every section. */
export function writeSuite(suite: string, title: string, markdown: string, data: unknown): void {
  mkdirSync(resultsDir, { recursive: true });
  const when = new Date().toISOString();
  const charts = ((data as { charts?: Chart[] } | null)?.charts ?? []).map((c, i) => {
    const file = `${suite}-${i + 1}.svg`;
    writeFileSync(`${resultsDir}${file}`, renderChart(c));
    return `![${c.title}](results/${file})`;
  });
  const body = charts.length ? `${charts.join('\n\n')}\n\n${markdown.trim()}` : markdown.trim();
  writeFileSync(`${resultsDir}${suite}.md`, `## ${title}\n\n_Run ${when} on ${machine()}._\n\n${body}\n`);
  writeFileSync(`${resultsDir}${suite}.json`, JSON.stringify({ suite, title, when, machine: machine(), data }, null, 2) + '\n');
  assemble();
}

export function assemble(): void {
  const order = ['ciphers', 'sm2', 'hpke', 'envelope', 'chebyshev', 'attest', 'ring-sig', 'he', 'qr', 'ledger'];
  const files = readdirSync(resultsDir).filter((f) => f.endsWith('.md'));
  files.sort((a, b) => {
    const ia = order.indexOf(a.replace(/\.md$/, ''));
    const ib = order.indexOf(b.replace(/\.md$/, ''));
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });
  const body = files
    .map((f) => {
      const suite = f.replace(/\.md$/, '');
      let md = readFileSync(`${resultsDir}${f}`, 'utf8').trim();
      const derive = derivedCharts[suite];
      if (derive && existsSync(`${resultsDir}${suite}.json`)) {
        try {
          const charts = derive((JSON.parse(readFileSync(`${resultsDir}${suite}.json`, 'utf8')) as { data: unknown }).data);
          const links = charts.map((c, i) => {
            const file = `${suite}-chart-${i + 1}.svg`;
            writeFileSync(`${resultsDir}${file}`, renderChart(c));
            return `![${c.title}](results/${file})`;
          });
          const lines = md.split('\n');
          md = [lines[0], '', ...links, ...lines.slice(1)].join('\n');
        } catch {
          // data of an older shape: no derived chart
        }
      }
      return md;
    })
    .join('\n\n');
  const header =
    '# PrivKit benchmarks\n\nGenerated by `pnpm bench` (tinybench; medians; every ratio compares contenders measured in the same run, ' +
    'after their outputs were cross-checked). Each section names the machine and time of its run; re-run one suite with ' +
    '`pnpm bench <suite>`. Raw data: `bench/results/*.json`.\n';
  writeFileSync(new URL('./RESULTS.md', outRoot), `${header}\n${body}\n`);
}
