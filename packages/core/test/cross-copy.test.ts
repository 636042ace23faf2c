/**
 * Error recognition across two copies of @privkit/core (docs/ARCHITECTURE.md, "Errors"): an application that ends up
 * with an ESM and a CJS copy (or two bundles) must still catch `instanceof DecryptError`. Two copies are made from
 * the sources (vite loads `errors.ts?copy` as a separate module instance) and, when `pnpm build` has run (CI builds
 * before testing), from the built `dist/index.js` (ESM) and `dist/index.cjs` (CJS).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as A from '../src/errors.js';

type ErrorsModule = typeof A;

function checkTwoCopies(a: ErrorsModule, b: ErrorsModule): void {
  expect(a.DecryptError).not.toBe(b.DecryptError); // really two copies
  class OpenErrorB extends b.DecryptError<'ENVELOPE_AUTH_FAILED'> {
    override name = 'OpenError' as const;
    constructor(m = 'open failed', o: A.ErrorOptions<'ENVELOPE_AUTH_FAILED'> = {}) {
      super(m, { ...o, code: 'ENVELOPE_AUTH_FAILED' });
    }
  }
  const fromB = [new b.DecryptError(), new OpenErrorB(), new b.InputError('x', { code: 'INVALID_TYPE' })];
  // a failed decryption of copy B is a DecryptError and a PrivkitError of copy A, and nothing else
  expect(fromB[0]).toBeInstanceOf(a.DecryptError);
  expect(fromB[0]).toBeInstanceOf(a.PrivkitError);
  expect(fromB[0] instanceof a.InputError).toBe(false);
  expect(fromB[0] instanceof a.EncodingError).toBe(false);
  // a subclass defined on copy B (envelope's OpenError built against B) is a DecryptError of copy A
  expect(fromB[1]).toBeInstanceOf(a.DecryptError);
  expect(fromB[1] instanceof a.LimitError).toBe(false);
  expect(fromB[2]).toBeInstanceOf(a.InputError);
  expect(fromB[2] instanceof a.DecryptError).toBe(false);
  // and the other way round
  expect(new a.EncodingError('x')).toBeInstanceOf(b.EncodingError);
  expect(new a.EncodingError('x') instanceof b.KeyError).toBe(false);
  for (const e of fromB) expect(a.isPrivkitError(e)).toBe(true);
}

describe('instanceof across copies of core', () => {
  it('two module instances of the sources', async () => {
    const copy = '../src/errors.ts?copy';
    const B = (await import(/* @vite-ignore */ copy)) as ErrorsModule;
    checkTwoCopies(A, B);
  });

  it('non-errors and look-alikes without the brand are not instances; same-copy semantics are unchanged', () => {
    const look = { name: 'DecryptError', code: 'DECRYPT_FAILED', shortMessage: 'decryption failed' };
    expect(look instanceof A.DecryptError).toBe(false);
    expect(new TypeError('x') instanceof A.PrivkitError).toBe(false);
    for (const v of [null, undefined, 1, 'DecryptError', Symbol.for('privkit.error')] as unknown[]) expect((v as object) instanceof A.PrivkitError).toBe(false);
    expect(new A.KeyError('x') instanceof A.InputError).toBe(false);
    expect(new A.KeyError('x')).toBeInstanceOf(A.KeyError);
    class Sub extends A.InputError {}
    expect(new Sub('x')).toBeInstanceOf(A.InputError);
    expect(new A.InputError('x') instanceof Sub).toBe(false); // same copy: the prototype chain decides
  });

  const dist = fileURLToPath(new URL('../dist/', import.meta.url));
  const built = existsSync(`${dist}index.js`) && existsSync(`${dist}index.cjs`);
  // Needs `pnpm build` (tsup); .ci/run builds before it tests. Without a build there is no ESM/CJS pair to compare.
  it.skipIf(!built)('the built ESM and CJS copies (dist/index.js, dist/index.cjs) recognise each other', async () => {
    const esm = (await import(/* @vite-ignore */ pathToFileURL(`${dist}index.js`).href)) as typeof import('../src/index.js');
    const cjs = createRequire(import.meta.url)(`${dist}index.cjs`) as typeof import('../src/index.js');
    checkTwoCopies(esm, cjs);
    checkTwoCopies(cjs, esm);
    // a real failure thrown by the CJS copy, caught with the ESM copy's classes
    const aead = cjs.getAead('aes-256-gcm');
    let caught: unknown;
    try {
      aead.open(new Uint8Array(32), new Uint8Array(12), new Uint8Array(16));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(esm.DecryptError);
    expect(caught).toBeInstanceOf(esm.PrivkitError);
    expect(caught instanceof esm.InputError).toBe(false);
  });
});
