import { readFileSync } from 'node:fs';
import { bytesToHex, bytesToUtf8, hexToBytes, utf8ToBytes } from '@privkit/core';
import { BASE45_ALPHABET, base45Decode, base45Encode, QrFormatError } from '@privkit/qr';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const V = JSON.parse(readFileSync(new URL('./vectors/rfc9285/base45-rfc9285.json', import.meta.url), 'utf8')) as {
  alphabet: string;
  encode: { input_utf8: string; input_hex: string; base45: string }[];
  decode: { base45: string; output_utf8: string }[];
};

describe('base45 (RFC 9285)', () => {
  it('uses the RFC alphabet', () => expect(BASE45_ALPHABET).toBe(V.alphabet));
  it('has encode and decode vectors', () => {
    expect(V.encode.length).toBeGreaterThanOrEqual(4);
    expect(V.decode.length).toBeGreaterThanOrEqual(1);
  });
  for (const v of V.encode) {
    it(`encodes ${JSON.stringify(v.input_utf8)}`, () => {
      expect(bytesToHex(utf8ToBytes(v.input_utf8))).toBe(v.input_hex);
      expect(base45Encode(hexToBytes(v.input_hex))).toBe(v.base45);
      expect(bytesToHex(base45Decode(v.base45))).toBe(v.input_hex);
    });
  }
  for (const v of V.decode) {
    it(`decodes ${JSON.stringify(v.base45)}`, () => expect(bytesToUtf8(base45Decode(v.base45))).toBe(v.output_utf8));
  }
  it('rejects GGW (65536) and out-of-alphabet characters (RFC 9285 §6)', () => {
    for (const bad of ['GGW', 'GGWGGW', 'aa', 'A', 'ABCD', '::', 'ÄBC', 'AB\u0000']) {
      expect(() => base45Decode(bad), bad).toThrow(QrFormatError);
    }
    expect(() => base45Decode('GGW')).toThrow(expect.objectContaining({ code: 'QR_TEXT_INVALID' }));
  });
  it('round-trips random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
      const t = base45Encode(b);
      expect([...t].every((ch) => BASE45_ALPHABET.includes(ch))).toBe(true);
      expect(base45Decode(t)).toEqual(b);
    }));
  });
});
