/** The README error table agrees with the code (docs/CONVENTIONS.md, "Errors"). */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { PrivkitError } from '@privkit/core';
import { packageErrorTableProblems } from '@privkit/core/testing';
import * as entry from '@privkit/envelope';

it('README error table lists every code and error class of @privkit/envelope, and nothing else', () => {
  const packagesDir = fileURLToPath(new URL('../..', import.meta.url));
  const fs = { readFileSync, readdirSync } as never;
  expect(packageErrorTableProblems({ packagesDir, pkg: 'envelope', deps: [], entry, base: PrivkitError, fs })).toEqual([]);
});

it('hierarchy: a failed open is a DecryptError, a malformed header an EncodingError', async () => {
  const { DecryptError, EncodingError } = await import('@privkit/core');
  const r = entry.hpke.suite(0x20, 1, 1).kem.generateKeyPair();
  const env = entry.seal(new Uint8Array([1, 2, 3]), [r.publicKey]);
  env[env.length - 1]! ^= 1;
  const opened = (() => {
    try {
      return entry.open(env, r.secretKey);
    } catch (e) {
      return e;
    }
  })();
  expect(opened).toBeInstanceOf(entry.OpenError);
  expect(opened).toBeInstanceOf(DecryptError);
  expect(opened).toMatchObject({ name: 'OpenError', code: 'ENVELOPE_AUTH_FAILED', shortMessage: 'open failed' });
  expect(() => entry.inspect(new Uint8Array(3))).toThrow(EncodingError);
  expect(new entry.MessageLimitError()).toMatchObject({ code: 'HPKE_MESSAGE_LIMIT' });
});
