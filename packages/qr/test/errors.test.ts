/** The README error table agrees with the code (docs/CONVENTIONS.md, "Errors"). */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { PrivkitError } from '@privkit/core';
import { packageErrorTableProblems } from '@privkit/core/testing';
import * as entry from '@privkit/qr';

it('README error table lists every code and error class of @privkit/qr, and nothing else', () => {
  const packagesDir = fileURLToPath(new URL('../..', import.meta.url));
  const fs = { readFileSync, readdirSync } as never;
  expect(packageErrorTableProblems({ packagesDir, pkg: 'qr', deps: ['envelope'], entry, base: PrivkitError, fs })).toEqual([]);
});

it('hierarchy: a wrong passphrase is a DecryptError, a malformed payload an EncodingError', async () => {
  const { DecryptError, EncodingError } = await import('@privkit/core');
  const kdf = { m: 8, t: 1, p: 1 } as const;
  const payload = entry.encodeSecret({ secret: new Uint8Array(32).fill(7), passphrase: 'right', kdf });
  const err = (() => {
    try {
      return entry.openSecret(payload, { passphrase: 'wrong' });
    } catch (e) {
      return e;
    }
  })();
  expect(err).toBeInstanceOf(entry.QrOpenError);
  expect(err).toBeInstanceOf(DecryptError);
  expect(err).toMatchObject({ code: 'QR_OPEN_FAILED' });
  expect(() => entry.decodePayload(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]))).toThrow(EncodingError);
  expect(() => entry.decodePayload(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]))).toThrow(entry.QrFormatError);
});

it('every malformed encoding is an EncodingError with its stable code (issue #16): payloads, frames, PNG images', async () => {
  const { EncodingError } = await import('@privkit/core');
  const cases: [string, () => unknown, string, new (...a: never[]) => Error][] = [
    ['truncated payload', () => entry.decodePayload(entry.encodeSecret({ secret: new Uint8Array(32).fill(7), passphrase: 'p', kdf: { m: 8, t: 1, p: 1 } }).subarray(0, 6)), 'QR_CHECKSUM', entry.QrFormatError],
    ['UR frame with bad bytewords', () => entry.createAssembler().receive('UR:PRIVKIT-QR/1-3/ZZZZ'), 'QR_FRAME_INVALID', entry.QrFrameFormatError],
    ['single-part payload given as a frame', () => entry.createAssembler().receive(entry.toQr(entry.encodeSecret({ secret: new Uint8Array(32).fill(7), passphrase: 'p', kdf: { m: 8, t: 1, p: 1 } }))[0]!.content as string), 'QR_FRAME_INVALID', entry.QrFrameFormatError],
    ['PNG with a bad signature', () => entry.decodePng(new Uint8Array(64).fill(7)), 'QR_IMAGE_INVALID', entry.QrImageFormatError],
  ];
  for (const [what, f, code, cls] of cases) {
    expect(f, what).toThrow(EncodingError);
    expect(f, what).toThrow(cls);
    expect(f, what).toThrow(expect.objectContaining({ code }));
  }
  // the codes that are not malformed encodings stay on their classes
  expect(new entry.QrFrameError('x', { code: 'QR_INCOMPLETE' })).not.toBeInstanceOf(EncodingError);
  expect(new entry.QrImageError('x', { code: 'QR_NOT_FOUND' })).not.toBeInstanceOf(EncodingError);
});
