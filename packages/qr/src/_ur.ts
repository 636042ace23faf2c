/**
 * Uniform Resources (Blockchain Commons BCR-2020-005): `ur:<type>/<bytewords>` for a message in one part, and
 * `ur:<type>/<seqNum>-<seqLength>/<bytewords>` for fountain parts, whose body is the CBOR array
 * `[seqNum, seqLength, messageLength, checksum, fragment]` (checksum: CRC-32 of the message). Written from the
 * specification; cross-checked both ways against `@ngraveio/bc-ur` in the tests. Parsing checks every declared size
 * against the caller's limits before anything is allocated for it.
 * @module
 */
import { _bytewordsDecode, _bytewordsEncode } from './_bytewords.js';
import { _crc32 } from './_crc32.js';
import { _cborArray, _CborReader, _cborBytes, _cborUint } from './_cbor.js';
import { _chooseFragments, _degreeSampler, _fragmentLength, _mix, _partition } from './_fountain.js';
import { QrFrameFormatError } from './errors.js';

/** One fountain part. */
export interface UrPart {
  readonly seqNum: number;
  readonly seqLength: number;
  readonly messageLength: number;
  readonly checksum: number;
  readonly fragment: Uint8Array;
}

/** A parsed UR: a whole message (single part) or one fountain part. */
export type ParsedUr = { readonly type: string; readonly message: Uint8Array } | { readonly type: string; readonly part: UrPart };

/** Limits applied while parsing. */
export interface UrLimits {
  /** Largest message length in bytes a part may declare. */
  readonly maxMessageLength: number;
  /** Largest fragment count a part may declare. */
  readonly maxSeqLength: number;
}

/**
 * A UR message in parts: `count` texts (lower case; default twice the fragment count), seqNum 1..count; one
 * single-part text, repeated, when the message fits one fragment.
 */
export function _urEncode(type: string, message: Uint8Array, maxFragment: number, minFragment: number, count?: number): string[] {
  const fragmentLength = _fragmentLength(message.length, minFragment, maxFragment);
  const fragments = _partition(message, fragmentLength);
  const n = fragments.length;
  count ??= 2 * n;
  if (n === 1) return Array.from({ length: count }, () => `ur:${type}/${_bytewordsEncode(message)}`);
  const checksum = _crc32(message);
  const sampler = _degreeSampler(n);
  const out: string[] = [];
  for (let seqNum = 1; seqNum <= count; seqNum++) {
    const fragment = _mix(fragments, _chooseFragments(seqNum, n, checksum, sampler), fragmentLength);
    const body = _cborArray([_cborUint(seqNum), _cborUint(n), _cborUint(message.length), _cborUint(checksum), _cborBytes(fragment)]);
    out.push(`ur:${type}/${seqNum}-${n}/${_bytewordsEncode(body)}`);
  }
  return out;
}

const UR_TEXT = /^ur:([a-z0-9-]+)\/(?:([1-9][0-9]{0,9})-([1-9][0-9]{0,9})\/)?([a-z]+)$/;
const invalid = (why: string) => new QrFrameFormatError(why, { code: 'QR_FRAME_INVALID' });

/**
 * Parses a UR (any case). The path's sequence numbers are checked against the limits before the body is decoded,
 * and the body's against the path and the limits before the caller sees them.
 * @throws {QrFrameFormatError} QR_FRAME_INVALID for anything malformed, inconsistent or beyond the limits
 */
export function _urParse(text: string, limits: UrLimits): ParsedUr {
  const m = UR_TEXT.exec(text.toLowerCase());
  if (!m) throw invalid('malformed UR');
  const type = m[1]!;
  if (m[2] === undefined) {
    const message = _bytewordsDecode(m[4]!);
    if (message.length > limits.maxMessageLength) throw invalid(`message of ${message.length} bytes exceeds maxMessageLength ${limits.maxMessageLength}`);
    return { type, message };
  }
  const seqNum = Number(m[2]);
  const seqLength = Number(m[3]);
  if (seqNum > 0xffffffff) throw invalid('seqNum beyond 2^32 − 1');
  if (seqLength > limits.maxSeqLength) throw invalid(`seqLength ${seqLength} exceeds maxSeqLength ${limits.maxSeqLength}`);
  const r = new _CborReader(_bytewordsDecode(m[4]!));
  if (r.array() !== 5) throw invalid('a part is a CBOR array of 5 items');
  const part: UrPart = { seqNum: r.uint(), seqLength: r.uint(), messageLength: r.uint(), checksum: r.uint(), fragment: r.bytes() };
  r.end();
  if (part.seqNum !== seqNum || part.seqLength !== seqLength) throw invalid('sequence numbers in the path and the body differ');
  if (part.messageLength < 1 || part.messageLength > limits.maxMessageLength) {
    throw invalid(`message length ${part.messageLength} outside 1..maxMessageLength ${limits.maxMessageLength}`);
  }
  const fl = part.fragment.length;
  if (fl === 0 || Math.ceil(part.messageLength / fl) !== seqLength) throw invalid('fragment length, message length and seqLength disagree');
  return { type, part };
}
