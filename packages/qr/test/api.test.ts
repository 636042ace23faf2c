import * as Q from '@privkit/qr';
import * as T from '@privkit/qr/testing';
import { describe, expect, it } from 'vitest';

describe('API lock', () => {
  it('index exports', () => {
    expect(Object.keys(Q).sort()).toEqual([
      'BASE45_ALPHABET', 'DEFAULT_FRAGMENT_LENGTH', 'DEFAULT_MAX_ITERATION_EXPONENT', 'DEFAULT_MAX_MEMORY_KIB', 'DEFAULT_MAX_MESSAGE_LENGTH',
      'DEFAULT_MAX_PIXELS', 'DEFAULT_MAX_SEQUENCES', 'DEFAULT_MAX_SEQ_LENGTH', 'DEFAULT_MAX_VERSION', 'ECC_LEVELS',
      'FINGERPRINT_WIRE_LENGTH', 'GROUP_ID_LENGTH', 'KEY_CARD_SUITES', 'KEY_TYPES', 'MAX_SECRET_LENGTH',
      'PASSPHRASE_DEFAULTS', 'PAYLOAD_TYPES', 'QrFormatError', 'QrFrameError', 'QrFrameFormatError', 'QrImageError',
      'QrImageFormatError', 'QrOpenError',
      'SALT_LENGTH', 'SECRET_AEADS', 'SECRET_KINDS', 'SHARE_CHECK_LENGTH', 'ShareError', 'URI_SCHEME', 'UR_TYPE',
      'base45Decode', 'base45Encode', 'combineShares', 'createAssembler', 'decodePayload', 'decodePng',
      'decodeQrContent', 'decodeQrImage', 'encodeKeyCard', 'encodeSecret', 'keyFingerprint', 'openSecret',
      'payloadToText', 'renderPixels', 'renderPng', 'renderSvg', 'renderTerminal', 'slip39Combine', 'slip39Split',
      'slip39ToQr', 'splitSecret', 'textToPayload',
      'toQr',
    ]);
  });
  it('testing exports', () => {
    expect(Object.keys(T).sort()).toEqual([
      'arbKeyCardInput', 'arbLabel', 'arbPassphrase', 'arbPublicKey', 'arbSecret', 'arbSecretMeta', 'arbSplitOptions',
      'arbSuite', 'arbTamperedPayload',
    ]);
  });
});

describe('frozen parameters', () => {
  it('every exported constant object is deeply frozen', () => {
    const deep = (o: unknown, path: string): void => {
      if (typeof o !== 'object' || o === null) return;
      expect(Object.isFrozen(o), path).toBe(true);
      for (const [k, v] of Object.entries(o)) deep(v, `${path}.${k}`);
    };
    for (const name of ['ECC_LEVELS', 'KEY_CARD_SUITES', 'KEY_TYPES', 'PASSPHRASE_DEFAULTS', 'PAYLOAD_TYPES', 'SECRET_AEADS', 'SECRET_KINDS'] as const) {
      deep(Q[name], name);
    }
  });
  it('constants have their documented values', () => {
    expect(Q.PASSPHRASE_DEFAULTS).toEqual({ m: 65536, t: 2, p: 1, aead: 'chacha20-poly1305' });
    expect(Q.PAYLOAD_TYPES).toEqual({ keyCard: 1, passphraseSecret: 2, envelopeSecret: 3, share: 4 });
    expect([Q.SALT_LENGTH, Q.GROUP_ID_LENGTH, Q.SHARE_CHECK_LENGTH, Q.FINGERPRINT_WIRE_LENGTH]).toEqual([16, 4, 8, 8]);
    expect(Q.UR_TYPE).toBe('privkit-qr');
    expect(Q.URI_SCHEME).toBe('privkit');
  });
  it('errors have literal names and stable codes', () => {
    expect(new Q.QrOpenError()).toMatchObject({ name: 'QrOpenError', code: 'QR_OPEN_FAILED' });
    expect(new Q.QrFormatError('x', { code: 'QR_CHECKSUM' })).toMatchObject({ name: 'QrFormatError', code: 'QR_CHECKSUM' });
    expect(new Q.QrImageError('x', { code: 'QR_NOT_FOUND' })).toMatchObject({ name: 'QrImageError', code: 'QR_NOT_FOUND' });
    expect(new Q.QrFrameError('x', { code: 'QR_INCOMPLETE' })).toMatchObject({ name: 'QrFrameError', code: 'QR_INCOMPLETE' });
    expect(new Q.ShareError('x', { code: 'SHARE_TOO_FEW' })).toMatchObject({ name: 'ShareError', code: 'SHARE_TOO_FEW' });
  });
});
