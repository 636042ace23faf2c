import { describe, expect, it } from 'vitest';
import { formatSummary, Reporter } from '../src/report.js';

describe('Reporter (what decides the exit code)', () => {
  it('is ok only when every check passed', async () => {
    const r = new Reporter();
    expect(r.ok).toBe(false); // no checks at all is not a pass
    await r.step('a', 'A', (s) => s.check('fine', true));
    expect(r.ok).toBe(true);
    await r.step('b', 'B', (s) => {
      s.fact('x = 1');
      s.check('broken', false, 'why');
    });
    expect(r.ok).toBe(false);
    expect(formatSummary(r.steps, 1)).toContain('FAILED: 1/2 checks');
    expect(formatSummary(r.steps, 1)).toContain('✘ broken — why');
  });

  it('a step that throws is recorded as a failed check and rethrown', async () => {
    const lines: string[] = [];
    const r = new Reporter((l) => lines.push(l));
    await expect(r.step('c', 'C', () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(r.ok).toBe(false);
    expect(r.steps[0]!.checks).toEqual([{ name: 'step completed', ok: false, detail: 'Error: boom' }]);
    expect(lines.join('\n')).toContain('✘ step completed — Error: boom');
  });
});
