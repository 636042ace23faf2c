/**
 * Key cards (FORMAT.md §2): a public key of any supported type with a label, an optional suite name and a
 * fingerprint, in a compact checksummed payload. An X25519 key card with a label of up to 14 bytes fits QR
 * version 4 at ECC level M.
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { abytes, aobject, aoneOf, astring, concatBytes, equalBytes, InputError, utf8ToBytes } from '@privkit/core';
import { dflt, header, labelBytes, MAX_LABEL_BYTES, Reader, withChecksum, Writer } from './_format.js';
import { KEY_SPECS, KEY_TYPES, keyTypeById, normalizeKey, type KeyType } from './_keys.js';
import { QrFormatError } from './errors.js';

export { KEY_TYPES, type KeyType } from './_keys.js';

/**
 * Registered suite names and their one-byte wire ids (FORMAT.md §2.2); any other name up to 32 printable ASCII
 * characters is carried as text (id 0xFF). Ids 1–31 are the `@privkit/envelope` suite names (HPKE RFC 9180 §7
 * KEM-KDF-AEAD and the PrivKit extensions), 32–63 signature schemes. Frozen; ids never change.
 */
export const KEY_CARD_SUITES = Object.freeze({
  'X25519-SHA256-AES-128-GCM': 1,
  'X25519-SHA256-AES-256-GCM': 2,
  'X25519-SHA256-CHACHA20POLY1305': 3,
  'P256-SHA256-AES-128-GCM': 4,
  'P256-SHA256-AES-256-GCM': 5,
  'P384-SHA384-AES-256-GCM': 6,
  'P521-SHA512-AES-256-GCM': 7,
  'X448-SHA512-AES-256-GCM': 8,
  'X448-SHA512-CHACHA20POLY1305': 9,
  'SECP256K1-SHA256-AES-256-GCM': 10,
  'SM2-SM3-SM4': 11,
  'CHEBYSHEV3072-SHA256-AES-256-GCM': 12,
  'CHEBYSHEV2048-SHA256-AES-256-GCM': 13,
  Ed25519: 32,
  Ed448: 33,
  'ECDSA-P256-SHA256': 34,
  'ECDSA-SECP256K1-SHA256': 35,
  'SM2-SIG-SM3': 36,
  'CLSAG-RISTRETTO255': 37,
  'BLSAG-RISTRETTO255': 38,
} as const);

const SUITE_CUSTOM = 0xff;
const MAX_SUITE = 32;
/** Length of the fingerprint prefix stored in the payload. */
export const FINGERPRINT_WIRE_LENGTH = 8;
const FP_DOMAIN = utf8ToBytes('privkit/qr/fingerprint/v1');

/** What {@link encodeKeyCard} takes. */
export interface KeyCardInput {
  /** Key type, one of {@link KEY_TYPES}. */
  keyType: KeyType;
  /** The public key: raw for X/Ed/ristretto keys, SEC1 compressed or uncompressed for Weierstrass curves. */
  publicKey: Uint8Array;
  /** Human-readable label, at most 64 UTF-8 bytes (NFC). Default ''. */
  label?: string;
  /** Suite the key is meant for (a {@link KEY_CARD_SUITES} name or any printable ASCII up to 32 chars). */
  suite?: string;
}

/** A decoded key card. */
export interface KeyCard {
  readonly type: 'keyCard';
  readonly keyType: KeyType;
  /** Canonical public key: raw, or SEC1 uncompressed for Weierstrass curves. */
  readonly publicKey: Uint8Array;
  readonly label: string;
  /** Suite name, or undefined when none was given. */
  readonly suite: string | undefined;
  /** Full 32-byte fingerprint (see {@link keyFingerprint}); the payload carries and checks its first 8 bytes. */
  readonly fingerprint: Uint8Array;
}

/**
 * Fingerprint of a public key: SHA-256("privkit/qr/fingerprint/v1" ‖ keyTypeId ‖ canonical key) (FORMAT.md §2.3).
 * Independent of label and suite, so the same key always has the same fingerprint.
 * @param keyType - key type
 * @param publicKey - the public key (any accepted encoding)
 * @returns 32 bytes
 * @throws {InputError} for wrong argument types or lengths
 * @throws {KeyError} for an invalid key
 * @example bytesToHex(keyFingerprint('x25519', pk)).slice(0, 16)
 */
export function keyFingerprint(keyType: KeyType, publicKey: Uint8Array): Uint8Array {
  const t = aoneOf(keyType, KEY_TYPES, 'keyType');
  abytes(publicKey, KEY_SPECS[t].lengths, 'publicKey');
  return fp(t, normalizeKey(t, publicKey).canonical);
}

function fp(t: KeyType, canonical: Uint8Array): Uint8Array {
  return sha256(concatBytes(FP_DOMAIN, Uint8Array.of(KEY_SPECS[t].id), canonical));
}

function checkSuite(s: string): void {
  if (!/^[\x21-\x7e]{1,32}$/.test(s)) {
    throw new InputError(`"suite" expected 1..${MAX_SUITE} printable ASCII characters, got ${JSON.stringify(s.slice(0, 40))}`, {
      code: 'INVALID_VALUE',
    });
  }
}

/**
 * Encodes a key card payload (FORMAT.md §2).
 * @param input - `{keyType, publicKey, label?, suite?}`
 * @returns the payload bytes (render them with {@link toQr})
 * @throws {InputError} for wrong types, lengths, a label over 64 bytes or an invalid suite name
 * @throws {KeyError} INVALID_KEY for an invalid, identity or small-order public key
 * @example
 * ```ts
 * const card = encodeKeyCard({ keyType: 'x25519', publicKey: pk, label: 'gateway-7' });
 * const [frame] = toQr(card);
 * ```
 */
export function encodeKeyCard(input: KeyCardInput): Uint8Array {
  const o = aobject<KeyCardInput>(input, 'input', false)!;
  const keyType = aoneOf(o.keyType, KEY_TYPES, 'keyType');
  const pk = abytes(o.publicKey, KEY_SPECS[keyType].lengths, 'publicKey');
  const label = labelBytes(astring(dflt(o.label, ''), 'label', MAX_LABEL_BYTES));
  if (label.length > MAX_LABEL_BYTES) {
    throw new InputError(`"label" expected at most ${MAX_LABEL_BYTES} UTF-8 bytes, got ${label.length}`, { code: 'INVALID_LENGTH' });
  }
  const { wire, canonical } = normalizeKey(keyType, pk);
  const w = new Writer().u8(header('keyCard')).u8(KEY_SPECS[keyType].id);
  if (o.suite === undefined) w.u8(0);
  else {
    const s = astring(o.suite, 'suite', 64);
    const id = (KEY_CARD_SUITES as Record<string, number>)[s];
    if (id !== undefined) w.u8(id);
    else {
      checkSuite(s);
      w.u8(SUITE_CUSTOM).str8(utf8ToBytes(s));
    }
  }
  w.str8(label).bytes(wire).bytes(fp(keyType, canonical).subarray(0, FINGERPRINT_WIRE_LENGTH));
  return withChecksum(w.finish());
}

/** Parses a key-card body (header and checksum already checked). @internal */
export function _parseKeyCard(body: Uint8Array): KeyCard {
  const r = new Reader(body);
  r.u8('header');
  const id = r.u8('key type');
  const keyType = keyTypeById(id);
  if (keyType === undefined) throw new QrFormatError(`unknown key type ${id}`, { code: 'QR_UNKNOWN_TYPE' });
  const sid = r.u8('suite');
  let suite: string | undefined;
  if (sid === SUITE_CUSTOM) {
    suite = r.str8('suite', MAX_SUITE);
    try {
      checkSuite(suite);
    } catch (cause) {
      throw new QrFormatError('invalid suite name', { code: 'QR_MALFORMED', cause });
    }
  } else if (sid !== 0) {
    suite = Object.keys(KEY_CARD_SUITES).find((k) => (KEY_CARD_SUITES as Record<string, number>)[k] === sid);
    if (suite === undefined) throw new QrFormatError(`unknown suite id ${sid}`, { code: 'QR_UNKNOWN_TYPE' });
  }
  const label = r.str8('label');
  const wire = r.bytes(KEY_SPECS[keyType].wire, 'public key');
  const fpWire = r.bytes(FINGERPRINT_WIRE_LENGTH, 'fingerprint');
  r.end('key card');
  let canonical: Uint8Array;
  try {
    canonical = normalizeKey(keyType, wire).canonical;
  } catch (cause) {
    throw new QrFormatError(`key card carries an invalid ${keyType} public key`, { code: 'QR_MALFORMED', cause });
  }
  const fingerprint = fp(keyType, canonical);
  if (!equalBytes(fingerprint.subarray(0, FINGERPRINT_WIRE_LENGTH), fpWire)) {
    throw new QrFormatError('key card fingerprint does not match its public key', { code: 'QR_CHECKSUM' });
  }
  return Object.freeze({ type: 'keyCard', keyType, publicKey: canonical, label, suite, fingerprint });
}
