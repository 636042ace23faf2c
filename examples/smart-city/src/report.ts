/**
 * The structured report of a scenario run: one entry per step with what was proven (checks), facts (sizes, gas,
 * timings) and the step's wall time; plus a text renderer for the console.
 * @module
 */

/** One verified claim. `ok: false` makes the whole run fail. */
export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail?: string;
}

/** One step of the scenario. */
export interface StepReport {
  readonly id: string;
  readonly title: string;
  /** Wall time of the step in milliseconds. */
  ms: number;
  /** Human-readable facts: what happened, sizes in bytes, gas, timings. */
  readonly facts: string[];
  readonly checks: Check[];
}

/** Collects steps; `step()` times a step and turns an exception into a failed check (the run goes on if it can). */
export class Reporter {
  readonly steps: StepReport[] = [];
  constructor(private readonly log?: (line: string) => void) {}

  /** Runs one step. If `fn` throws, a failed check `step completed` is recorded and the error is rethrown. */
  async step<T>(id: string, title: string, fn: (s: StepHandle) => Promise<T> | T): Promise<T> {
    const report: StepReport = { id, title, ms: 0, facts: [], checks: [] };
    this.steps.push(report);
    const handle = new StepHandle(report);
    const t0 = performance.now();
    try {
      return await fn(handle);
    } catch (e) {
      report.checks.push({ name: 'step completed', ok: false, detail: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
      throw e;
    } finally {
      report.ms = performance.now() - t0;
      this.log?.(formatStep(report, this.steps.length));
    }
  }

  /** True when every check of every step passed (and there is at least one). */
  get ok(): boolean {
    const all = this.steps.flatMap((s) => s.checks);
    return all.length > 0 && all.every((c) => c.ok);
  }
}

/** What a step function records into. */
export class StepHandle {
  constructor(private readonly report: StepReport) {}
  /** Adds a fact line. */
  fact(line: string): void {
    this.report.facts.push(line);
  }
  /** Records a check and returns its outcome. */
  check(name: string, ok: boolean, detail?: string): boolean {
    this.report.checks.push(detail === undefined ? { name, ok } : { name, ok, detail });
    return ok;
  }
}

/** Formats a byte count: `88 603 B (86.5 KiB)`. */
export function bytes(n: number): string {
  const s = `${n.toLocaleString('en-US')} B`;
  return n >= 4096 ? `${s} (${(n / 1024).toFixed(1)} KiB)` : s;
}

/** Formats milliseconds. */
export function ms(x: number): string {
  return x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(1)} ms`;
}

/** Renders one step as text. */
export function formatStep(s: StepReport, index: number): string {
  const lines = [`\n[${index}] ${s.title}  (${ms(s.ms)})`];
  for (const f of s.facts) lines.push(`    ${f}`);
  for (const c of s.checks) lines.push(`  ${c.ok ? '✔' : '✘'} ${c.name}${c.detail ? ` — ${c.detail}` : ''}`);
  return lines.join('\n');
}

/** Renders the closing summary. */
export function formatSummary(steps: readonly StepReport[], totalMs: number): string {
  const checks = steps.flatMap((s) => s.checks);
  const failed = checks.filter((c) => !c.ok);
  const lines = [
    '',
    '─'.repeat(78),
    `${failed.length === 0 ? 'ALL CHECKS PASSED' : 'FAILED'}: ${checks.length - failed.length}/${checks.length} checks in ${steps.length} steps, ${ms(totalMs)}`,
  ];
  for (const s of steps) lines.push(`  ${ms(s.ms).padStart(9)}  ${s.title}`);
  for (const c of failed) lines.push(`  ✘ ${c.name}${c.detail ? ` — ${c.detail}` : ''}`);
  return lines.join('\n');
}
