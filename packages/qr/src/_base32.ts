/**
 * RFC 4648 §6 base32 without padding, upper case on output, case-insensitive on input. Used by the `privkit:` URI
 * form because its alphabet (A–Z, 2–7) is both URI-safe and inside the QR alphanumeric set.
 * @module
 */
import { QrFormatError } from './errors.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Encodes bytes as unpadded upper-case base32. */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(acc >> (bits - 5)) & 31]!;
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(acc << (5 - bits)) & 31]!;
  return out;
}

/** Decodes unpadded base32 (either case); rejects invalid characters, lengths and non-zero trailing bits. */
export function base32Decode(text: string): Uint8Array {
  const rem = text.length % 8;
  if (rem === 1 || rem === 3 || rem === 6) throw new QrFormatError(`invalid base32 length ${text.length}`, { code: 'QR_TEXT_INVALID' });
  const out = new Uint8Array(Math.floor((text.length * 5) / 8));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const v = ALPHABET.indexOf(text[i]!.toUpperCase());
    if (v < 0 || text[i] === undefined) throw new QrFormatError(`invalid base32 character at position ${i}`, { code: 'QR_TEXT_INVALID' });
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out[o++] = (acc >> (bits - 8)) & 0xff;
      bits -= 8;
    }
    acc &= (1 << bits) - 1;
  }
  if (acc !== 0) throw new QrFormatError('non-canonical base32 (trailing bits set)', { code: 'QR_TEXT_INVALID' });
  return out;
}
