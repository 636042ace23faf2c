/**
 * Reading QR symbols back from images (FORMAT.md §6): pixels → `jsqr` → content ({@link decodeQrContent}) → typed
 * payload or multi-part frame.
 * @module
 */
import { abytes, anumber, aobject, LimitError } from '@privkit/core';
import jsQRImport from 'jsqr';
import * as pngjs from 'pngjs';
import { dflt, requireBuffer, requirePng } from './_format.js';
import { _checkPng, DEFAULT_MAX_PIXELS } from './_png.js';
import { decodeQrContent, type Scan } from './content.js';
import { QrImageError, QrImageFormatError } from './errors.js';

type JsQr = (data: Uint8ClampedArray, w: number, h: number, o?: { inversionAttempts?: 'dontInvert' | 'onlyInvert' | 'attemptBoth' | 'invertFirst' }) => {
  binaryData: number[];
  data: string;
  chunks: { type: string }[];
} | null;

// jsqr is a webpack UMD bundle: its default export is the function under ESM and `.default` under some CJS interop.
function jsQR(): JsQr {
  const m = jsQRImport as unknown;
  return (typeof m === 'function' ? m : (m as { default: unknown }).default) as JsQr;
}

/** Options of {@link decodeQrImage} and {@link decodePng}. */
export interface DecodeImageOptions {
  /**
   * Largest image accepted, in pixels (width·height; 1..2^28, default {@link DEFAULT_MAX_PIXELS} = 2^22). Scanning
   * costs time and memory in proportion to the pixel count, and a PNG declares its own size.
   */
  maxPixels?: number;
}

function maxPixels(options: DecodeImageOptions | undefined): number {
  const o = aobject<DecodeImageOptions>(options, 'options') ?? {};
  return anumber(dflt(o.maxPixels, DEFAULT_MAX_PIXELS), 'maxPixels', 1, 2 ** 28);
}

/**
 * Finds and decodes one QR symbol in an RGBA image (any rotation, scale, and light-on-dark or dark-on-light).
 * @param rgba - width·height·4 bytes, row-major RGBA (Uint8Array or Uint8ClampedArray, e.g. `ImageData.data`)
 * @param width - image width in pixels
 * @param height - image height in pixels
 * @param options - `{maxPixels = DEFAULT_MAX_PIXELS}`
 * @returns the typed payload or multi-part frame
 * @throws {InputError} for wrong types or a buffer of the wrong length
 * @throws {LimitError} LIMIT_EXCEEDED when width·height exceeds `maxPixels`
 * @throws {QrImageError} QR_NOT_FOUND when no readable symbol is found (damaged beyond its error correction)
 * @throws {QrFormatError} when the symbol holds something that is not a valid PrivKit payload
 * @example
 * ```ts
 * const scan = decodeQrImage(imageData.data, imageData.width, imageData.height);
 * if (scan.type === 'keyCard') addContact(scan);
 * ```
 */
export function decodeQrImage(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, options?: DecodeImageOptions): Scan {
  const w = anumber(width, 'width', 1, 16384);
  const h = anumber(height, 'height', 1, 16384);
  const budget = maxPixels(options);
  if (w * h > budget) throw new LimitError(`image of ${w}×${h} pixels exceeds the pixel budget of ${budget}`);
  let data: Uint8ClampedArray;
  if (rgba instanceof Uint8ClampedArray || Object.prototype.toString.call(rgba) === '[object Uint8ClampedArray]') {
    data = rgba as Uint8ClampedArray;
    if (data.length !== w * h * 4) abytes(new Uint8Array(data.buffer, data.byteOffset, data.length), w * h * 4, 'rgba');
  } else {
    const b = abytes(rgba, w * h * 4, 'rgba');
    data = new Uint8ClampedArray(b.buffer, b.byteOffset, b.length);
  }
  let r: ReturnType<JsQr>;
  try {
    r = jsQR()(data, w, h, { inversionAttempts: 'attemptBoth' });
  } catch (cause) {
    throw new QrImageError('no readable QR symbol in the image', { code: 'QR_NOT_FOUND', cause });
  }
  if (!r) throw new QrImageError('no readable QR symbol in the image', { code: 'QR_NOT_FOUND' });
  const textual = r.chunks.length > 0 && r.chunks.every((c) => c.type === 'alphanumeric' || c.type === 'numeric');
  return decodeQrContent(textual ? r.data : Uint8Array.from(r.binaryData));
}

/**
 * Decodes one QR symbol from a PNG file (Node only: `pngjs` needs Node's zlib and Buffer). The IHDR header is read
 * first and the image refused before any decoding when it exceeds the pixel budget; the inflated image data is
 * bounded by what that header declares.
 * @param png - PNG bytes (any colour type/bit depth `pngjs` reads)
 * @param options - `{maxPixels = DEFAULT_MAX_PIXELS}`
 * @returns the typed payload or multi-part frame
 * @throws {InputError} when `png` is not a Uint8Array or an option is wrong
 * @throws {LimitError} LIMIT_EXCEEDED when the declared width·height exceeds `maxPixels`, or the image data
 *   inflates beyond the declared size
 * @throws {QrImageFormatError} QR_IMAGE_INVALID for a malformed PNG; {QrImageError} QR_NOT_FOUND when no symbol is readable
 * @throws {QrFormatError} when the symbol holds something that is not a valid PrivKit payload
 * @throws {UnsupportedError} outside Node (browser bundles: no `pngjs`; no global `Buffer`)
 * @example decodePng(readFileSync('card.png'))
 */
export function decodePng(png: Uint8Array, options?: DecodeImageOptions): Scan {
  abytes(png, undefined, 'png');
  const budget = maxPixels(options);
  const PNG = requirePng(pngjs.PNG, 'decodePng');
  const B = requireBuffer('decodePng');
  _checkPng(png, budget);
  let img: { width: number; height: number; data: Uint8Array };
  try {
    img = PNG.sync.read(B.from(png.buffer, png.byteOffset, png.length));
  } catch (cause) {
    throw new QrImageFormatError('not a readable PNG image', { code: 'QR_IMAGE_INVALID', cause });
  }
  return decodeQrImage(img.data, img.width, img.height, { maxPixels: budget });
}
