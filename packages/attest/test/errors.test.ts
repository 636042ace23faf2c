/** The README error table agrees with the code (docs/CONVENTIONS.md, "Errors"). */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { PrivkitError } from '@privkit/core';
import { packageErrorTableProblems } from '@privkit/core/testing';
import * as entry from '@privkit/attest';

it('README error table lists every code and error class of @privkit/attest, and nothing else', () => {
  const packagesDir = fileURLToPath(new URL('../..', import.meta.url));
  const fs = { readFileSync, readdirSync } as never;
  expect(packageErrorTableProblems({ packagesDir, pkg: 'attest', deps: ['envelope'], entry, base: PrivkitError, fs })).toEqual([]);
});

it('… and the error classes of the /tpm entry (TpmFrameError a core EncodingError)', async () => {
  const packagesDir = fileURLToPath(new URL('../..', import.meta.url));
  const fs = { readFileSync, readdirSync } as never;
  const tpm = await import('@privkit/attest/tpm');
  const both = { ...entry, ...tpm };
  expect(packageErrorTableProblems({ packagesDir, pkg: 'attest', deps: ['envelope'], entry: both, base: PrivkitError, fs })).toEqual([]);
});

it('hierarchy: a malformed TPMS_ATTEST is a TpmEncodingError and an EncodingError', async () => {
  const { EncodingError } = await import('@privkit/core');
  expect(() => entry.parseTpmsAttest(new Uint8Array(8))).toThrow(entry.TpmEncodingError);
  expect(() => entry.parseTpmsAttest(new Uint8Array(8))).toThrow(EncodingError);
});

it('every malformed encoding is an EncodingError with its stable code (issue #16): TPM structures, upload messages', async () => {
  const { EncodingError } = await import('@privkit/core');
  const cases: [string, () => unknown, string][] = [
    ['TPMS_ATTEST', () => entry.parseTpmsAttest(new Uint8Array(8)), 'TPM_MALFORMED'],
    ['upload challenge', () => entry.parseUploadChallenge(new Uint8Array(8)), 'UPLOAD_MALFORMED'],
    ['upload challenge with a short nonce', () => entry.parseUploadChallenge(entry.encodeUploadChallenge(new Uint8Array(32)).subarray(0, 20)), 'UPLOAD_MALFORMED'],
  ];
  for (const [what, f, code] of cases) {
    expect(f, what).toThrow(EncodingError);
    expect(f, what).toThrow(expect.objectContaining({ code }));
  }
  expect(() => entry.parseUploadChallenge(new Uint8Array(8))).toThrow(entry.UploadFormatError);
  expect(new entry.UploadError('x', { code: 'UPLOAD_RESPONSE_INVALID' })).not.toBeInstanceOf(EncodingError);
});
