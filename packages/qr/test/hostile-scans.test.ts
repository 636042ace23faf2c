/**
 * Issue #16 items 3 and 4: what a hostile scanned image or frame can cost. Each attack has a test named after it.
 */
import { crc32, deflateSync } from 'node:zlib';
import { randomBytes } from '@privkit/core';
import { DEFAULT_MAX_PIXELS, decodePayload, decodePng, decodeQrImage, encodeKeyCard, renderPixels, renderPng, toQr } from '@privkit/qr';
import { describe, expect, it } from 'vitest';
import { _checkPng } from '../src/_png.js';

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** A greyscale PNG with the given header and image data (the data need not match the header). */
function png(width: number, height: number, bitDepth: number, interlace: 0 | 1, raw: Uint8Array): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([bitDepth, 0, 0, 0, interlace], 8);
  const sig = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
  return Buffer.concat([sig, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', new Uint8Array(0))]);
}

describe('hostile PNG images (issue #16 item 4)', () => {
  const card = encodeKeyCard({ keyType: 'x25519', publicKey: randomBytes(32), label: 'png' });

  it('PNG pixel bomb: a ~55 KB 16384×16384 1-bit PNG is refused from its header with LimitError', () => {
    const side = 16384;
    const bomb = png(side, side, 1, 0, new Uint8Array((1 + side / 8) * side)); // every row: filter 0 + 2048 zero bytes
    expect(bomb.length).toBeLessThan(100_000);
    expect(() => decodePng(bomb)).toThrow(expect.objectContaining({ name: 'LimitError', code: 'LIMIT_EXCEEDED' }));
  });
  it('PNG deflate bomb: interlaced image data inflating beyond its header is refused with LimitError', () => {
    const bomb = png(1000, 1000, 1, 1, new Uint8Array(50_000_000));
    expect(bomb.length).toBeLessThan(100_000);
    expect(() => decodePng(bomb)).toThrow(expect.objectContaining({ name: 'LimitError', code: 'LIMIT_EXCEEDED' }));
    // image data within the Adam7 bound of the header passes the check (pngjs then decodes it)
    expect(_checkPng(png(1000, 1000, 1, 1, new Uint8Array(125_000 + 4 * 1000)), DEFAULT_MAX_PIXELS)).toMatchObject({ width: 1000, interlaced: true });
  });
  it('malformed headers are QR_IMAGE_INVALID before any decoding', () => {
    const good = renderPng(toQr(card)[0]!);
    const cases: [string, (b: Uint8Array) => void][] = [
      ['zero width', (b) => b.fill(0, 16, 20)],
      ['bit depth 3', (b) => (b[24] = 3)],
      ['colour type 5', (b) => (b[25] = 5)],
      ['interlace method 2', (b) => (b[28] = 2)],
      ['IHDR not first', (b) => b.set([0x49, 0x44, 0x41, 0x54], 12)],
      ['signature', (b) => (b[1] = 0)],
    ];
    for (const [title, mutate] of cases) {
      const b = Uint8Array.from(good);
      mutate(b);
      expect(() => decodePng(b), title).toThrow(expect.objectContaining({ name: 'QrImageError', code: 'QR_IMAGE_INVALID' }));
    }
  });
  it('the pixel budget is an option of decodePng and decodeQrImage (default 2^22)', () => {
    expect(DEFAULT_MAX_PIXELS).toBe(2 ** 22);
    const f = toQr(card)[0]!;
    const file = renderPng(f, { scale: 4 });
    const px = renderPixels(f, { scale: 4 });
    expect(decodePng(file, { maxPixels: px.width * px.height })).toEqual(decodePayload(card));
    expect(() => decodePng(file, { maxPixels: px.width * px.height - 1 })).toThrow(expect.objectContaining({ code: 'LIMIT_EXCEEDED' }));
    expect(decodeQrImage(px.data, px.width, px.height, { maxPixels: px.width * px.height })).toEqual(decodePayload(card));
    expect(() => decodeQrImage(px.data, px.width, px.height, { maxPixels: 100 })).toThrow(expect.objectContaining({ code: 'LIMIT_EXCEEDED' }));
    expect(() => decodeQrImage(new Uint8Array(4 * 3000 * 3000), 3000, 3000)).toThrow(expect.objectContaining({ code: 'LIMIT_EXCEEDED' }));
    for (const o of [{ maxPixels: 0 }, { maxPixels: 2 ** 29 }, { maxPixels: 1.5 }, 'x']) {
      expect(() => decodePng(file, o as never), JSON.stringify(o)).toThrow(expect.objectContaining({ name: 'InputError' }));
    }
  });
});
