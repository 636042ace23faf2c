/**
 * Reassembly of fountain-coded multi-part frames (Blockchain Commons UR, BCR-2020-005, via
 * `@ngraveio/bc-ur`): any sufficient subset of frames, in any order, with progress reporting.
 * @module
 */
import { URDecoder } from '@ngraveio/bc-ur';
import { aobject, astring } from '@privkit/core';
import { requireBuffer } from './_format.js';
import { decodeQrContent, type QrPart } from './decode.js';
import { QrFrameError } from './errors.js';
import { decodePayload, type Payload } from './payload.js';

/** Progress of an assembler. */
export interface AssemblyProgress {
  /** Frames accepted so far (duplicates included). */
  readonly received: number;
  /** Fragments in the message (0 before the first frame). */
  readonly expected: number;
  /** Estimated completion 0..1 (bc-ur's estimate; 1 when complete). */
  readonly fraction: number;
  readonly complete: boolean;
}

/** Options of {@link createAssembler}. */
export interface AssemblerOptions {
  /** Called after every accepted frame. */
  onProgress?: (p: AssemblyProgress) => void;
}

/** Collects multi-part frames until the payload is complete. */
export interface Assembler {
  /**
   * Adds a frame (a {@link QrPart} from `decodeQrImage`, or the frame's text).
   * @returns true when the frame was new and accepted, false when it was redundant or the payload is complete
   * @throws {QrFrameError} QR_FRAME_INVALID (corrupt), QR_FRAME_MISMATCH (another sequence or UR type)
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
   * @throws {QrFormatError} when the reassembled bytes are not a valid payload
   */
  result(): Payload;
}

/**
 * Creates an assembler for multi-part frames produced by `toQr`.
 * @param options - `{onProgress?}`
 * @returns an {@link Assembler}
 * @throws {InputError} for a wrong options object
 * @throws {UnsupportedError} where there is no global `Buffer` (bc-ur needs one)
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
  requireBuffer('multi-part QR');
  const dec = new URDecoder();
  let received = 0;
  let bytes: Uint8Array | undefined;
  const progress = (): AssemblyProgress =>
    Object.freeze({
      received,
      expected: dec.expectedPartCount(),
      fraction: bytes ? 1 : Math.max(0, Math.min(1, dec.estimatedPercentComplete())),
      complete: bytes !== undefined,
    });
  return Object.freeze({
    receive(frame: QrPart | string): boolean {
      let text: string;
      if (typeof frame === 'string') {
        astring(frame, 'frame', 1 << 16);
        let scan;
        try {
          scan = decodeQrContent(frame);
        } catch (cause) {
          throw new QrFrameError('not a multi-part frame', { code: 'QR_FRAME_INVALID', cause });
        }
        if (scan.type !== 'part') throw new QrFrameError(`a ${scan.type} payload is not a multi-part frame`, { code: 'QR_FRAME_INVALID' });
        text = scan.text;
      } else if (typeof frame === 'object' && frame !== null && frame.type === 'part' && typeof frame.text === 'string') {
        text = frame.text;
      } else {
        throw new QrFrameError('expected a multi-part frame', { code: 'QR_FRAME_INVALID' });
      }
      if (bytes) return false;
      let accepted: boolean;
      try {
        accepted = dec.receivePart(text);
      } catch (cause) {
        throw new QrFrameError('corrupt multi-part frame', { code: 'QR_FRAME_INVALID', cause });
      }
      if (!accepted) throw new QrFrameError('frame belongs to another multi-part sequence', { code: 'QR_FRAME_MISMATCH' });
      received++;
      if (dec.isError()) throw new QrFrameError('reassembled message fails its CRC-32', { code: 'QR_FRAME_INVALID' });
      if (dec.isComplete() && dec.isSuccess()) {
        let out: Uint8Array;
        try {
          out = new Uint8Array(dec.resultUR().decodeCBOR() as Uint8Array);
        } catch (cause) {
          throw new QrFrameError('reassembled message is not a CBOR byte string', { code: 'QR_FRAME_INVALID', cause });
        }
        bytes = out;
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

