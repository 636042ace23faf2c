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
