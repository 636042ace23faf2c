/**
 * From payload bytes to QR symbols (FORMAT.md §5–6): picks the smaller of byte mode (raw payload) and alphanumeric
 * mode (base45), or the `privkit:` URI form, at an error-correction level chosen per payload type; payloads too
 * large for one comfortable symbol become fountain-coded multi-part frames (Blockchain Commons UR, BCR-2020-005,
 * implemented in `_ur.ts`). Symbols are built with `qrcode`'s synchronous `create`.
 * @module
 */
import { dflt, UR_TYPE } from './_format.js';
import { _cborBytes } from './_cbor.js';
import { _urEncode } from './_ur.js';
import { abytes, aobject, aoneOf, anumber } from '@privkit/core';
import { create } from 'qrcode';
import { _payloadType } from './payload.js';
import type { PayloadType } from './_format.js';
import { QrImageError } from './errors.js';
import { payloadToText } from './text.js';

/** QR error-correction levels (ISO/IEC 18004 §6.5.1): about 7, 15, 25 and 30 % of codewords recoverable. */
export type EccLevel = 'L' | 'M' | 'Q' | 'H';
/** How a frame's content is encoded. */
export type FrameEncoding = 'binary' | 'base45' | 'uri' | 'ur' | 'slip39';

/**
 * Error-correction level per payload type: public key cards M; everything secret Q (a damaged backup of a secret is
 * worse than a slightly larger symbol). Frozen.
 */
export const ECC_LEVELS: Readonly<Record<PayloadType, EccLevel>> = Object.freeze({
  keyCard: 'M',
  passphraseSecret: 'Q',
  envelopeSecret: 'Q',
  share: 'Q',
});

export { UR_TYPE } from './_format.js';
/** Default largest version of a single symbol before switching to multi-part frames. */
export const DEFAULT_MAX_VERSION = 10;
/** Default fountain fragment length in bytes (about QR version 7–8 per frame at ECC L/M). */
export const DEFAULT_FRAGMENT_LENGTH = 80;

/** One QR symbol, ready to render. */
export interface QrFrame {
  /** Text (alphanumeric-mode forms) or bytes (binary form) in the symbol. */
  readonly content: string | Uint8Array;
  readonly encoding: FrameEncoding;
  readonly ecc: EccLevel;
  /** QR version 1..40. */
  readonly version: number;
  /** Modules per side (17 + 4·version). */
  readonly size: number;
  /** size×size module matrix, row-major, 1 = dark. */
  readonly modules: Uint8Array;
  /** For multi-part frames: 1-based sequence number and the number of fragments; undefined for single symbols. */
  readonly part: { readonly seqNum: number; readonly seqLength: number } | undefined;
}

/** Options of {@link toQr}. */
export interface ToQrOptions {
  /** 'auto' (default: the smaller symbol of binary and base45), 'binary', 'base45', 'uri', or 'ur' (force multi-part). */
  encoding?: 'auto' | 'binary' | 'base45' | 'uri' | 'ur';
  /** Override the per-type ECC level of {@link ECC_LEVELS}. */
  ecc?: EccLevel;
  /** Largest single-symbol version before multi-part frames are used (1..40, default 10). */
  maxVersion?: number;
  /** Multi-part: fragment length in bytes (10..1000, default 80). */
  fragmentLength?: number;
  /** Multi-part: number of frames to emit (default 2 × the fragment count; the first fragment-count frames are plain). */
  frames?: number;
}

/**
 * Builds one QR symbol. @internal
 * @throws {QrImageError} QR_TOO_LARGE when the data does not fit version 40
 */
export function _symbol(content: string | Uint8Array, encoding: FrameEncoding, ecc: EccLevel, part?: QrFrame['part']): QrFrame {
  let q: ReturnType<typeof create>;
  try {
    q = create(typeof content === 'string' ? [{ data: content, mode: 'alphanumeric' }] : [{ data: content, mode: 'byte' }], {
      errorCorrectionLevel: ecc,
    });
  } catch (cause) {
    throw new QrImageError('data does not fit in a QR symbol', { code: 'QR_TOO_LARGE', cause });
  }
  const size = q.modules.size;
  const modules = new Uint8Array(size * size);
  for (let i = 0; i < modules.length; i++) modules[i] = q.modules.data[i] ? 1 : 0;
  return Object.freeze({ content, encoding, ecc, version: q.version, size, modules, part });
}

function fits(f: QrFrame | undefined, max: number): f is QrFrame {
  return f !== undefined && f.version <= max;
}

function trySymbol(content: string | Uint8Array, enc: FrameEncoding, ecc: EccLevel): QrFrame | undefined {
  try {
    return _symbol(content, enc, ecc);
  } catch {
    return undefined;
  }
}

/**
 * Encodes payload bytes as QR frames: one symbol when it fits `maxVersion`, otherwise fountain-coded multi-part
 * frames (`UR:PRIVKIT-QR/<seq>-<n>/…`, upper case for alphanumeric mode) of which any sufficient subset, in any
 * order, reassembles the payload (see {@link createAssembler}).
 * @param payload - payload bytes from `encodeKeyCard`, `encodeSecret` or `splitSecret` (the checksum is verified)
 * @param options - encoding, ECC level, single-symbol limit and multi-part settings
 * @returns frames, each with its module matrix (render with `renderPng`/`renderSvg`/`renderTerminal`)
 * @throws {InputError} for wrong argument types or option values
 * @throws {QrFormatError} when `payload` is not a valid payload
 * @throws {QrImageError} QR_TOO_LARGE when a forced single-symbol encoding does not fit version 40
 * @example
 * ```ts
 * const [frame] = toQr(encodeKeyCard({ keyType: 'x25519', publicKey }));
 * writeFileSync('card.png', renderPng(frame));
 * ```
 */
export function toQr(payload: Uint8Array, options?: ToQrOptions): QrFrame[] {
  abytes(payload, undefined, 'payload');
  const o = aobject<ToQrOptions>(options, 'options') ?? {};
  const type = _payloadType(payload);
  const ecc = aoneOf(dflt(o.ecc, ECC_LEVELS[type]), ['L', 'M', 'Q', 'H'] as const, 'ecc');
  const encoding = aoneOf(dflt(o.encoding, 'auto'), ['auto', 'binary', 'base45', 'uri', 'ur'] as const, 'encoding');
  const maxVersion = anumber(dflt(o.maxVersion, DEFAULT_MAX_VERSION), 'maxVersion', 1, 40);
  const fragmentLength = anumber(dflt(o.fragmentLength, DEFAULT_FRAGMENT_LENGTH), 'fragmentLength', 10, 1000);
  const framesOpt = o.frames === undefined ? undefined : anumber(o.frames, 'frames', 1, 100_000);
  if (encoding === 'binary' || encoding === 'base45' || encoding === 'uri') {
    const content = encoding === 'binary' ? payload : payloadToText(payload, encoding);
    return [_symbol(content, encoding, ecc)];
  }
  if (encoding === 'auto') {
    const bin = trySymbol(payload, 'binary', ecc);
    const b45 = trySymbol(payloadToText(payload, 'base45'), 'base45', ecc);
    // Prefer base45 on a tie: text survives scanner apps that mangle binary data.
    const best = fits(b45, maxVersion) && (!bin || b45.version <= bin.version) ? b45 : fits(bin, maxVersion) ? bin : undefined;
    if (best) return [best];
  }
  return _multipart(payload, ecc, fragmentLength, framesOpt);
}

/** Fountain-coded frames: the payload as a CBOR byte string, in UR parts (BCR-2020-005). @internal */
export function _multipart(payload: Uint8Array, ecc: EccLevel, fragmentLength: number, frames?: number): QrFrame[] {
  const texts = _urEncode(UR_TYPE, _cborBytes(payload), fragmentLength, Math.min(10, fragmentLength), frames);
  const out: QrFrame[] = [];
  for (const t of texts) {
    const text = t.toUpperCase();
    const m = /^UR:[^/]+\/(\d+)-(\d+)\//.exec(text);
    const part = m ? Object.freeze({ seqNum: Number(m[1]), seqLength: Number(m[2]) }) : Object.freeze({ seqNum: 1, seqLength: 1 });
    out.push(_symbol(text, 'ur', ecc, part));
  }
  return out;
}
