/**
 * Interpreting the content of one scanned QR symbol (FORMAT.md §6): payload bytes, base45 text, a `privkit:` URI,
 * a UR multi-part frame or a SLIP-0039 mnemonic. Kept apart from the image decoders so that programs that only
 * parse content (or reassemble frames) do not bundle the QR image reader.
 * @module
 */
import { astring, isBytes } from '@privkit/core';
import { QrFormatError } from './errors.js';
import { decodePayload, type Payload } from './payload.js';
import { UR_TYPE } from './_format.js';
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

// Sequence numbers are 32-bit (BCR-2020-005): at most 10 digits, no leading zero, checked against 2^32 − 1 below.
const UR_RE = /^ur:([a-z0-9-]+)\/(?:([1-9][0-9]{0,9})-([1-9][0-9]{0,9})\/)?[a-z]+$/;

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
    if (seqNum > 0xffffffff || seqLength > 0xffffffff) throw new QrFormatError('UR sequence number beyond 2^32 − 1', { code: 'QR_TEXT_INVALID' });
    return Object.freeze({ type: 'part', text: lower, seqNum, seqLength });
  }
  if (/^[a-z]+( [a-z]+){19,}$/.test(lower)) {
    _parseSlip39(lower);
    return Object.freeze({ type: 'slip39', mnemonic: lower });
  }
  return decodePayload(textToPayload(text));
}
