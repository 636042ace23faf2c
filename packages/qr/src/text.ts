/**
 * Text forms of a payload (FORMAT.md §5): base45 (RFC 9285) for QR alphanumeric mode, and the `privkit:` URI
 * (`PRIVKIT:` + RFC 4648 base32, also inside the alphanumeric set and URI-safe, so phone cameras offer to open it).
 * @module
 */
import { abytes, astring } from '@privkit/core';
import { base32Decode, base32Encode } from './_base32.js';
import { base45Decode, base45Encode } from './base45.js';
import { QrFormatError } from './errors.js';

/** URI scheme of the URI form (RFC 3986 §3.1: schemes are case-insensitive; we emit upper case for QR). */
export const URI_SCHEME = 'privkit';
const MAX_TEXT = 8192;

/** Text forms a payload can take. */
export type TextForm = 'base45' | 'uri';

/**
 * Encodes payload bytes as text.
 * @param payload - payload bytes
 * @param form - 'base45' (default) or 'uri'
 * @returns the text: base45, or `PRIVKIT:<BASE32>`
 * @throws {InputError} for wrong argument types
 * @example payloadToText(card, 'uri') // 'PRIVKIT:CEA…'
 */
export function payloadToText(payload: Uint8Array, form: TextForm = 'base45'): string {
  abytes(payload, undefined, 'payload');
  if (form === 'uri') return `${URI_SCHEME.toUpperCase()}:${base32Encode(payload)}`;
  if (form === 'base45') return base45Encode(payload);
  throw new QrFormatError(`unknown text form ${JSON.stringify(form)}`, { code: 'QR_TEXT_INVALID' });
}

/**
 * Decodes the text form of a payload: a `privkit:` URI (either case) or base45.
 * @param text - scanned or typed text
 * @returns the payload bytes (parse them with {@link decodePayload})
 * @throws {InputError} when `text` is not a string
 * @throws {QrFormatError} QR_TEXT_INVALID for text that is neither form
 * @example decodePayload(textToPayload(scannedText))
 */
export function textToPayload(text: string): Uint8Array {
  astring(text, 'text', MAX_TEXT);
  const t = text.trim();
  const m = /^privkit:(?:\/\/)?/i.exec(t);
  if (m) return base32Decode(t.slice(m[0].length));
  return base45Decode(t);
}
