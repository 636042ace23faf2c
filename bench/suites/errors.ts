/**
 * "Error recognition": the cost of `instanceof` on PrivKit errors now that `PrivkitError` has a static
 * `Symbol.hasInstance` (recognition across copies of @privkit/core, docs/ARCHITECTURE.md "Errors"), against the plain
 * prototype-chain check it replaces. Each operation is 1,000 checks. Two copies of core's errors module: the ESM
 * import and a CommonJS `require` of the same source (tsx loads them as separate module instances).
 */
import { createRequire } from 'node:module';
import * as A from '../../packages/core/src/errors.js';
import { crossValidate, measure, table } from '../lib.js';

export const title = 'Error recognition (instanceof across copies)';

const N = 1000;
const plain = Function.prototype[Symbol.hasInstance];

export async function run(): Promise<{ markdown: string; data: unknown }> {
  const B = createRequire(import.meta.url)('../../packages/core/src/errors.ts') as typeof A;
  if (B.DecryptError === A.DecryptError) throw new Error('expected two copies of the errors module');
  const sameHit = new A.DecryptError();
  const sameMiss = new A.KeyError('x');
  const foreign = new TypeError('x');
  const crossHit = new B.DecryptError();
  const crossMiss = new B.KeyError('x');
  crossValidate('instanceof answers', {
    expected: [true, false, false, true, false, true],
    got: [
      sameHit instanceof A.DecryptError,
      sameMiss instanceof A.InputError,
      foreign instanceof A.PrivkitError,
      crossHit instanceof A.DecryptError,
      crossMiss instanceof A.InputError,
      plain.call(A.DecryptError, sameHit),
    ],
  });
  const loop = (v: unknown, C: unknown, f: (C: unknown, v: unknown) => boolean) => () => {
    let n = 0;
    for (let i = 0; i < N; i++) if (f(C, v)) n++;
    return n;
  };
  const io = (C: unknown, v: unknown) => v instanceof (C as typeof A.PrivkitError);
  const proto = (C: unknown, v: unknown) => plain.call(C as typeof A.PrivkitError, v);
  const rows = await measure('instanceof ×1000', [
    { name: 'prototype chain only (before), hit', fn: loop(sameHit, A.DecryptError, proto) },
    { name: 'instanceof, same copy, hit', fn: loop(sameHit, A.DecryptError, io) },
    { name: 'instanceof, same copy, PrivkitError miss', fn: loop(sameMiss, A.InputError, io) },
    { name: 'instanceof, TypeError miss', fn: loop(foreign, A.PrivkitError, io) },
    { name: 'instanceof, other copy, hit', fn: loop(crossHit, A.DecryptError, io) },
    { name: 'instanceof, other copy, miss', fn: loop(crossMiss, A.InputError, io) },
  ]);
  return { markdown: table(rows), data: rows };
}
