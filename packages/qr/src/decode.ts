/**
 * Reading QR symbols back (FORMAT.md §6): pixels → `jsqr` → content → typed payload or multi-part frame.
 * @module
 */
import { abytes, anumber, astring, isBytes } from '@privkit/core';
import jsQRImport from 'jsqr';
import * as pngjs from 'pngjs';
import { requireBuffer, requirePng } from './_format.js';
import { QrFormatError, QrImageError } from './errors.js';
import { decodePayload, type Payload } from './payload.js';
import { UR_TYPE } from './qr.js';
import { _parseSlip39 } from './slip39.js';
import { textToPayload } from './text.js';

/** A scanned multi-part frame; feed it to an assembler ({@link createAssembler}). */
export interface QrPart {
  readonly type: 'part';
  /** The UR text of the frame (lower case). */
  readonly text: string;
  /** 1-based sequence number (fountain frames beyond `seqLength` mix several fragments). */
  readonly seqNum: number;
  /** Number of fragments of the message. */
  readonly seqLength: number;
}

/** A scanned SLIP-0039 mnemonic (words, length and checksum already checked); combine with `slip39Combine`. */
export interface Slip39Scan {
  readonly type: 'slip39';
  /** The mnemonic, lower case, single spaces. */
  readonly mnemonic: string;
}

/** What one scanned symbol holds: a payload, one frame of a multi-part sequence, or a SLIP-0039 mnemonic. */
export type Scan = Payload | QrPart | Slip39Scan;

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

const UR_RE = /^ur:([a-z0-9-]+)\/(?:(\d+)-(\d+)\/)?[a-z]+$/;

/**
 * Interprets the content of a QR symbol: payload bytes (byte mode), base45 text, a `privkit:` URI, a UR frame, or a
 * SLIP-0039 mnemonic.
 * @param content - text or bytes as read from a symbol
 * @returns the typed payload, a {@link QrPart}, or a {@link Slip39Scan}
 * @throws {InputError} for wrong argument types
 * @throws {QrFormatError} for content that is not a PrivKit payload or frame, or a damaged/unknown payload
 * @example decodeQrContent('PRIVKIT:CE…')
 */
export function decodeQrContent(content: string | Uint8Array): Scan {
  if (isBytes(content)) {
    let ascii = true;
    for (const b of content) if (b < 0x20 || b > 0x7e) ascii = false;
    if (!ascii || content.length === 0) return decodePayload(content);
    content = String.fromCharCode(...content);
  }
  const text = astring(content, 'content', 1 << 16).trim();
  const lower = text.toLowerCase();
  if (lower.startsWith('ur:')) {
    const m = UR_RE.exec(lower);
    if (!m) throw new QrFormatError('malformed UR frame', { code: 'QR_TEXT_INVALID' });
    if (m[1] !== UR_TYPE) throw new QrFormatError(`UR type ${m[1]} is not ${UR_TYPE}`, { code: 'QR_UNKNOWN_TYPE' });
    const seqNum = m[2] === undefined ? 1 : Number(m[2]);
    const seqLength = m[3] === undefined ? 1 : Number(m[3]);
    return Object.freeze({ type: 'part', text: lower, seqNum, seqLength });
  }
  if (/^[a-z]+( [a-z]+){19,}$/.test(lower)) {
    _parseSlip39(lower);
    return Object.freeze({ type: 'slip39', mnemonic: lower });
  }
  return decodePayload(textToPayload(text));
}

/**
 * Finds and decodes one QR symbol in an RGBA image (any rotation, scale, and light-on-dark or dark-on-light).
 * @param rgba - width·height·4 bytes, row-major RGBA (Uint8Array or Uint8ClampedArray, e.g. `ImageData.data`)
 * @param width - image width in pixels
 * @param height - image height in pixels
 * @returns the typed payload or multi-part frame
 * @throws {InputError} for wrong types or a buffer of the wrong length
 * @throws {QrImageError} QR_NOT_FOUND when no readable symbol is found (damaged beyond its error correction)
 * @throws {QrFormatError} when the symbol holds something that is not a valid PrivKit payload
 * @example
 * ```ts
 * const scan = decodeQrImage(imageData.data, imageData.width, imageData.height);
 * if (scan.type === 'keyCard') addContact(scan);
 * ```
 */
export function decodeQrImage(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): Scan {
  const w = anumber(width, 'width', 1, 16384);
  const h = anumber(height, 'height', 1, 16384);
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
 * Decodes one QR symbol from a PNG file.
 * @param png - PNG bytes (any colour type/bit depth `pngjs` reads)
 * @returns the typed payload or multi-part frame
 * @throws {InputError} when `png` is not a Uint8Array
 * @throws {QrImageError} QR_IMAGE_INVALID for a malformed PNG, QR_NOT_FOUND when no symbol is readable
 * @throws {QrFormatError} when the symbol holds something that is not a valid PrivKit payload
 * @throws {UnsupportedError} where there is no global `Buffer`
 * @example decodePng(readFileSync('card.png'))
 */
export function decodePng(png: Uint8Array): Scan {
  abytes(png, undefined, 'png');
  const B = requireBuffer('decodePng');
  let img: { width: number; height: number; data: Uint8Array };
  try {
    img = requirePng(pngjs.PNG, 'decodePng').sync.read(B.from(png.buffer, png.byteOffset, png.length));
  } catch (cause) {
    throw new QrImageError('not a readable PNG image', { code: 'QR_IMAGE_INVALID', cause });
  }
  return decodeQrImage(img.data, img.width, img.height);
}
