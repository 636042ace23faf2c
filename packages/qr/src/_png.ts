/**
 * PNG header checks made before any pixel is decoded (issue #16 item 4): the IHDR chunk (PNG §11.2.2) gives the
 * image size, which must fit a pixel budget; interlaced images, whose inflation `pngjs` does not bound, are
 * inflated once here with an output limit derived from that header. A 55 KB PNG declaring 16384×16384 pixels is
 * refused in microseconds instead of costing a minute and gigabytes.
 * @module
 */
import { concatBytes, LimitError, UnsupportedError } from '@privkit/core';
import { QrImageFormatError } from './errors.js';

/** Default pixel budget of `decodePng` and `decodeQrImage`: 4,194,304 pixels (2048×2048; 16 MiB of RGBA). */
export const DEFAULT_MAX_PIXELS = 2 ** 22;

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Channels per colour type (PNG §11.2.2 Table 11.1). */
const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** What the IHDR chunk says. */
export interface PngHeader {
  readonly width: number;
  readonly height: number;
  readonly bitsPerPixel: number;
  readonly interlaced: boolean;
}

const invalid = (why: string) => new QrImageFormatError(`not a readable PNG image: ${why}`, { code: 'QR_IMAGE_INVALID' });
const u32 = (b: Uint8Array, i: number) => ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
const type = (b: Uint8Array, i: number) => String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!);

/**
 * Reads the PNG signature and the IHDR chunk, which must come first.
 * @throws {QrImageFormatError} QR_IMAGE_INVALID
 */
export function _pngHeader(png: Uint8Array): PngHeader {
  if (png.length < 33 || SIGNATURE.some((v, i) => png[i] !== v)) throw invalid('no PNG signature');
  if (u32(png, 8) !== 13 || type(png, 12) !== 'IHDR') throw invalid('the first chunk is not a 13-byte IHDR');
  const width = u32(png, 16);
  const height = u32(png, 20);
  const depth = png[24]!;
  const channels = CHANNELS[png[25]!];
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) throw invalid('zero or oversized dimensions');
  if (channels === undefined || ![1, 2, 4, 8, 16].includes(depth)) throw invalid('unknown colour type or bit depth');
  if (png[26] !== 0 || png[27] !== 0 || png[28]! > 1) throw invalid('unknown compression, filter or interlace method');
  return { width, height, bitsPerPixel: channels * depth, interlaced: png[28] === 1 };
}

/**
 * Checks the header against the pixel budget before any decoding; for interlaced images also inflates the image
 * data once with an output limit (a deflate bomb stops at the limit).
 * @throws {LimitError} LIMIT_EXCEEDED when width·height exceeds `maxPixels` or the image data inflates beyond what
 *   the header allows
 * @throws {QrImageFormatError} QR_IMAGE_INVALID for a malformed PNG
 * @throws {UnsupportedError} for an interlaced PNG where `node:zlib` is not available
 */
export function _checkPng(png: Uint8Array, maxPixels: number): PngHeader {
  const h = _pngHeader(png);
  if (h.width * h.height > maxPixels) {
    throw new LimitError(`PNG of ${h.width}×${h.height} pixels exceeds the pixel budget of ${maxPixels}`);
  }
  if (h.interlaced) boundedInflate(png, h);
  return h;
}

/** Upper bound of the filtered Adam7 data: every pass row has a filter byte and at most one padding byte. */
function interlacedBound(h: PngHeader): number {
  return Math.ceil((h.width * h.height * h.bitsPerPixel) / 8) + 4 * h.height + 64;
}

function boundedInflate(png: Uint8Array, h: PngHeader): void {
  const idat: Uint8Array[] = [];
  for (let i = 8; i + 12 <= png.length; ) {
    const len = u32(png, i);
    if (len > png.length - i - 12) throw invalid('truncated chunk');
    const t = type(png, i + 4);
    if (t === 'IDAT') idat.push(png.subarray(i + 8, i + 8 + len));
    if (t === 'IEND') break;
    i += 12 + len;
  }
  const zlib = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.('node:zlib') as
    | { inflateSync(b: Uint8Array, o: { maxOutputLength: number }): Uint8Array }
    | undefined;
  if (!zlib) throw new UnsupportedError('interlaced PNG images need node:zlib to be inflated within bounds');
  try {
    zlib.inflateSync(concatBytes(...idat), { maxOutputLength: interlacedBound(h) });
  } catch (cause) {
    if ((cause as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new LimitError('PNG image data inflates beyond the size its header declares', { cause });
    throw new QrImageFormatError('not a readable PNG image: bad image data', { code: 'QR_IMAGE_INVALID', cause });
  }
}
