import { describe, expect, it } from 'vitest';
import { CHEBYSHEV_PARAMS } from '../src/chebyshev-params.js';
import { checkParams, deriveParams, piFloor } from '../scripts/chebyshev-params.js';

describe('chebyshev parameters re-derive and check (scripts/chebyshev-params.ts)', () => {
  it('π is computed correctly (first hex digits 3.243f6a8885a308d3…)', () => {
    expect(piFloor(64).toString(16)).toBe('3243f6a8885a308d3');
  });

  for (const id of ['chebyshev-3072', 'chebyshev-2048'] as const) {
    it(`${id}: the derivation from π and SHAKE-256 reproduces the frozen constants`, () => {
      const d = deriveParams(id);
      const P = CHEBYSHEV_PARAMS[id];
      expect(d.p).toBe(P.p);
      expect(d.q).toBe(P.q);
      expect(d.alpha).toBe(P.alpha);
      expect(d.x).toBe(P.x);
      expect(d.generatorCounter).toBe(P.generatorCounter);
    });

    it(`${id}: primality, p − 1 = 2q, generator of order q, residue case`, () => {
      const results = checkParams(CHEBYSHEV_PARAMS[id], 3);
      expect(results.length).toBeGreaterThanOrEqual(14);
      for (const r of results) expect(r.ok, r.name).toBe(true);
    });
  }

  it('the checks do catch a wrong constant', () => {
    const P = CHEBYSHEV_PARAMS['chebyshev-2048'];
    const bad = checkParams({ ...P, x: P.x + 1n }, 0, false);
    expect(bad.filter((r) => !r.ok).map((r) => r.name)).toContain('2x = α + α⁻¹');
    const badAlpha = checkParams({ ...P, alpha: P.p - 2n }, 0, false);
    expect(badAlpha.find((r) => r.name.startsWith('α^q = 1'))?.ok).toBe(false);
  });
});
