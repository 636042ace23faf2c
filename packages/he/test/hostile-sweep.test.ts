/**
 * The shared reflective sweep of @privkit/core/testing over every export of @privkit/he (the package's own
 * per-argument hostile tests, with otherwise-valid contexts and ciphertexts, live next to the features they test).
 */
import { describe, expect, it } from 'vitest';
import { assertHostileSweep } from '@privkit/core/testing';
import * as entry from '@privkit/he';

describe('reflective hostile sweep: @privkit/he', () => {
  it('every export throws only typed PrivkitErrors', async () => {
    const created: { dispose(): void }[] = [];
    // A hostile value that happens to be valid options (undefined, {}) creates a real context: dispose it.
    const mod = {
      ...entry,
      createAggregationContext: async (...args: unknown[]) => {
        const ctx = await (entry.createAggregationContext as (...a: unknown[]) => Promise<{ dispose(): void }>)(...args);
        created.push(ctx);
        return ctx;
      },
    };
    try {
      const r = await assertHostileSweep(mod, { timeoutMs: 60_000 });
      expect(r.called).toContain('createAggregationContext');
    } finally {
      for (const c of created) c.dispose();
    }
  }, 600_000);
});
