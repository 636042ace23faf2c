/** The README error table agrees with the code (docs/CONVENTIONS.md, "Errors"). */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { PrivkitError } from '@privkit/core';
import { packageErrorTableProblems } from '@privkit/core/testing';
import * as entry from '@privkit/he';

it('README error table lists every code and error class of @privkit/he, and nothing else', () => {
  const packagesDir = fileURLToPath(new URL('../..', import.meta.url));
  const fs = { readFileSync, readdirSync } as never;
  expect(packageErrorTableProblems({ packagesDir, pkg: 'he', deps: [], entry, base: PrivkitError, fs })).toEqual([]);
});

it('every malformed encoding is an EncodingError with its stable code (issue #16): truncated and garbage serializations', async () => {
  const { EncodingError } = await import('@privkit/core');
  const ctx = await entry.createAggregationContext({ preset: 'bfv-4096' });
  try {
    const owner = ctx.keygen();
    const ct = ctx.device(owner.publicKey).encrypt([1, 2, 3]).serialize();
    for (const [what, bytes] of [
      ['truncated ciphertext', ct.subarray(0, 40)],
      ['garbage', new Uint8Array(64).fill(0xab)],
      ['public key read as a ciphertext', owner.publicKey.serialize()],
    ] as const) {
      let caught: unknown;
      try {
        ctx.deserialize(bytes, 'ciphertext');
      } catch (e) {
        caught = e;
      }
      expect(caught, what).toBeInstanceOf(EncodingError);
      expect(caught, what).toBeInstanceOf(entry.HeFormatError);
      expect(caught, what).toMatchObject({ code: 'HE_INVALID_ENCODING' });
    }
  } finally {
    ctx.dispose();
  }
}, 120_000);
