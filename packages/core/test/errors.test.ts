/** The README error table agrees with the code (docs/CONVENTIONS.md, "Errors"). */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { PrivkitError } from '@privkit/core';
import { packageErrorTableProblems } from '@privkit/core/testing';
import * as entry from '@privkit/core';

it('README error table lists every code and error class of @privkit/core, and nothing else', () => {
  const packagesDir = fileURLToPath(new URL('../..', import.meta.url));
  const fs = { readFileSync, readdirSync } as never;
  expect(packageErrorTableProblems({ packagesDir, pkg: 'core', deps: [], entry, base: PrivkitError, fs })).toEqual([]);
});

it('the table check finds undocumented codes, unknown codes and undocumented classes', async () => {
  const { errorTableProblems, sourceErrorCodes } = await import('@privkit/core/testing');
  class ProbeError extends PrivkitError {
    constructor(m: string) {
      super(m, { code: 'PROBE_DEFAULT' });
    }
  }
  const readme = '## Errors\n\n| class | code |\n| --- | --- |\n| `ProbeError` | `PROBE_OTHER` |\n| `GhostError` | `GHOST_CODE` |\n';
  const own = sourceErrorCodes("export type C = 'PROBE_DEFAULT' | 'PROBE_OTHER' | 'PROBE_MISSING';");
  const problems = errorTableProblems({ readme, ownCodes: own, inheritedCodes: new Set(), entry: { ProbeError, Hidden: ProbeError }, base: PrivkitError });
  expect(problems).toEqual([
    'code PROBE_DEFAULT is defined in src but not in the README table',
    'code PROBE_MISSING is defined in src but not in the README table',
    'README documents GHOST_CODE, which no source defines',
    "ProbeError's default code PROBE_DEFAULT is not in a README row naming ProbeError",
    'exported error class Hidden is not in the README table',
  ]);
});

it('one constructor shape: new X(shortMessage, { code, cause, details }) on every core class', () => {
  const cause = new Error('inner');
  for (const C of [entry.InputError, entry.EncodingError, entry.KeyError, entry.UnsupportedError, entry.DecryptError, entry.LimitError]) {
    const e = new C('short', { cause, details: 'more' });
    expect(e).toBeInstanceOf(PrivkitError);
    expect(e.shortMessage).toBe('short');
    expect(e.message).toBe('short\n\nDetails: more');
    expect(e.cause).toBe(cause);
    expect(e.walk()).toBe(cause);
  }
  expect(new entry.DecryptError()).toMatchObject({ code: 'DECRYPT_FAILED', shortMessage: 'decryption failed' });
  expect(new entry.InputError('x', { code: 'INVALID_UNICODE' }).code).toBe('INVALID_UNICODE');
});

it('the hierarchy check finds format codes outside EncodingError and README bases that do not hold (issue #16)', async () => {
  const { errorHierarchyProblems } = await import('@privkit/core/testing');
  class FrameError extends PrivkitError<'X_FRAME_INVALID' | 'X_INCOMPLETE'> {
    override name = 'FrameError';
  }
  class UploadError extends PrivkitError<'X_MALFORMED'> {
    override name = 'UploadError';
  }
  class GoodFormatError extends entry.EncodingError<'X_BAD_TEXT'> {
    override name = 'GoodFormatError';
  }
  class SilentFormatError extends entry.EncodingError<'X_SILENT'> {
    override name = 'SilentFormatError';
  }
  class OpenError extends entry.DecryptError<'X_OPEN'> {
    override name = 'OpenError';
  }
  const readme = [
    '## Errors',
    '',
    '| class | code | when |',
    '| --- | --- | --- |',
    '| `FrameError` | `X_FRAME_INVALID` | a corrupt frame |',
    '| | `X_INCOMPLETE` | not enough frames |',
    '| `UploadError` (a core `EncodingError`) | `X_MALFORMED` | upload messages |',
    '| `GoodFormatError` (a core `EncodingError`) | `X_BAD_TEXT` | malformed text |',
    '| `SilentFormatError` | `X_SILENT` | bad bytes |',
    '| `OpenError` (a core `DecryptError`) | `X_OPEN` | wrong key, malformed or tampered ciphertext |',
    '| core `KeyError` | `INVALID_KEY` | malformed keys |',
    '| (reused) | `X_MALFORMED` | another function |',
    '',
  ].join('\n');
  const problems = errorHierarchyProblems(readme, { FrameError, UploadError, GoodFormatError, SilentFormatError, OpenError, KeyError: entry.KeyError });
  expect(problems).toEqual([
    'README row X_FRAME_INVALID describes a malformed input, but FrameError is not an EncodingError',
    'README names EncodingError as a base of UploadError, but UploadError does not extend it',
    'README row X_MALFORMED describes a malformed input, but UploadError is not an EncodingError',
    'SilentFormatError extends EncodingError, but its README row does not say so (write "(a core `EncodingError`)")',
  ]);
  // the same README with the classes fixed has no problems
  class FrameFormatError extends entry.EncodingError<'X_FRAME_INVALID'> {
    override name = 'FrameFormatError';
  }
  const fixed = readme
    .replace('| `FrameError` | `X_FRAME_INVALID` | a corrupt frame |\n| | `X_INCOMPLETE`', '| `FrameFormatError` (a core `EncodingError`) | `X_FRAME_INVALID` | a corrupt frame |\n| `FrameError` | `X_INCOMPLETE`')
    .replace('`SilentFormatError` |', '`SilentFormatError` (an `EncodingError`) |');
  class UploadFormatError extends entry.EncodingError<'X_MALFORMED'> {
    override name = 'UploadError';
  }
  expect(errorHierarchyProblems(fixed, { FrameError, FrameFormatError, UploadError: UploadFormatError, GoodFormatError, SilentFormatError, OpenError })).toEqual([]);
});
