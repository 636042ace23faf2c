/** The README error table agrees with the code (docs/CONVENTIONS.md, "Errors"); malformed CIDs are EncodingErrors. */
import { mkdtemp, rm } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { EncodingError, PrivkitError } from '@privkit/core';
import { packageErrorTableProblems } from '@privkit/core/testing';
import * as entry from '@privkit/storage';

it('README error table lists every code and error class of @privkit/storage, and nothing else', () => {
  const packagesDir = fileURLToPath(new URL('../..', import.meta.url));
  const fs = { readFileSync, readdirSync } as never;
  expect(packageErrorTableProblems({ packagesDir, pkg: 'storage', deps: ['ledger'], entry, base: PrivkitError, fs })).toEqual([]);
});

it('a malformed CID is an EncodingError with code STORAGE_INVALID_CID (issue #16); other failures stay StorageErrors', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'privkit-errors-'));
  const store = await entry.createDirectoryStorage({ directory: dir });
  try {
    for (const bad of ['not-a-cid', '../../etc/passwd', 'bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy' /* dag-cbor */]) {
      const e = await store.get(bad).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e, bad).toBeInstanceOf(EncodingError);
      expect(e, bad).toBeInstanceOf(entry.StorageFormatError);
      expect(e, bad).toMatchObject({ code: 'STORAGE_INVALID_CID' });
    }
    const { cid } = await store.put(new Uint8Array([1, 2, 3]));
    await store.close();
    const closed = await store.get(cid).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(closed).toBeInstanceOf(entry.StorageError);
    expect(closed).not.toBeInstanceOf(EncodingError);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});
