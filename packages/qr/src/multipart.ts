/**
 * Reassembly of fountain-coded multi-part frames (Blockchain Commons UR, BCR-2020-005; our own implementation,
 * `_ur.ts`/`_fountain*.ts`): any sufficient subset of frames, in any order, with progress reporting — against
 * hostile frames. Every declared size is checked against limits before anything is allocated for it; frames are
 * grouped into candidate sequences by (seqLength, messageLength, checksum, fragment length), at most
 * `maxSequences` at a time (the least recently fed one is dropped for a new one), so a frame from another or a
 * forged sequence cannot claim the assembler: the first candidate that completes, passes its CRC-32 and decodes to
 * a valid payload wins.
 * @module
 */
import { anumber, aobject, astring, InputError } from '@privkit/core';
import { _CborReader } from './_cbor.js';
import { dflt, UR_TYPE } from './_format.js';
import { _FountainDecoder, type SequenceParams } from './_fountain-decoder.js';
import { _urParse, type UrLimits } from './_ur.js';
import { decodeQrContent, type QrPart } from './content.js';
import { QrFrameError, QrFrameFormatError } from './errors.js';
import { decodePayload, type Payload } from './payload.js';

/** Default largest message (CBOR-wrapped payload) a frame may declare: 65,536 bytes. */
export const DEFAULT_MAX_MESSAGE_LENGTH = 65_536;
/** Default largest fragment count a frame may declare. */
export const DEFAULT_MAX_SEQ_LENGTH = 1024;
/** Default number of candidate sequences an assembler follows at once. */
export const DEFAULT_MAX_SEQUENCES = 4;
/** Stored unreduced mixed parts per candidate: at most min(this, 2 · seqLength). */
const MAX_MIXED = 256;

/** Progress of an assembler. */
export interface AssemblyProgress {
  /** Frames accepted so far (duplicates included). */
  readonly received: number;
  /** Fragments in the message of the most advanced candidate sequence (0 before the first frame). */
  readonly expected: number;
  /** Fraction 0..1 of that sequence's fragments recovered (1 when complete). */
  readonly fraction: number;
  readonly complete: boolean;
}

/** Options of {@link createAssembler}. */
export interface AssemblerOptions {
  /** Called after every accepted frame. */
  onProgress?: (p: AssemblyProgress) => void;
  /** Largest message a frame may declare, in bytes (16..2^24, default {@link DEFAULT_MAX_MESSAGE_LENGTH}). */
  maxMessageLength?: number;
  /** Largest fragment count a frame may declare (1..65535, default {@link DEFAULT_MAX_SEQ_LENGTH}). */
  maxSeqLength?: number;
  /** Candidate sequences followed at once (1..64, default {@link DEFAULT_MAX_SEQUENCES}). */
  maxSequences?: number;
}

/** Collects multi-part frames until the payload is complete. */
export interface Assembler {
  /**
   * Adds a frame (a {@link QrPart} from `decodeQrImage`, or the frame's text).
   * @returns true when the frame was new and accepted, false when it was redundant or the payload is complete
   * @throws {QrFrameFormatError} QR_FRAME_INVALID (corrupt, beyond the limits, or completing a sequence whose message
   *   fails its checks — that candidate is dropped), QR_FRAME_MISMATCH (contradicts frames already received for its
   *   sequence; nothing changes)
   */
  receive(frame: QrPart | string): boolean;
  /** Current progress. */
  progress(): AssemblyProgress;
  /** True once the payload has been reassembled and its checksums verified. */
  isComplete(): boolean;
  /**
   * The reassembled payload bytes.
   * @throws {QrFrameError} QR_INCOMPLETE before completion
   */
  payload(): Uint8Array;
  /**
   * The reassembled payload, parsed.
   * @throws {QrFrameError} QR_INCOMPLETE before completion
   */
  result(): Payload;
}

/** The payload inside a reassembled message (a CBOR byte string), or undefined when it is not a valid payload. */
function payloadOf(message: Uint8Array): Uint8Array | undefined {
  try {
    const r = new _CborReader(message);
    const bytes = r.bytes();
    r.end();
    decodePayload(bytes);
    return bytes;
  } catch {
    return undefined;
  }
}

function frameText(frame: QrPart | string): string {
  if (typeof frame === 'string') {
    astring(frame, 'frame', 1 << 16);
    let scan;
    try {
      scan = decodeQrContent(frame);
    } catch (cause) {
      throw new QrFrameFormatError('not a multi-part frame', { code: 'QR_FRAME_INVALID', cause });
    }
    if (scan.type !== 'part') throw new QrFrameFormatError(`a ${scan.type} payload is not a multi-part frame`, { code: 'QR_FRAME_INVALID' });
    return scan.text;
  }
  if (typeof frame === 'object' && frame !== null && frame.type === 'part' && typeof frame.text === 'string' && frame.text.length <= 1 << 16) {
    return frame.text;
  }
  throw new QrFrameFormatError('expected a multi-part frame', { code: 'QR_FRAME_INVALID' });
}

/**
 * Creates an assembler for multi-part frames produced by `toQr`. Works everywhere (no `Buffer` needed).
 * @param options - `{onProgress?, maxMessageLength?, maxSeqLength?, maxSequences?}`
 * @returns an {@link Assembler}
 * @throws {InputError} for a wrong options object
 * @example
 * ```ts
 * const asm = createAssembler({ onProgress: (p) => bar.set(p.fraction) });
 * for (const scan of camera) if (scan.type === 'part') { asm.receive(scan); if (asm.isComplete()) break; }
 * const payload = asm.result();
 * ```
 */
export function createAssembler(options?: AssemblerOptions): Assembler {
  const o = aobject<AssemblerOptions>(options, 'options') ?? {};
  const onProgress = o.onProgress;
  if (onProgress !== undefined && typeof onProgress !== 'function') throw new InputError('"onProgress" expected a function', { code: 'INVALID_TYPE' });
  const limits: UrLimits = {
    maxMessageLength: anumber(dflt(o.maxMessageLength, DEFAULT_MAX_MESSAGE_LENGTH), 'maxMessageLength', 16, 2 ** 24),
    maxSeqLength: anumber(dflt(o.maxSeqLength, DEFAULT_MAX_SEQ_LENGTH), 'maxSeqLength', 1, 65535),
  };
  const maxSequences = anumber(dflt(o.maxSequences, DEFAULT_MAX_SEQUENCES), 'maxSequences', 1, 64);
  // Map order is recency order: a candidate is re-inserted whenever it is fed.
  const candidates = new Map<string, _FountainDecoder>();
  let received = 0;
  let bytes: Uint8Array | undefined;
  const progress = (): AssemblyProgress => {
    let best: _FountainDecoder | undefined;
    for (const c of candidates.values()) if (!best || c.recovered / c.params.seqLength > best.recovered / best.params.seqLength) best = c;
    return Object.freeze({
      received,
      expected: bytes ? expectedAtCompletion : (best?.params.seqLength ?? 0),
      fraction: bytes ? 1 : best ? best.recovered / best.params.seqLength : 0,
      complete: bytes !== undefined,
    });
  };
  let expectedAtCompletion = 0;
  const complete = (message: Uint8Array, seqLength: number): void => {
    const p = payloadOf(message);
    if (!p) throw new QrFrameFormatError('the reassembled message is not a valid payload', { code: 'QR_FRAME_INVALID' });
    bytes = p;
    expectedAtCompletion = seqLength;
    candidates.clear();
  };
  return Object.freeze({
    receive(frame: QrPart | string): boolean {
      const text = frameText(frame);
      if (bytes) return false;
      const ur = _urParse(text, limits);
      if (ur.type !== UR_TYPE) throw new QrFrameFormatError(`UR type ${ur.type} is not ${UR_TYPE}`, { code: 'QR_FRAME_INVALID' });
      if ('message' in ur) {
        complete(ur.message, 1);
        received++;
      } else {
        const part = ur.part;
        const params: SequenceParams = {
          seqLength: part.seqLength,
          messageLength: part.messageLength,
          checksum: part.checksum,
          fragmentLength: part.fragment.length,
        };
        const k = `${params.seqLength}/${params.messageLength}/${params.checksum}/${params.fragmentLength}`;
        let dec = candidates.get(k);
        const fresh = dec === undefined;
        dec ??= new _FountainDecoder(params, Math.min(MAX_MIXED, 2 * params.seqLength));
        const added = dec.receive(part.seqNum, part.fragment); // throws QR_FRAME_MISMATCH before any change
        if (fresh && candidates.size >= maxSequences) candidates.delete(candidates.keys().next().value!);
        candidates.delete(k);
        candidates.set(k, dec);
        if (dec.failed) {
          candidates.delete(k);
          throw new QrFrameFormatError('the reassembled message fails its CRC-32 (a corrupt or forged frame); that sequence starts over', { code: 'QR_FRAME_INVALID' });
        }
        if (dec.message) {
          try {
            complete(dec.message, params.seqLength);
          } catch (e) {
            candidates.delete(k);
            throw e;
          }
        } else if (!added) {
          received++;
          onProgress?.(progress());
          return false;
        }
        received++;
      }
      onProgress?.(progress());
      return true;
    },
    progress,
    isComplete: () => bytes !== undefined,
    payload(): Uint8Array {
      if (!bytes) throw new QrFrameError('not enough frames yet', { code: 'QR_INCOMPLETE' });
      return bytes.slice();
    },
    result(): Payload {
      if (!bytes) throw new QrFrameError('not enough frames yet', { code: 'QR_INCOMPLETE' });
      return decodePayload(bytes);
    },
  });
}
