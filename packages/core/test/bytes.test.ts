import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bytesToHex, bytesToNumberBE, bytesToUtf8, concatBytes, equalBytes, hexToBytes, numberToBytesBE, randomBytes,
  utf8ToBytes, zeroize, abytes, PrivkitError, InputError, EncodingError,
} from '@privkit/core';

describe('bytes', () => {
  it('hex round-trips random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
      expect(hexToBytes(bytesToHex(b))).toEqual(b);
      expect(hexToBytes(bytesToHex(b).toUpperCase())).toEqual(b);
    }));
  });
  it('rejects malformed hex with EncodingError', () => {
    for (const bad of ['a', 'zz', '0x00', '0 ', 'g0']) expect(() => hexToBytes(bad)).toThrow(EncodingError);
    expect(() => hexToBytes(12 as unknown as string)).toThrow(InputError);
  });
  it('utf8 is strict', () => {
    expect(bytesToUtf8(utf8ToBytes('héllo ✓'))).toBe('héllo ✓');
    expect(() => bytesToUtf8(new Uint8Array([0xff]))).toThrow(EncodingError);
  });
  it('equalBytes compares contents', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1 }), fc.nat(), (a, i) => {
      const b = Uint8Array.from(a);
      expect(equalBytes(a, b)).toBe(true);
      b[i % b.length]! ^= 1;
      expect(equalBytes(a, b)).toBe(false);
      expect(equalBytes(a, a.subarray(1))).toBe(false);
    }));
  });
  it('I2OSP/OS2IP round-trip and refuse overflow', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }), (n) => {
      expect(bytesToNumberBE(numberToBytesBE(n, 32))).toBe(n);
    }));
    expect(() => numberToBytesBE(256, 1)).toThrow(InputError);
    expect(() => numberToBytesBE(-1, 4)).toThrow(InputError);
  });
  it('randomBytes, concat, zeroize', () => {
    const a = randomBytes(70000);
    expect(a.length).toBe(70000);
    expect(a.some((x) => x !== 0)).toBe(true);
    expect(concatBytes(new Uint8Array([1]), new Uint8Array([2, 3]))).toEqual(new Uint8Array([1, 2, 3]));
    zeroize(a);
    expect(a.every((x) => x === 0)).toBe(true);
  });
  it('abytes accepts Buffers and other-realm arrays, rejects look-alikes with one message format', async () => {
    const { runInNewContext } = await import('node:vm');
    expect(abytes(Buffer.from([1, 2]), 2)).toHaveLength(2);
    expect(abytes(runInNewContext('new Uint8Array(3)'), 3)).toHaveLength(3);
    expect(() => abytes({ constructor: { name: 'Uint8Array' } }, 3, 'key')).toThrow('"key" expected Uint8Array, got type=object');
    expect(() => abytes(new Uint16Array(3), 3, 'key')).toThrow(InputError);
    expect(() => abytes(new Uint8Array(11), 12, 'nonce')).toThrow('"nonce" expected Uint8Array of length 12, got length=11');
  });
});

describe('errors', () => {
  it('carry literal names, stable codes and a walkable cause chain', () => {
    const root = new Error('root');
    const e = new EncodingError('bad', { cause: new InputError('inner', { cause: root }) });
    expect(e.name).toBe('EncodingError');
    expect(e.code).toBe('INVALID_ENCODING');
    expect(e.shortMessage).toBe('bad');
    expect(e).toBeInstanceOf(PrivkitError);
    expect(e.walk()).toBe(root);
    expect(e.walk((x) => x instanceof InputError)).toBeInstanceOf(InputError);
  });
});
