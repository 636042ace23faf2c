/**
 * Step 3: the aggregator (run by the energy company, no secret key) sums each district's BFV ciphertexts; only
 * bytes pass between the roles: ciphertexts from the stored blocks to the aggregator, the encrypted total from the
 * aggregator to the owner, who decrypts it. The total must equal the plaintext sum computed on the side.
 * @module
 */
import { createAggregationContext, type BfvAggregate } from '@privkit/he';
import { decodeSubmission } from '../block.js';
import { bytes, ms, type StepHandle } from '../report.js';
import { MAX_ABS_READING, type World } from './setup.js';
import { READING_NAMES, type UploadResult } from './upload.js';

/** One district's result. */
export interface DistrictTotal {
  readonly district: string;
  readonly contributions: number;
  /** Decrypted by the owner. */
  readonly values: readonly bigint[];
  /** Computed on the side from what the admitted sensors sent. */
  readonly expected: readonly bigint[];
  readonly exact: boolean;
  readonly totalBytes: number;
  readonly noiseBudgetBits: number;
}

/** Sums every district homomorphically and has the owner decrypt. */
export async function runAggregation(world: World, uploads: UploadResult, s: StepHandle): Promise<DistrictTotal[]> {
  const t0 = performance.now();
  const aggCtx = await createAggregationContext({ maxAbsReading: MAX_ABS_READING });
  s.fact(`aggregator context (no keys) ready in ${ms(performance.now() - t0)}`);
  const aggregator = aggCtx.aggregator();
  const out: DistrictTotal[] = [];
  try {
    for (const district of world.districts) {
      const blocks = uploads.blocks.get(district) ?? [];
      // Aggregator: deserialize the ciphertexts carried by the stored blocks, sum, serialize the total.
      let t = performance.now();
      const cts = blocks.map((b) => aggCtx.deserialize(decodeSubmission(b.block).ciphertext, 'ciphertext'));
      const total = aggregator.sum(cts);
      const totalBytes = total.serialize();
      total.dispose();
      cts.forEach((c) => c.dispose());
      const aggMs = performance.now() - t;
      // Owner: deserialize the total in its own context as an aggregate (a 'ciphertext' is a device upload, whose metadata is reset) and decrypt.
      t = performance.now();
      const received = world.transport.heContext.deserialize(totalBytes, 'aggregate');
      const result = world.transport.heOwner.decrypt(received) as BfvAggregate;
      received.dispose();
      const decMs = performance.now() - t;
      // The side computation: what the admitted sensors of this district actually sent in this epoch.
      const admitted = uploads.outcomes.filter((o) => o.kind === 'first' && o.district === district && o.outcome === 'stored');
      const expected = READING_NAMES.map((_, i) => admitted.reduce((acc, o) => acc + BigInt(o.readings[i]!), 0n));
      const values = result.values.slice(0, READING_NAMES.length);
      const exact = result.count === admitted.length && values.length === expected.length && values.every((v, i) => v === expected[i]);
      out.push({ district, contributions: result.count, values, expected, exact, totalBytes: totalBytes.length, noiseBudgetBits: result.noiseBudget });
      s.fact(`${district}: ${blocks.length} ciphertexts summed in ${ms(aggMs)} → encrypted total ${bytes(totalBytes.length)}; owner decrypts in ${ms(decMs)} (noise budget left ${result.noiseBudget} bits)`);
      s.fact(`  ${READING_NAMES.map((n, i) => `${n} = ${values[i]}`).join(', ')}`);
      s.check(`${district}: decrypted HE total equals the plaintext sum of the ${admitted.length} admitted sensors`, exact, `expected ${expected.join('/')}`);
    }
  } finally {
    aggregator.dispose();
    aggCtx.dispose();
  }
  s.check('the refused sensor and the duplicate are not in any total', out.reduce((a, d) => a + d.contributions, 0) === uploads.outcomes.filter((o) => o.kind === 'first' && o.outcome === 'stored').length);
  return out;
}
