/**
 * Encrypted secrets (FORMAT.md §3): a secret key, data key, seed or text wrapped with a passphrase (Argon2id,
 * RFC 9106, parameters stored in the payload, then an AEAD) or sealed to a recipient's public key with
 * `@privkit/envelope`. The header (everything before the ciphertext) is the AEAD's associated data, so no field
 * can be changed without opening failing. An encrypted 32-byte secret is 73 bytes: QR version 6 at ECC level Q.
 * @module
 */
import {
  abytesRange,
  anumber,
  aobject,
  aoneOf,
  astring,
  InputError,
  isBytes,
  LimitError,
  randomBytes,
  utf8ToBytes,
  zeroize,
} from '@privkit/core';
import { argon2id, getAead } from './_crypto.js';
import { dflt, header, labelBytes, openFrame, MAX_LABEL_BYTES, Reader, SECRET_KINDS, withChecksum, Writer, type SecretKind } from './_format.js';
import { KEY_SPECS, KEY_TYPES, keyTypeById, type KeyType } from './_keys.js';
import { envelopeOpen, envelopeSeal } from './_envelope.js';
import { QrFormatError, QrOpenError } from './errors.js';

/** AEADs a passphrase-wrapped secret can use, with their stable wire ids (FORMAT.md §3.2). Frozen. */
export const SECRET_AEADS = Object.freeze({
  'chacha20-poly1305': 1,
  'aes-256-gcm': 2,
  'xchacha20-poly1305': 3,
  'aes-128-gcm': 4,
  'sm4-gcm': 5,
} as const);
/** An AEAD id accepted by {@link encodeSecret}. */
export type SecretAead = keyof typeof SECRET_AEADS;

/** Argon2id cost parameters as stored in the payload (m is a power of two in KiB). */
export interface KdfParams {
  /** Memory in KiB, a power of two 2^3..2^21 (the format can carry up to 2^24; core's Argon2id stops at 2 GiB). */
  readonly m: number;
  /** Passes, 1..16. */
  readonly t: number;
  /** Lanes, 1..16 (computed sequentially in JS). */
  readonly p: number;
}

/**
 * Defaults for passphrase wrapping: Argon2id m = 2^16 KiB (64 MiB), t = 2, p = 1 and ChaCha20-Poly1305. Opening
 * takes about 0.7–0.9 s in Node 20 here (pure-JS Argon2id; see the bench). RFC 9106 §4's second recommended option
 * is m = 64 MiB, t = 3, p = 4; we keep its memory and lower t and p so the open time stays under 1 s in JS.
 * Frozen.
 */
export const PASSPHRASE_DEFAULTS = Object.freeze({ m: 2 ** 16, t: 2, p: 1, aead: 'chacha20-poly1305' } as const);

/** Default ceiling on the memory an opener will spend (KiB): 2^18 KiB = 256 MiB. */
export const DEFAULT_MAX_MEMORY_KIB = 2 ** 18;
/** Salt length in bytes (RFC 9106 §3.1 recommends 16). */
export const SALT_LENGTH = 16;
/** Largest secret accepted (bytes). */
export const MAX_SECRET_LENGTH = 4096;

const SALT = SALT_LENGTH;
const FLAG_LABEL = 0x80;

/** Recipient of an envelope-wrapped secret. */
export interface SecretRecipient {
  /** Recipient public key as `@privkit/envelope`'s `seal` takes it. */
  publicKey: Uint8Array;
  /** Envelope suite name (passed to `seal` as `suite`); envelope's default when omitted. */
  suite?: string;
}

/** Options of {@link encodeSecret}: exactly one of `passphrase` or `recipient`. */
export interface EncodeSecretInput {
  /** The secret, 1..4096 bytes. */
  secret: Uint8Array;
  /** Passphrase (string, NFC-normalised and UTF-8 encoded, or bytes). */
  passphrase?: string | Uint8Array;
  /** Recipient for the envelope variant. */
  recipient?: SecretRecipient;
  /** What the secret is. Default 'raw'. */
  kind?: SecretKind;
  /** Key type, required when kind is 'secret-key'. */
  keyType?: KeyType;
  /** Optional label (at most 64 UTF-8 bytes), authenticated but not encrypted. */
  label?: string;
  /** Argon2id parameters (passphrase variant). Defaults {@link PASSPHRASE_DEFAULTS}. */
  kdf?: Partial<KdfParams>;
  /** AEAD (passphrase variant). Default 'chacha20-poly1305'. */
  aead?: SecretAead;
}

interface SecretMeta {
  readonly kind: SecretKind;
  readonly keyType: KeyType | undefined;
  readonly label: string;
}

/** A decoded passphrase-wrapped secret (still encrypted). */
export interface PassphraseSecret extends SecretMeta {
  readonly type: 'passphraseSecret';
  readonly aead: SecretAead;
  readonly kdf: KdfParams;
  readonly salt: Uint8Array;
  readonly ciphertext: Uint8Array;
  /** The authenticated header bytes (AEAD associated data). */
  readonly aad: Uint8Array;
}

/** A decoded envelope-wrapped secret (still encrypted). */
export interface EnvelopeSecret extends SecretMeta {
  readonly type: 'envelopeSecret';
  readonly envelope: Uint8Array;
  /** The authenticated header bytes (envelope associated data). */
  readonly aad: Uint8Array;
}

/** Either kind of encrypted secret. */
export type EncryptedSecret = PassphraseSecret | EnvelopeSecret;

/** Validates kind/keyType/label and returns [kind byte, label bytes]. @internal */
export function _secretMeta(o: { kind?: unknown; keyType?: unknown; label?: unknown }): { kindByte: number; label: Uint8Array } {
  const kind = aoneOf(dflt(o.kind, 'raw'), Object.keys(SECRET_KINDS) as SecretKind[], 'kind');
  let kindByte: number = SECRET_KINDS[kind];
  if (kind === 'secret-key') kindByte |= KEY_SPECS[aoneOf(o.keyType, KEY_TYPES, 'keyType')].id;
  else if (o.keyType !== undefined) throw new InputError(`"keyType" is only allowed with kind 'secret-key'`, { code: 'INVALID_VALUE' });
  const label = labelBytes(astring(dflt(o.label, ''), 'label', MAX_LABEL_BYTES));
  if (label.length > MAX_LABEL_BYTES) {
    throw new InputError(`"label" expected at most ${MAX_LABEL_BYTES} UTF-8 bytes, got ${label.length}`, { code: 'INVALID_LENGTH' });
  }
  return { kindByte, label };
}

/** Parses a kind byte. @internal */
export function _parseKind(b: number): { kind: SecretKind; keyType: KeyType | undefined } {
  if (b & 0x80) {
    const keyType = keyTypeById(b & 0x7f);
    if (keyType === undefined) throw new QrFormatError(`unknown secret key type ${b & 0x7f}`, { code: 'QR_UNKNOWN_TYPE' });
    return { kind: 'secret-key', keyType };
  }
  const kind = (Object.keys(SECRET_KINDS) as SecretKind[]).find((k) => SECRET_KINDS[k] === b);
  if (kind === undefined) throw new QrFormatError(`unknown secret kind ${b}`, { code: 'QR_UNKNOWN_TYPE' });
  return { kind, keyType: undefined };
}

function passBytes(p: unknown): Uint8Array {
  if (typeof p === 'string') {
    if (p.length === 0) throw new InputError('"passphrase" expected a non-empty string', { code: 'INVALID_LENGTH' });
    return utf8ToBytes(p.normalize('NFC'));
  }
  if (isBytes(p)) return abytesRange(p, 1, 1024, 'passphrase');
  throw new InputError(`"passphrase" expected string or Uint8Array, got type=${p === null ? 'null' : typeof p}`, { code: 'INVALID_TYPE' });
}

function kdfParams(k: unknown): KdfParams {
  const o = aobject<Partial<KdfParams>>(k, 'kdf') ?? {};
  const m = anumber(dflt(o.m, PASSPHRASE_DEFAULTS.m), 'kdf.m', 8, 2 ** 21);
  if ((m & (m - 1)) !== 0) throw new InputError(`"kdf.m" expected a power of two (KiB), got ${m}`, { code: 'INVALID_VALUE' });
  const t = anumber(dflt(o.t, PASSPHRASE_DEFAULTS.t), 'kdf.t', 1, 16);
  const p = anumber(dflt(o.p, PASSPHRASE_DEFAULTS.p), 'kdf.p', 1, 16);
  if (m < 8 * p) throw new InputError(`"kdf.m" expected ≥ 8·p = ${8 * p} KiB (RFC 9106 §3.1), got ${m}`, { code: 'INVALID_VALUE' });
  return { m, t, p };
}

function derive(aeadId: SecretAead, pass: Uint8Array, salt: Uint8Array, k: KdfParams): { key: Uint8Array; nonce: Uint8Array } {
  const aead = getAead(aeadId);
  const okm = argon2id(pass, salt, { m: k.m, t: k.t, p: k.p, dkLen: aead.keyLength + aead.nonceLength });
  return { key: okm.subarray(0, aead.keyLength), nonce: okm.subarray(aead.keyLength) };
}

/**
 * Encrypts a secret into a payload (FORMAT.md §3), with a passphrase (Argon2id + AEAD; the key and nonce both come
 * from Argon2id over a fresh 16-byte salt, so no nonce is stored) or, with `recipient`, as a `@privkit/envelope`.
 * @param input - `{secret, passphrase | recipient, kind?, keyType?, label?, kdf?, aead?}`
 * @returns the payload bytes
 * @throws {InputError} for wrong types, lengths or parameters, or when both/neither of passphrase and recipient are set
 * @throws {KeyError} for an invalid recipient public key (from `@privkit/envelope`)
 * @example
 * ```ts
 * const payload = encodeSecret({ secret: dataKey, passphrase: 'correct horse battery staple', kind: 'data-key' });
 * const back = openSecret(payload, { passphrase: 'correct horse battery staple' });
 * ```
 */
export function encodeSecret(input: EncodeSecretInput): Uint8Array {
  const o = aobject<EncodeSecretInput>(input, 'input', false)!;
  const secret = abytesRange(o.secret, 1, MAX_SECRET_LENGTH, 'secret');
  const { kindByte, label } = _secretMeta(o);
  if ((o.passphrase === undefined) === (o.recipient === undefined)) {
    throw new InputError('exactly one of "passphrase" and "recipient" is required', { code: 'INVALID_VALUE' });
  }
  if (o.recipient !== undefined) return _encodeEnvelopeSecret(secret, kindByte, label, o.recipient);
  const pass = passBytes(o.passphrase);
  const aead = aoneOf(dflt(o.aead, PASSPHRASE_DEFAULTS.aead), Object.keys(SECRET_AEADS) as SecretAead[], 'aead');
  const k = kdfParams(o.kdf);
  const salt = randomBytes(SALT);
  const w = new Writer()
    .u8(header('passphraseSecret'))
    .u8(kindByte)
    .u8(SECRET_AEADS[aead] | (label.length ? FLAG_LABEL : 0))
    .u8(Math.log2(k.m))
    .u8(((k.t - 1) << 4) | (k.p - 1))
    .bytes(salt);
  if (label.length) w.str8(label);
  const aad = w.finish();
  const { key, nonce } = derive(aead, pass, salt, k);
  try {
    const ct = getAead(aead).seal(key, nonce, secret, aad);
    return withChecksum(new Writer().bytes(aad).bytes(ct).finish());
  } finally {
    zeroize(key, nonce);
  }
}

/** Parses a passphrase-secret body. @internal */
export function _parsePassphraseSecret(body: Uint8Array): PassphraseSecret {
  const r = new Reader(body);
  r.u8('header');
  const { kind, keyType } = _parseKind(r.u8('kind'));
  const flags = r.u8('flags');
  const aeadId = flags & 0x0f;
  const aead = (Object.keys(SECRET_AEADS) as SecretAead[]).find((a) => SECRET_AEADS[a] === aeadId);
  if (aead === undefined) throw new QrFormatError(`unknown AEAD id ${aeadId}`, { code: 'QR_UNKNOWN_TYPE' });
  if (flags & 0x70) throw new QrFormatError('reserved flag bits set', { code: 'QR_MALFORMED' });
  const mLog = r.u8('kdf memory');
  const tp = r.u8('kdf passes/lanes');
  if (mLog < 3 || mLog > 24) throw new QrFormatError(`Argon2id memory exponent ${mLog} out of range 3..24`, { code: 'QR_MALFORMED' });
  const kdf = Object.freeze({ m: 2 ** mLog, t: (tp >> 4) + 1, p: (tp & 15) + 1 });
  if (kdf.m < 8 * kdf.p) throw new QrFormatError('Argon2id memory below 8·p KiB', { code: 'QR_MALFORMED' });
  const salt = r.bytes(SALT, 'salt');
  const label = flags & FLAG_LABEL ? r.str8('label') : '';
  if (flags & FLAG_LABEL && label === '') throw new QrFormatError('empty label with label flag', { code: 'QR_MALFORMED' });
  const aad = body.slice(0, r.pos);
  const ciphertext = r.rest();
  if (ciphertext.length < 17) throw new QrFormatError('ciphertext too short', { code: 'QR_MALFORMED' });
  return Object.freeze({ type: 'passphraseSecret', kind, keyType, label, aead, kdf, salt, ciphertext, aad });
}

/** Options of {@link openSecret}. */
export interface OpenSecretOptions {
  /** Passphrase for passphrase-wrapped secrets. */
  passphrase?: string | Uint8Array;
  /** Recipient secret key for envelope-wrapped secrets. */
  secretKey?: Uint8Array;
  /** Refuse Argon2id parameters needing more than this many KiB (default 2^18 = 256 MiB). */
  maxMemoryKiB?: number;
  /** Refuse more than this many Argon2id passes (default 16). */
  maxPasses?: number;
}

/**
 * Decrypts an encrypted-secret payload (FORMAT.md §3).
 * @param payload - payload bytes or a decoded {@link EncryptedSecret}
 * @param options - `{passphrase}` or `{secretKey}`, and cost limits
 * @returns the secret
 * @throws {QrFormatError} for a malformed, damaged (checksum) or unknown payload
 * @throws {LimitError} LIMIT_EXCEEDED when the stored Argon2id cost exceeds the limits (checked before any work)
 * @throws {QrOpenError} QR_OPEN_FAILED for a wrong passphrase or key, or a tampered payload (no detail)
 * @example
 * ```ts
 * const secret = openSecret(scanned, { passphrase });
 * ```
 */
export function openSecret(payload: Uint8Array | EncryptedSecret, options: OpenSecretOptions): Uint8Array {
  const o = aobject<OpenSecretOptions>(options, 'options', false)!;
  const p = _asEncryptedSecret(payload);
  if (p.type === 'envelopeSecret') {
    abytesRange(o.secretKey, 1, 1024, 'secretKey');
    return _openEnvelopeSecret(p, o.secretKey!);
  }
  const pass = passBytes(o.passphrase);
  const maxM = anumber(dflt(o.maxMemoryKiB, DEFAULT_MAX_MEMORY_KIB), 'maxMemoryKiB', 8, 2 ** 21);
  const maxT = anumber(dflt(o.maxPasses, 16), 'maxPasses', 1, 16);
  if (p.kdf.m > maxM || p.kdf.t > maxT) {
    throw new LimitError(`Argon2id parameters m=${p.kdf.m} KiB, t=${p.kdf.t} exceed the limits m≤${maxM}, t≤${maxT}`);
  }
  const { key, nonce } = derive(p.aead, pass, p.salt, p.kdf);
  try {
    return getAead(p.aead).open(key, nonce, p.ciphertext, p.aad);
  } catch (cause) {
    throw new QrOpenError(undefined, { cause });
  } finally {
    zeroize(key, nonce);
  }
}

/** Accepts payload bytes or a decoded encrypted secret. @internal */
export function _asEncryptedSecret(payload: unknown): EncryptedSecret {
  if (isBytes(payload)) {
    const { type, body } = openFrame(payload);
    if (type === 'passphraseSecret') return _parsePassphraseSecret(body);
    if (type === 'envelopeSecret') return _parseEnvelopeSecret(body);
    throw new QrFormatError(`expected an encrypted secret, got a ${type} payload`, { code: 'QR_UNKNOWN_TYPE' });
  }
  const o = payload as Partial<EncryptedSecret> | null;
  if (typeof o === 'object' && o !== null) {
    if (o.type === 'passphraseSecret' && isBytes(o.ciphertext) && isBytes(o.aad) && isBytes(o.salt) && typeof o.kdf === 'object') return o as PassphraseSecret;
    if (o.type === 'envelopeSecret' && isBytes(o.envelope) && isBytes(o.aad)) return o as EnvelopeSecret;
  }
  throw new InputError(`"payload" expected Uint8Array or a decoded encrypted secret`, { code: 'INVALID_TYPE' });
}

// ---- envelope variant (FORMAT.md §3.3) ----

function _encodeEnvelopeSecret(secret: Uint8Array, kindByte: number, label: Uint8Array, recipient: SecretRecipient): Uint8Array {
  const rc = aobject<SecretRecipient>(recipient, 'recipient', false)!;
  abytesRange(rc.publicKey, 1, 1024, 'recipient.publicKey');
  if (rc.suite !== undefined) astring(rc.suite, 'recipient.suite', 64);
  const w = new Writer().u8(header('envelopeSecret')).u8(kindByte).u8(label.length ? FLAG_LABEL : 0);
  if (label.length) w.str8(label);
  const aad = w.finish();
  const env = envelopeSeal(secret, rc, aad);
  return withChecksum(new Writer().bytes(aad).bytes(env).finish());
}

/** Parses an envelope-secret body. @internal */
export function _parseEnvelopeSecret(body: Uint8Array): EnvelopeSecret {
  const r = new Reader(body);
  r.u8('header');
  const { kind, keyType } = _parseKind(r.u8('kind'));
  const flags = r.u8('flags');
  if (flags & 0x7f) throw new QrFormatError('reserved flag bits set', { code: 'QR_MALFORMED' });
  const label = flags & FLAG_LABEL ? r.str8('label') : '';
  if (flags & FLAG_LABEL && label === '') throw new QrFormatError('empty label with label flag', { code: 'QR_MALFORMED' });
  const aad = body.slice(0, r.pos);
  const envelope = r.rest();
  if (envelope.length === 0) throw new QrFormatError('empty envelope', { code: 'QR_MALFORMED' });
  return Object.freeze({ type: 'envelopeSecret', kind, keyType, label, envelope, aad });
}

function _openEnvelopeSecret(p: EnvelopeSecret, secretKey: Uint8Array): Uint8Array {
  try {
    return envelopeOpen(p.envelope, secretKey, p.aad);
  } catch (cause) {
    throw new QrOpenError(undefined, { cause });
  }
}
