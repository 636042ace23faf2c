/**
 * The data block a sensor submits (the "reading" of the attested upload): the district, the epoch, the BFV
 * ciphertext of its readings and a linkable ring signature over all of it.
 *
 *   "SCB1" ‖ u8 len ‖ district (ASCII) ‖ u32 epoch ‖ u32 len ‖ HE ciphertext ‖ u32 len ‖ ring signature
 *
 * The ring signature signs `SHA-256("privkit/smart-city/submission/v1" ‖ u8 len ‖ district ‖ u32 epoch ‖
 * SHA-256(ciphertext))` with scope `ringScope(district, epoch)`, so a sensor has one key image per epoch.
 * @module
 */
import { bytesToUtf8, concatBytes, equalBytes, getHash, u32BE, utf8ToBytes } from '@privkit/core';

const MAGIC = utf8ToBytes('SCB1');
const DST = utf8ToBytes('privkit/smart-city/submission/v1');
const sha256 = (m: Uint8Array): Uint8Array => getHash('sha256')(m);

/** A decoded block. */
export interface Submission {
  readonly district: string;
  readonly epoch: number;
  readonly ciphertext: Uint8Array;
  readonly signature: Uint8Array;
}

/** The linkability scope of an epoch: one key image per sensor per epoch (the same in every district). */
export function ringScope(epoch: number): string {
  return `smart-city/readings/epoch-${epoch}`;
}

/** The message the ring signature covers. */
export function submissionMessage(district: string, epoch: number, ciphertext: Uint8Array): Uint8Array {
  const d = utf8ToBytes(district);
  return sha256(concatBytes(DST, Uint8Array.of(d.length), d, u32BE(epoch), sha256(ciphertext)));
}

/** Encodes a block. */
export function encodeSubmission(s: Submission): Uint8Array {
  const d = utf8ToBytes(s.district);
  if (d.length > 255) throw new RangeError('district name too long');
  return concatBytes(MAGIC, Uint8Array.of(d.length), d, u32BE(s.epoch), u32BE(s.ciphertext.length), s.ciphertext, u32BE(s.signature.length), s.signature);
}

/** Decodes a block; throws on anything malformed. */
export function decodeSubmission(b: Uint8Array): Submission {
  let o = 0;
  const take = (n: number): Uint8Array => {
    if (o + n > b.length) throw new RangeError('submission truncated');
    const out = b.subarray(o, o + n);
    o += n;
    return out;
  };
  const u32 = (): number => {
    const x = take(4);
    return ((x[0]! << 24) | (x[1]! << 16) | (x[2]! << 8) | x[3]!) >>> 0;
  };
  if (!equalBytes(take(4), MAGIC)) throw new RangeError('not a submission block');
  const district = bytesToUtf8(take(take(1)[0]!));
  const epoch = u32();
  const ciphertext = take(u32());
  const signature = take(u32());
  if (o !== b.length) throw new RangeError('trailing bytes after submission');
  return { district, epoch, ciphertext, signature };
}
