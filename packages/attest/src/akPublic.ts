/**
 * Attestation-key public parts: SPKI PEM (RFC 5280 §4.1.2.7, RFC 7468 §13; EC RFC 5480, Ed25519 RFC 8410, RSA
 * RFC 8017 A.1.1, SM2 GB/T 35276 OID 1.2.156.10197.1.301) and TPMT_PUBLIC / TPM2B_PUBLIC (TPM 2.0 Library Part 2
 * §12.2.4–5) with the TPM object name (Part 1 §16: `nameAlg ‖ H_nameAlg(TPMT_PUBLIC)`).
 * @module
 */
import { abytes, aobject, aoneOf, bytesToHex, concatBytes, hexToBytes, InputError, isBytes, u16BE } from '@privkit/core';
import { derUint, parseUint, readOne, readTlvs, tlv } from './_der.js';
import { algToHash, hashFn, hashToAlg, MAX_DIGEST, Reader, TPM_ALG, TPM_ECC, Writer, type TpmHashId } from './_tpm.js';
import { TpmEncodingError } from './errors.js';

/** Key kinds a quote verifier accepts. */
export type AkKeyType = 'rsa' | 'p256' | 'p384' | 'sm2' | 'ed25519';

/** The signing scheme a TPMT_PUBLIC restricts a key to (TPM_ALG_NULL = any). */
export interface AkScheme {
  /** `rsassa | rsapss | ecdsa | sm2 | eddsa`, or `null` for TPM_ALG_NULL. */
  readonly sigAlg: 'rsassa' | 'rsapss' | 'ecdsa' | 'sm2' | 'eddsa' | null;
  /** TPM_ALG_ID of the scheme hash, when the scheme has one. */
  readonly hashAlg?: number;
}

/** A parsed attestation-key public part, from either encoding. */
export interface AkPublicKey {
  readonly type: AkKeyType;
  /**
   * The key: RSA modulus (big-endian), uncompressed SEC1 point (`04‖x‖y`) for p256/p384/sm2, or the 32-byte
   * RFC 8032 encoding for ed25519.
   */
  readonly key: Uint8Array;
  /** RSA public exponent (other types: 0n). */
  readonly exponent: bigint;
  /** Present when parsed from / built as a TPMT_PUBLIC. */
  readonly tpmtPublic?: Uint8Array;
  /** TPM name `nameAlg ‖ H(TPMT_PUBLIC)`, when a TPMT_PUBLIC is known. */
  readonly name?: Uint8Array;
  /** Name algorithm of the TPMT_PUBLIC, when known. */
  readonly nameAlg?: TpmHashId;
  /** The scheme restriction from the TPMT_PUBLIC, when known. */
  readonly scheme?: AkScheme;
  /** TPMA_OBJECT of the TPMT_PUBLIC, when known. */
  readonly objectAttributes?: number;
}

/** TPMA_OBJECT bits (TPM 2.0 Library Part 2 §8.3). */
export const TPMA_OBJECT = Object.freeze({
  fixedTPM: 1 << 1,
  fixedParent: 1 << 4,
  sensitiveDataOrigin: 1 << 5,
  userWithAuth: 1 << 6,
  restricted: 1 << 16,
  decrypt: 1 << 17,
  sign: 1 << 18,
  /** Bits that must be clear: 0, 3, 8–9, 12–15, 20–31. */
  reserved: 0xfff0f309,
} as const);

const OID = Object.freeze({
  ecPublicKey: '2a8648ce3d0201',
  p256: '2a8648ce3d030107',
  p384: '2b81040022',
  sm2: '2a811ccf5501822d',
  ed25519: '2b6570',
  rsaEncryption: '2a864886f70d010101',
} as const);

const CURVE_LEN: Readonly<Record<'p256' | 'p384' | 'sm2', number>> = Object.freeze({ p256: 32, p384: 48, sm2: 32 });

function pemBody(pem: string): Uint8Array {
  const BEGIN = '-----BEGIN PUBLIC KEY-----';
  const END = '-----END PUBLIC KEY-----';
  const text = pem.trim();
  if (!text.startsWith(BEGIN) || !text.endsWith(END) || text.length < BEGIN.length + END.length) {
    throw new TpmEncodingError('SPKI: expected a "-----BEGIN PUBLIC KEY-----" PEM block');
  }
  const b64 = text.slice(BEGIN.length, text.length - END.length).replace(/[ \t\r\n]/g, '');
  if (b64.length === 0 || b64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw new TpmEncodingError('SPKI: bad base64');
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function toPem(der: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < der.length; i++) bin += String.fromCharCode(der[i]!);
  const b64 = btoa(bin);
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`;
}

function checkPoint(type: 'p256' | 'p384' | 'sm2', point: Uint8Array, what: string): void {
  const len = CURVE_LEN[type];
  if (point.length !== 1 + 2 * len || point[0] !== 0x04) {
    throw new TpmEncodingError(`${what}: expected an uncompressed ${type} point of ${1 + 2 * len} bytes`);
  }
}

/**
 * Parses a DER SubjectPublicKeyInfo (RSA, EC P-256/P-384/SM2, Ed25519).
 * @throws {TpmEncodingError} on malformed DER or an unsupported algorithm
 */
export function parseSpkiDer(der: Uint8Array): AkPublicKey {
  const what = 'SPKI';
  const seq = readTlvs(readOne(der, 0x30, what), what);
  if (seq.length !== 2 || seq[0]!.tag !== 0x30 || seq[1]!.tag !== 0x03) throw new TpmEncodingError(`${what}: bad structure`);
  const alg = readTlvs(seq[0]!.content, what);
  const bits = seq[1]!.content;
  if (bits.length < 1 || bits[0] !== 0) throw new TpmEncodingError(`${what}: BIT STRING has unused bits`);
  const keyBytes = bits.subarray(1);
  if (alg.length < 1 || alg[0]!.tag !== 0x06) throw new TpmEncodingError(`${what}: missing algorithm OID`);
  const oid = bytesToHex(alg[0]!.content);
  if (oid === OID.ed25519) {
    if (alg.length !== 1 || keyBytes.length !== 32) throw new TpmEncodingError(`${what}: bad Ed25519 key`);
    return Object.freeze({ type: 'ed25519', key: Uint8Array.from(keyBytes), exponent: 0n });
  }
  if (oid === OID.ecPublicKey) {
    if (alg.length !== 2 || alg[1]!.tag !== 0x06) throw new TpmEncodingError(`${what}: EC key without named curve`);
    const c = bytesToHex(alg[1]!.content);
    const type = c === OID.p256 ? 'p256' : c === OID.p384 ? 'p384' : c === OID.sm2 ? 'sm2' : undefined;
    if (type === undefined) throw new TpmEncodingError(`${what}: unsupported curve`, { code: 'TPM_UNSUPPORTED_ALG' });
    checkPoint(type, keyBytes, what);
    return Object.freeze({ type, key: Uint8Array.from(keyBytes), exponent: 0n });
  }
  if (oid === OID.rsaEncryption) {
    if (alg.length !== 2 || alg[1]!.tag !== 0x05 || alg[1]!.content.length !== 0) {
      throw new TpmEncodingError(`${what}: rsaEncryption parameters must be NULL`);
    }
    const ints = readTlvs(readOne(keyBytes, 0x30, what), what);
    if (ints.length !== 2 || ints[0]!.tag !== 0x02 || ints[1]!.tag !== 0x02) throw new TpmEncodingError(`${what}: bad RSAPublicKey`);
    const n = parseUint(ints[0]!.content, what);
    const e = parseUint(ints[1]!.content, what);
    return rsaKey(n, e.length > 8 ? -1n : BigInt(`0x${bytesToHex(e)}`), what);
  }
  throw new TpmEncodingError(`${what}: unsupported algorithm`, { code: 'TPM_UNSUPPORTED_ALG' });
}

function rsaKey(n: Uint8Array, e: bigint, what: string, extra: Partial<AkPublicKey> = {}): AkPublicKey {
  const bits = n.length * 8 - Math.clz32(n[0]!) + 24;
  if (n.length === 0 || n[0] === 0 || bits < 1024 || bits > 8192 || (n[n.length - 1]! & 1) === 0) {
    throw new TpmEncodingError(`${what}: RSA modulus must be odd, 1024..8192 bits`);
  }
  if (e < 3n || (e & 1n) === 0n || e >= 1n << 32n) throw new TpmEncodingError(`${what}: bad RSA exponent`);
  return Object.freeze({ type: 'rsa', key: Uint8Array.from(n), exponent: e, ...extra });
}

/** Encodes a public key as DER SubjectPublicKeyInfo. */
export function encodeSpkiDer(pub: AkPublicKey): Uint8Array {
  const oid = (h: string) => tlv(0x06, hexToBytes(h));
  if (pub.type === 'ed25519') {
    return tlv(0x30, concatBytes(tlv(0x30, oid(OID.ed25519)), tlv(0x03, concatBytes(new Uint8Array(1), pub.key))));
  }
  if (pub.type === 'rsa') {
    let eh = pub.exponent.toString(16);
    if (eh.length % 2) eh = `0${eh}`;
    const rsaPub = tlv(0x30, concatBytes(derUint(pub.key), derUint(hexToBytes(eh))));
    return tlv(
      0x30,
      concatBytes(tlv(0x30, concatBytes(oid(OID.rsaEncryption), tlv(0x05, new Uint8Array(0)))), tlv(0x03, concatBytes(new Uint8Array(1), rsaPub))),
    );
  }
  return tlv(
    0x30,
    concatBytes(tlv(0x30, concatBytes(oid(OID.ecPublicKey), oid(OID[pub.type]))), tlv(0x03, concatBytes(new Uint8Array(1), pub.key))),
  );
}

/**
 * Encodes a public key as an SPKI PEM string ("-----BEGIN PUBLIC KEY-----").
 *
 * RFC 5280 §4.1.2.7, RFC 7468 §13.
 * @param pub - a parsed public key (e.g. `key.publicKey`)
 * @returns the PEM text, 64-column base64, trailing newline
 * @throws {InputError} when `pub` is not an AkPublicKey
 * @example
 * ```ts
 * const pem = spkiPem(createAttestationKey().publicKey); // accepted by openssl and tpm2_checkquote -u
 * ```
 */
export function spkiPem(pub: AkPublicKey): string {
  const p = aobject<AkPublicKey>(pub, 'pub', false)!;
  aoneOf(p.type, ['rsa', 'p256', 'p384', 'sm2', 'ed25519'] as const, 'pub.type');
  abytes(p.key, undefined, 'pub.key');
  return toPem(encodeSpkiDer(p));
}

const SIG_OF: Readonly<Record<number, AkScheme['sigAlg']>> = Object.freeze({
  [TPM_ALG.NULL]: null,
  [TPM_ALG.RSASSA]: 'rsassa',
  [TPM_ALG.RSAPSS]: 'rsapss',
  [TPM_ALG.ECDSA]: 'ecdsa',
  [TPM_ALG.SM2]: 'sm2',
  [TPM_ALG.EDDSA]: 'eddsa',
});
const SCHEME_ALG: Readonly<Record<string, number>> = Object.freeze({
  rsassa: TPM_ALG.RSASSA,
  rsapss: TPM_ALG.RSAPSS,
  ecdsa: TPM_ALG.ECDSA,
  sm2: TPM_ALG.SM2,
  eddsa: TPM_ALG.EDDSA,
});
/** Schemes whose details are a TPMS_SCHEME_HASH (one hashAlg). 0x0015 RSAES and EdDSA have none; ECDAA adds a count. */
const HASH_SCHEMES = new Set([0x0014, 0x0016, 0x0017, 0x0018, 0x0019, 0x001b, 0x001c, 0x001d, 0x0020]);
const ECDAA = 0x001a;

function readSymmetric(r: Reader): void {
  const alg = r.u16('symmetric.algorithm');
  if (alg !== TPM_ALG.NULL) {
    r.u16('symmetric.keyBits');
    r.u16('symmetric.mode');
  }
}

function readScheme(r: Reader): { scheme: number; hashAlg?: number } {
  const scheme = r.u16('scheme.scheme');
  if (scheme === TPM_ALG.NULL || scheme === 0x0015 || scheme === TPM_ALG.EDDSA || scheme === 0x0061) return { scheme };
  if (HASH_SCHEMES.has(scheme)) return { scheme, hashAlg: r.u16('scheme.hashAlg') };
  if (scheme === ECDAA) {
    const hashAlg = r.u16('scheme.hashAlg');
    r.u16('scheme.count');
    return { scheme, hashAlg };
  }
  throw new TpmEncodingError(`TPMT_PUBLIC: unsupported scheme 0x${scheme.toString(16)}`, { code: 'TPM_UNSUPPORTED_ALG' });
}

/**
 * Parses a TPMT_PUBLIC (RSA or ECC with NIST P-256/P-384, SM2 P-256 or Curve25519), strictly, and computes its name.
 *
 * TPM 2.0 Library Part 2 §12.2.4 (TPMT_PUBLIC), Part 1 §16 (names).
 * @param bytes - the marshalled TPMT_PUBLIC
 * @returns the key with `tpmtPublic`, `name`, `nameAlg` and `scheme`
 * @throws {InputError} when not bytes; {@link TpmEncodingError} on malformed input or unsupported algorithms
 * @example
 * ```ts
 * const ak = parseTpmtPublic(publicArea); ak.name // 000b…
 * ```
 */
export function parseTpmtPublic(bytes: Uint8Array): AkPublicKey {
  abytes(bytes, undefined, 'tpmtPublic');
  const what = 'TPMT_PUBLIC';
  if (bytes.length > 1024) throw new TpmEncodingError(`${what}: exceeds 1024 bytes`);
  const r = new Reader(bytes, what);
  const type = r.u16('type');
  const nameAlgId = r.u16('nameAlg');
  const nameAlg = algToHash(nameAlgId);
  if (nameAlg === undefined) throw new TpmEncodingError(`${what}: unsupported nameAlg`, { code: 'TPM_UNSUPPORTED_ALG' });
  const objectAttributes = r.u32('objectAttributes');
  if ((objectAttributes & TPMA_OBJECT.reserved) !== 0) throw new TpmEncodingError(`${what}: reserved objectAttributes bits set`);
  r.tpm2b('authPolicy', MAX_DIGEST);
  const tpmtPublic = Uint8Array.from(bytes);
  const name = concatBytes(u16BE(nameAlgId), hashFn(nameAlg)(tpmtPublic));
  let out: AkPublicKey;
  if (type === TPM_ALG.RSA) {
    readSymmetric(r);
    const sch = readScheme(r);
    const keyBits = r.u16('keyBits');
    const exp = r.u32('exponent');
    const n = r.tpm2b('unique.rsa', 512);
    r.end();
    if (n.length * 8 !== keyBits) throw new TpmEncodingError(`${what}: modulus length does not match keyBits`);
    const scheme = schemeOf(sch, what);
    out = rsaKey(n, exp === 0 ? 65537n : BigInt(exp), what, { tpmtPublic, name, nameAlg, scheme, objectAttributes });
  } else if (type === TPM_ALG.ECC) {
    readSymmetric(r);
    const sch = readScheme(r);
    const curve = r.u16('curveID');
    const kdf = r.u16('kdf.scheme');
    if (kdf !== TPM_ALG.NULL) r.u16('kdf.hashAlg');
    const x = r.tpm2b('unique.x', 66);
    const y = r.tpm2b('unique.y', 66);
    r.end();
    const scheme = schemeOf(sch, what);
    if (curve === TPM_ECC.CURVE_25519) {
      if (x.length !== 32 || y.length !== 0) throw new TpmEncodingError(`${what}: Ed25519 key must be x = 32 bytes, y empty`);
      out = Object.freeze({ type: 'ed25519', key: x, exponent: 0n, tpmtPublic, name, nameAlg, scheme, objectAttributes });
    } else {
      const t = curve === TPM_ECC.NIST_P256 ? 'p256' : curve === TPM_ECC.NIST_P384 ? 'p384' : curve === TPM_ECC.SM2_P256 ? 'sm2' : undefined;
      if (t === undefined) throw new TpmEncodingError(`${what}: unsupported curve 0x${curve.toString(16)}`, { code: 'TPM_UNSUPPORTED_ALG' });
      const len = CURVE_LEN[t];
      if (x.length > len || y.length > len) throw new TpmEncodingError(`${what}: coordinate longer than the curve`);
      const point = new Uint8Array(1 + 2 * len);
      point[0] = 4;
      point.set(x, 1 + len - x.length);
      point.set(y, 1 + 2 * len - y.length);
      out = Object.freeze({ type: t, key: point, exponent: 0n, tpmtPublic, name, nameAlg, scheme, objectAttributes });
    }
  } else {
    throw new TpmEncodingError(`${what}: unsupported type 0x${type.toString(16)}`, { code: 'TPM_UNSUPPORTED_ALG' });
  }
  return out;
}

function schemeOf(s: { scheme: number; hashAlg?: number }, what: string): AkScheme {
  const sigAlg = SIG_OF[s.scheme];
  if (sigAlg === undefined) throw new TpmEncodingError(`${what}: key is not a signing key`, { code: 'TPM_UNSUPPORTED_ALG' });
  return Object.freeze(s.hashAlg === undefined ? { sigAlg } : { sigAlg, hashAlg: s.hashAlg });
}

/** objectAttributes of an AK: fixedTPM | fixedParent | sensitiveDataOrigin | userWithAuth | restricted | sign. */
export const AK_OBJECT_ATTRIBUTES = 0x00050072;

/**
 * Builds the TPMT_PUBLIC of a software attestation key (ECC type; RSA keys are verify-only here) and parses it back,
 * so the result has `name`. ECDSA P-256: scheme ECDSA/SHA-256, curve NIST_P256. SM2: scheme SM2/SM3_256, curve
 * SM2_P256, nameAlg SM3_256. Ed25519: scheme EDDSA (no details), curve CURVE_25519, `unique.x` = the 32-byte key and
 * `unique.y` empty (a documented encoding; TPM 2.0 v1.85 leaves it to the curve).
 */
export function buildTpmtPublic(type: 'p256' | 'sm2' | 'ed25519', key: Uint8Array): AkPublicKey {
  const nameAlg: TpmHashId = type === 'sm2' ? 'sm3' : 'sha256';
  const w = new Writer()
    .u16(TPM_ALG.ECC)
    .u16(hashToAlg(nameAlg))
    .u32(AK_OBJECT_ATTRIBUTES)
    .tpm2b(new Uint8Array(0))
    .u16(TPM_ALG.NULL);
  if (type === 'ed25519') {
    w.u16(SCHEME_ALG.eddsa!).u16(TPM_ECC.CURVE_25519).u16(TPM_ALG.NULL).tpm2b(key).tpm2b(new Uint8Array(0));
  } else {
    const len = CURVE_LEN[type];
    w.u16(type === 'sm2' ? TPM_ALG.SM2 : TPM_ALG.ECDSA)
      .u16(type === 'sm2' ? TPM_ALG.SM3_256 : TPM_ALG.SHA256)
      .u16(type === 'sm2' ? TPM_ECC.SM2_P256 : TPM_ECC.NIST_P256)
      .u16(TPM_ALG.NULL)
      .tpm2b(key.subarray(1, 1 + len))
      .tpm2b(key.subarray(1 + len));
  }
  return parseTpmtPublic(w.finish());
}

/**
 * Parses an attestation-key public part given as an SPKI PEM string, a TPMT_PUBLIC or a TPM2B_PUBLIC (a UINT16 size
 * equal to the remaining length, as `tpm2_createak -u` / `tpm2_readpublic -f tss` write it).
 *
 * @param input - PEM text, or TPMT_PUBLIC / TPM2B_PUBLIC bytes, or an already parsed {@link AkPublicKey}
 * @returns the parsed key
 * @throws {InputError} on a wrong type; {@link TpmEncodingError} on malformed or unsupported keys
 * @example
 * ```ts
 * const ak = parseAkPublicKey(readFileSync('ak.pub')); // TPM2B_PUBLIC from tpm2_createak
 * ```
 */
export function parseAkPublicKey(input: string | Uint8Array | AkPublicKey): AkPublicKey {
  if (typeof input === 'string') {
    if (input.length > 16384) throw new InputError('"akPublicKey" PEM longer than 16384 characters', { code: 'INVALID_LENGTH' });
    return parseSpkiDer(pemBody(input));
  }
  if (isBytes(input)) {
    if (input.length >= 2 && ((input[0]! << 8) | input[1]!) === input.length - 2) return parseTpmtPublic(input.subarray(2));
    return parseTpmtPublic(input);
  }
  const o = aobject<AkPublicKey>(input, 'akPublicKey', false)!;
  aoneOf(o.type, ['rsa', 'p256', 'p384', 'sm2', 'ed25519'] as const, 'akPublicKey.type');
  abytes(o.key, undefined, 'akPublicKey.key');
  if (o.tpmtPublic !== undefined) return parseTpmtPublic(abytes(o.tpmtPublic, undefined, 'akPublicKey.tpmtPublic'));
  return parseSpkiDer(encodeSpkiDer(o));
}

/**
 * Computes a TPM object name: `nameAlg (UINT16) ‖ H_nameAlg(TPMT_PUBLIC)` (TPM 2.0 Library Part 1 §16).
 * @param tpmtPublic - the marshalled TPMT_PUBLIC
 * @param nameAlg - hash id (default `sha256`)
 * @returns the name (2 + digest length bytes)
 * @throws {InputError} on bad arguments
 * @example
 * ```ts
 * bytesToHex(tpmName(publicArea)); // '000b…'
 * ```
 */
export function tpmName(tpmtPublic: Uint8Array, nameAlg: 'sha1' | 'sha256' | 'sha384' | 'sm3' = 'sha256'): Uint8Array {
  abytes(tpmtPublic, undefined, 'tpmtPublic');
  const alg = aoneOf(nameAlg, ['sha1', 'sha256', 'sha384', 'sm3'] as const, 'nameAlg');
  return concatBytes(u16BE(hashToAlg(alg)), hashFn(alg)(tpmtPublic));
}
