/**
 * Validation of untrusted Microsoft SEAL 4.1 serialization streams, in TypeScript, before SEAL sees a byte.
 *
 * Hostile bytes must never reach SEAL's own loader: a C++ exception crossing into JavaScript damages the module (node-seal
 * 6.0.3: ≤ 100–600 of them break every SEAL call in the process; node-seal 7.0.0: the shadow-stack pointer is left lower
 * each time, which `_seal.ts` repairs, and a failed operation leaks heap — bench/suites/seal-versions.ts), and SEAL's
 * loader inflates compressed streams before it validates anything (a 32 KB zstd frame inflates to 1 GiB). So this
 * module parses the whole stream itself — SEAL's serialization header, the (capped) decompression, the parms_id, every
 * size field, the scale and correction factor, and every RNS coefficient against its prime — and returns a canonical,
 * **uncompressed** stream that SEAL's loader accepts without throwing and without decompressing.
 *
 * Layout (SEAL 4.1 `Serialization`, `Ciphertext::save_members`, `DynArray::save_members`, `KSwitchKeys::save_members`;
 * all integers little-endian):
 *
 * ```
 * SEALHeader  : magic u16 = 0xA15E | header_size u8 = 16 | version_major u8 = 4 | version_minor u8 = 1
 *               | compr_mode u8 (0 none, 1 zlib, 2 zstd) | reserved u16 = 0 | size u64 (whole stream, header included)
 * Ciphertext  : SEALHeader ‖ [compressed] ( parms_id 4×u64 | is_ntt_form u8 | size u64 | poly_modulus_degree u64
 *               | coeff_modulus_size u64 | scale f64 | correction_factor u64 | DynArray<u64> )
 * DynArray    : SEALHeader(compr none) ‖ count u64 ‖ count × u64   (poly-major, then RNS component, then coefficient)
 * PublicKey   : a Ciphertext stream at the key level
 * GaloisKeys  : SEALHeader ‖ [compressed] ( parms_id | dim1 u64 = n | dim1 × ( dim2 u64 ‖ dim2 × PublicKey stream ) )
 * ```
 * @module
 */
import { HeFormatError } from './errors.js';

/** The part of node:zlib used here (zstd needs Node ≥ 22.15; the project's @types/node predates it). */
interface Zlib {
  zstdDecompressSync(
    data: Uint8Array,
    options: { maxOutputLength: number; chunkSize: number; params: Record<number, number> },
  ): Uint8Array;
  inflateSync(data: Uint8Array, options: { maxOutputLength: number; chunkSize: number }): Uint8Array;
  crc32?: (data: Uint8Array) => number;
  constants: { ZSTD_d_windowLogMax: number };
}

/**
 * node:zlib when running on Node (through `process.getBuiltinModule`, so browser bundles carry no `node:` import), or
 * undefined in browsers — where compressed SEAL streams are refused rather than inflated by SEAL without a cap.
 */
export function nodeZlib(): Zlib | undefined {
  if (zlibCache === null) {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    zlibCache = proc?.getBuiltinModule?.('node:zlib') as Zlib | undefined;
  }
  return zlibCache;
}
let zlibCache: Zlib | undefined | null = null;

/** SEAL serialization header length. */
const SEAL_HEADER = 16;
/** Ciphertext members before the DynArray: parms_id 32, ntt 1, size 8, n 8, k 8, scale 8, correction factor 8. */
const CT_FIXED = 73;
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
/** Size of a DynArray stream holding `count` u64 values. */
const dynSize = (count: number) => SEAL_HEADER + 8 + 8 * count;

/** The one shape a Ciphertext-format stream (ciphertext or public key) must have. */
export interface CtShape {
  /** Expected parms_id (32 bytes, as SEAL writes it). */
  readonly parmsId: Uint8Array;
  readonly ntt: boolean;
  /** Polynomials (SEAL `size`): 2 for fresh ciphertexts, sums and public keys. */
  readonly polys: number;
  readonly n: number;
  /** The RNS primes of this level, in order. */
  readonly primes: readonly bigint[];
  /** Exact expected scale (1 for BFV and keys). */
  readonly scale: number;
}

/** Shape of a Galois-key stream: exactly these key indices, each a list of `perKey` public-key streams. */
export interface GaloisShape {
  readonly parmsId: Uint8Array;
  /** SEAL key indices ((galois_elt − 1) / 2), all of which must be present, and no other. */
  readonly indices: readonly number[];
  /** Decomposition count (data primes). */
  readonly perKey: number;
  readonly key: CtShape;
}

function fail(what: string, why: string): never {
  throw new HeFormatError(`${what}: invalid SEAL stream (${why})`);
}

/** Reads a u64 that must fit a JS safe integer (larger values are refused, never rounded). */
function u64(v: DataView, off: number, what: string): number {
  const lo = v.getUint32(off, true);
  const hi = v.getUint32(off + 4, true);
  if (hi > 0x1fffff) fail(what, 'size field out of range');
  return hi * 2 ** 32 + lo;
}

/** Checks a SEAL header at `off` and returns (compression, declared size). */
function header(v: DataView, off: number, what: string): { compr: number; size: number } {
  if (v.byteLength - off < SEAL_HEADER) fail(what, 'truncated header');
  if (v.getUint16(off, true) !== 0xa15e) fail(what, 'bad magic');
  if (v.getUint8(off + 2) !== SEAL_HEADER) fail(what, 'bad header size');
  if (v.getUint8(off + 3) !== 4 || v.getUint8(off + 4) !== 1) fail(what, 'not a SEAL 4.1 stream');
  const compr = v.getUint8(off + 5);
  if (compr > 2) fail(what, 'unknown compression');
  if (v.getUint16(off + 6, true) !== 0) fail(what, 'reserved bits set');
  return { compr, size: u64(v, off + 8, what) };
}

function writeHeader(out: Uint8Array, off: number, size: number): void {
  const v = new DataView(out.buffer, out.byteOffset + off, SEAL_HEADER);
  v.setUint16(0, 0xa15e, true);
  v.setUint8(2, SEAL_HEADER);
  v.setUint8(3, 4);
  v.setUint8(4, 1);
  v.setUint8(5, 0);
  v.setUint16(6, 0, true);
  v.setUint32(8, size % 2 ** 32, true);
  v.setUint32(12, Math.floor(size / 2 ** 32), true);
}

/**
 * Opens the outer stream: header checks, then the members, decompressed with an output cap of exactly `members`
 * bytes (zstd's window is capped too, so a frame cannot make the decoder allocate more than the object's own size).
 * Returns a fresh canonical uncompressed stream (header rewritten to compression none) for further checks.
 */
function open(bytes: Uint8Array, members: number, what: string): Uint8Array {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { compr, size } = header(v, 0, what);
  if (size !== bytes.length) fail(what, 'declared size differs from the stream length');
  const body = bytes.subarray(SEAL_HEADER);
  // 3 spare leading bytes put a ciphertext's coefficients (stream offset 113) on a 4-byte boundary for checkCt
  const out = new Uint8Array(new ArrayBuffer(SEAL_HEADER + members + 3), 3, SEAL_HEADER + members);
  writeHeader(out, 0, out.length);
  if (compr === 0) {
    if (body.length !== members) fail(what, 'wrong size for these parameters');
    out.set(body, SEAL_HEADER);
    return out;
  }
  // SEAL data is uniformly random modulo primes of ≥ 36 bits stored in 64-bit words: honest streams compress by at
  // most ~1.7× (measured 1.2–1.5×). Refusing anything smaller than half its inflated size bounds the memory an upload
  // can make us allocate to 2× its own length — a small upload declaring 1,024 batches cannot claim 134 MB.
  if (body.length * 2 < members) fail(what, 'compression ratio beyond what SEAL data allows');
  const zlib = nodeZlib();
  if (!zlib) fail(what, 'compressed streams need node:zlib (not available here): send compression "none"');
  let plain: Uint8Array;
  try {
    plain =
      compr === 2
        ? zlib.zstdDecompressSync(body, {
            maxOutputLength: members,
            chunkSize: members + 1, // one output chunk: no re-concatenation (measured 1.07 → 0.63 ms per batch)
            params: { [zlib.constants.ZSTD_d_windowLogMax]: Math.max(10, Math.ceil(Math.log2(members)) + 1) },
          })
        : zlib.inflateSync(body, { maxOutputLength: members, chunkSize: members + 1 });
  } catch {
    fail(what, 'compressed data is corrupt or inflates beyond the size these parameters allow');
  }
  if (plain.length !== members) fail(what, 'wrong size for these parameters');
  out.set(plain, SEAL_HEADER);
  return out;
}

/** Uncompressed members length of a Ciphertext-format stream of this shape. */
function ctMembers(s: CtShape): number {
  return CT_FIXED + dynSize(s.polys * s.primes.length * s.n);
}

/**
 * Checks Ciphertext members starting at `off` (just after a SEAL header) against the shape; every coefficient must be
 * below its prime; the last polynomial must not be all zero (a transparent ciphertext, which SEAL refuses).
 */
function checkCt(v: DataView, off: number, s: CtShape, what: string): void {
  for (let i = 0; i < 32; i++) if (v.getUint8(off + i) !== s.parmsId[i]) fail(what, 'parms_id is not the one these parameters and level give');
  off += 32;
  if (v.getUint8(off) !== (s.ntt ? 1 : 0)) fail(what, 'wrong NTT form');
  off += 1;
  const k = s.primes.length;
  if (u64(v, off, what) !== s.polys) fail(what, 'wrong number of polynomials');
  if (u64(v, off + 8, what) !== s.n) fail(what, 'wrong polynomial degree');
  if (u64(v, off + 16, what) !== k) fail(what, 'wrong number of RNS primes for this level');
  if (v.getFloat64(off + 24, true) !== s.scale) fail(what, 'scale is not exactly the one this level implies');
  if (u64(v, off + 32, what) !== 1) fail(what, 'correction factor must be 1');
  off += 40;
  const count = s.polys * k * s.n;
  const dh = header(v, off, what);
  if (dh.compr !== 0 || dh.size !== dynSize(count)) fail(what, 'bad coefficient array header');
  off += SEAL_HEADER;
  if (u64(v, off, what) !== count) fail(what, 'bad coefficient count');
  off += 8;
  let lastNonZero = 0;
  const abs = v.byteOffset + off;
  if (LITTLE_ENDIAN && abs % 4 === 0) {
    // fast path: the coefficient words as a Uint32Array view (lo, hi pairs)
    const w = new Uint32Array(v.buffer, abs, 2 * count);
    let i = 0;
    for (let p = 0; p < s.polys; p++) {
      for (let j = 0; j < k; j++) {
        const q = s.primes[j]!;
        const qhi = Number(q >> 32n);
        const qlo = Number(q & 0xffffffffn);
        let nz = 0;
        for (const end = i + 2 * s.n; i < end; i += 2) {
          const lo = w[i]!;
          const hi = w[i + 1]!;
          if (hi > qhi || (hi === qhi && lo >= qlo)) fail(what, 'a coefficient is not reduced modulo its prime');
          nz |= lo | hi;
        }
        if (p === s.polys - 1) lastNonZero |= nz;
      }
    }
    if (lastNonZero === 0) fail(what, 'transparent ciphertext (its mask polynomial is zero)');
    return;
  }
  for (let p = 0; p < s.polys; p++) {
    for (let j = 0; j < k; j++) {
      const q = s.primes[j]!;
      const qhi = Number(q >> 32n);
      const qlo = Number(q & 0xffffffffn);
      let nz = 0;
      for (let c = 0; c < s.n; c++, off += 8) {
        const lo = v.getUint32(off, true);
        const hi = v.getUint32(off + 4, true);
        if (hi > qhi || (hi === qhi && lo >= qlo)) fail(what, 'a coefficient is not reduced modulo its prime');
        nz |= lo | hi;
      }
      if (p === s.polys - 1) lastNonZero |= nz;
    }
  }
  if (lastNonZero === 0) fail(what, 'transparent ciphertext (its mask polynomial is zero)');
}

/**
 * Validates an untrusted Ciphertext-format stream (a ciphertext batch or a public key) and returns the canonical
 * uncompressed stream for SEAL's loader.
 * @throws {HeFormatError} anything that does not match the shape exactly
 */
export function validateCtStream(bytes: Uint8Array, shape: CtShape, what: string): Uint8Array {
  const out = open(bytes, ctMembers(shape), what);
  checkCt(new DataView(out.buffer, out.byteOffset, out.byteLength), SEAL_HEADER, shape, what);
  return out;
}

/**
 * Validates an untrusted GaloisKeys stream: exactly the expected key indices, each `perKey` public-key streams of the
 * key shape (every coefficient checked). Returns the canonical uncompressed stream.
 * @throws {HeFormatError}
 */
export function validateGaloisStream(bytes: Uint8Array, shape: GaloisShape, what: string): Uint8Array {
  const dim1 = shape.key.n; // SEAL sizes the key table to n entries (index = (galois_elt − 1) / 2 < n)
  const want = new Set(shape.indices);
  const pk = SEAL_HEADER + ctMembers(shape.key);
  const members = 32 + 8 + 8 * dim1 + want.size * shape.perKey * pk;
  const out = open(bytes, members, what);
  const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
  let off = SEAL_HEADER;
  for (let i = 0; i < 32; i++) if (v.getUint8(off + i) !== shape.parmsId[i]) fail(what, 'parms_id is not the key level of these parameters');
  off += 32;
  if (u64(v, off, what) !== dim1) fail(what, 'wrong key table size');
  off += 8;
  for (let idx = 0; idx < dim1; idx++) {
    const dim2 = u64(v, off, what);
    off += 8;
    if (dim2 !== (want.has(idx) ? shape.perKey : 0)) fail(what, 'key set differs from the rotations a total sum needs');
    for (let j = 0; j < dim2; j++) {
      const h = header(v, off, what);
      if (h.compr !== 0 || h.size !== pk) fail(what, 'bad key header');
      checkCt(v, off + SEAL_HEADER, shape.key, what);
      off += pk;
    }
  }
  if (off !== out.length) fail(what, 'trailing bytes');
  return out;
}
