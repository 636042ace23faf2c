/** The README error table agrees with the code (docs/CONVENTIONS.md, "Errors"). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { PrivkitError } from '@privkit/core';
import { packageErrorTableProblems } from '@privkit/core/testing';
import * as entry from '@privkit/ledger';

it('README error table lists every code and error class of @privkit/ledger, and nothing else', () => {
  const packagesDir = fileURLToPath(new URL('../..', import.meta.url));
  const fs = { readFileSync, readdirSync } as never;
  expect(packageErrorTableProblems({ packagesDir, pkg: 'ledger', deps: ['envelope', 'attest'], entry, base: PrivkitError, fs })).toEqual([]);
});

it('every malformed encoding is an EncodingError with its stable code (issue #16): records, proofs, CIDs, device proofs', async () => {
  const { EncodingError } = await import('@privkit/core');
  const cases: [string, () => unknown, string][] = [
    ['Merkle proof', () => entry.decodeMerkleProof(new Uint8Array(3)), 'LEDGER_PROOF_INVALID'],
    ['integrity record', () => entry.decodeRecordData(new Uint8Array(5)), 'LEDGER_INVALID_RECORD'],
    ['quote proof', () => entry.decodeQuoteProof(new Uint8Array(1)), 'LEDGER_INVALID_RECORD'],
    ['device proof', () => entry.decodeDeviceProof(new Uint8Array(3)), 'LEDGER_INVALID_RECORD'],
    ['CID', () => entry.parseContentCid('not-a-cid'), 'LEDGER_INVALID_RECORD'],
  ];
  for (const [what, f, code] of cases) {
    expect(f, what).toThrow(EncodingError);
    expect(f, what).toThrow(entry.LedgerFormatError);
    expect(f, what).toThrow(expect.objectContaining({ code }));
  }
  expect(new entry.LedgerError('x', { code: 'LEDGER_NOT_FOUND' })).not.toBeInstanceOf(EncodingError);
});

// Across copies (docs/ARCHITECTURE.md, "Errors"): the built CJS copy of the package (with its own CJS copy of core)
// throws a LedgerFormatError that this (source, ESM) copy of core recognises as an EncodingError, and its LedgerError
// as no EncodingError. Needs `pnpm build` (.ci/run builds before it tests).
const dist = fileURLToPath(new URL('../dist/index.cjs', import.meta.url));
it.skipIf(!existsSync(dist))('a LedgerFormatError from the built CJS copy is an EncodingError of this copy of core', async () => {
  const { EncodingError, isPrivkitError } = await import('@privkit/core');
  const cjs = createRequire(import.meta.url)(dist) as typeof entry;
  expect(cjs.LedgerFormatError).not.toBe(entry.LedgerFormatError); // really another copy
  let caught: unknown;
  try {
    cjs.decodeMerkleProof(new Uint8Array(3));
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(EncodingError);
  expect(caught).toBeInstanceOf(entry.LedgerFormatError);
  expect(isPrivkitError(caught, 'LEDGER_PROOF_INVALID')).toBe(true);
  expect(new cjs.LedgerError('x', { code: 'LEDGER_NOT_FOUND' }) instanceof EncodingError).toBe(false);
});
