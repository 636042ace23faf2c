/**
 * The ring-signature object and its canonical wire encoding (FORMAT.md §3):
 *
 * `"PKRS" ‖ version(0x01) ‖ scheme(0x01 CLSAG | 0x02 bLSAG) ‖ columns(0x01 | 0x02) ‖ u16be(n) ‖ c_0 ‖ s_0..s_{n-1}
 *  ‖ I ‖ [D]` — scalars 32-byte little-endian `< ℓ`, elements canonical ristretto255 (RFC 9496 §4.3.2).
 * @module
 */
import { abytes, anumber, aobject, aoneOf, InputError, isBytes } from '@privkit/core';
import { pointFromBytes, scalarFromBytes, type Point } from './_group.js';
import { MAX_RING, MIN_RING, SCHEME_ID, TAG, VERSION, type Scheme } from './_transcript.js';
import { RingSigFormatError } from './errors.js';

/** A linkable ring signature (CLSAG or bLSAG over ristretto255). All fields are 32-byte canonical encodings. */
export interface RingSignature {
  /** `'clsag'` (default) or `'blsag'`. */
  readonly scheme: Scheme;
  /** The first challenge c_0 (the papers' c_1), 32-byte little-endian scalar. */
  readonly c0: Uint8Array;
  /** The responses s_0..s_{n-1}, one per ring member, 32-byte little-endian scalars. */
  readonly responses: readonly Uint8Array[];
  /** The key image (linking tag) I = x·Hp(P), canonical ristretto255 encoding. */
  readonly keyImage: Uint8Array;
  /** CLSAG with an auxiliary key column only: D = z·Hp(P). */
  readonly auxImage?: Uint8Array;
}

/** Bytes before c_0: tag (4) + version + scheme + columns + u16 n. */
export const HEADER_LENGTH = 9;

/**
 * Encoded length of a signature over `n` members: `9 + 32·(n + 2)` (+ 32 with an auxiliary column).
 * @param n - ring size (2..1,024)
 * @param columns - 1 (default) or 2 (CLSAG with auxiliary keys)
 * @returns the signature length in bytes
 * @example signatureLength(11) // 425
 */
export function signatureLength(n: number, columns: 1 | 2 = 1): number {
  anumber(n, 'n', MIN_RING, MAX_RING);
  aoneOf(columns, [1, 2] as const, 'columns');
  return HEADER_LENGTH + 32 * (n + 2) + (columns === 2 ? 32 : 0);
}

/** Internal decoded form. */
export interface DecodedSignature {
  scheme: Scheme;
  columns: 1 | 2;
  c0: bigint;
  s: bigint[];
  I: Point;
  D: Point | undefined;
  IBytes: Uint8Array;
  DBytes: Uint8Array | undefined;
}

const malformed = (why: string): RingSigFormatError => new RingSigFormatError('malformed ring signature', { details: why });

/** Decodes and validates every field. Throws RingSigFormatError (RING_SIG_MALFORMED). */
export function decodeInternal(bytes: Uint8Array): DecodedSignature {
  if (bytes.length < HEADER_LENGTH) throw malformed('truncated header');
  for (let i = 0; i < 4; i++) if (bytes[i] !== TAG[i]) throw malformed('bad tag');
  if (bytes[4] !== VERSION) throw malformed('unsupported version');
  const schemeByte = bytes[5];
  const scheme: Scheme | undefined =
    schemeByte === SCHEME_ID.clsag ? 'clsag' : schemeByte === SCHEME_ID.blsag ? 'blsag' : undefined;
  if (!scheme) throw malformed('unknown scheme');
  const columns = bytes[6];
  if (columns !== 1 && !(columns === 2 && scheme === 'clsag')) throw malformed('bad column count');
  const n = (bytes[7]! << 8) | bytes[8]!;
  if (n < MIN_RING || n > MAX_RING) throw malformed('ring size out of range');
  if (bytes.length !== signatureLength(n, columns)) throw malformed('wrong length');
  let off = HEADER_LENGTH;
  const take = (): Uint8Array => bytes.subarray(off, (off += 32));
  const c0 = scalarFromBytes(take());
  if (c0 === undefined) throw malformed('non-canonical c_0');
  const s: bigint[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = scalarFromBytes(take());
    if (v === undefined) throw malformed(`non-canonical s_${i}`);
    s[i] = v;
  }
  const IBytes = Uint8Array.from(take());
  const I = pointFromBytes(IBytes);
  if (!I) throw malformed('key image is not a canonical non-identity element');
  let D: Point | undefined;
  let DBytes: Uint8Array | undefined;
  if (columns === 2) {
    DBytes = Uint8Array.from(take());
    D = pointFromBytes(DBytes);
    if (!D) throw malformed('auxiliary image is not a canonical non-identity element');
  }
  return { scheme, columns, c0, s, I, D, IBytes, DBytes };
}

/**
 * Encodes a signature object to its canonical wire form (FORMAT.md §3). Validates field types and lengths only;
 * {@link decode} validates canonicity.
 * @param signature - the signature object returned by `sign`
 * @returns the encoding, `signatureLength(n, columns)` bytes
 * @throws {InputError} wrong field types or lengths
 * @example const wire = encode(sign(msg, ring, sk))
 */
export function encode(signature: RingSignature): Uint8Array {
  const sig = aobject<RingSignature>(signature, 'signature', false)!;
  const scheme = aoneOf(sig.scheme, ['clsag', 'blsag'] as const, 'signature.scheme');
  abytes(sig.c0, 32, 'signature.c0');
  abytes(sig.keyImage, 32, 'signature.keyImage');
  if (!Array.isArray(sig.responses)) {
    throw new InputError('"signature.responses" expected array of Uint8Array', { code: 'INVALID_TYPE' });
  }
  const n = sig.responses.length;
  if (n < MIN_RING || n > MAX_RING) {
    throw new InputError(`"signature.responses" expected ${MIN_RING}..${MAX_RING} entries, got ${n}`, { code: 'INVALID_LENGTH' });
  }
  sig.responses.forEach((r, i) => abytes(r, 32, `signature.responses[${i}]`));
  const hasD = sig.auxImage !== undefined;
  if (hasD) {
    abytes(sig.auxImage, 32, 'signature.auxImage');
    if (scheme !== 'clsag') throw new InputError('"signature.auxImage" is only defined for CLSAG', { code: 'INVALID_VALUE' });
  }
  const out = new Uint8Array(signatureLength(n, hasD ? 2 : 1));
  out.set(TAG, 0);
  out[4] = VERSION;
  out[5] = SCHEME_ID[scheme];
  out[6] = hasD ? 2 : 1;
  out[7] = n >>> 8;
  out[8] = n & 0xff;
  let off = HEADER_LENGTH;
  const put = (b: Uint8Array) => {
    out.set(b, off);
    off += 32;
  };
  put(sig.c0);
  for (const r of sig.responses) put(r);
  put(sig.keyImage);
  if (hasD) put(sig.auxImage!);
  return out;
}

function toObject(d: DecodedSignature, bytes: Uint8Array): RingSignature {
  const n = d.s.length;
  const at = (k: number) => Uint8Array.from(bytes.subarray(HEADER_LENGTH + 32 * k, HEADER_LENGTH + 32 * (k + 1)));
  const responses = Object.freeze(Array.from({ length: n }, (_, i) => at(1 + i)));
  const base = { scheme: d.scheme, c0: at(0), responses, keyImage: d.IBytes };
  return Object.freeze(d.DBytes ? { ...base, auxImage: d.DBytes } : base);
}

/**
 * Decodes a wire-form signature, accepting only canonical encodings: known tag/version/scheme, exact length,
 * scalars `< ℓ`, canonical non-identity ristretto255 key image (and D).
 * @param bytes - the encoding
 * @returns the frozen signature object
 * @throws {InputError} not a Uint8Array
 * @throws {RingSigFormatError} `RING_SIG_MALFORMED`
 * @example const sig = decode(wire); verify(sig, msg, ring)
 */
export function decode(bytes: Uint8Array): RingSignature {
  abytes(bytes, undefined, 'signature');
  return toObject(decodeInternal(bytes), bytes);
}

/** Signature object or bytes → validated internal form (throws RingSigFormatError / InputError). */
export function parseSignature(sig: RingSignature | Uint8Array): DecodedSignature {
  return decodeInternal(isBytes(sig) ? sig : encode(sig));
}

/** Internal: builds the public object from decoded scalars/points. */
export function fromParts(d: { scheme: Scheme; c0: Uint8Array; s: Uint8Array[]; I: Uint8Array; D: Uint8Array | undefined }): RingSignature {
  const base = { scheme: d.scheme, c0: d.c0, responses: Object.freeze(d.s), keyImage: d.I };
  return Object.freeze(d.D ? { ...base, auxImage: d.D } : base);
}
